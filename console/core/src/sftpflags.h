#pragma once

// The open(2) flags libssh's sftp_open() takes, from the platform's own headers: the POSIX
// <fcntl.h> in sftpflags_posix.cpp, the Windows CRT's values in sftpflags_win.cpp.

namespace hadeck::console::detail {

/// O_WRONLY | O_CREAT | O_TRUNC as this platform spells it.
int sftpCreateTruncateFlags();

} // namespace hadeck::console::detail
