#pragma once

// The IPVS seam: reading the table of this network namespace and setting a
// real server's weight. The real implementation speaks generic netlink; the
// fallback reads /proc/net/ip_vs and cannot write.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::probes {

/// Error codes carried in Failure::code by the IPVS backends.
enum IpvsError : int {
    IpvsUnavailable = 1,   // no IPVS in this kernel, or not allowed to ask
    IpvsNoService = 2,     // the virtual service does not exist
    IpvsNoDest = 3,        // the real server is not in the service
    IpvsPermission = 4,    // CAP_NET_ADMIN missing
    IpvsInvalid = 5,       // the kernel rejected the request
    IpvsReadOnly = 6,      // the backend cannot change anything
};

class IpvsBackend {
public:
    virtual ~IpvsBackend() = default;
    IpvsBackend() = default;
    IpvsBackend(const IpvsBackend&) = delete;
    IpvsBackend& operator=(const IpvsBackend&) = delete;

    /// "netlink" or "proc".
    [[nodiscard]] virtual std::string name() const = 0;

    /// Every virtual service with its real servers, counters and rates.
    virtual Expected<std::vector<proto::VirtualService>> list() = 0;

    /**
     * A cheap fingerprint of the table's structure (services, real servers, their weights), for a
     * quick look between full reads: equal while the structure is, without dumping the table.
     * nullopt when the backend has none (then only list() tells).
     */
    [[nodiscard]] virtual std::optional<std::uint64_t> structureStamp() { return std::nullopt; }

    /**
     * Sets one real server's weight, keeping every other field of it as it is.
     * @param service identifies the service: af, protocol, address, port, or fwmark
     * @param address the real server's address
     * @param port the real server's port (0 for fwmark services without a port)
     * @param weight the new weight (0 drains: no new connections)
     */
    virtual Status setWeight(const proto::VirtualService& service, const std::string& address, std::uint16_t port,
                             std::uint32_t weight) = 0;
};

/// Generic netlink ("IPVS" family). Fails with IpvsUnavailable when the family is missing.
Expected<std::unique_ptr<IpvsBackend>> makeNetlinkIpvsBackend();

/// Read-only /proc/net/ip_vs reader (no per-service stats: the file has none).
std::unique_ptr<IpvsBackend> makeProcIpvsBackend(std::string procRoot = "/proc", unsigned kernelHz = 250);

/// Netlink when it works, else /proc when the file exists; otherwise why neither does.
Expected<std::unique_ptr<IpvsBackend>> makeIpvsBackend();

} // namespace hadeck::probes
