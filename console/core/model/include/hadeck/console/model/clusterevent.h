#pragma once

#include "hadeck/console/checks/alarm.h"

#include <QString>

namespace hadeck::console {

/// One line of the incident timeline.
struct ClusterEvent {
    enum class Kind { AlarmRaised, AlarmCleared, VrrpTransition, RealServerHealth, LinkChange, AdminAction };
    qint64 timeMs = 0; // ms since the epoch
    Kind kind = Kind::AdminAction;
    Severity severity = Severity::Info;
    QString node; // the node to select when the line is clicked; may be empty
    QString text; // translated when the event happened
    /// The same text kept untranslated, so a language switch re-renders the
    /// timeline's old lines; empty for text that came translated (then `text` is shown).
    TrText message;
};

QString eventKindName(ClusterEvent::Kind kind);

} // namespace hadeck::console
