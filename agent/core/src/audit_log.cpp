#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/sha256.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>
#include <future>
#include <system_error>
#include <thread>

#include "hadeck/agent/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
    auto text = files::readFileIfExists(path);
    if (!text || !text->has_value()) {
        return std::nullopt;
    }
    return std::move(**text);
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
    stopWriter();
    const std::lock_guard files(m_filesMutex); // a verifyLive() may be taking its moment
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Status AuditLog::open()
{
    stopWriter();
    const std::lock_guard files(m_filesMutex);
    m_open = false;
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
    const int fd = ::open(m_path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0) {
        return fail(errnoText("cannot open audit log " + m_path.string(), errno));
    }
    auto torn = repairTornTail(fd);
    if (!torn) {
        ::close(fd);
        return fail("audit log " + m_path.string() + ": " + torn.error().message);
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
        std::vector<AuditEntry> e{AuditEntry{"hadeck-agent", std::string(kHeadMismatchMethod), Json{{"found", found}},
                                             Json{{"error", *mismatch}}, {}, false}};
        if (auto s = writeBatch(e); !s) {
            ::close(m_fd);
            m_fd = -1;
            return s;
        }
        m_openWarning = "audit log " + m_path.string() + ": " + *mismatch +
                        ". Recorded as an audit.headMismatch entry; appending carries on";
    }
    if (torn->has_value()) {
        std::vector<AuditEntry> e{std::move(**torn)};
        if (auto s = writeBatch(e); !s) {
            ::close(m_fd);
            m_fd = -1;
            return s;
        }
        m_openWarning += (m_openWarning.empty() ? "" : "; ") + std::string("audit log ") + m_path.string() +
                         ": a torn last entry (the agent stopped mid-write) was cut off and recorded as audit.tornTail";
    }
    m_open = true;
    startWriter();
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
    const std::string text = dump(Json{{"size", size}, {"last", m_prev}}) + "\n";
    if (auto s = files::writeFileAtomically(headPathFor(m_path), text, files::WriteOptions{.mode = 0640}); !s) {
        return fail("cannot write " + headPathFor(m_path).string() + ": " + s.error().message);
    }
    return {};
}

std::string AuditLog::compose(const AuditEntry& e, const std::string& prev) const
{
    std::string line = "{\"time\":" + dump(utcNow()) + ",\"user\":" + dump(e.user) + ",\"method\":" + dump(e.method);
    if (!e.phase.empty()) {
        line += ",\"phase\":" + dump(e.phase);
    }
    line += ",\"params\":" + dump(e.params) + ",\"result\":" + dump(e.result) + ",\"prev\":\"" + prev + "\"}";
    return line;
}

void AuditLog::setRotation(std::uint64_t maxBytes, unsigned keep)
{
    std::lock_guard lock(m_mutex);
    m_maxBytes = maxBytes;
    m_keep = keep;
}

void AuditLog::setHeadroom(std::uint64_t changes, std::uint64_t droppable)
{
    std::lock_guard lock(m_mutex);
    m_headroomChanges = changes;
    m_headroomDroppable = droppable;
}

Status AuditLog::append(std::string_view user, std::string_view method, const Json& params, const Json& result)
{
    return append(AuditEntry{std::string(user), std::string(method), params, result, {}, false});
}

Status AuditLog::append(AuditEntry entry)
{
    if (!m_open) {
        return fail("audit log " + m_path.string() + " is not open");
    }
    auto promise = std::make_shared<std::promise<Status>>();
    auto future = promise->get_future();
    appendAsync(std::move(entry), [promise](Status s) { promise->set_value(std::move(s)); });
    return future.get();
}

void AuditLog::appendAsync(AuditEntry entry, std::function<void(Status)> done)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_open && !m_stop) {
            m_queue.push_back(Queued{std::move(entry), std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    if (done) {
        done(fail("audit log " + m_path.string() + " is not open"));
    }
}

void AuditLog::startWriter()
{
    std::lock_guard lock(m_mutex);
    m_stop = false;
    m_writer = std::thread([this] { writerMain(); });
}

void AuditLog::stopWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_wake.notify_all();
    }
    if (m_writer.joinable()) {
        m_writer.join();
    }
}

