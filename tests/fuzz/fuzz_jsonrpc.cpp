// libFuzzer target for the wire codec: rpc::decode on one line, and the
// LineFramer on the same bytes cut at fuzzer-chosen points. Invariants: no
// crash, no exception, a decoded message re-encodes to a line that decodes to
// the same kind of message, and the framer never buffers past its limit.

#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/types.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

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

    auto message = rpc::decode(bytes);
    if (message) {
        const std::string line = rpc::encode(*message);
        check(line.find('\n') == std::string::npos);
        auto again = rpc::decode(line);
        check(again.hasValue());
        check(again->index() == message->index());
        if (const auto* req = std::get_if<rpc::Request>(&*message); req != nullptr && req->params.is_object()) {
            // The typed payload decoders must refuse, not throw.
            (void)proto::fromJson<proto::HelloParams>(req->params);
            (void)proto::fromJson<proto::HelloResult>(req->params);
            (void)proto::fromJson<proto::SubscribeParams>(req->params);
        }
    } else {
        check(message.error().error.code != 0);
    }

    // The first byte picks the frame limit and the chunk size.
    const std::size_t limit = size > 0 ? 16U + data[0] : 64U;
    const std::size_t chunk = size > 1 ? 1U + data[1] % 17U : 1U;
    rpc::LineFramer framer(limit);
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const bool ok = framer.feed(bytes.substr(at, chunk), lines);
        check(framer.buffered() <= limit + chunk);
        for (const auto& l : lines) {
            check(l.size() <= limit);
            check(l.find('\n') == std::string::npos);
            (void)rpc::decode(l);
        }
        lines.clear();
        if (!ok) {
            check(framer.overflowed());
            break;
        }
    }
    return 0;
}
