#include "hadeck/protocol/director.h"

#include <array>
#include <utility>

namespace hadeck::proto {

namespace {

std::string hostPort(int af, const std::string& address, std::uint16_t port)
{
    return (af == 6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

constexpr std::array<std::pair<ForwardMethod, const char*>, 4> kForward{{
    {ForwardMethod::Masq, "masq"},
    {ForwardMethod::Local, "local"},
    {ForwardMethod::Tunnel, "tunnel"},
    {ForwardMethod::Route, "route"},
}};

constexpr std::array<std::pair<VrrpState, const char*>, 6> kVrrpStates{{
    {VrrpState::Init, "INIT"},
    {VrrpState::Backup, "BACKUP"},
    {VrrpState::Master, "MASTER"},
    {VrrpState::Fault, "FAULT"},
    {VrrpState::Deleted, "DELETED"},
    {VrrpState::Stop, "STOP"},
}};

template <typename T>
void getIf(const Json& j, const char* key, T& out)
{
    if (const auto it = j.find(key); it != j.end() && !it->is_null()) {
        it->get_to(out);
    }
}

} // namespace

std::string RealServer::endpoint() const { return hostPort(af, address, port); }

std::string VirtualService::key() const
{
    if (fwmark != 0) {
        return (af == 6 ? "FWM6 " : "FWM ") + std::to_string(fwmark);
    }
    std::string proto = protocol;
    for (auto& c : proto) {
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return proto + " " + hostPort(af, address, port);
}

std::string toString(VrrpState s)
{
    for (const auto& [v, name] : kVrrpStates) {
        if (v == s) {
            return name;
        }
    }
    return "UNKNOWN";
}

std::optional<VrrpState> vrrpStateFromString(const std::string& s)
{
    for (const auto& [v, name] : kVrrpStates) {
        if (s == name) {
            return v;
        }
    }
    return std::nullopt;
}

void to_json(Json& j, const IpvsStats& v)
{
    j = Json{{"conns", v.conns}, {"inpkts", v.inPkts}, {"outpkts", v.outPkts}, {"inbytes", v.inBytes},
             {"outbytes", v.outBytes}, {"cps", v.cps}, {"inpps", v.inPps}, {"outpps", v.outPps},
             {"inbps", v.inBps}, {"outbps", v.outBps}};
}

void from_json(const Json& j, IpvsStats& v)
{
    getIf(j, "conns", v.conns);
    getIf(j, "inpkts", v.inPkts);
    getIf(j, "outpkts", v.outPkts);
    getIf(j, "inbytes", v.inBytes);
    getIf(j, "outbytes", v.outBytes);
    getIf(j, "cps", v.cps);
    getIf(j, "inpps", v.inPps);
    getIf(j, "outpps", v.outPps);
    getIf(j, "inbps", v.inBps);
    getIf(j, "outbps", v.outBps);
}

void to_json(Json& j, const RealServer& v)
{
    const char* fwd = "route";
    for (const auto& [m, name] : kForward) {
        if (m == v.forward) {
            fwd = name;
        }
    }
    j = Json{{"af", v.af}, {"address", v.address}, {"port", v.port}, {"forward", fwd}, {"weight", v.weight},
             {"uthreshold", v.upperThreshold}, {"lthreshold", v.lowerThreshold}, {"active", v.activeConns},
             {"inactive", v.inactiveConns}, {"persistent", v.persistentConns}, {"stats", v.stats}};
}

void from_json(const Json& j, RealServer& v)
{
    getIf(j, "af", v.af);
    j.at("address").get_to(v.address);
    j.at("port").get_to(v.port);
    const std::string fwd = j.value("forward", std::string("route"));
    for (const auto& [m, name] : kForward) {
        if (fwd == name) {
            v.forward = m;
        }
    }
    getIf(j, "weight", v.weight);
    getIf(j, "uthreshold", v.upperThreshold);
    getIf(j, "lthreshold", v.lowerThreshold);
    getIf(j, "active", v.activeConns);
    getIf(j, "inactive", v.inactiveConns);
    getIf(j, "persistent", v.persistentConns);
    getIf(j, "stats", v.stats);
}

void to_json(Json& j, const VirtualService& v)
{
    j = Json{{"key", v.key()}, {"af", v.af}, {"protocol", v.protocol}, {"address", v.address},
             {"port", v.port}, {"fwmark", v.fwmark}, {"scheduler", v.scheduler}, {"flags", v.flags},
             {"persistent", v.persistent}, {"timeout", v.timeout}, {"netmask", v.netmask},
             {"pe", v.peName}, {"stats", v.stats}, {"realServers", v.realServers}};
}

void from_json(const Json& j, VirtualService& v)
{
    getIf(j, "af", v.af);
    getIf(j, "protocol", v.protocol);
    getIf(j, "address", v.address);
    getIf(j, "port", v.port);
    getIf(j, "fwmark", v.fwmark);
    getIf(j, "scheduler", v.scheduler);
    getIf(j, "flags", v.flags);
    getIf(j, "persistent", v.persistent);
    getIf(j, "timeout", v.timeout);
    getIf(j, "netmask", v.netmask);
    getIf(j, "pe", v.peName);
    getIf(j, "stats", v.stats);
    getIf(j, "realServers", v.realServers);
}

void to_json(Json& j, const TrackFileStatus& v)
{
    j = Json{{"name", v.name}, {"path", v.path}, {"value", v.value}, {"weight", v.weight}};
}

void from_json(const Json& j, TrackFileStatus& v)
{
    j.at("name").get_to(v.name);
    getIf(j, "path", v.path);
    getIf(j, "value", v.value);
    getIf(j, "weight", v.weight);
}

void to_json(Json& j, const VrrpInstance& v)
{
    j = Json{{"name", v.name}, {"vrid", v.vrid}, {"interface", v.interface}, {"state", toString(v.state)},
             {"wantState", toString(v.wantState)}, {"basePriority", v.basePriority},
             {"effectivePriority", v.effectivePriority}, {"masterPriority", v.masterPriority}, {"vips", v.vips},
             {"holdsVips", v.holdsVips}, {"lastTransition", v.lastTransition}, {"advertIntMs", v.advertIntMs},
             {"nopreempt", v.nopreempt}, {"syncGroup", v.syncGroup}, {"advertRcvd", v.advertRcvd},
             {"advertSent", v.advertSent}, {"becomeMaster", v.becomeMaster}, {"releaseMaster", v.releaseMaster},
             {"priZeroRcvd", v.priZeroRcvd}, {"priZeroSent", v.priZeroSent}, {"trackFiles", v.trackFiles}};
}

void from_json(const Json& j, VrrpInstance& v)
{
    j.at("name").get_to(v.name);
    getIf(j, "vrid", v.vrid);
    getIf(j, "interface", v.interface);
    v.state = vrrpStateFromString(j.value("state", std::string("INIT"))).value_or(VrrpState::Init);
    v.wantState = vrrpStateFromString(j.value("wantState", std::string("INIT"))).value_or(VrrpState::Init);
    getIf(j, "basePriority", v.basePriority);
    getIf(j, "effectivePriority", v.effectivePriority);
    getIf(j, "masterPriority", v.masterPriority);
    getIf(j, "vips", v.vips);
    getIf(j, "holdsVips", v.holdsVips);
    getIf(j, "lastTransition", v.lastTransition);
    getIf(j, "advertIntMs", v.advertIntMs);
    getIf(j, "nopreempt", v.nopreempt);
    getIf(j, "syncGroup", v.syncGroup);
    getIf(j, "advertRcvd", v.advertRcvd);
    getIf(j, "advertSent", v.advertSent);
    getIf(j, "becomeMaster", v.becomeMaster);
    getIf(j, "releaseMaster", v.releaseMaster);
    getIf(j, "priZeroRcvd", v.priZeroRcvd);
    getIf(j, "priZeroSent", v.priZeroSent);
    getIf(j, "trackFiles", v.trackFiles);
}

} // namespace hadeck::proto
