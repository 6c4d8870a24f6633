#pragma once

// One `state.delta` notification decoded into the console's structs. Decoding
// a 30,000-row IPVS snapshot costs far more than applying it, and decoding is
// pure, so a live session runs it on a worker thread and hands the result to
// the ClusterModel on the GUI thread.

#include "hadeck/console/model/nodesnapshot.h"
#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <string>
#include <utility>
#include <vector>

namespace hadeck::console {

struct StateDelta {
    enum class Topic { Unknown, Ipvs, Vrrp, RealServer };
    Topic topic = Topic::Unknown;
    /// The whole table (ipvs, vrrp): it replaces what is known instead of merging into it.
    bool snapshot = false;
    /// ipvs: services that changed, each with only its added or changed real servers (all of them in a snapshot).
    std::vector<proto::VirtualService> services;
    std::vector<std::string> removedServices;                      ///< ipvs: service keys ("TCP 198.18.0.100:80")
    std::vector<std::pair<std::string, std::string>> removedDests; ///< ipvs: (service key, endpoint)
    std::vector<proto::VrrpInstance> instances;                    ///< vrrp: changed instances, or all
    std::optional<bool> running;                                   ///< vrrp: keepalived runs (absent: not said)
    DrCheck drCheck;                                               ///< realserver
};

/**
 * Decodes the params of one `state.delta` notification (agent/probes ipvs_delta.h
 * gives the ipvs shape). Pure and thread-safe.
 * @return the delta (Topic::Unknown for a topic this console does not know, so a
 *         newer agent does not break an older console), or an error naming the bad field.
 */
Expected<StateDelta> decodeStateDelta(const rpc::Json& params);

} // namespace hadeck::console
