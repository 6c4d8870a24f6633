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

} // namespace hadeck::console::fw
