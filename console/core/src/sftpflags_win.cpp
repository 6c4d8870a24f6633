#include "sftpflags.h"

namespace hadeck::console::detail {

// The Windows CRT's values (<fcntl.h> there: _O_WRONLY 0x0001, _O_CREAT 0x0100, _O_TRUNC 0x0200),
// which libssh for Windows translates to the SFTP protocol's flags.
int sftpCreateTruncateFlags() { return 0x0001 | 0x0100 | 0x0200; }

} // namespace hadeck::console::detail
