#pragma once

// Append-only audit log: one JSON object per line,
//   {"time", "user", "method", "params", "result", "prev"}
// where "prev" is the SHA-256 (hex) of the previous line's bytes (without the
// newline) and the first line's prev is 64 zeros. Editing, inserting or removing
// a line breaks the chain at that point; verify() finds the first break.
//
// The chain alone cannot show that its last entries were removed or that the
// last line was altered (nothing after them records their hash). So each append
// also rewrites a head record next to the log, "<log>.head":
//   {"size": <bytes of the log>, "last": <SHA-256 of the last line>}
// verify() compares the log's end with it. At start the agent does the same;
// a mismatch is written into the chain itself as an "audit.headMismatch" entry,
// so restarting the agent cannot launder a cut log. One whole entry past the
// head, chained to it, is accepted: that is what a crash between the entry's
// write and the head's rename leaves. Like the chain, this shows careless or
// naive edits; someone who can recompute hashes as root can rewrite both.
//
// Writing: entries queue for one writer thread, which writes what has queued
// up as one write() and one fdatasync (group commit), so audit I/O never runs
// on the loop thread. A short write is truncated back: no torn bytes are left
// for the next entry to be glued to. A torn tail found at open (a crash
// mid-write) is cut off and recorded as an "audit.tornTail" entry rather than
// refusing every change. Entries carry a "phase": "intent" before a change,
// "outcome" after it, "refused" for a caller below the level (without params).
// The log rotates to "<log>.1" ... with an "audit.rotated" first entry chained
// to the previous file's last line, and verify() follows the chain across files.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/payloads.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <atomic>
#include <vector>

namespace hadeck::agent {

using rpc::Json;

/// One entry to write.  phase is "intent" (before a change, with its params), "outcome"
/// (after it, with its result), "refused" (a caller below the level; no params), or empty.
struct AuditEntry {
    std::string user;
    std::string method;
    Json params;
    Json result;
    std::string phase;
    /// May be dropped when the disk is low (refusals): the reserve is kept for changes.
    bool droppable = false;
};

class AuditLog {
public:
    explicit AuditLog(std::filesystem::path path);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    /// Creates the directory and file if needed and reads the last line's hash.
    /// Refuses to append to a file whose last line is not a complete entry.
    Status open();
    /// Appends one entry and waits until it is on disk. Blocking: not on the loop thread.
    Status append(std::string_view user, std::string_view method, const Json& params, const Json& result);
    Status append(AuditEntry entry);
    /// Queues an entry for the writer thread, which writes what has queued up with one
    /// write and one fdatasync (group commit). @p done runs on the writer thread.
    void appendAsync(AuditEntry entry, std::function<void(Status)> done = {});

    /// Rotates to "<log>.1" (older ones shift up to "<log>.<keep>") once the log reaches
    /// @p maxBytes; the first entry of each new file chains to the last of the previous.
    void setRotation(std::uint64_t maxBytes, unsigned keep);
    /// Free space kept on the filesystem: entries are refused below @p changes bytes
    /// free, and droppable ones (refusals) below @p droppable bytes.
    void setHeadroom(std::uint64_t changes, std::uint64_t droppable);
    /// Entries dropped for lack of headroom since start.
    [[nodiscard]] std::uint64_t dropped() const { return m_dropped; }

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] bool isOpen() const { return m_open; }
    /// Set by open() when the log did not match its head record (already written into the chain).
    [[nodiscard]] const std::string& openWarning() const { return m_openWarning; }

    struct Verification {
        bool ok = true;
        std::size_t lines = 0;      // entries read
        std::size_t brokenLine = 0; // 1-based; 0 when ok
        std::string reason;         // empty when ok
        std::string file;           // the file of brokenLine (rotated files are checked too)
    };
    /// Checks the whole chain, across the rotated files "<log>.N" ... "<log>.1" before it.
    /// The file being unreadable is an error value; a broken chain is a Verification with ok == false.
    /// A verdict other than intact is read again, up to 5 times 50 ms apart: another process (the
    /// agent) may be writing the log meanwhile.
    static Expected<Verification> verify(const std::filesystem::path& path);
    /// verify() on this open log while it is written: the chain as of one moment (no batch, head
    /// or rotation half seen). Blocking: not on the loop thread.
    [[nodiscard]] Expected<Verification> verifyLive() const;
    /// Same on text already in memory (pure; used by verify and the tests).
    /// @p start: the hash the first entry must chain to (64 zeros for a first file). When
    /// @p acceptRotatedStart, a first entry that records a rotation may chain to anything
    /// (the files before it were pruned).
    static Verification verifyText(std::string_view text, std::string_view start = kGenesis,
                                   bool acceptRotatedStart = false);

    /// The head check on text already in memory (pure). @p headText is the head file's content,
    /// or nullopt when there is none. Only called on a chain that verified.
    static Verification verifyHead(std::string_view logText, const std::optional<std::string>& headText,
                                   Verification chain);
    static std::filesystem::path headPathFor(const std::filesystem::path& logPath);

    static std::string sha256Hex(std::string_view data);

    /// The newest entries of @p text (the log's lines) that match @p params, oldest first, at
    /// most params.maxEntries (clamped to 1..5000). Pure (used by agent.auditTail and the
    /// tests); lines that are not entries are counted in `unreadable`, never thrown on.
    static proto::AuditTailResult tailText(std::string_view text, const proto::AuditTailParams& params);
    /// tailText() on the last @p maxBytes of the file at @p path (a cut first line is skipped).
    static Expected<proto::AuditTailResult> tail(const std::filesystem::path& path,
                                                 const proto::AuditTailParams& params,
                                                 std::size_t maxBytes = 8U * 1024U * 1024U);
    static constexpr std::string_view kHeadMismatchMethod = "audit.headMismatch";
    static constexpr std::string_view kRotatedMethod = "audit.rotated";
    static constexpr std::string_view kTornTailMethod = "audit.tornTail";
    static constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

private:
    struct Queued {
        AuditEntry entry;
        std::function<void(Status)> done;
    };
    Status writeHead(std::uint64_t size);
    /// Writes entries as one batch (whole or not at all), fdatasync, head. Writer thread or open().
    Status writeBatch(std::vector<AuditEntry>& entries);
    Status rotate();
    /// verify() of the files as they are read (no retry).
    static Expected<Verification> verifyOnce(const std::filesystem::path& path);
    /// A torn last line (a crash mid-write) is cut off and recorded;  the entry to record, if any.
    Expected<std::optional<AuditEntry>> repairTornTail(int fd);
    void startWriter();
    void stopWriter();
    void writerMain();
    std::string compose(const AuditEntry& e, const std::string& prev) const;

    /// Compares the head record with the file found at open; @return the mismatch, if any.
    std::optional<std::string> checkHeadAtOpen(int fd, std::uint64_t size, const std::string& lastLine);

    std::filesystem::path m_path;
    std::string m_prev;
    std::string m_openWarning;
    int m_fd = -1;
    std::atomic<bool> m_open{false};
    std::atomic<std::uint64_t> m_dropped{0};
    std::uint64_t m_maxBytes = std::uint64_t{64} << 20U; // 64 MiB a file
    unsigned m_keep = 20;
    std::uint64_t m_headroomChanges = 64 * 1024;
    std::uint64_t m_headroomDroppable = 4 * 1024 * 1024;

    /// Held while the files change (a batch, its head, a rotation) and while verifyLive() takes its moment.
    mutable std::mutex m_filesMutex;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Queued> m_queue;
    bool m_stop = false;
    std::thread m_writer;
};

} // namespace hadeck::agent
