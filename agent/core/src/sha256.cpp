#include "hadeck/agent/sha256.h"

#include <cstring>

#include <gcrypt.h>

namespace hadeck::agent {

namespace {

// libgcrypt wants gcry_check_version() before its first use (libsystemd may have done it
// already; a second call is harmless). A function-local static runs it once, thread-safely.
void initOnce()
{
    static const bool done = [] {
        if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
            gcry_check_version(nullptr);
            gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
        }
        return true;
    }();
    (void)done;
}

} // namespace

Sha256Digest sha256(std::string_view data)
{
    initOnce();
    Sha256Digest out{};
    gcry_md_hash_buffer(GCRY_MD_SHA256, out.data(), data.data(), data.size());
    return out;
}

std::string sha256Hex(std::string_view data)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const Sha256Digest d = sha256(data);
    std::string out;
    out.reserve(d.size() * 2);
    for (const unsigned char c : d) {
        out.push_back(kHex[c >> 4U]);
        out.push_back(kHex[c & 0x0fU]);
    }
    return out;
}

std::optional<Sha256Digest> hmacSha256(std::string_view key, std::string_view data)
{
    initOnce();
    gcry_md_hd_t h = nullptr;
    if (gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC) != 0) {
        return std::nullopt;
    }
    std::optional<Sha256Digest> out;
    if (gcry_md_setkey(h, key.data(), key.size()) == 0) {
        gcry_md_write(h, data.data(), data.size());
        if (const unsigned char* mac = gcry_md_read(h, GCRY_MD_SHA256); mac != nullptr) {
            out.emplace();
            std::memcpy(out->data(), mac, out->size());
        }
    }
    gcry_md_close(h);
    return out;
}

} // namespace hadeck::agent
