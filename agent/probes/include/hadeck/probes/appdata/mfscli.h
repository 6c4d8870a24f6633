#pragma once

// MooseFS 3.0 `mfscli -s SEP` plain output (interfaces.md §6), as pure parsers.
// Each line is `<table title>:SEP f1 SEP f2 ...`; tables are separated by blank lines.

#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/expected.h"

#include <string_view>
#include <vector>

namespace hadeck::probes {

/// The separator the agent passes with -s. It never occurs in hosts, paths or numbers.
inline constexpr char kMfscliSeparator = '|';

/// `-SIN`: master version, RAM, space, files, chunks and chunk health.
Expected<proto::MfsMasterInfo> parseMfsMasterInfo(std::string_view text);
/// `-SCS`: connected chunk servers and the "Disconnected chunk servers" table (connected=false).
Expected<std::vector<proto::MfsChunkserver>> parseMfsChunkservers(std::string_view text);
/// `-SMB`: metaloggers.
Expected<std::vector<proto::MfsMetalogger>> parseMfsMetaloggers(std::string_view text);
/// `-SHD`: disks of every chunk server.
Expected<std::vector<proto::MfsDisk>> parseMfsDisks(std::string_view text);

} // namespace hadeck::probes
