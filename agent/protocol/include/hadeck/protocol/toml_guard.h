#pragma once

// A guard in front of the TOML reader, used for agent.toml and the console's
// inventory. The packaged TOML reader (3.3) reaches undefined behaviour when it
// asks whether a non-ASCII character is whitespace: its table of non-ASCII
// blanks falls into an "unreachable" branch for most code points in
// U+00A1..U+0499, U+2CEE..U+30E7 (CJK punctuation such as "、" among them) and
// U+FB06..U+FEFE. It asks that of
//  - every character outside strings and comments;
//  - every character of a bare value (a number, a date, true) up to a blank,
//    ']', '}', ',' or '#', quotes included: in `a = 0"é"` the string is no
//    string to it;
//  - in a multi-line basic string, the character after a backslash and the
//    first one after a line-ending backslash's blanks.
// A file with a non-ASCII character in one of those places is refused with its
// position before the reader sees it. Only the last case can be valid TOML
// (a line-ending backslash followed by a line that starts with such a
// character); everywhere else TOML allows no such character anyway. Strings
// and comments may otherwise hold any text.

#include <optional>
#include <string_view>

namespace hadeck::proto {

struct TomlTextProblem {
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based, in code points
    char32_t codePoint = 0;
};

/// The first non-ASCII character in one of the places above, or nothing.
/// Invalid UTF-8 is read a byte or a lead byte's sequence at a time, without checks: in a string
/// it is left to the reader, which reports it; elsewhere it is refused as the code point it
/// seems to be (a lone 0xFF as U+00FF). Only the message can be off: the reader refuses a
/// block with invalid UTF-8 before it uses any of it.
std::optional<TomlTextProblem> findTomlTextProblem(std::string_view text);

} // namespace hadeck::proto
