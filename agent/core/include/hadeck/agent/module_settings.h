#pragma once

// Settings of one module from its [modules.<name>] table in agent.toml, checked where they are
// read: a value of the wrong type or out of range is logged once per read and the default used.

#include "hadeck/agent/config.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hadeck::agent {

/// A string from [modules.<module>] <key>, or @p fallback (with a warning when it is not a string).
std::string moduleSetting(const AgentConfig& c, std::string_view module, std::string_view key, std::string fallback);
/// An integer from [modules.<module>] <key> in [@p min, @p max], or @p fallback (with a warning
/// when it is there but not such an integer).
std::int64_t moduleSetting(const AgentConfig& c, std::string_view module, std::string_view key, std::int64_t fallback,
                           std::int64_t min, std::int64_t max);

} // namespace hadeck::agent
