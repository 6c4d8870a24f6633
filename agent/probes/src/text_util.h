#pragma once

// Small helpers shared by the text parsers. Internal to the probes library.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes::text {

inline bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && isSpace(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

inline std::vector<std::string_view> words(std::string_view s)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSpace(s[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && !isSpace(s[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(s.substr(start, i - start));
        }
    }
    return out;
}

inline std::vector<std::string_view> lines(std::string_view s)
{
    std::vector<std::string_view> out;
    while (!s.empty()) {
        const auto nl = s.find('\n');
        if (nl == std::string_view::npos) {
            out.push_back(s);
            break;
        }
        out.push_back(s.substr(0, nl));
        s.remove_prefix(nl + 1);
    }
    return out;
}

template <typename T>
std::optional<T> number(std::string_view s, int base = 10)
{
    T v{};
    if (s.empty()) {
        return std::nullopt;
    }
    const auto* end = s.data() + s.size();
    const auto [p, ec] = std::from_chars(s.data(), end, v, base);
    if (ec != std::errc() || p != end) {
        return std::nullopt;
    }
    return v;
}

inline bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

inline std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

} // namespace hadeck::probes::text
