#pragma once

// keepalived's JSON dump as a file: opened without following a link and believed only if
// root owns it and nobody else may write it. keepalived writes it into its TMPDIR
// (/run/keepalived); a dump planted by a local user, or one that keepalived truncated and
// rewrote in a file that user created, is someone else's word.

#include "hadeck/protocol/expected.h"

#include <string>

namespace hadeck::probes {

/// The dump's content, and its modification time (seconds since the epoch) in @p mtime.
/// A missing file fails with code ENOENT; a link, anything but a regular file, a file
/// not owned by root or writable by its group or others, or one over 64 MiB is refused
/// with a message naming why.
Expected<std::string> readKeepalivedDumpFile(const std::string& path, double* mtime);

} // namespace hadeck::probes
