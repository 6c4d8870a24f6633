#include "hadeck/probes/ipvs_delta.h"

#include <map>

namespace hadeck::probes {

using proto::Json;
using proto::RealServer;
using proto::VirtualService;

namespace {

bool sameServiceFields(VirtualService a, VirtualService b)
{
    a.realServers.clear();
    b.realServers.clear();
    return a == b;
}

} // namespace

Json ipvsDelta(const std::vector<VirtualService>& before, const std::vector<VirtualService>& after)
{
    std::map<std::string, const VirtualService*> old;
    for (const auto& s : before) {
        old[s.key()] = &s;
    }
    Json services = Json::array();
    Json removedServices = Json::array();
    Json removedDests = Json::array();
    for (const auto& s : after) {
        const auto key = s.key();
        const auto it = old.find(key);
        if (it == old.end()) {
            services.push_back(s);
            continue;
        }
        const VirtualService& prev = *it->second;
        old.erase(it);
        std::map<std::string, const RealServer*> prevDests;
        for (const auto& rs : prev.realServers) {
            prevDests[rs.endpoint()] = &rs;
        }
        VirtualService changed = s;
        changed.realServers.clear();
        for (const auto& rs : s.realServers) {
            const auto d = prevDests.find(rs.endpoint());
            if (d == prevDests.end() || !(*d->second == rs)) {
                changed.realServers.push_back(rs);
            }
            if (d != prevDests.end()) {
                prevDests.erase(d);
            }
        }
        for (const auto& [endpoint, rs] : prevDests) {
            removedDests.push_back(Json{{"service", key}, {"endpoint", endpoint}});
        }
        if (!changed.realServers.empty() || !sameServiceFields(s, prev)) {
            services.push_back(changed);
        }
    }
    for (const auto& [key, s] : old) {
        removedServices.push_back(key);
    }
    Json delta = Json::object();
    if (!services.empty()) {
        delta["services"] = std::move(services);
    }
    if (!removedServices.empty()) {
        delta["removedServices"] = std::move(removedServices);
    }
    if (!removedDests.empty()) {
        delta["removedDests"] = std::move(removedDests);
    }
    return delta;
}

} // namespace hadeck::probes
