#pragma once

// What the drain and failover actions need from keepalived's configuration, as a narrow
// seam over the keepalived config parser (agent/probes). The IPVS table is read and written
// through the probes' own seam, probes::IpvsBackend.

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

/// The implementation on the keepalived.conf parser.
std::unique_ptr<KeepalivedFactsSource> makeKeepalivedFactsSource();

} // namespace hadeck::agent
