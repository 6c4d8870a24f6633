#pragma once

// The active alarms of a cluster in one list: the agents' own (alarms.list) and
// the console core's checks across nodes. Used by `alarms`, `check` and `status`.

#include <hadeck/console/inventory.h>

#include <QJsonArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace hadeck::console {
class ConnectionPool;
}

namespace hadeck::ctl {

struct ActiveAlarm {
    QString source;   ///< "agent" (the node's alarm engine) or "cluster" (a check across nodes)
    QString id;       ///< the agent's key (rule:subject) or the check's id ("split-brain/51")
    QString severity; ///< info, warning, critical
    QString node;     ///< the node it is about (the first one for a check)
    QStringList nodes;
    QString rule; ///< agent: the rule
    QString text;
    QString detail;
    std::uint64_t agentId = 0; ///< agent: the id for alarms.ack
    std::int64_t raisedAt = 0;
    bool acknowledged = false;
    QString ackBy;
};

struct ActiveAlarms {
    std::vector<ActiveAlarm> alarms; ///< critical first
    QStringList unanswered;          ///< online nodes that did not list their alarms
    QMap<QString, QString> errors;   ///< why, by node
    /// Directors whose VRRP or IPVS state could not be read (an error, or an answer this console
    /// cannot decode): the cluster checks ran without that part of them. Why, by node.
    QMap<QString, QString> unread;
    int worst = 0;                   ///< 0 none or info, 1 warning, 2 critical
};

/// Asks every online node of @p pool (already connected) for its alarms, and the
/// directors for VRRP and IPVS, then runs the cluster checks. Waits at most @p timeoutMs.
ActiveAlarms collectAlarms(const console::ClusterInventory& inventory, console::ConnectionPool& pool, int timeoutMs);
QJsonArray alarmsJson(const ActiveAlarms& alarms);
/// One line per alarm (terminal-safe), and the nodes that did not answer.
QString alarmsText(const ActiveAlarms& alarms);

} // namespace hadeck::ctl
