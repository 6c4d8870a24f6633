// libFuzzer target for the IPVS text parsers: /proc/net/ip_vs, /proc/net/ip_vs_stats
// and `ipvsadm -Ln` output. Invariants: no crash, no exception escapes.

#include "hadeck/probes/ipvs_text.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace hadeck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)probes::parseProcIpVs(text);
    (void)probes::parseProcIpVs(text, 1000);
    (void)probes::parseProcIpVsStats(text);
    (void)probes::procIpVsStructureStamp(text);
    (void)probes::parseIpvsadmList(text);
    (void)probes::canonicalAddress(text.substr(0, 64));
    return 0;
}
