// libFuzzer target: a replica status row by column name. The input is
// "name=value" lines (a value "NULL" is SQL NULL), as libmariadb would hand them over.
#include "hadeck/probes/appdata/mysql_status.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    hadeck::probes::SqlRow row;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            continue;
        }
        const auto value = line.substr(eq + 1);
        row[std::string(line.substr(0, eq))] =
            value == "NULL" ? std::nullopt : std::optional<std::string>(std::string(value));
    }
    (void)hadeck::probes::replicaFromRow(row);
    return 0;
}
