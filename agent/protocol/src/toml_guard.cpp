#include "hadeck/protocol/toml_guard.h"

namespace hadeck::proto {

std::optional<TomlTextProblem> findTomlTextProblem(std::string_view text)
{
    int line = 1;
    int column = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        char32_t cp = b0;
        std::size_t len = 1;
        if (b0 >= 0xE0 && b0 < 0xF0 && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80) {
                cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) |
                     static_cast<char32_t>(b2 & 0x3F);
                len = 3;
            }
        } else if (b0 >= 0xC0 && b0 < 0xE0) {
            len = 2;
        } else if (b0 >= 0xF0) {
            len = 4;
        }
        if (cp >= 0xFB00 && cp <= 0xFEFE) {
            return TomlTextProblem{line, column, cp};
        }
        if (cp == U'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
    return std::nullopt;
}

} // namespace hadeck::proto
