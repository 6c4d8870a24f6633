#pragma once

// Small helpers shared by the action modules (internal header).

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hadeck::agent::detail {

/// Wall-clock time in unix seconds, as the audit log and events carry it.
inline double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The whole file, or an empty string when it cannot be read.
inline std::string readTextFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace hadeck::agent::detail
