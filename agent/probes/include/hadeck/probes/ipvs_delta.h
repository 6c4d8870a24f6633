#pragma once

// What changed between two samples of the IPVS table, as the "ipvs" topic sends it:
//   {"services": [VirtualService with only its added or changed realServers],
//    "removedServices": ["TCP 198.18.0.100:80", ...],
//    "removedDests": [{"service": key, "endpoint": "198.18.1.11:80"}, ...]}
// A service appears in "services" when it is new, one of its own fields changed,
// or one of its real servers was added or changed. Empty object: nothing changed.

#include "hadeck/protocol/director.h"

#include <vector>

namespace hadeck::probes {

proto::Json ipvsDelta(const std::vector<proto::VirtualService>& before, const std::vector<proto::VirtualService>& after);

/// True when the tables differ in anything but counters, rates and connection counts: a service or
/// real server added or removed, or a weight, threshold, forwarding method, scheduler, flag or
/// persistence setting changed. Cheap enough to run on every quick look at the table.
bool ipvsStructureChanged(const std::vector<proto::VirtualService>& before,
                          const std::vector<proto::VirtualService>& after);

} // namespace hadeck::probes
