#include "hadeck/probes/keepalived_dump_file.h"

#include "hadeck/agent/files.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hadeck::probes {

Expected<std::string> readKeepalivedDumpFile(const std::string& path, double* mtime)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int e = errno;
        return fail(path + ": " + std::strerror(e), e);
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return fail(path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(path + " is not a regular file; ignored");
    }
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return fail(path + " is owned by uid " + std::to_string(st.st_uid) +
                    " or writable by others, so not keepalived's; ignored");
    }
    constexpr std::size_t kMaxDump = 64U * 1024U * 1024U;
    if (static_cast<std::size_t>(st.st_size) > kMaxDump) {
        return fail(path + " is larger than 64 MiB; ignored");
    }
    auto content = agent::files::readAll(fd, kMaxDump);
    if (!content) {
        return fail(path + ": " + content.error().message + "; ignored");
    }
    *mtime = static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
    return content;
}

} // namespace hadeck::probes
