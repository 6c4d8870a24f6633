#pragma once

// Forced failover through keepalived's track_file. keepalived has no control
// socket and no DBus method that changes state (keepalived issue #1501), but it
// re-reads a track file on close-write or rename: a non-zero value on a
// track_file referenced with weight 0 puts the instance in FAULT at once, and
// the MASTER then sends a priority-0 advert so the BACKUP takes over without
// waiting for its master-down timer (0.65 s measured, against 3.3 s for a
// priority drop).

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/payloads.h"

#include <filesystem>
#include <optional>
#include <string>

namespace hadeck::agent {

// The track_file name, its default file (one per director; every instance and
// sync group member references it) and the snippet an admin adds are defined once,
// in the protocol, for the agent's edit and the console's advice alike.
using proto::failoverTrackSnippet;
using proto::kDefaultFailoverFile;
using proto::kFailoverTrackName;

/// Writes @p value to @p path the way keepalived expects: a temporary file in
/// the same directory, then rename(), so keepalived never reads half a number.
Status writeTrackFile(const std::filesystem::path& path, int value);

/// Reads the value keepalived sees (the first integer in the file). A missing
/// file reads as nullopt.
Expected<std::optional<int>> readTrackFile(const std::filesystem::path& path);

} // namespace hadeck::agent

#include <map>
#include <vector>

namespace hadeck::agent {

/// Every instance a write to the track files of @p targets reaches: keepalived
/// faults each instance whose hadeck_failover track_file is one of those files,
/// so releasing one instance releases all that share its file. Sorted, targets included. Pure.
std::vector<std::string> affectedInstances(const std::map<std::string, std::filesystem::path>& failoverFiles,
                                           const std::vector<std::string>& targets);

} // namespace hadeck::agent
