// agent.auditTail: the newest audit entries, filtered (the console's Audit tab).

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/files.h"

#include <algorithm>
#include <ctime>

namespace hadeck::agent {

namespace {

constexpr std::size_t kMaxField = 1000;

/// "2026-12-02T10:13:21.123Z" as unix seconds; 0 when it is not that shape.
std::int64_t parseUtc(std::string_view s)
{
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
        return 0;
    }
    const auto num = [&](std::size_t at, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') {
                return false;
            }
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, sec) ||
        y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
        return 0;
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return static_cast<std::int64_t>(timegm(&tm));
}

std::string compact(const Json& j)
{
    if (j.is_null()) {
        return {};
    }
    std::string out = j.dump(-1, ' ', true, Json::error_handler_t::replace);
    if (out.size() > kMaxField) {
        out.resize(kMaxField);
        out += "...";
    }
    return out;
}

} // namespace

proto::AuditTailResult AuditLog::tailText(std::string_view text, const proto::AuditTailParams& p)
{
    proto::AuditTailResult r;
    const std::size_t maxEntries = std::clamp<std::size_t>(p.maxEntries, 1, 5000);
    std::vector<proto::AuditRecord> matched;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            nl = text.size();
        }
        const auto line = text.substr(start, nl - start);
        start = nl + 1;
        if (line.empty()) {
            continue;
        }
        Json j = Json::parse(line.begin(), line.end(), nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("time") || !j["time"].is_string() ||
            !j.contains("method") || !j["method"].is_string()) {
            ++r.unreadable;
            continue;
        }
        proto::AuditRecord e;
        e.time = parseUtc(j["time"].get<std::string>());
        if (j.contains("user") && j["user"].is_string()) {
            e.user = j["user"].get<std::string>();
        }
        e.method = j["method"].get<std::string>();
        if (j.contains("phase") && j["phase"].is_string()) {
            e.phase = j["phase"].get<std::string>();
        }
        if ((p.since > 0 && e.time < p.since) || (!p.user.empty() && e.user != p.user) ||
            (!p.method.empty() && e.method.find(p.method) == std::string::npos)) {
            continue;
        }
        if (const auto it = j.find("params"); it != j.end()) {
            e.params = compact(*it);
        }
        if (const auto it = j.find("result"); it != j.end()) {
            e.result = compact(*it);
        }
        matched.push_back(std::move(e));
    }
    if (matched.size() > maxEntries) {
        r.truncated = true;
        matched.erase(matched.begin(), matched.end() - static_cast<std::ptrdiff_t>(maxEntries));
    }
    r.entries = std::move(matched);
    return r;
}

Expected<proto::AuditTailResult> AuditLog::tail(const std::filesystem::path& path, const proto::AuditTailParams& params,
                                                std::size_t maxBytes)
{
    auto tail = files::readTail(path, maxBytes);
    if (!tail) {
        return fail(tail.error().message);
    }
    std::string& text = tail->text;
    const std::uint64_t from = tail->from;
    if (from > 0) { // the first line is cut
        const auto nl = text.find('\n');
        text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
    }
    auto r = tailText(text, params);
    r.path = path.string();
    r.truncated = r.truncated || from > 0;
    return r;
}

} // namespace hadeck::agent
