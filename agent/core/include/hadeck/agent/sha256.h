#pragma once
// SHA-256 and HMAC-SHA-256 for the audit log's hash chain, the firewall's ruleset hash and
// DingTalk's signed webhooks.
//
// They come from libgcrypt, not libcrypto: libsystemd, which the agent needs for its event loop
// and the journal, already maps libgcrypt, while libcrypto added 1.4 MiB of mapped pages and
// 0.4 MiB of relocated data to every agent's resident memory for these three digests.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace hadeck::agent {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);
std::string sha256Hex(std::string_view data); // 64 lowercase hex digits
// nullopt only when libgcrypt refuses the key (in FIPS mode, a key shorter than 112 bits).
std::optional<Sha256Digest> hmacSha256(std::string_view key, std::string_view data);

} // namespace hadeck::agent
