#pragma once

// The agent's one way to read and replace files: configuration, state files
// (drain book, real server state, the failover track file), the audit head.
//
// writeFileAtomically() never leaves a torn or empty file behind: the content
// goes to a fresh temporary file in the same directory (mkostemp: O_EXCL, no
// symlink followed), every write is checked, the file is fsynced and read back,
// then renamed over the target and the directory is fsynced. When the target
// exists its mode, owner and POSIX ACL are kept (a 0600 keepalived.conf with an
// auth_pass stays 0600); otherwise the given mode is used.

#include "hadeck/protocol/expected.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace hadeck::agent::files {

/// Files the agent reads whole are small; anything bigger is refused rather than read.
inline constexpr std::size_t kDefaultMaxRead = std::size_t{64} << 20U;

/// The whole file. A missing file is an error (see readFileIfExists).
Expected<std::string> readFile(const std::filesystem::path& path, std::size_t maxBytes = kDefaultMaxRead);

/// What a read may open. A file another user can replace (a log in a daemon's own directory)
/// is opened as Regular: a symbolic link is refused (the agent reads as root), and so is anything
/// but a regular file (a FIFO would block the reader for ever).
enum class OpenAs { Any, Regular };

/// The whole file, or nullopt when it does not exist.
Expected<std::optional<std::string>> readFileIfExists(const std::filesystem::path& path,
                                                      std::size_t maxBytes = kDefaultMaxRead, OpenAs as = OpenAs::Any);

/// Up to @p maxBytes of the file from byte @p offset: fewer at its end, none past it.
Expected<std::string> readAt(const std::filesystem::path& path, std::uint64_t offset, std::size_t maxBytes,
                             OpenAs as = OpenAs::Any);

/// The last bytes of a file (a log, the audit log) and the offset they start at.
struct Tail {
    std::string text;
    /// 0 when @p text is the whole file.
    std::uint64_t from = 0;
};

/// The last @p maxBytes of the file, or all of it when it is smaller.
Expected<Tail> readTail(const std::filesystem::path& path, std::size_t maxBytes, OpenAs as = OpenAs::Any);

/// Reads everything from an open descriptor, from offset 0 (pread).
Expected<std::string> readAll(int fd, std::size_t maxBytes = kDefaultMaxRead);

/// Writes all of @p data at the descriptor's position, retrying short writes and EINTR.
Status writeAll(int fd, std::string_view data);

struct WriteOptions {
    /// Mode of a new file. An existing file keeps its own mode, owner and ACL.
    mode_t mode = 0640;
    /// Create the parent directories (mode 0750) when missing.
    bool createParents = false;
};

/// Writes @p data into an existing file in place, every step checked (open without
/// O_CREAT, each write(), close()), the error naming the path and errno's text. For
/// /proc/sys and /sys, where the kernel takes a value in one write() and refuses a bad
/// one there or at close(). Not atomic: files the agent owns go through writeFileAtomically.
Status writeExisting(const std::filesystem::path& path, std::string_view data);

/// Replaces @p path with @p content (see the header comment).
Status writeFileAtomically(const std::filesystem::path& path, std::string_view content, const WriteOptions& options = {});

/// fsync() of a directory, so a rename or a new entry in it survives a crash.
Status fsyncDirectory(const std::filesystem::path& dir);

/// A temporary file created next to @p target, named "<target>.<tag>.XXXXXX"; removed
/// by the destructor unless release()d.
class TempFile {
public:
    TempFile() = default;
    ~TempFile();
    TempFile(TempFile&& other) noexcept;
    TempFile& operator=(TempFile&& other) noexcept;
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    static Expected<TempFile> createNextTo(const std::filesystem::path& target, std::string_view tag);

    /// Copies mode, owner and POSIX ACL from @p fromFd (the file it will replace).
    Status copyAttributesFrom(int fromFd);
    /// Writes everything, fsyncs and reads it back to compare.
    Status writeAndSync(std::string_view content);
    /// rename() over @p target, then fsync of the directory. The temporary is gone afterwards.
    Status renameOver(const std::filesystem::path& target);

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] int fd() const { return m_fd; }

private:
    void reset();
    std::filesystem::path m_path;
    int m_fd = -1;
};

} // namespace hadeck::agent::files
