#pragma once

// Load-balancing layer types: IPVS virtual services and their real servers
// (dests), and keepalived VRRP instances. Produced by the agent's director
// probes, consumed by the console's cluster model.

#include "hadeck/protocol/jsonrpc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::proto {

using rpc::Json;

struct IpvsStats {
    std::uint64_t conns = 0;
    std::uint64_t inPkts = 0;
    std::uint64_t outPkts = 0;
    std::uint64_t inBytes = 0;
    std::uint64_t outBytes = 0;
    std::uint64_t cps = 0;
    std::uint64_t inPps = 0;
    std::uint64_t outPps = 0;
    std::uint64_t inBps = 0;
    std::uint64_t outBps = 0;
    bool operator==(const IpvsStats&) const = default;
};

/// The largest weight IPVS takes (ipvsadm and keepalived refuse more).
inline constexpr std::uint32_t kMaxWeight = 65535;

enum class ForwardMethod { Masq = 0, Local = 1, Tunnel = 2, Route = 3 };

/// An IPVS destination: one real server of one virtual service.
struct RealServer {
    int af = 4; // 4 or 6
    std::string address;
    std::uint16_t port = 0;
    ForwardMethod forward = ForwardMethod::Route;
    std::uint32_t weight = 0;
    std::uint32_t upperThreshold = 0;
    std::uint32_t lowerThreshold = 0;
    std::uint32_t activeConns = 0;
    std::uint32_t inactiveConns = 0;
    std::uint32_t persistentConns = 0;
    IpvsStats stats;
    bool operator==(const RealServer&) const = default;

    /// "198.18.1.11:80" or "[2001:db8::1]:80".
    [[nodiscard]] std::string endpoint() const;
};

/// An IPVS virtual service, identified by protocol+address+port or by fwmark.
struct VirtualService {
    int af = 4;
    std::string protocol; // "tcp", "udp", "sctp"; empty for fwmark services
    std::string address;
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0; // non-zero: a firewall-mark service
    std::string scheduler;
    std::uint32_t flags = 0;
    bool persistent = false;
    std::uint32_t timeout = 0; // persistence timeout, seconds
    std::string netmask;       // persistence netmask ("255.255.255.255" or a v6 prefix length)
    std::string peName;
    IpvsStats stats;
    std::vector<RealServer> realServers;
    bool operator==(const VirtualService&) const = default;

    /// Stable key as ipvsadm prints it: "TCP 198.18.0.100:80", "FWM 7", "UDP [2001:db8::1]:53".
    [[nodiscard]] std::string key() const;
};

enum class VrrpState { Init = 0, Backup = 1, Master = 2, Fault = 3, Deleted = 97, Stop = 98 };

std::string toString(VrrpState s);
std::optional<VrrpState> vrrpStateFromString(const std::string& s);

struct TrackFileStatus {
    std::string name;
    std::string path;
    int value = 0;
    int weight = 0;
    bool operator==(const TrackFileStatus&) const = default;
};

struct VrrpInstance {
    std::string name;
    int vrid = 0;
    std::string interface;
    VrrpState state = VrrpState::Init;
    VrrpState wantState = VrrpState::Init;
    int basePriority = 0;
    int effectivePriority = 0;
    int masterPriority = 0;
    std::vector<std::string> vips; // "198.18.0.100/32"
    bool holdsVips = false;        // from rtnl: the addresses are on this host now
    double lastTransition = 0;     // unix time, seconds
    int advertIntMs = 1000;
    bool nopreempt = false;
    std::string syncGroup;
    std::uint64_t advertRcvd = 0;
    std::uint64_t advertSent = 0;
    std::uint64_t becomeMaster = 0;
    std::uint64_t releaseMaster = 0;
    std::uint64_t priZeroRcvd = 0;
    std::uint64_t priZeroSent = 0;
    std::vector<TrackFileStatus> trackFiles;
    bool operator==(const VrrpInstance&) const = default;
};

void to_json(Json& j, const IpvsStats& v);
void from_json(const Json& j, IpvsStats& v);
void to_json(Json& j, const RealServer& v);
void from_json(const Json& j, RealServer& v);
void to_json(Json& j, const VirtualService& v);
void from_json(const Json& j, VirtualService& v);
void to_json(Json& j, const TrackFileStatus& v);
void from_json(const Json& j, TrackFileStatus& v);
void to_json(Json& j, const VrrpInstance& v);
void from_json(const Json& j, VrrpInstance& v);

} // namespace hadeck::proto
