#pragma once

// A guard in front of the TOML reader, used for agent.toml and the console's
// inventory. The packaged TOML reader (3.3) reaches undefined behaviour on the
// code points U+FB00..U+FEFE in positions where it looks for whitespace (its
// table lookup misses that range and falls into an "unreachable" branch). No
// configuration needs those characters (Arabic and Hebrew presentation forms),
// so a file that holds one is refused with its position before the reader
// sees it.

#include <optional>
#include <string_view>

namespace hadeck::proto {

struct TomlTextProblem {
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based, in code points
    char32_t codePoint = 0;
};

/// The first character the TOML reader cannot be given safely, or nothing.
/// Invalid UTF-8 is left to the reader, which reports it.
std::optional<TomlTextProblem> findTomlTextProblem(std::string_view text);

} // namespace hadeck::proto