void AuditLog::writerMain()
{
    for (;;) {
        std::deque<Queued> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) {
                return; // stopping, and everything queued is written
            }
            batch.swap(m_queue);
        }
        std::vector<AuditEntry> entries;
        entries.reserve(batch.size());
        for (auto& q : batch) {
            entries.push_back(std::move(q.entry));
        }
        Status written;
        {
            const std::lock_guard files(m_filesMutex);
            written = writeBatch(entries);
        }
        for (auto& q : batch) {
            if (q.done) {
                q.done(written);
            }
        }
    }
}

Status AuditLog::writeBatch(std::vector<AuditEntry>& entries)
{
    if (m_fd < 0) {
        return fail("audit log " + m_path.string() + " is not open");
    }
    std::uint64_t maxBytes = 0;
    std::uint64_t headroomChanges = 0;
    std::uint64_t headroomDroppable = 0;
    {
        std::lock_guard lock(m_mutex);
        maxBytes = m_maxBytes;
        headroomChanges = m_headroomChanges;
        headroomDroppable = m_headroomDroppable;
    }
    struct stat st{};
    if (::fstat(m_fd, &st) < 0) {
        return fail(errnoText("cannot stat audit log " + m_path.string(), errno));
    }
    if (maxBytes > 0 && static_cast<std::uint64_t>(st.st_size) >= maxBytes) {
        if (auto r = rotate(); !r) {
            return r;
        }
        if (::fstat(m_fd, &st) < 0) {
            return fail(errnoText("cannot stat audit log " + m_path.string(), errno));
        }
    }
    // Headroom: the last bytes of the filesystem are kept for changes and the head record.
    struct statvfs vfs{};
    const std::uint64_t freeBytes =
        ::fstatvfs(m_fd, &vfs) == 0 ? static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize : UINT64_MAX;
    std::string prev = m_prev;
    std::string buffer;
    std::size_t kept = 0;
    for (const auto& e : entries) {
        if (e.droppable && freeBytes < headroomDroppable + buffer.size()) {
            ++m_dropped;
            continue;
        }
        std::string line = compose(e, prev);
        prev = sha256Hex(line);
        buffer += line;
        buffer.push_back('\n');
        ++kept;
    }
    if (kept == 0) {
        return {};
    }
    if (freeBytes < headroomChanges + buffer.size()) {
        return fail("cannot write audit log " + m_path.string() + ": " + std::to_string(freeBytes) +
                    " bytes free, below the " + std::to_string(headroomChanges) + " bytes kept in reserve");
    }
    const off_t before = st.st_size;
    const ssize_t n = ::write(m_fd, buffer.data(), buffer.size());
    if (n != static_cast<ssize_t>(buffer.size())) {
        const int err = n < 0 ? errno : ENOSPC;
        // No torn bytes: the next entry must not be glued to half of this one.
        if (n > 0 && ::ftruncate(m_fd, before) != 0) {
            return fail(errnoText("cannot write audit log " + m_path.string() + " and cannot cut the partial entry",
                                  errno));
        }
        return fail(errnoText("cannot write audit log " + m_path.string(), err));
    }
    if (::fdatasync(m_fd) != 0) {
        const int err = errno;
        if (::ftruncate(m_fd, before) == 0) {
            ::fdatasync(m_fd);
        }
        return fail(errnoText("cannot sync audit log " + m_path.string(), err));
    }
    m_prev = prev;
    // The entries are safe; a head that cannot be written is reported and shows as a mismatch later.
    return writeHead(static_cast<std::uint64_t>(before) + buffer.size());
}

Status AuditLog::rotate()
{
    std::error_code ec;
    const std::string base = m_path.string();
    const unsigned keep = std::max(1U, m_keep);
    std::filesystem::remove(base + "." + std::to_string(keep), ec);
    for (unsigned i = keep; i > 1; --i) {
        const std::string from = base + "." + std::to_string(i - 1);
        if (std::filesystem::exists(from, ec)) {
            std::filesystem::rename(from, base + "." + std::to_string(i), ec);
        }
    }
    const std::string previousLast = m_prev;
    const std::string rotated = base + ".1";
    if (::rename(base.c_str(), rotated.c_str()) != 0) {
        return fail(errnoText("cannot rotate audit log " + base, errno));
    }
    const int fd = ::open(base.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0) {
        const int err = errno;
        ::rename(rotated.c_str(), base.c_str());
        return fail(errnoText("cannot start a new audit log " + base, err));
    }
    ::close(m_fd);
    m_fd = fd;
    (void)files::fsyncDirectory(m_path.parent_path());
    // The new file's first entry chains to the rotated file's last line.
    std::vector<AuditEntry> first{AuditEntry{"hadeck-agent", std::string(kRotatedMethod),
                                             Json{{"previous", std::filesystem::path(rotated).filename().string()},
                                                  {"previousLast", previousLast}},
                                             nullptr, {}, false}};
    return writeBatch(first);
}

