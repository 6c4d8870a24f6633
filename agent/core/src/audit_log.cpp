#include "hadeck/agent/audit_log.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hadeck::agent {

namespace {

std::string errnoText(const std::string& what, int err) { return what + ": " + std::strerror(err); }

std::string utcNow()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm utc{};
    gmtime_r(&ts.tv_sec, &utc);
    std::array<char, 32> date{};
    std::strftime(date.data(), date.size(), "%Y-%m-%dT%H:%M:%S", &utc);
    std::array<char, 48> out{};
    std::snprintf(out.data(), out.size(), "%s.%03ldZ", date.data(), ts.tv_nsec / 1000000L);
    return out.data();
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

bool isHex64(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The last complete line of the file, read backwards so a large log costs
// only its tail. @return nullopt-like empty when the file is empty.
Expected<std::string> lastLine(int fd)
{
    struct stat st{};
    if (::fstat(fd, &st) < 0) {
        return fail(errnoText("fstat", errno));
    }
    const off_t size = st.st_size;
    if (size == 0) {
        return std::string();
    }
    char last = 0;
    if (::pread(fd, &last, 1, size - 1) != 1) {
        return fail(errnoText("read", errno));
    }
    if (last != '\n') {
        return fail("the last line is incomplete (no newline at the end); the agent stopped writing mid-entry. "
                    "Check it with hadeck-agent --verify-audit, then move the file aside to start a new chain");
    }
    std::string tail;
    off_t end = size - 1; // skip the final newline
    constexpr off_t kChunk = 65536;
    while (end > 0) {
        const off_t start = end > kChunk ? end - kChunk : 0;
        std::string chunk(static_cast<std::size_t>(end - start), '\0');
        if (::pread(fd, chunk.data(), chunk.size(), start) != static_cast<ssize_t>(chunk.size())) {
            return fail(errnoText("read", errno));
        }
        tail.insert(0, chunk);
        if (const auto nl = tail.rfind('\n'); nl != std::string::npos) {
            return tail.substr(nl + 1);
        }
        end = start;
    }
    return tail;
}

struct Head {
    std::uint64_t size = 0;
    std::string last;
};

std::optional<Head> parseHead(std::string_view text)
{
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("size") || !j["size"].is_number_unsigned() ||
        !j.contains("last") || !j["last"].is_string() || !isHex64(j["last"].get<std::string>())) {
        return std::nullopt;
    }
    return Head{j["size"].get<std::uint64_t>(), j["last"].get<std::string>()};
}

std::optional<std::string> readSmallFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// The head may lag the log by exactly one whole entry: the agent died between
// writing the entry and renaming the new head. That entry chains to the head's
// hash, so nothing can hide in the gap.
bool isOneEntryAfter(std::string_view tail, const std::string& headLast)
{
    if (tail.empty() || tail.back() != '\n' || tail.find('\n') != tail.size() - 1) {
        return false;
    }
    const Json j = Json::parse(tail.substr(0, tail.size() - 1), nullptr, false);
    return !j.is_discarded() && j.is_object() && j.contains("prev") && j["prev"].is_string() &&
           j["prev"].get<std::string>() == headLast;
}

std::string describeMismatch(const std::optional<Head>& head, bool headPresent, std::uint64_t size)
{
    if (!headPresent) {
        return "the head record is missing while the log holds " + std::to_string(size) +
               " bytes: the log's last entries may have been removed, or the head was deleted";
    }
    if (!head) {
        return "the head record is not valid JSON with \"size\" and \"last\"";
    }
    if (size < head->size) {
        return "the log is " + std::to_string(size) + " bytes but the head recorded " + std::to_string(head->size) +
               ": its last entries were removed";
    }
    if (size == head->size) {
        return "the last line no longer hashes to the head's " + head->last.substr(0, 12) +
               "...: the last entry was altered";
    }
    return "the log has " + std::to_string(size - head->size) +
           " bytes after the head's end that are not one entry chained to it: entries were added by hand or the "
           "last entries were replaced";
}

} // namespace

std::filesystem::path AuditLog::headPathFor(const std::filesystem::path& logPath)
{
    return std::filesystem::path(logPath.string() + ".head");
}

