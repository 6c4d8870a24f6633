#pragma once

// What the drain and failover actions need from the director probes, as a
// narrow seam: the real implementations sit on the IPVS netlink backend and
// the keepalived config parser (agent/probes); tests may substitute only the
// error paths the kernel cannot produce on demand.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::agent {

class IpvsAccess {
public:
    virtual ~IpvsAccess() = default;
    /// The whole table, with dests.
    virtual Expected<std::vector<proto::VirtualService>> services() = 0;
    /// Sets one dest's weight, sending back every other field as read.
    virtual Status setWeight(const proto::VirtualService& service, const proto::RealServer& dest,
                             std::uint32_t weight) = 0;
};

/// Facts taken from keepalived's configuration.
struct KeepalivedFacts {
    /// Configured weight per dest, keyed "<serviceKey>|<endpoint>" (see destKey()).
    std::map<std::string, std::uint32_t> weights;
    /// VRRP instance → the file of its hadeck_failover track_file, when declared and referenced.
    std::map<std::string, std::filesystem::path> failoverFiles;
    /// Sync group → member instances.
    std::map<std::string, std::vector<std::string>> syncGroups;
};

class KeepalivedFactsSource {
public:
    virtual ~KeepalivedFactsSource() = default;
    /// Reads @p configFile (following its includes) now.
    virtual Expected<KeepalivedFacts> facts(const std::filesystem::path& configFile) = 0;
};

/// The implementations on the director probes (IPVS netlink, keepalived.conf parser).
/// @return null when this node has no IPVS table to read (a real server).
std::unique_ptr<IpvsAccess> makeIpvsAccess();
std::unique_ptr<KeepalivedFactsSource> makeKeepalivedFactsSource();

} // namespace hadeck::agent