Expected<std::optional<AuditEntry>> AuditLog::repairTornTail(int fd)
{
    struct stat st{};
    if (::fstat(fd, &st) < 0) {
        return fail(errnoText("fstat", errno));
    }
    if (st.st_size == 0) {
        return std::optional<AuditEntry>{};
    }
    char last = 0;
    if (::pread(fd, &last, 1, st.st_size - 1) != 1) {
        return fail(errnoText("read", errno));
    }
    if (last == '\n') {
        return std::optional<AuditEntry>{};
    }
    // Find the end of the last complete line.
    constexpr off_t kChunk = 65536;
    off_t end = st.st_size;
    off_t cut = 0;
    while (end > 0) {
        const off_t start = end > kChunk ? end - kChunk : 0;
        std::string chunk(static_cast<std::size_t>(end - start), '\0');
        if (::pread(fd, chunk.data(), chunk.size(), start) != static_cast<ssize_t>(chunk.size())) {
            return fail(errnoText("read", errno));
        }
        if (const auto nl = chunk.rfind('\n'); nl != std::string::npos) {
            cut = start + static_cast<off_t>(nl) + 1;
            break;
        }
        end = start;
    }
    std::string torn(static_cast<std::size_t>(std::min<off_t>(st.st_size - cut, 1 << 20)), '\0');
    if (::pread(fd, torn.data(), torn.size(), cut) != static_cast<ssize_t>(torn.size())) {
        return fail(errnoText("read", errno));
    }
    if (::ftruncate(fd, cut) != 0 || ::fdatasync(fd) != 0) {
        return fail(errnoText("cannot cut the torn last entry", errno));
    }
    return std::optional<AuditEntry>{AuditEntry{
        "hadeck-agent", std::string(kTornTailMethod),
        Json{{"bytes", static_cast<std::uint64_t>(st.st_size - cut)}, {"sha256", sha256Hex(torn)}},
        Json{{"note", "an entry cut off mid-write (the agent stopped while writing) was removed"}}, {}, false}};
}

std::string AuditLog::sha256Hex(std::string_view data) { return agent::sha256Hex(data); }