AuditLog::AuditLog(std::filesystem::path path) : m_path(std::move(path)), m_prev(kGenesis) {}

AuditLog::~AuditLog()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Status AuditLog::open()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_openWarning.clear();
    std::error_code ec;
    if (m_path.has_parent_path()) {
        std::filesystem::create_directories(m_path.parent_path(), ec);
        if (ec) {
            return fail("cannot create " + m_path.parent_path().string() + ": " + ec.message());
        }
    }
    const int fd = ::open(m_path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        return fail(errnoText("cannot open audit log " + m_path.string(), errno));
    }
    auto last = lastLine(fd);
    if (!last) {
        ::close(fd);
        return fail("audit log " + m_path.string() + ": " + last.error().message);
    }
    m_prev = last->empty() ? std::string(kGenesis) : sha256Hex(*last);
    m_fd = fd;
    struct stat st{};
    ::fstat(fd, &st);
    if (auto mismatch = checkHeadAtOpen(fd, static_cast<std::uint64_t>(st.st_size), *last)) {
        // Recorded in the chain, never silently repaired: the next verify names this entry.
        Json found{{"size", static_cast<std::uint64_t>(st.st_size)},
                   {"last", last->empty() ? std::string(kGenesis) : m_prev}};
        if (auto s = append("hadeck-agent", kHeadMismatchMethod, Json{{"found", found}}, Json{{"error", *mismatch}});
            !s) {
            return s;
        }
        m_openWarning = "audit log " + m_path.string() + ": " + *mismatch +
                        ". Recorded as an audit.headMismatch entry; appending carries on";
    }
    return {};
}

std::optional<std::string> AuditLog::checkHeadAtOpen(int fd, std::uint64_t size, const std::string& lastLine)
{
    const auto headText = readSmallFile(headPathFor(m_path));
    if (!headText) {
        if (size == 0) {
            return std::nullopt;
        }
        return describeMismatch(std::nullopt, false, size);
    }
    const auto head = parseHead(*headText);
    if (head && head->size == size && head->last == (lastLine.empty() ? std::string(kGenesis) : m_prev)) {
        return std::nullopt;
    }
    if (head && size > head->size && size - head->size <= (1U << 24U)) {
        std::string tail(static_cast<std::size_t>(size - head->size), '\0');
        if (::pread(fd, tail.data(), tail.size(), static_cast<off_t>(head->size)) ==
                static_cast<ssize_t>(tail.size()) &&
            isOneEntryAfter(tail, head->last)) {
            if (writeHead(size)) {
                return std::nullopt;
            }
        }
    }
    return describeMismatch(head, true, size);
}

Status AuditLog::writeHead(std::uint64_t size)
{
    const std::filesystem::path head = headPathFor(m_path);
    const std::string tmp = head.string() + ".tmp";
    const std::string text = dump(Json{{"size", size}, {"last", m_prev}}) + "\n";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        return fail(errnoText("cannot write " + tmp, errno));
    }
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int err = errno;
    ::fdatasync(fd);
    ::close(fd);
    if (!written || ::rename(tmp.c_str(), head.c_str()) < 0) {
        return fail(errnoText("cannot write " + head.string(), written ? errno : err));
    }
    return {};
}

Status AuditLog::append(std::string_view user, std::string_view method, const Json& params, const Json& result)
{
    if (m_fd < 0) {
        return fail("audit log " + m_path.string() + " is not open");
    }
    std::string line = "{\"time\":" + dump(utcNow()) + ",\"user\":" + dump(std::string(user)) +
                       ",\"method\":" + dump(std::string(method)) + ",\"params\":" + dump(params) +
                       ",\"result\":" + dump(result) + ",\"prev\":\"" + m_prev + "\"}";
    const std::string hash = sha256Hex(line);
    line.push_back('\n');
    // One write() with O_APPEND: the entry lands whole or, on a full disk, is
    // reported; never interleaved.
    const ssize_t n = ::write(m_fd, line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size())) {
        const int err = n < 0 ? errno : ENOSPC;
        return fail(errnoText("cannot write audit log " + m_path.string(), err));
    }
    ::fdatasync(m_fd);
    m_prev = hash;
    struct stat st{};
    if (::fstat(m_fd, &st) < 0) {
        return fail(errnoText("cannot stat audit log " + m_path.string(), errno));
    }
    // The entry is safe; a head that cannot be written is reported and shows as a mismatch later.
    return writeHead(static_cast<std::uint64_t>(st.st_size));
}

