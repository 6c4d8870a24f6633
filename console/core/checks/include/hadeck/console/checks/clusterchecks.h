#pragma once

// Checks that only make sense across nodes: no single agent can see a split
// brain or two directors whose IPVS tables drifted apart.

#include "hadeck/console/checks/alarm.h"
#include "hadeck/console/model/nodesnapshot.h"

#include <vector>

namespace hadeck::console {

/// Runs every cross-node check on one picture of the cluster. Pure: the same
/// nodes give the same alarms, in a stable order (critical first, then by id).
/// Nodes whose link is down are left out of the director comparisons: their
/// last known state is stale and would raise false drift.
std::vector<Alarm> runClusterChecks(const std::vector<const NodeSnapshot*>& nodes);

// The single checks, exposed for tests.
void checkReachability(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out);
void checkVrrp(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out);
void checkIpvsDrift(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out);
void checkDrConformance(const std::vector<const NodeSnapshot*>& nodes, std::vector<Alarm>& out);
/// The order runClusterChecks() returns: critical first, then by id.
void sortAlarms(std::vector<Alarm>& alarms);
/// Directors whose VRRP state has not arrived yet (still connecting, or online
/// without a first VRRP picture). While any is listed, "no MASTER" is not
/// raised: the MASTER may simply be the one that has not answered yet.
QStringList directorsAwaitingVrrp(const std::vector<const NodeSnapshot*>& nodes);

} // namespace hadeck::console
