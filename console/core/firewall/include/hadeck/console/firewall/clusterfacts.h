#pragma once

// What the lockout lint knows of the cluster, taken from the console's live model:
// every node with the roles its agent reported (the inventory's hints before that),
// and the virtual services as the directors' IPVS tables show them now.

#include "hadeck/console/firewall/lint.h"

namespace hadeck::console {
class ClusterModel;
}

namespace hadeck::console::fw {

/// @p consoleAddresses: the console as the node sees it (Ruleset::sshPeers).
ClusterFacts factsFromModel(const ClusterModel& model, std::vector<std::string> consoleAddresses);
/// The same for the node whose current ruleset is @p current: the console as it sees it
/// (its SSH peers) and its interfaces, for the packets' in and out interfaces.
ClusterFacts factsFromModel(const ClusterModel& model, const proto::fw::Ruleset& current);

} // namespace hadeck::console::fw
