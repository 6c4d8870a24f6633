#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace hadeck::console {

/// A sentence kept as its source text and arguments, translated when shown: a
/// language switch then re-renders what is already on screen. Arguments are
/// texts themselves, so translated words inside the sentence follow too.
struct TrText {
    const char* context = nullptr; ///< tr() context; null: `literal` is the text, untranslated
    const char* source = nullptr;
    int n = -1; ///< plural count, -1 for none
    QString literal;
    std::vector<TrText> args; ///< %1, %2, ... in order; without a context, appended to `literal`

    TrText() = default;
    TrText(QString text) : literal(std::move(text)) {} // NOLINT(google-explicit-constructor): names, numbers
    static TrText of(const char* context, const char* source, std::vector<TrText> args = {}, int n = -1)
    {
        TrText t;
        t.context = context;
        t.source = source;
        t.args = std::move(args);
        t.n = n;
        return t;
    }
    /// Texts one after the other, for a sentence with an untranslatable tail (an error from elsewhere).
    static TrText concat(std::vector<TrText> parts)
    {
        TrText t;
        t.args = std::move(parts);
        return t;
    }
    [[nodiscard]] bool isEmpty() const { return context == nullptr && literal.isEmpty() && args.empty(); }
    /// The text in the current language.
    [[nodiscard]] QString render() const;
    bool operator==(const TrText& o) const
    {
        return context == o.context && source == o.source && n == o.n && literal == o.literal && args == o.args;
    }
};

enum class Severity { Info = 0, Warning = 1, Critical = 2 };

enum class AlarmKind {
    NodeUnreachable,
    NodeRefused,
    SplitBrain,
    NoMaster,
    VipSetDiffers,
    IpvsTableDiffers,
    DrCheckFailed,
    KeepalivedDown,
    StateUnreadable,
};

/// A condition found by a cross-node check. It lasts as long as the condition
/// holds; the id is stable across ticks so the timeline can tell raised from cleared.
struct Alarm {
    QString id; // e.g. "split-brain/51"
    AlarmKind kind = AlarmKind::NodeUnreachable;
    Severity severity = Severity::Warning;
    QStringList nodes; // the nodes involved, first is the one to select
    QString text;      // one translated sentence an admin can act on
    QString detail;    // optional: the differing values
    TrText message;    // `text` untranslated, for a later language switch
    bool operator==(const Alarm&) const = default;
};

QString severityName(Severity severity);

} // namespace hadeck::console
