#pragma once

#include <QString>
#include <QStringList>

namespace hadeck::console {

enum class Severity { Info = 0, Warning = 1, Critical = 2 };

enum class AlarmKind {
    NodeUnreachable,
    NodeRefused,
    SplitBrain,
    NoMaster,
    VipSetDiffers,
    IpvsTableDiffers,
    DrCheckFailed,
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
    bool operator==(const Alarm&) const = default;
};

QString severityName(Severity severity);

} // namespace hadeck::console
