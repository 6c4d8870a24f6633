// libFuzzer target for the console's decoding of what an agent sends: the params
// of state.delta (decodeStateDelta, and the firewall and log topics), the events
// the console reads, and the result of every declared method (methods::kAll, with
// proto::fromJson<Spec::Result> as AgentClient::call(spec, ...) decodes it; the
// params too, as the agent decodes them).
// Invariants: no crash, no exception, no sanitizer report (float-cast-overflow
// included); a decoded value re-encodes and decodes to an equal encoding; and
// a decoded IPVS weight is within what IPVS allows. The input is also sent as the
// params of a whole state.delta line through the fast reader (rpc::FastReader):
// whatever it accepts, the generic path accepts too and decodes to the same delta.

#include "hadeck/console/model/fastdelta.h"
#include "hadeck/console/model/statedelta.h"

#include "hadeck/protocol/firewall.h"
#include "hadeck/protocol/method_list.h"
#include "hadeck/protocol/payloads.h"
#include "hadeck/protocol/wire.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <tuple>

using namespace hadeck;

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

template <typename T>
void roundTrip(const rpc::Json& j)
{
    auto decoded = proto::fromJson<T>(j);
    if (!decoded) {
        check(!decoded.error().message.empty());
        return;
    }
    const rpc::Json once = proto::toJson(*decoded);
    auto again = proto::fromJson<T>(once);
    check(static_cast<bool>(again));
    check(proto::toJson(*again) == once);
}

template <typename... Spec>
void results(const rpc::Json& j, const Spec&...)
{
    (roundTrip<typename Spec::Result>(j), ...);
    (roundTrip<typename Spec::Params>(j), ...);
}

/// A decoder of notification params that throws wire::DecodeError on a bad payload.
template <typename F>
void decodeOrRefuse(F&& decode)
{
    try {
        (void)decode();
    } catch (const proto::wire::DecodeError& e) {
        check(e.what()[0] != '\0');
    }
}

void fastAgreesWithGeneric(std::string_view params)
{
    std::string line = R"({"jsonrpc":"2.0","method":"state.delta","params":)";
    line.append(params).append("}");
    static rpc::FastReader reader;
    if (!reader.readStateDelta(line)) {
        return;
    }
    auto fast = console::decodeStateDelta(reader);
    reader.release();
    if (!fast) {
        return;
    }
    auto msg = rpc::decode(line);
    check(static_cast<bool>(msg));
    const auto* note = std::get_if<rpc::Notification>(&*msg);
    check(note != nullptr);
    auto generic = console::decodeStateDelta(note->params);
    check(static_cast<bool>(generic));
    check(fast->topic == generic->topic && fast->snapshot == generic->snapshot);
    check(fast->services == generic->services && fast->removedServices == generic->removedServices &&
          fast->removedDests == generic->removedDests);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    fastAgreesWithGeneric(bytes);
    const rpc::Json j = rpc::Json::parse(bytes, nullptr, false);
    if (j.is_discarded()) {
        return 0;
    }

    auto delta = console::decodeStateDelta(j);
    if (delta) {
        for (const auto& s : delta->services) {
            check(s.port <= 65535);
            for (const auto& rs : s.realServers) {
                check(rs.weight <= proto::kMaxWeight);
            }
        }
    }

    std::apply([&](const auto&... spec) { results(j, spec...); }, proto::methods::kAll);
    // Notification params the console reads beside state.delta's own topics (the firewall topic
    // has no encoder of its own: the publisher adds "topic" to what the agent encodes).
    decodeOrRefuse([&] { return proto::fw::topicDelta(j); });
    decodeOrRefuse([&] { return proto::fw::rolledBackEvent(j); });
    decodeOrRefuse([&] { return proto::fw::appliedEvent(j); });
    decodeOrRefuse([&] { return proto::fw::confirmedEvent(j); });
    roundTrip<proto::LogTopic>(j);
    roundTrip<proto::StateDeltaHead>(j);
    roundTrip<proto::IpvsTopic>(j);
    roundTrip<proto::VrrpTopic>(j);
    roundTrip<proto::DrainBookState>(j);
    roundTrip<proto::EventHead>(j);
    roundTrip<proto::FailoverEvent>(j);
    roundTrip<proto::TrackSnippetData>(j);
    return 0;
}
