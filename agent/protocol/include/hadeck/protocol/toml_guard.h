#pragma once

// A guard in front of the TOML reader, used for agent.toml and the console's
// inventory. The packaged TOML reader (3.3) reaches undefined behaviour when it
// meets a non-ASCII character where it looks for whitespace, outside strings and
// comments: its table of non-ASCII blanks falls into an "unreachable" branch for
// most code points in U+00A1..U+0499, U+2CEE..U+30E7 (CJK punctuation such as
// "、" among them) and U+FB06..U+FEFE. TOML allows no non-ASCII character there
// anyway (keys are ASCII unless quoted), so such a file is refused with its
// position before the reader sees it. Strings and comments may hold any text.

#include <optional>
#include <string_view>

namespace hadeck::proto {

struct TomlTextProblem {
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based, in code points
    char32_t codePoint = 0;
};

/// The first non-ASCII character outside a string or a comment, or nothing.
/// Invalid UTF-8 is left to the reader, which reports it.
std::optional<TomlTextProblem> findTomlTextProblem(std::string_view text);

} // namespace hadeck::proto
