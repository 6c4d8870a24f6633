// libFuzzer target for /proc/net/tcp and /proc/net/tcp6 (drain progress on a
// real server), and the sock_diag dump reader that replaces them on the hot path.
// Invariants: no crash, no exception escapes, malformed lines are named by line numbers
// inside the text.

#include "hadeck/probes/proc_net_tcp.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace hadeck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const int af : {4, 6}) {
        if (auto table = probes::parseProcNetTcp(text, af)) {
            for (const int l : table->malformedLines) {
                if (l < 1 || l > lines) {
                    std::abort();
                }
            }
            (void)probes::tcpListeners(*table);
            (void)probes::countEstablishedTo(*table, af == 4 ? "198.18.0.10" : "2001:db8::10", 80);
        }
    }
    for (const int af : {0, 4, 6}) {
        bool done = false;
        if (auto table = probes::parseInetDiagDump(text, af, &done)) {
            (void)probes::tcpListeners(*table);
        }
    }
    return 0;
}
