// agent.auditTail's reader on any bytes: the audit log as found on disk may be cut,
// edited or garbage. The first two bytes pick the filter (user, method, since, max).

#include "hadeck/agent/audit_log.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2) {
        return 0;
    }
    hadeck::proto::AuditTailParams p;
    p.maxEntries = data[0] % 8;
    if (data[1] & 1) {
        p.user = "alice";
    }
    if (data[1] & 2) {
        p.method = "drain";
    }
    if (data[1] & 4) {
        p.since = 1700000000;
    }
    const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
    const auto r = hadeck::agent::AuditLog::tailText(text, p);
    const std::size_t max = p.maxEntries == 0 ? 1 : p.maxEntries;
    if (r.entries.size() > max) {
        std::abort();
    }
    for (const auto& e : r.entries) {
        if ((!p.user.empty() && e.user != p.user) ||
            (!p.method.empty() && e.method.find(p.method) == std::string::npos) || e.params.size() > 1003 ||
            e.result.size() > 1003) {
            std::abort();
        }
    }
    return 0;
}
