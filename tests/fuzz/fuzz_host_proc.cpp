// libFuzzer target: the /proc parsers of the host module, and the rates between
// two samples parsed from the two halves of the input.
#include "hadeck/probes/appdata/host_proc.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hadeck::probes;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string_view a = text.substr(0, size / 2);
    const std::string_view b = text.substr(size / 2);
    hadeck::proto::HostStatus s;
    (void)parseLoadavg(text, s);
    (void)parseMeminfo(text, s);
    (void)parseUptime(text, s);
    (void)parsePressure(text);
    (void)parseMounts(text);
    const auto sa = parseProcStat(a);
    const auto sb = parseProcStat(b);
    if (sa && sb) {
        for (const auto& u : cpuUsage(*sa, *sb)) {
            if (!(u.busyPct >= 0 && u.busyPct <= 100)) {
                __builtin_trap();
            }
        }
    }
    const auto da = parseDiskstats(a);
    const auto db = parseDiskstats(b);
    if (da && db) {
        (void)diskRates(*da, *db, 1.0);
    }
    const auto na = parseNetDev(a);
    const auto nb = parseNetDev(b);
    if (na && nb) {
        (void)interfaceRates(*na, *nb, 1.0);
    }
    if (const auto t = parseProcNetTcp(text, 4)) {
        (void)tcpSummary(t->sockets);
    }
    return 0;
}
