#pragma once

// The wire names of an enum, as one constexpr table per enum:
//
//   constexpr EnumNames<Role, 2> kRoles{{{Role::Director, "director"}, {Role::Db, "db"}}};
//   std::string_view toString(Role r) { return enumName(kRoles, r, "unknown"); }
//   std::optional<Role> roleFromString(std::string_view s) { return enumValue(kRoles, s); }

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace hadeck::proto {

template <typename E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

/// The name of @p value in @p table; @p fallback for a value the table lacks.
template <typename E, std::size_t N>
constexpr std::string_view enumName(const EnumNames<E, N>& table, E value, std::string_view fallback)
{
    for (const auto& [v, name] : table) {
        if (v == value) {
            return name;
        }
    }
    return fallback;
}

/// The value named @p name in @p table; nullopt for an unknown name (names are case-sensitive).
template <typename E, std::size_t N>
constexpr std::optional<E> enumValue(const EnumNames<E, N>& table, std::string_view name)
{
    for (const auto& [v, n] : table) {
        if (n == name) {
            return v;
        }
    }
    return std::nullopt;
}

} // namespace hadeck::proto
