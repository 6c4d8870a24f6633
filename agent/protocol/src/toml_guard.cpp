#include "hadeck/protocol/toml_guard.h"

namespace hadeck::proto {

namespace {

// The code point at text[i] and its length in bytes (a stray byte counts as itself).
std::pair<char32_t, std::size_t> decodeAt(std::string_view text, std::size_t i)
{
    const auto b0 = static_cast<unsigned char>(text[i]);
    const auto cont = [&](std::size_t k) {
        return i + k < text.size() && (static_cast<unsigned char>(text[i + k]) & 0xC0U) == 0x80U;
    };
    const auto bits = [&](std::size_t k) {
        return static_cast<char32_t>(static_cast<unsigned char>(text[i + k]) & 0x3FU);
    };
    if (b0 >= 0xC0 && b0 < 0xE0 && cont(1)) {
        return {(static_cast<char32_t>(b0 & 0x1FU) << 6) | bits(1), 2};
    }
    if (b0 >= 0xE0 && b0 < 0xF0 && cont(1) && cont(2)) {
        return {(static_cast<char32_t>(b0 & 0x0FU) << 12) | (bits(1) << 6) | bits(2), 3};
    }
    if (b0 >= 0xF0 && cont(1) && cont(2) && cont(3)) {
        return {(static_cast<char32_t>(b0 & 0x07U) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3), 4};
    }
    return {b0, 1};
}

enum class Where { Outside, Comment, Basic, Literal, MultiBasic, MultiLiteral };

} // namespace

std::optional<TomlTextProblem> findTomlTextProblem(std::string_view text)
{
    int line = 1;
    int column = 1;
    Where where = Where::Outside;
    std::size_t i = 0;
    // The scan is linear and looks at each code point once; a triple quote is compared only where
    // a quote stands (the configuration and the inventory are read at every load and reload).
    const auto triple = [&](char32_t c, char q) {
        return c == static_cast<char32_t>(q) && i + 2 < text.size() && text[i + 1] == q && text[i + 2] == q;
    };
    const auto advance = [&](char32_t c, std::size_t l) {
        if (c == U'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += l;
    };
    while (i < text.size()) {
        const auto [cp, len] = decodeAt(text, i);
        std::size_t step = len;
        switch (where) {
        case Where::Outside:
            if (cp >= 0x80) {
                return TomlTextProblem{line, column, cp};
            }
            if (cp == U'#') {
                where = Where::Comment;
            } else if (triple(cp, '"')) {
                where = Where::MultiBasic;
                step = 3;
            } else if (triple(cp, '\'')) {
                where = Where::MultiLiteral;
                step = 3;
            } else if (cp == U'"') {
                where = Where::Basic;
            } else if (cp == U'\'') {
                where = Where::Literal;
            }
            break;
        case Where::Comment:
            if (cp == U'\n') {
                where = Where::Outside;
            }
            break;
        case Where::Basic:
            if (cp == U'\\' && i + 1 < text.size() && text[i + 1] != '\n') {
                step = 2; // the escaped character never ends the string
            } else if (cp == U'"' || cp == U'\n') {
                where = Where::Outside; // a newline ends it too: the reader reports that
            }
            break;
        case Where::Literal:
            if (cp == U'\'' || cp == U'\n') {
                where = Where::Outside;
            }
            break;
        case Where::MultiBasic:
            if (cp == U'\\' && i + 1 < text.size() && text[i + 1] != '\n') {
                step = 2;
            } else if (triple(cp, '"')) {
                where = Where::Outside;
                step = 3;
            }
            break;
        case Where::MultiLiteral:
            if (triple(cp, '\'')) {
                where = Where::Outside;
                step = 3;
            }
            break;
        }
        // Line and column over what is stepped over (an escaped newline is not stepped over).
        advance(cp, len);
        for (std::size_t k = len; k < step && i < text.size();) {
            const auto [c, l] = decodeAt(text, i);
            advance(c, l);
            k += l;
        }
    }
    return std::nullopt;
}

} // namespace hadeck::proto
