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

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <filesystem>
#include <string>
#include <string_view>

namespace hadeck::agent {

using rpc::Json;

class AuditLog {
public:
    explicit AuditLog(std::filesystem::path path);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    /// Creates the directory and file if needed and reads the last line's hash.
    /// Refuses to append to a file whose last line is not a complete entry.
    Status open();
    /// Appends one entry and syncs it to disk (audited calls are rare; losing one is worse).
    Status append(std::string_view user, std::string_view method, const Json& params, const Json& result);

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] bool isOpen() const { return m_fd >= 0; }
    /// Set by open() when the log did not match its head record (already written into the chain).
    [[nodiscard]] const std::string& openWarning() const { return m_openWarning; }

    struct Verification {
        bool ok = true;
        std::size_t lines = 0;      // entries read
        std::size_t brokenLine = 0; // 1-based; 0 when ok
        std::string reason;         // empty when ok
    };
    /// Checks the whole chain. The file being unreadable is an error value; a
    /// broken chain is a Verification with ok == false.
    static Expected<Verification> verify(const std::filesystem::path& path);
    /// Same on text already in memory (pure; used by verify and the tests).
    static Verification verifyText(std::string_view text);

    /// The head check on text already in memory (pure). @p headText is the head file's content,
    /// or nullopt when there is none. Only called on a chain that verified.
    static Verification verifyHead(std::string_view logText, const std::optional<std::string>& headText,
                                   Verification chain);
    static std::filesystem::path headPathFor(const std::filesystem::path& logPath);

    static std::string sha256Hex(std::string_view data);
    static constexpr std::string_view kHeadMismatchMethod = "audit.headMismatch";
    static constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

private:
    Status writeHead(std::uint64_t size);
    /// Compares the head record with the file found at open; @return the mismatch, if any.
    std::optional<std::string> checkHeadAtOpen(int fd, std::uint64_t size, const std::string& lastLine);

    std::filesystem::path m_path;
    std::string m_prev;
    std::string m_openWarning;
    int m_fd = -1;
};

} // namespace hadeck::agent
