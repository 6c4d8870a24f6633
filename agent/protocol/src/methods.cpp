#include "hadeck/protocol/method_list.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace hadeck::proto {

namespace {

// Every spec of methods.h, once (methods::kAll). Sorted below so the table reads like agent.methods.
constexpr auto kDeclared = std::apply([](const auto&... spec) { return std::array{spec.entry()...}; }, methods::kAll);

const std::array<MethodEntry, kDeclared.size()>& sortedTable()
{
    static const auto table = [] {
        auto t = kDeclared;
        std::sort(t.begin(), t.end(), [](const MethodEntry& a, const MethodEntry& b) { return a.name < b.name; });
        return t;
    }();
    return table;
}

} // namespace

std::span<const MethodEntry> methodTable() { return sortedTable(); }

const MethodEntry* findMethod(std::string_view name)
{
    const auto& t = sortedTable();
    const auto it = std::lower_bound(t.begin(), t.end(), name,
                                     [](const MethodEntry& e, std::string_view n) { return e.name < n; });
    return it != t.end() && it->name == name ? &*it : nullptr;
}

} // namespace hadeck::proto
