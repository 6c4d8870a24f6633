#pragma once

// The LVS-DR real-server conformance check (what the seed's `lvs_real start`
// sets up): the VIP on lo as a host address, ARP kept quiet about it, reverse
// path filtering, and the service listening where the director sends traffic.
// The check is a pure function over a snapshot; the reader fills the snapshot.

#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

struct DrAddress {
    std::string interface; // "lo", "eth0"
    int af = 4;
    std::string address; // canonical text
    int prefixLength = 32;
    std::string label; // "lo:0"; empty when none
};

struct DrListener {
    int af = 4;
    std::string address; // "0.0.0.0", "::", or a specific address
    std::uint16_t port = 0;
};

/// What the host looks like now.
struct DrSnapshot {
    std::vector<DrAddress> addresses;
    /// net.ipv4.conf.<interface>.<key> for "all", "default", "lo" and every interface; keys
    /// "arp_ignore", "arp_announce", "rp_filter".
    std::map<std::string, std::map<std::string, int>> ipv4Conf;
    std::vector<DrListener> listeners; // TCP sockets in LISTEN
    std::vector<std::string> upInterfaces; // interfaces that are up, lo included
};

/// What the host is meant to be: the VIPs the directors send to it and the service ports.
struct DrExpectation {
    std::vector<std::string> vips; // "198.18.0.100" (a prefix, if given, is ignored)
    std::vector<std::uint16_t> ports{80};
};

struct DrFinding {
    enum class Severity { Ok, Info, Warning, Error };
    std::string check;   // "vip-on-lo", "vip-prefix", "vip-elsewhere", "arp_ignore", "arp_announce", "rp_filter", "listener"
    std::string subject; // the VIP, "VIP:port" or the interface the finding is about
    Severity severity = Severity::Ok;
    std::string message; // what is the case
    std::string breaks;  // what goes wrong because of it; empty when ok
    std::string fix;     // how to fix it; empty when ok
    // For sysctl checks: conf/all, conf/<interface>, the value the kernel uses and which one it came from.
    std::optional<int> allValue;
    std::optional<int> interfaceValue;
    std::optional<int> effective;
    std::string winner; // "all" or the interface name

    [[nodiscard]] bool ok() const { return severity == Severity::Ok || severity == Severity::Info; }
};

std::string toString(DrFinding::Severity s);

/// Runs every check; each result says whether it passed, and for failures what breaks and how to fix it.
std::vector<DrFinding> checkLvsDr(const DrSnapshot& snapshot, const DrExpectation& expectation);

/// TCP sockets in LISTEN state from /proc/net/tcp (af 4) or /proc/net/tcp6 (af 6).
Expected<std::vector<DrListener>> parseProcNetTcpListeners(std::string_view text, int af);

/**
 * Reads the snapshot of this network namespace: addresses through rtnl, sysctls from
 * <procRoot>/sys/net/ipv4/conf, listeners from <procRoot>/net/tcp{,6}.
 */
Expected<DrSnapshot> readDrSnapshot(const std::string& procRoot = "/proc");

/// A director of LVS-DR services: its IPVS sysctls (net.ipv4.vs.<key>), when the kernel has IPVS.
struct DrDirectorSnapshot {
    bool hasIpvs = false;
    std::map<std::string, int> ipvsSysctls; // "expire_nodest_conn", "expire_quiescent_template", ...
};

/**
 * The director side of the LVS-DR check. expire_nodest_conn: with 0, IPVS keeps the
 * connection entries of a real server that left the table, and a client that reuses its
 * port follows a FIN_WAIT/TIME_WAIT entry to the removed server and times out (the lab saw
 * it); the check proposes net.ipv4.vs.expire_nodest_conn=1. Checked when @p drServices.
 */
std::vector<DrFinding> checkLvsDrDirector(const DrDirectorSnapshot& snapshot, bool drServices);

/// Reads <procRoot>/sys/net/ipv4/vs/*; hasIpvs false when the directory is absent.
DrDirectorSnapshot readDrDirectorSnapshot(const std::string& procRoot = "/proc");

} // namespace hadeck::probes

namespace hadeck::probes {

/**
 * What the seed's `lvs_real start` does, in this network namespace: each VIP on lo as a
 * host address (label lo:0), arp_ignore=1 and arp_announce=2 on lo and all. Idempotent.
 * Blocking (rtnetlink requests and /proc/sys writes): call it off the event loop.
 */
Status applyDrSettings(const std::vector<std::string>& vips, const std::string& procRoot = "/proc");

/// What `lvs_real stop` does: removes the VIPs from lo and sets the four sysctls back to 0.
Status revertDrSettings(const std::vector<std::string>& vips, const std::string& procRoot = "/proc");

} // namespace hadeck::probes
