#pragma once

// The real server's own view of a drain. In LVS-DR the director never sees
// reply traffic, so its connection counts are inferred; the real server knows
// its established connections to VIP:port and its busy Apache workers (read with
// httpGet and parsed by appdata/apache_status.h's parser).

#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hadeck::probes {

/// Counts ESTABLISHED sockets in /proc/net/tcp or /proc/net/tcp6 text whose
/// local end is @p address:@p port (IPv4 or IPv6 text form). Malformed lines
/// are skipped; a text without the header line is an error.
Expected<std::uint32_t> countEstablished(std::string_view procNetTcp, const std::string& address, std::uint16_t port);

/// The real server's count over both tables: a server listening on `::` (Apache's plain
/// `Listen 80` on a host with IPv6) has its IPv4 connections in /proc/net/tcp6 as
/// ::ffff:a.b.c.d. An empty @p procNetTcp6 is a kernel without IPv6 (no sockets there).
Expected<std::uint32_t> countEstablished(std::string_view procNetTcp, std::string_view procNetTcp6,
                                         const std::string& address, std::uint16_t port);

/// GETs http://@p host:@p port@p path (blocking: run it off the loop). @p timeoutMs
/// bounds the whole exchange, connect to last byte. @return the body of a 200 answer.
Expected<std::string> httpGet(const std::string& host, std::uint16_t port, const std::string& path, int timeoutMs);

} // namespace hadeck::probes
