// libFuzzer target: Apache mod_status ?auto and php-fpm status parsers.
#include "hadeck/probes/appdata/apache_status.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto s = hadeck::probes::parseApacheStatus(text)) {
        std::uint32_t total = 0;
        for (const auto& [k, n] : s->scoreboard) {
            total += n;
        }
        if (total != s->serverLimit) {
            __builtin_trap();
        }
    }
    (void)hadeck::probes::parsePhpFpmStatus(text);
    return 0;
}
