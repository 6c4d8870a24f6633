#include "hadeck/agent/actions/failover.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace hadeck::agent {

Status writeTrackFile(const std::filesystem::path& path, int value)
{
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        return fail("cannot create " + path.parent_path().string() + ": " + ec.message());
    }
    const std::filesystem::path tmp = path.string() + ".hadeck-tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return fail("cannot write " + tmp.string() + ": " + std::strerror(errno));
    }
    const std::string text = std::to_string(value) + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    const int writeErrno = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        return fail("cannot write " + tmp.string() + ": " + std::strerror(writeErrno));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int renameErrno = errno;
        ::unlink(tmp.c_str());
        return fail("cannot replace " + path.string() + ": " + std::strerror(renameErrno));
    }
    return {};
}

Expected<std::optional<int>> readTrackFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    if (!in) {
        if (!std::filesystem::exists(path)) {
            return std::optional<int>{};
        }
        return fail("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    long long value = 0;
    if (!(in >> value)) {
        // keepalived reads a file without a number as 0.
        return std::optional<int>{0};
    }
    return std::optional<int>{static_cast<int>(value)};
}

} // namespace hadeck::agent
