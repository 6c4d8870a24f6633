// libFuzzer target for agent.toml (parseConfig). Invariants: no crash, no
// exception escapes, a parsed config keeps its documented lower bounds.

#include "hadeck/agent/config.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace hadeck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto config = agent::parseConfig(text, "agent.toml")) {
        if (config->maxFrame < 1024 || config->maxClients < 1 || config->maxClientsPerUser < 1 ||
            config->sampleInterval.count() < 100 || config->socketMode > 0777) {
            std::abort();
        }
    }
    return 0;
}
