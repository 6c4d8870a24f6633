// libFuzzer target: mfscli -s output parsers (-SIN, -SCS, -SMB, -SHD).
#include "hadeck/probes/appdata/mfscli.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)hadeck::probes::parseMfsMasterInfo(text);
    (void)hadeck::probes::parseMfsChunkservers(text);
    (void)hadeck::probes::parseMfsMetaloggers(text);
    (void)hadeck::probes::parseMfsDisks(text);
    return 0;
}