AuditLog::Verification AuditLog::verifyText(std::string_view text, std::string_view start, bool acceptRotatedStart)
{
    Verification v;
    const auto broken = [&v](std::size_t line, std::string reason) {
        v.ok = false;
        v.brokenLine = line;
        v.reason = std::move(reason);
        return v;
    };
    std::string expected(start);
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
        const bool rotatedStart = lineNo == 1 && acceptRotatedStart &&
                                  j["method"].get_ref<const std::string&>() == kRotatedMethod;
        if (prev != expected && !rotatedStart) {
            if (lineNo == 1) {
                return broken(1, expected == kGenesis
                                     ? "the first entry's \"prev\" must be 64 zeros: entries before it were removed"
                                     : "the first entry does not chain to the previous file's last line: entries "
                                       "were removed at the rotation");
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

namespace {
/// A file of the chain may pass the rotation size by the batch that filled it.
constexpr std::size_t kChainFileMaxRead = 2 * files::kDefaultMaxRead;

std::string rotatedName(const std::filesystem::path& path, unsigned i)
{
    return path.string() + "." + std::to_string(i);
}

/// The chain checked one file at a time, the rotated files oldest first and then the log, keeping
/// only the hash the next file must chain to: one file's text is in memory at a time.
class ChainWalk {
public:
    /// @return false once the chain is broken (the verdict is then final).
    bool add(const std::string& name, const std::string& text, bool last, const std::optional<std::string>& head)
    {
        // The oldest file kept may start with a rotation entry (older files were pruned).
        AuditLog::Verification v = AuditLog::verifyText(text, m_start, m_first);
        m_first = false;
        if (last) {
            v = AuditLog::verifyHead(text, head, v);
        }
        m_total.lines += v.lines;
        if (!v.ok) {
            m_total.ok = false;
            m_total.brokenLine = v.brokenLine;
            m_total.reason = v.reason;
            m_total.file = name;
            return false;
        }
        if (!text.empty()) {
            const std::string_view body = std::string_view(text).substr(0, text.size() - 1);
            const std::size_t nl = body.rfind('\n');
            m_start = AuditLog::sha256Hex(nl == std::string_view::npos ? body : body.substr(nl + 1));
        }
        return true;
    }
    [[nodiscard]] const AuditLog::Verification& result() const { return m_total; }

private:
    std::string m_start{AuditLog::kGenesis};
    bool m_first = true;
    AuditLog::Verification m_total;
};

/// Descriptors opened for a verification, closed however it ends.
struct OpenFiles {
    std::vector<std::pair<std::string, int>> files; // name, descriptor
    OpenFiles() = default;
    OpenFiles(const OpenFiles&) = delete;
    OpenFiles& operator=(const OpenFiles&) = delete;
    ~OpenFiles()
    {
        for (const auto& f : files) {
            ::close(f.second);
        }
    }
};
} // namespace

Expected<AuditLog::Verification> AuditLog::verify(const std::filesystem::path& path)
{
    // Another process (the agent) may be writing: read between a batch and its head, or across a
    // rotation, the files look broken for a few milliseconds. A verdict other than intact stands
    // only when it is still the verdict after five reads 50 ms apart.
    for (int attempt = 1;; ++attempt) {
        auto v = verifyOnce(path);
        if ((v && v->ok) || attempt == 5) {
            return v;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

Expected<AuditLog::Verification> AuditLog::verifyOnce(const std::filesystem::path& path)
{
    // The rotated files, oldest first, then the log itself.
    std::vector<std::filesystem::path> names;
    for (unsigned i = 1; i <= 1000; ++i) {
        std::filesystem::path p(rotatedName(path, i));
        std::error_code ec;
        if (!std::filesystem::exists(p, ec)) {
            break;
        }
        names.insert(names.begin(), p);
    }
    names.push_back(path);
    const auto head = readSmallFile(headPathFor(path));
    ChainWalk walk;
    for (std::size_t f = 0; f < names.size(); ++f) {
        auto text = files::readFileIfExists(names[f], kChainFileMaxRead);
        if (!text) {
            return fail("cannot read " + names[f].string() + ": " + text.error().message);
        }
        if (!text->has_value()) {
            return fail("cannot read " + names[f].string() + ": no such file");
        }
        if (!walk.add(names[f].string(), **text, f + 1 == names.size(), head)) {
            break;
        }
    }
    return walk.result();
}

Expected<AuditLog::Verification> AuditLog::verifyLive() const
{
    // The files are opened, the log's size taken and its head read in one moment, under the lock
    // the writer holds for a batch, its head and a rotation; they are read after it is let go. A
    // rotation since only renames what is open, and the log only grows past the size taken.
    OpenFiles opened; // rotated files oldest first, then the log
    std::uint64_t size = 0;
    std::optional<std::string> head;
    {
        const std::lock_guard lock(m_filesMutex);
        if (m_fd < 0) {
            return fail("audit log " + m_path.string() + " is not open");
        }
        opened.files.reserve(8);
        for (unsigned i = 1; i <= 1000; ++i) {
            const std::string name = rotatedName(m_path, i);
            const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            if (fd < 0) {
                if (errno == ENOENT) {
                    break;
                }
                return fail(errnoText("cannot open " + name, errno));
            }
            opened.files.insert(opened.files.begin(), {name, fd});
        }
        struct stat st {};
        const int fd = ::fcntl(m_fd, F_DUPFD_CLOEXEC, 0);
        if (fd < 0) {
            return fail(errnoText("cannot read audit log " + m_path.string(), errno));
        }
        opened.files.emplace_back(m_path.string(), fd);
        if (::fstat(fd, &st) != 0) {
            return fail(errnoText("cannot read audit log " + m_path.string(), errno));
        }
        size = static_cast<std::uint64_t>(st.st_size);
        head = readSmallFile(headPathFor(m_path));
    }
    ChainWalk walk;
    for (std::size_t f = 0; f < opened.files.size(); ++f) {
        const auto& [name, fd] = opened.files[f];
        const bool last = f + 1 == opened.files.size();
        auto text = files::readAll(fd, kChainFileMaxRead);
        if (!text) {
            return fail("cannot read " + name + ": " + text.error().message);
        }
        if (last && text->size() > size) {
            text->resize(size); // what was written after the moment taken
        }
        if (!walk.add(name, *text, last, head)) {
            break;
        }
    }
    return walk.result();
}

} // namespace hadeck::agent
