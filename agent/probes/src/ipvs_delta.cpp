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

namespace hadeck::probes {

namespace {

bool sameDestSetting(const RealServer& a, const RealServer& b)
{
    return a.af == b.af && a.address == b.address && a.port == b.port && a.forward == b.forward &&
           a.weight == b.weight && a.upperThreshold == b.upperThreshold && a.lowerThreshold == b.lowerThreshold;
}

bool sameServiceSetting(const VirtualService& a, const VirtualService& b)
{
    if (a.af != b.af || a.protocol != b.protocol || a.address != b.address || a.port != b.port ||
        a.fwmark != b.fwmark || a.scheduler != b.scheduler || a.flags != b.flags || a.persistent != b.persistent ||
        a.timeout != b.timeout || a.netmask != b.netmask || a.peName != b.peName ||
        a.realServers.size() != b.realServers.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.realServers.size(); ++i) {
        if (!sameDestSetting(a.realServers[i], b.realServers[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

bool ipvsStructureChanged(const std::vector<VirtualService>& before, const std::vector<VirtualService>& after)
{
    // The kernel dumps an unchanged table in the same order; a reordering only costs one delta.
    if (before.size() != after.size()) {
        return true;
    }
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (!sameServiceSetting(before[i], after[i])) {
            return true;
        }
    }
    return false;
}

} // namespace hadeck::probes
