#include "hadeck/protocol/toml_guard.h"

#include <string>

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

enum class Where {
    Outside,
    Comment,
    Basic,
    Literal,
    MultiBasic,
    MultiBasicEscape,  // just after a backslash in a multi-line basic string
    MultiBasicLineEnd, // the blanks after a line-ending backslash
    MultiLiteral,
    BareValue,
};

// ASCII whitespace as the reader has it (blanks and line breaks).
bool isAsciiBlank(char32_t c) { return c == U' ' || c == U'\t' || (c >= U'\n' && c <= U'\r'); }

// Where the reader stops scanning a bare value (a number, a date, true): ASCII blanks, ']', '}',
// ',' and '#'. Quotes and brackets are not among them.
bool endsBareValue(char32_t c)
{
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U']' || c == U'}' || c == U',' || c == U'#';
}

} // namespace

std::optional<TomlTextProblem> findTomlTextProblem(std::string_view text)
{
    int line = 1;
    int column = 1;
    Where where = Where::Outside;
    // A value starts after '=', and after '[' or ',' inside an array value. The reader scans a
    // value that starts with neither a quote nor a bracket (a number, a date, true) up to
    // endsBareValue(), asking of each character, inside quotes too, whether it is whitespace: no
    // non-ASCII character may stand there. After such a value and a blank, the reader may go on
    // with a date-time's time, so what follows counts as a value too (valid TOML has only a
    // comment, a newline, ',', ']' or '}' there). Brackets opened by values are kept ('[' array,
    // '{' inline table): a newline or a ',' goes on with values only inside an array. A table
    // header's '[' is not a value's.
    bool valueNext = false;
    std::string nesting;
    const auto inArray = [&] { return !nesting.empty() && nesting.back() == '['; };
    // The reader skips a byte order mark at the start (editors on Windows may write one).
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    // The scan is linear and looks at each code point once; a triple quote is compared only where
    // a quote stands (the configuration and the inventory are read at every load and reload).
    const auto triple = [&](char32_t c, char q) {
        return c == static_cast<char32_t>(q) && i + 2 < text.size() && text[i + 1] == q && text[i + 2] == q;
    };
    // In a multi-line string the reader takes a run of up to five quotes at once: three, four or
    // five end the string (one or two of them are its text), fewer are text.
    const auto quoteRun = [&](char q) {
        std::size_t n = 0;
        while (n < 5 && i + n < text.size() && text[i + n] == q) {
            ++n;
        }
        return n;
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
        if (where == Where::BareValue && endsBareValue(cp)) {
            where = Where::Outside; // the character is read again, outside the value
            valueNext = cp == U' ' || cp == U'\t';
        } else if (where == Where::MultiBasicLineEnd && !isAsciiBlank(cp) && cp < 0x80) {
            where = Where::MultiBasic; // read again: it may end the string or start an escape
        }
        switch (where) {
        case Where::BareValue:
            if (cp >= 0x80) {
                return TomlTextProblem{line, column, cp};
            }
            break;
        case Where::Outside:
            if (cp >= 0x80) {
                return TomlTextProblem{line, column, cp};
            }
            if (valueNext && !endsBareValue(cp)) {
                valueNext = cp == U'[';
                if (cp == U'[' || cp == U'{') {
                    nesting.push_back(static_cast<char>(cp));
                    break;
                }
                if (cp != U'"' && cp != U'\'') {
                    where = Where::BareValue;
                    break;
                }
            }
            if (cp == U'=') {
                valueNext = true;
            } else if (cp == U',') {
                valueNext = inArray();
            } else if (cp == U'\n') {
                valueNext = valueNext && inArray();
            } else if (cp == U']' || cp == U'}') {
                valueNext = false;
                if (!nesting.empty() && nesting.back() == (cp == U']' ? '[' : '{')) {
                    nesting.pop_back();
                }
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
                valueNext = valueNext && inArray();
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
            if (cp == U'\\') {
                where = Where::MultiBasicEscape;
            } else if (cp == U'"') {
                step = quoteRun('"');
                where = step >= 3 ? Where::Outside : Where::MultiBasic;
            }
            break;
        case Where::MultiBasicEscape:
        case Where::MultiBasicLineEnd:
            // The reader asks of the character after a backslash, and of each one after a
            // line-ending backslash up to the first that is not a blank, whether it is whitespace.
            if (cp >= 0x80) {
                return TomlTextProblem{line, column, cp};
            }
            // An escaped character is taken as it is (\" does not end the string).
            where = isAsciiBlank(cp) ? Where::MultiBasicLineEnd : Where::MultiBasic;
            break;
        case Where::MultiLiteral:
            if (cp == U'\'') {
                step = quoteRun('\'');
                where = step >= 3 ? Where::Outside : Where::MultiLiteral;
            }
            break;
        }
        // Line and column over what is stepped over.
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