std::string AuditLog::sha256Hex(std::string_view data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(kHex[digest[i] >> 4U]);
        out.push_back(kHex[digest[i] & 0x0fU]);
    }
    return out;
}

AuditLog::Verification AuditLog::verifyText(std::string_view text)
{
    Verification v;
    const auto broken = [&v](std::size_t line, std::string reason) {
        v.ok = false;
        v.brokenLine = line;
        v.reason = std::move(reason);
        return v;
    };
    std::string expected(kGenesis);
    std::size_t pos = 0;
    std::size_t lineNo = 0;
    while (pos < text.size()) {
        ++lineNo;
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            return broken(lineNo, "incomplete last line (no newline): the entry was cut off or appended by hand");
        }
        const std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        const Json j = Json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return broken(lineNo, "not a JSON object");
        }
        for (const char* field : {"time", "user", "method", "prev"}) {
            if (!j.contains(field) || !j[field].is_string()) {
                return broken(lineNo, std::string("missing or non-string field \"") + field + "\"");
            }
        }
        for (const char* field : {"params", "result"}) {
            if (!j.contains(field)) {
                return broken(lineNo, std::string("missing field \"") + field + "\"");
            }
        }
        const auto& prev = j["prev"].get_ref<const std::string&>();
        if (!isHex64(prev)) {
            return broken(lineNo, "\"prev\" is not a SHA-256 hex digest");
        }
        if (prev != expected) {
            if (lineNo == 1) {
                return broken(1, "the first entry's \"prev\" must be 64 zeros: entries before it were removed");
            }
            // The witness sits on this line, the change most likely on the one
            // before: its bytes no longer hash to what this line recorded.
            return broken(lineNo - 1, "line " + std::to_string(lineNo - 1) +
                                          " does not hash to the \"prev\" recorded on line " + std::to_string(lineNo) +
                                          ": line " + std::to_string(lineNo - 1) +
                                          " was altered, a line after it was removed or inserted, or line " +
                                          std::to_string(lineNo) + "'s prev was edited");
        }
        if (j["method"].get_ref<const std::string&>() == kHeadMismatchMethod) {
            std::string why = "see this entry";
            if (j["result"].is_object() && j["result"].contains("error") && j["result"]["error"].is_string()) {
                why = j["result"]["error"].get<std::string>();
            }
            return broken(lineNo, "the agent found at start that the log did not match its head record (" + why +
                                      "); the entries before this line are intact, what was lost or changed is not "
                                      "known");
        }
        expected = sha256Hex(line);
        v.lines = lineNo;
    }
    return v;
}

AuditLog::Verification AuditLog::verifyHead(std::string_view logText, const std::optional<std::string>& headText,
                                            Verification chain)
{
    if (!chain.ok) {
        return chain;
    }
    const std::uint64_t size = logText.size();
    std::string last(kGenesis);
    if (!logText.empty()) {
        const std::string_view body = logText.substr(0, logText.size() - 1);
        const std::size_t nl = body.rfind('\n');
        last = sha256Hex(nl == std::string_view::npos ? body : body.substr(nl + 1));
    }
    if (!headText) {
        if (size == 0) {
            return chain;
        }
    } else if (const auto head = parseHead(*headText)) {
        if (head->size == size && head->last == last) {
            return chain;
        }
        if (size > head->size && isOneEntryAfter(logText.substr(head->size), head->last)) {
            return chain;
        }
    }
    chain.ok = false;
    chain.brokenLine = chain.lines;
    chain.reason = describeMismatch(headText ? parseHead(*headText) : std::nullopt, headText.has_value(), size);
    return chain;
}

Expected<AuditLog::Verification> AuditLog::verify(const std::filesystem::path& path)
{
    const auto text = readSmallFile(path);
    if (!text) {
        return fail(errnoText("cannot read " + path.string(), errno));
    }
    return verifyHead(*text, readSmallFile(headPathFor(path)), verifyText(*text));
}

} // namespace hadeck::agent
