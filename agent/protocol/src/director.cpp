#include "hadeck/protocol/director.h"

#include "hadeck/protocol/enum_names.h"

#include "hadeck/protocol/wire.h"

#include "names.h"

#include <array>
#include <utility>

namespace hadeck::proto {

namespace {

std::string hostPort(int af, const std::string& address, std::uint16_t port)
{
    return (af == 6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

constexpr EnumNames<ForwardMethod, 4> kForward{{
    {ForwardMethod::Masq, "masq"},
    {ForwardMethod::Local, "local"},
    {ForwardMethod::Tunnel, "tunnel"},
    {ForwardMethod::Route, "route"},
}};

constexpr EnumNames<VrrpState, 6> kVrrpStates{{
    {VrrpState::Init, "INIT"},
    {VrrpState::Backup, "BACKUP"},
    {VrrpState::Master, "MASTER"},
    {VrrpState::Fault, "FAULT"},
    {VrrpState::Deleted, "DELETED"},
    {VrrpState::Stop, "STOP"},
}};


} // namespace

std::optional<ForwardMethod> detail::forwardMethodFromName(std::string_view name) { return enumValue(kForward, name); }

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

std::string toString(VrrpState s) { return std::string(enumName(kVrrpStates, s, "UNKNOWN")); }

std::optional<VrrpState> vrrpStateFromString(const std::string& s) { return enumValue(kVrrpStates, s); }

void to_json(Json& j, const IpvsStats& v)
{
    j = Json{{"conns", v.conns}, {"inpkts", v.inPkts}, {"outpkts", v.outPkts}, {"inbytes", v.inBytes},
             {"outbytes", v.outBytes}, {"cps", v.cps}, {"inpps", v.inPps}, {"outpps", v.outPps},
             {"inbps", v.inBps}, {"outbps", v.outBps}};
}

void from_json(const Json& j, IpvsStats& v)
{
    wire::requireObject(j, "stats");
    wire::opt(j, "conns", v.conns);
    wire::opt(j, "inpkts", v.inPkts);
    wire::opt(j, "outpkts", v.outPkts);
    wire::opt(j, "inbytes", v.inBytes);
    wire::opt(j, "outbytes", v.outBytes);
    wire::opt(j, "cps", v.cps);
    wire::opt(j, "inpps", v.inPps);
    wire::opt(j, "outpps", v.outPps);
    wire::opt(j, "inbps", v.inBps);
    wire::opt(j, "outbps", v.outBps);
}

void to_json(Json& j, const RealServer& v)
{
    const std::string_view fwd = enumName(kForward, v.forward, "route");
    j = Json{{"af", v.af}, {"address", v.address}, {"port", v.port}, {"forward", fwd}, {"weight", v.weight},
             {"uthreshold", v.upperThreshold}, {"lthreshold", v.lowerThreshold}, {"active", v.activeConns},
             {"inactive", v.inactiveConns}, {"persistent", v.persistentConns}, {"stats", v.stats}};
}

void from_json(const Json& j, RealServer& v)
{
    wire::requireObject(j, "real server");
    wire::opt(j, "af", v.af, 4, 6);
    if (v.af != 4 && v.af != 6) {
        wire::fail("af", "must be 4 or 6");
    }
    wire::req(j, "address", v.address);
    wire::req(j, "port", v.port, std::uint16_t{0}, std::uint16_t{65535});
    wire::optEnum(j, "forward", v.forward, [](const std::string& s) { return enumValue(kForward, s); });
    wire::opt(j, "weight", v.weight, 0u, kMaxWeight);
    wire::opt(j, "uthreshold", v.upperThreshold);
    wire::opt(j, "lthreshold", v.lowerThreshold);
    wire::opt(j, "active", v.activeConns);
    wire::opt(j, "inactive", v.inactiveConns);
    wire::opt(j, "persistent", v.persistentConns);
    wire::optObject(j, "stats", v.stats);
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
    wire::requireObject(j, "virtual service");
    wire::opt(j, "af", v.af, 4, 6);
    if (v.af != 4 && v.af != 6) {
        wire::fail("af", "must be 4 or 6");
    }
    wire::opt(j, "protocol", v.protocol);
    wire::opt(j, "address", v.address);
    wire::opt(j, "port", v.port, std::uint16_t{0}, std::uint16_t{65535});
    wire::opt(j, "fwmark", v.fwmark);
    // A service is either protocol+address+port or a firewall mark: an object
    // with neither is not a service (no phantom "TCP :0" row).
    if (v.fwmark == 0) {
        if (v.protocol != "tcp" && v.protocol != "udp" && v.protocol != "sctp") {
            wire::fail("protocol", "must be tcp, udp or sctp (or the service needs a fwmark)");
        }
        if (v.address.empty()) {
            wire::fail("address", "is missing (or the service needs a fwmark)");
        }
    }
    wire::opt(j, "scheduler", v.scheduler);
    wire::opt(j, "flags", v.flags);
    wire::opt(j, "persistent", v.persistent);
    // Port 0 is "every port", which the kernel accepts only for a persistent service.
    if (v.fwmark == 0 && v.port == 0 && !v.persistent) {
        wire::fail("port", "must be 1..65535 (port 0 only on a persistent service, or the service needs a fwmark)");
    }
    wire::opt(j, "timeout", v.timeout);
    wire::opt(j, "netmask", v.netmask);
    wire::opt(j, "pe", v.peName);
    wire::optObject(j, "stats", v.stats);
    wire::opt(j, "realServers", v.realServers);
}

void to_json(Json& j, const TrackFileStatus& v)
{
    j = Json{{"name", v.name}, {"path", v.path}, {"value", v.value}, {"weight", v.weight}};
}

void from_json(const Json& j, TrackFileStatus& v)
{
    wire::requireObject(j, "track file");
    wire::req(j, "name", v.name);
    wire::opt(j, "path", v.path);
    wire::opt(j, "value", v.value);
    wire::opt(j, "weight", v.weight, -254, 254);
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
    wire::requireObject(j, "VRRP instance");
    const auto state = [](const std::string& s) { return vrrpStateFromString(s); };
    wire::req(j, "name", v.name);
    wire::opt(j, "vrid", v.vrid, 0, 255);
    wire::opt(j, "interface", v.interface);
    wire::optEnum(j, "state", v.state, state);
    wire::optEnum(j, "wantState", v.wantState, state);
    wire::opt(j, "basePriority", v.basePriority, 0, 255);
    wire::opt(j, "effectivePriority", v.effectivePriority, 0, 255);
    wire::opt(j, "masterPriority", v.masterPriority, 0, 255);
    wire::opt(j, "vips", v.vips);
    wire::opt(j, "holdsVips", v.holdsVips);
    wire::opt(j, "lastTransition", v.lastTransition);
    wire::opt(j, "advertIntMs", v.advertIntMs, 0, 3600 * 1000);
    wire::opt(j, "nopreempt", v.nopreempt);
    wire::opt(j, "syncGroup", v.syncGroup);
    wire::opt(j, "advertRcvd", v.advertRcvd);
    wire::opt(j, "advertSent", v.advertSent);
    wire::opt(j, "becomeMaster", v.becomeMaster);
    wire::opt(j, "releaseMaster", v.releaseMaster);
    wire::opt(j, "priZeroRcvd", v.priZeroRcvd);
    wire::opt(j, "priZeroSent", v.priZeroSent);
    wire::opt(j, "trackFiles", v.trackFiles);
}

} // namespace hadeck::proto
