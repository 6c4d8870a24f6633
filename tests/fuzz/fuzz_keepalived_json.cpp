// libFuzzer target for keepalived's JSON dump (the file keepalived writes on
// SIGJSON) and its notify FIFO lines, both read by the agent from outside.
// Invariants: no crash, no exception escapes, every parsed instance re-encodes.

#include "hadeck/probes/keepalived_runtime.h"
#include "hadeck/protocol/director.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace hadeck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto instances = probes::parseKeepalivedJson(text)) {
        for (const auto& i : *instances) {
            rpc::Json j;
            proto::to_json(j, i);
            (void)j.dump();
        }
    }
    (void)probes::vipFromDump(text);
    // Notify lines come one per read; try every line of the input.
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto nl = text.find('\n', start);
        const auto line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        (void)probes::parseNotifyLine(line);
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    return 0;
}
