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
    QString text; // translated
};

QString eventKindName(ClusterEvent::Kind kind);

} // namespace hadeck::console
