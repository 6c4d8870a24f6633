// libFuzzer target for the cluster inventory (parseInventory), the file an admin
// or a teammate hands the console. The first byte picks the format ('T': TOML,
// anything else: JSON), the rest is the file's text.
// Invariants: no crash, no exception, no sanitizer report; a rejected file has a
// message; an accepted one serializes and parses back to an equal inventory.

#include "hadeck/console/inventory.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const bool toml = data[0] == 'T';
    const QString origin = toml ? QStringLiteral("fuzz.toml") : QStringLiteral("fuzz.json");
    const QByteArray text(reinterpret_cast<const char*>(data + 1), static_cast<qsizetype>(size - 1));
    auto parsed = hadeck::console::parseInventory(text, origin);
    if (!parsed) {
        check(!parsed.error().message.empty());
        return 0;
    }
    const QByteArray written = hadeck::console::serializeInventory(*parsed);
    auto again = hadeck::console::parseInventory(written, origin);
    check(static_cast<bool>(again));
    check(*again == *parsed);
    return 0;
}
