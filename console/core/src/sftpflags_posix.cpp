#include "sftpflags.h"

#include <fcntl.h>

namespace hadeck::console::detail {

int sftpCreateTruncateFlags() { return O_WRONLY | O_CREAT | O_TRUNC; }

} // namespace hadeck::console::detail
