#include "hadeck/console/actions/drain_timeout.h"

#include <QStringList>

namespace hadeck::console {

std::optional<DrainTimeoutChoice> parseDrainTimeoutChoice(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty()) {
        return std::nullopt;
    }
    struct Word {
        QStringList spellings;
        DrainTimeoutChoice choice;
    };
    static const Word words[] = {
        {{QStringLiteral("w"), QStringLiteral("wait"), QStringLiteral("keep"), QStringLiteral("keep-waiting")},
         DrainTimeoutChoice::Wait},
        {{QStringLiteral("f"), QStringLiteral("force"), QStringLiteral("finish")}, DrainTimeoutChoice::Force},
        {{QStringLiteral("c"), QStringLiteral("cancel"), QStringLiteral("restore")}, DrainTimeoutChoice::Cancel},
        {{QStringLiteral("q"), QStringLiteral("fail"), QStringLiteral("quit")}, DrainTimeoutChoice::Fail},
    };
    for (const auto& w : words) {
        if (w.spellings.contains(t)) {
            return w.choice;
        }
    }
    return std::nullopt;
}

QString drainTimeoutChoiceName(DrainTimeoutChoice choice)
{
    switch (choice) {
    case DrainTimeoutChoice::Wait: return QStringLiteral("wait");
    case DrainTimeoutChoice::Force: return QStringLiteral("force");
    case DrainTimeoutChoice::Cancel: return QStringLiteral("cancel");
    case DrainTimeoutChoice::Fail: return QStringLiteral("fail");
    }
    return {};
}

} // namespace hadeck::console
