#pragma once

// Editing keepalived.conf: the one place that changes keepalived's
// configuration. The edit is located with the real parser's recorded block
// lines (keepalived_config.h), and the file is replaced so that it can never
// become empty, shorter or torn, nor lose a concurrent edit or its mode:
//   - the directory is locked (flock) against other HaDeck edits;
//   - the candidate is created with mkostemp next to the file, with the
//     original's mode, owner and ACL; every write is checked, the file is
//     fsynced and read back;
//   - an empty or shrunken candidate is refused;
//   - `keepalived -t -f CANDIDATE` runs through runProcess (no shell);
//   - a timestamped backup of the original is written first, and the edit
//     stops if it cannot be;
//   - right before the rename, the original's inode, mtime, size and bytes are
//     compared with what was read: a concurrent edit aborts, never gets lost;
//   - the rename and the directory are fsynced.
// Blocking: call from a worker thread.

#include "hadeck/protocol/expected.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

/**
 * Adds `track_file NAME { file "PATH" weight 0 init_file 0 }` at the top when no
 * such top-level track_file exists, and a `track_file { NAME weight 0 }` reference
 * inside vrrp_instance @p instance, before its closing brace. Pure.
 * @return the new text, or why not (instance not in this file, already referenced, text unparsable)
 */
Expected<std::string> addTrackFileToInstance(std::string_view text, const std::string& fileName,
                                             const std::string& instance, const std::string& trackName,
                                             const std::string& trackPath);

/// What `keepalived -t` says in @p after that it did not say in @p before (lines compared
/// without their "(file: Line N) " prefix, which an edit shifts). Pure.
std::vector<std::string> newKeepalivedComplaints(const std::string& before, const std::string& after);

struct ConfigEditResult {
    std::filesystem::path backup;
    std::string checkOutput;
    bool warningsBefore = false; // keepalived -t complained already about the original, and the edit added nothing
};

struct ConfigEditFailure {
    std::string message;
    int code = 0;            // an rpc error code: PreconditionFailed (refused) or ActionFailed
    std::string checkOutput; // keepalived -t's output, when it rejected the candidate
};

struct ConfigEditOptions {
    std::string keepalivedBinary = "keepalived";
    int checkTimeoutMs = 15000;
    int lockTimeoutMs = 5000;
    std::size_t keepBackups = 10;
    /// Test seam: runs after the backup, right before the original is compared and replaced.
    std::function<void()> beforeReplace;
};

using ConfigEdit = std::function<Expected<std::string>(const std::string& original)>;

/// Applies @p edit to the file at @p path (see the header comment).
Expected<ConfigEditResult, ConfigEditFailure> editKeepalivedConfig(const std::filesystem::path& path,
                                                                   const ConfigEdit& edit,
                                                                   const ConfigEditOptions& options = {});

} // namespace hadeck::probes
