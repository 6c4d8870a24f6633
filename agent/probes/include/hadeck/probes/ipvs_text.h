#pragma once

// Pure parsers for the text forms of the IPVS table: the kernel's
// /proc/net/ip_vs and /proc/net/ip_vs_stats (the read-only fallback when
// generic netlink is unavailable) and ipvsadm's listings (used to compare the
// agent's view against the reference tool).

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

#include <string_view>
#include <vector>

namespace hadeck::probes {

/// Debian's kernels are built with CONFIG_HZ=250; /proc/net/ip_vs prints the
/// persistence timeout in jiffies, and no userspace interface reports HZ.
inline constexpr unsigned kDebianKernelHz = 250;

/// IPVS service flags (include/uapi/linux/ip_vs.h).
inline constexpr std::uint32_t kSvcPersistent = 0x0001;
inline constexpr std::uint32_t kSvcHashed = 0x0002;
inline constexpr std::uint32_t kSvcOnePacket = 0x0004;

/**
 * Parses /proc/net/ip_vs.
 * @param text the file's content
 * @param kernelHz the kernel's HZ, to turn the persistence timeout from jiffies into seconds
 * @return the services with their real servers (no stats: the file has none), or where the text is malformed
 */
Expected<std::vector<proto::VirtualService>> parseProcIpVs(std::string_view text, unsigned kernelHz = kDebianKernelHz);

/**
 * A fingerprint of the table's structure in /proc/net/ip_vs text: every service line, and each
 * real server's address, forwarding method and weight; not the connection counts (ActiveConn,
 * InActConn), which move with traffic, nor the spacing. Two texts of one structure give the same
 * number; a weight set, a real server or service added or removed give another (the file shows no
 * thresholds: their changes are not in it). Cheap: no allocation, one pass.
 */
std::uint64_t procIpVsStructureStamp(std::string_view text);

/// Totals and rates of the whole table, from /proc/net/ip_vs_stats (hex numbers).
Expected<proto::IpvsStats> parseProcIpVsStats(std::string_view text);

/**
 * Parses one listing of `ipvsadm -Ln` in any of its column sets: plain,
 * `--stats --exact`, `--rate --exact`, `--thresholds`, `--persistent-conn`.
 * Fields the listing does not show are left at their defaults.
 */
Expected<std::vector<proto::VirtualService>> parseIpvsadmList(std::string_view text);

/// Canonical text of an IPv4 or IPv6 address ("2001:db8::1"); empty when @p text is not an address.
std::string canonicalAddress(std::string_view text);

} // namespace hadeck::probes
