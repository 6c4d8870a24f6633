#include "hadeck/agent/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace hadeck::agent::files {

namespace {

std::string errnoText(const std::string& what, int err) { return what + ": " + std::strerror(err); }

constexpr const char* kAclAccess = "system.posix_acl_access";

int openForRead(const std::filesystem::path& path, OpenAs as = OpenAs::Any)
{
    const int flags = O_RDONLY | O_CLOEXEC | (as == OpenAs::Regular ? O_NOFOLLOW | O_NONBLOCK : 0);
    int fd = -1;
    do {
        fd = ::open(path.c_str(), flags);
    } while (fd < 0 && errno == EINTR);
    if (fd >= 0 && as == OpenAs::Regular) {
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            errno = EINVAL; // "not a regular file" below
            return -1;
        }
    }
    return fd;
}

std::string openErrorText(const std::filesystem::path& path, int err, OpenAs as)
{
    if (as == OpenAs::Regular && (err == ELOOP || err == EINVAL)) {
        return "cannot read " + path.string() + ": not a regular file (a symbolic link, a FIFO or a device is refused)";
    }
    return errnoText("cannot read " + path.string(), err);
}

} // namespace

Expected<std::string> readAll(int fd, std::size_t maxBytes)
{
    std::string out;
    std::vector<char> buf(65536);
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(errnoText("read", errno));
        }
        if (n == 0) {
            return out;
        }
        if (out.size() + static_cast<std::size_t>(n) > maxBytes) {
            return fail("larger than " + std::to_string(maxBytes) + " bytes");
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
        offset += n;
    }
}

Expected<std::optional<std::string>> readFileIfExists(const std::filesystem::path& path, std::size_t maxBytes,
                                                      OpenAs as)
{
    const int fd = openForRead(path, as);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::optional<std::string>{};
        }
        return fail(openErrorText(path, errno, as));
    }
    auto text = readAll(fd, maxBytes);
    ::close(fd);
    if (!text) {
        return fail("cannot read " + path.string() + ": " + text.error().message);
    }
    return std::optional<std::string>{std::move(*text)};
}

Expected<std::string> readFile(const std::filesystem::path& path, std::size_t maxBytes)
{
    auto text = readFileIfExists(path, maxBytes);
    if (!text) {
        return fail(text.error().message);
    }
    if (!text->has_value()) {
        return fail(errnoText("cannot read " + path.string(), ENOENT));
    }
    return std::move(**text);
}

Expected<std::string> readAt(const std::filesystem::path& path, std::uint64_t offset, std::size_t maxBytes, OpenAs as)
{
    const int fd = openForRead(path, as);
    if (fd < 0) {
        return fail(openErrorText(path, errno, as));
    }
    // Grown as the bytes come, so a large maxBytes on a small file costs nothing.
    std::string out;
    std::vector<char> buf(std::min<std::size_t>(maxBytes, 65536));
    while (out.size() < maxBytes) {
        const std::size_t want = std::min(buf.size(), maxBytes - out.size());
        const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset + out.size()));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            return fail(errnoText("cannot read " + path.string(), err));
        }
        if (n == 0) {
            break;
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

Expected<Tail> readTail(const std::filesystem::path& path, std::size_t maxBytes, OpenAs as)
{
    const int fd = openForRead(path, as);
    if (fd < 0) {
        return fail(openErrorText(path, errno, as));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fail(errnoText("cannot stat " + path.string(), err));
    }
    ::close(fd);
    const auto size = static_cast<std::uint64_t>(std::max<off_t>(st.st_size, 0));
    Tail t;
    t.from = size > maxBytes ? size - maxBytes : 0;
    auto text = readAt(path, t.from, maxBytes, as);
    if (!text) {
        return fail(text.error().message);
    }
    t.text = std::move(*text);
    return t;
}

Status writeAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(std::strerror(errno));
        }
        if (n == 0) {
            return fail(std::strerror(ENOSPC));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Status writeExisting(const std::filesystem::path& path, std::string_view data)
{
    int fd = -1;
    do {
        fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return fail(errnoText("cannot write " + path.string(), errno));
    }
    if (auto w = writeAll(fd, data); !w) {
        ::close(fd);
        return fail("cannot write " + path.string() + ": " + w.error().message);
    }
    if (::close(fd) != 0 && errno != EINTR) {
        return fail(errnoText("cannot write " + path.string(), errno));
    }
    return {};
}

Status fsyncDirectory(const std::filesystem::path& dir)
{
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return fail(errnoText("cannot open directory " + dir.string(), errno));
    }
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL) { // EINVAL: a filesystem without directory sync
        return fail(errnoText("cannot sync directory " + dir.string(), err));
    }
    return {};
}

