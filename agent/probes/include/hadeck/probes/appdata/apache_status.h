#pragma once

// Apache 2.4 mod_status `?auto` and php-fpm's status page, as pure parsers
// (interfaces.md §4). Both fill the protocol types directly.

#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/expected.h"

#include <string_view>

namespace hadeck::probes {

/**
 * Parses the body of `/server-status?auto`. A body that is not Apache's machine-readable
 * status (an HTML page, another server's status, php-fpm's page...) is an error, so the
 * caller can report "status not enabled" instead of zeros. The result has state Ok; the
 * rates are Apache's averages since start (the module replaces them with per-interval rates).
 */
Expected<proto::ApacheStatus> parseApacheStatus(std::string_view body);

/// Workers serving a request (a drain waits for them): scoreboard slots reading, writing,
/// keepalive, dns, closing, logging and graceful (R, W, K, D, C, L, G).
std::uint32_t activeWorkerSlots(const proto::ApacheStatus& status);

/// Parses php-fpm's plain status page (`pm.status_path`, no ?json).
Expected<proto::PhpFpmStatus> parsePhpFpmStatus(std::string_view body);

} // namespace hadeck::probes
