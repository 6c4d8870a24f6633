// libFuzzer target for the nftables parsers: the input is a JSON listing, then
// optionally a NUL byte and a text listing (the JSON is also fed to the console's
// decoders of the firewall topic and event). Invariants: no crash, no exception;
// a parsed ruleset has a 64-digit hash, round-trips through its wire form, and
// the diff of a listing with itself is empty; raw text the gate accepts (nftTextProblem)
// becomes the script unchanged.

#include "hadeck/probes/nft_ruleset.h"
#include "hadeck/protocol/firewall.h"
#include "hadeck/protocol/wire.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace hadeck;

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
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto nul = bytes.find('\0');
    const std::string_view json = bytes.substr(0, nul);
    const std::string_view listing = nul == std::string_view::npos ? std::string_view() : bytes.substr(nul + 1);

    auto rs = probes::nft::parseRuleset(json, listing);
    if (rs) {
        check(rs->hash.size() == 64);
        const proto::fw::Json j = *rs;
        const auto back = j.get<proto::fw::Ruleset>();
        check(back.rules == rs->rules && back.chains == rs->chains && back.tables == rs->tables);
        check(probes::nft::rulesetHash(back) == rs->hash);
    }
    check(probes::nft::listingDiff(listing, listing).empty());
    (void)probes::nft::normalizeListing(listing);
    (void)probes::nft::legacyInUse(listing);
    (void)probes::nft::defaultRouteInterface(listing);
    // The raw-text gate: whatever it accepts becomes a script unchanged.
    if (!bytes.empty() && !proto::fw::nftTextProblem(bytes)) {
        proto::fw::Change raw;
        raw.op = proto::fw::ChangeOp::Raw;
        raw.text = std::string(bytes);
        const auto script = proto::fw::toNftScript(proto::fw::ChangeSet{"h", {raw}});
        check(script && script->compare(0, bytes.size(), bytes) == 0);
    }
    // The console's decoders of what the agent pushes: a bad payload is refused, never a crash.
    const auto doc = proto::fw::Json::parse(json, nullptr, false);
    if (!doc.is_discarded()) {
        try {
            (void)proto::fw::topicDelta(doc);
        } catch (const proto::wire::DecodeError&) {
        }
        try {
            (void)proto::fw::rolledBackEvent(doc);
        } catch (const proto::wire::DecodeError&) {
        }
    }
    return 0;
}