// ------------------------------------------------------------------ TempFile

TempFile::~TempFile() { reset(); }

TempFile::TempFile(TempFile&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_fd(std::exchange(other.m_fd, -1))
{
    other.m_path.clear();
}

TempFile& TempFile::operator=(TempFile&& other) noexcept
{
    if (this != &other) {
        reset();
        m_path = std::move(other.m_path);
        other.m_path.clear();
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

void TempFile::reset()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_path.empty()) {
        ::unlink(m_path.c_str());
        m_path.clear();
    }
}

Expected<TempFile> TempFile::createNextTo(const std::filesystem::path& target, std::string_view tag)
{
    std::string name = target.string() + "." + std::string(tag) + ".XXXXXX";
    // mkostemp: O_CREAT|O_EXCL, mode 0600, never follows a planted symlink.
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) {
        return fail(errnoText("cannot create a temporary file next to " + target.string(), errno));
    }
    TempFile t;
    t.m_fd = fd;
    t.m_path = name;
    return t;
}

Status TempFile::copyAttributesFrom(int fromFd)
{
    struct stat st{};
    if (::fstat(fromFd, &st) != 0) {
        return fail(errnoText("cannot stat the file to replace", errno));
    }
    if (::fchown(m_fd, st.st_uid, st.st_gid) != 0 && errno != EPERM) {
        return fail(errnoText("cannot set the owner of " + m_path.string(), errno));
    }
    if (::fchmod(m_fd, st.st_mode & 07777) != 0) {
        return fail(errnoText("cannot set the mode of " + m_path.string(), errno));
    }
    const ssize_t size = ::fgetxattr(fromFd, kAclAccess, nullptr, 0);
    if (size > 0) {
        std::vector<char> acl(static_cast<std::size_t>(size));
        const ssize_t got = ::fgetxattr(fromFd, kAclAccess, acl.data(), acl.size());
        if (got < 0 || ::fsetxattr(m_fd, kAclAccess, acl.data(), static_cast<std::size_t>(got), 0) != 0) {
            return fail(errnoText("cannot copy the ACL to " + m_path.string(), errno));
        }
    }
    return {};
}

Status TempFile::writeAndSync(std::string_view content)
{
    if (auto w = writeAll(m_fd, content); !w) {
        return fail("cannot write " + m_path.string() + ": " + w.error().message);
    }
    if (::fsync(m_fd) != 0) {
        return fail(errnoText("cannot sync " + m_path.string(), errno));
    }
    auto back = readAll(m_fd, content.size() + 1);
    if (!back) {
        return fail("cannot read back " + m_path.string() + ": " + back.error().message);
    }
    if (*back != content) {
        return fail(m_path.string() + " does not read back as written (" + std::to_string(back->size()) + " of " +
                    std::to_string(content.size()) + " bytes)");
    }
    return {};
}

Status TempFile::renameOver(const std::filesystem::path& target)
{
    if (m_fd < 0 || m_path.empty()) {
        return fail("no temporary file to rename");
    }
    if (::rename(m_path.c_str(), target.c_str()) != 0) {
        return fail(errnoText("cannot replace " + target.string(), errno));
    }
    m_path.clear(); // it is the target now
    ::close(m_fd);
    m_fd = -1;
    return fsyncDirectory(target.parent_path());
}

Status writeFileAtomically(const std::filesystem::path& path, std::string_view content, const WriteOptions& options)
{
    if (options.createParents && path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            return fail("cannot create " + path.parent_path().string() + ": " + ec.message());
        }
    }
    auto tmp = TempFile::createNextTo(path, "hadeck-tmp");
    if (!tmp) {
        return fail(tmp.error().message);
    }
    const int existing = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (existing >= 0) {
        auto copied = tmp->copyAttributesFrom(existing);
        ::close(existing);
        if (!copied) {
            return copied;
        }
    } else if (::fchmod(tmp->fd(), options.mode) != 0) {
        return fail(errnoText("cannot set the mode of " + tmp->path().string(), errno));
    }
    if (auto w = tmp->writeAndSync(content); !w) {
        return w;
    }
    return tmp->renameOver(path);
}

} // namespace hadeck::agent::files
