#pragma once

// Append-only audit log: one JSON object per line,
//   {"time", "user", "method", "params", "result", "prev"}
// where "prev" is the SHA-256 (hex) of the previous line's bytes (without the
// newline) and the first line's prev is 64 zeros. Editing, inserting or removing
// a line breaks the chain at that point; verify() finds the first break.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <cstddef>
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

    static std::string sha256Hex(std::string_view data);
    static constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

private:
    std::filesystem::path m_path;
    std::string m_prev;
    int m_fd = -1;
};

} // namespace hadeck::agent
