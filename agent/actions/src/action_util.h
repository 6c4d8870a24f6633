#pragma once

// Small helpers shared by the action modules (internal header).

#include "hadeck/agent/files.h"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>

namespace hadeck::agent::detail {

namespace files = agent::files;

/// Wall-clock time in unix seconds, as the audit log and events carry it.
inline double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The whole file, or an empty string when it cannot be read.
inline std::string readTextFile(const std::filesystem::path& path)
{
    auto text = files::readFile(path);
    return text ? std::move(*text) : std::string();
}

} // namespace hadeck::agent::detail
