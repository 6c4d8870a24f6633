#pragma once

#include <filesystem>

namespace hadeck::agent {

/// Relays stdin to the agent socket and the socket to stdout until both
/// directions end: the SSH exec-channel fallback (`ssh node hadeck-agent --bridge`).
/// @return the process exit code.
int runBridge(const std::filesystem::path& socketPath);

} // namespace hadeck::agent
