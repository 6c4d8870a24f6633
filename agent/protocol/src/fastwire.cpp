#include "hadeck/protocol/fastwire.h"

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/types.h"

#include "names.h"

#ifdef HADECK_HAVE_SIMDJSON
#include <simdjson.h>
#endif

#include <cstdint>
#include <limits>
#include <type_traits>

namespace hadeck::rpc {

#ifdef HADECK_HAVE_SIMDJSON

namespace {

namespace dom = simdjson::dom;

// rpc::decode's nesting limit (jsonrpc.cpp). simdjson counts the levels of
// arrays and objects the same way, so no deeper line passes here.
constexpr std::size_t kMaxDepth = 64;
// Lines above this leave the parser's buffers freed after use, so one 12 MB
// snapshot does not keep three times its size per node.
constexpr std::size_t kKeepBuffersUpTo = 1U << 20;

/// Not accepted in full: the generic path decides. Thrown only on the rare
/// line that is not what an agent sends, never on the hot path.
struct Refused {};

[[noreturn]] void refuse() { throw Refused{}; }

dom::object object(dom::element e)
{
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) {
        refuse();
    }
    return o;
}

dom::array array(dom::element e)
{
    dom::array a;
    if (e.get_array().get(a) != simdjson::SUCCESS) {
        refuse();
    }
    return a;
}

std::string_view text(dom::element e)
{
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) {
        refuse();
    }
    return s;
}

bool boolean(dom::element e)
{
    bool b = false;
    if (e.get_bool().get(b) != simdjson::SUCCESS) {
        refuse();
    }
    return b;
}

/// wire::integer: a JSON integer within [min, max]; floats, strings, null refused.
template <typename T>
T integer(dom::element e, T min = std::numeric_limits<T>::min(), T max = std::numeric_limits<T>::max())
{
    switch (e.type()) {
    case dom::element_type::INT64: {
        std::int64_t v = 0;
        if (e.get_int64().get(v) != simdjson::SUCCESS) {
            refuse();
        }
        if (v < 0) {
            if constexpr (std::is_unsigned_v<T>) {
                refuse();
            } else if (v < static_cast<std::int64_t>(min)) {
                refuse();
            }
        } else if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(max) ||
                   (min > 0 && static_cast<std::uint64_t>(v) < static_cast<std::uint64_t>(min))) {
            refuse();
        }
        return static_cast<T>(v);
    }
    case dom::element_type::UINT64: { // above INT64_MAX
        std::uint64_t v = 0;
        if (e.get_uint64().get(v) != simdjson::SUCCESS) {
            refuse();
        }
        if (v > static_cast<std::uint64_t>(max)) {
            refuse();
        }
        return static_cast<T>(v);
    }
    default: refuse();
    }
}

int addressFamily(dom::element e)
{
    const int af = integer<int>(e, 4, 6);
    if (af != 4 && af != 6) {
        refuse();
    }
    return af;
}

// The keys below are those of the from_json of each type (director.cpp,
// payloads.cpp, types.cpp); tst_fastwire checks that both read the same.

proto::IpvsStats stats(dom::element e)
{
    proto::IpvsStats s;
    for (const auto field : object(e)) {
        const std::string_view k = field.key;
        std::uint64_t* slot = nullptr;
        if (k == "conns") {
            slot = &s.conns;
        } else if (k == "inpkts") {
            slot = &s.inPkts;
        } else if (k == "outpkts") {
            slot = &s.outPkts;
        } else if (k == "inbytes") {
            slot = &s.inBytes;
        } else if (k == "outbytes") {
            slot = &s.outBytes;
        } else if (k == "cps") {
            slot = &s.cps;
        } else if (k == "inpps") {
            slot = &s.inPps;
        } else if (k == "outpps") {
            slot = &s.outPps;
        } else if (k == "inbps") {
            slot = &s.inBps;
        } else if (k == "outbps") {
            slot = &s.outBps;
        }
        if (slot != nullptr) {
            *slot = integer<std::uint64_t>(field.value);
        }
    }
    return s;
}

void realServer(dom::element e, proto::RealServer& rs)
{
    bool address = false;
    bool port = false;
    for (const auto field : object(e)) {
        const std::string_view k = field.key;
        const dom::element v = field.value;
        if (k == "stats") {
            rs.stats = stats(v);
        } else if (k == "address") {
            rs.address = text(v);
            address = true;
        } else if (k == "port") {
            rs.port = integer<std::uint16_t>(v, 0, 65535);
            port = true;
        } else if (k == "weight") {
            rs.weight = integer<std::uint32_t>(v, 0, proto::kMaxWeight);
        } else if (k == "active") {
            rs.activeConns = integer<std::uint32_t>(v);
        } else if (k == "inactive") {
            rs.inactiveConns = integer<std::uint32_t>(v);
        } else if (k == "persistent") {
            rs.persistentConns = integer<std::uint32_t>(v);
        } else if (k == "af") {
            rs.af = addressFamily(v);
        } else if (k == "forward") {
            const auto f = proto::detail::forwardMethodFromName(text(v));
            if (!f) {
                refuse();
            }
            rs.forward = *f;
        } else if (k == "uthreshold") {
            rs.upperThreshold = integer<std::uint32_t>(v);
        } else if (k == "lthreshold") {
            rs.lowerThreshold = integer<std::uint32_t>(v);
        }
    }
    if (!address || !port) {
        refuse();
    }
}

void virtualService(dom::element e, proto::VirtualService& vs)
{
    for (const auto field : object(e)) {
        const std::string_view k = field.key;
        const dom::element v = field.value;
        if (k == "realServers") {
            const dom::array list = array(v);
            vs.realServers.clear();
            vs.realServers.reserve(list.size());
            for (const dom::element rs : list) {
                realServer(rs, vs.realServers.emplace_back());
            }
        } else if (k == "af") {
            vs.af = addressFamily(v);
        } else if (k == "protocol") {
            vs.protocol = text(v);
        } else if (k == "address") {
            vs.address = text(v);
        } else if (k == "port") {
            vs.port = integer<std::uint16_t>(v, 0, 65535);
        } else if (k == "fwmark") {
            vs.fwmark = integer<std::uint32_t>(v);
        } else if (k == "scheduler") {
            vs.scheduler = text(v);
        } else if (k == "flags") {
            vs.flags = integer<std::uint32_t>(v);
        } else if (k == "persistent") {
            vs.persistent = boolean(v);
        } else if (k == "timeout") {
            vs.timeout = integer<std::uint32_t>(v);
        } else if (k == "netmask") {
            vs.netmask = text(v);
        } else if (k == "pe") {
            vs.peName = text(v);
        } else if (k == "stats") {
            vs.stats = stats(v);
        }
    }
    // A service is protocol+address+port or a firewall mark (from_json of VirtualService).
    if (vs.fwmark == 0 && ((vs.protocol != "tcp" && vs.protocol != "udp" && vs.protocol != "sctp") ||
                           vs.address.empty() || vs.port == 0)) {
        refuse();
    }
}

std::vector<std::string> strings(dom::element e)
{
    std::vector<std::string> out;
    const dom::array list = array(e);
    out.reserve(list.size());
    for (const dom::element s : list) {
        out.emplace_back(text(s));
    }
    return out;
}

} // namespace

struct FastReader::Impl {
    dom::parser parser;
    dom::object params;
    proto::StateDeltaHead head;
    bool read = false;

    Impl() { reset(4096); }

    /// A parser with rpc::decode's depth limit; false when it could not allocate.
    bool reset(std::size_t capacity)
    {
        parser = dom::parser();
        return parser.allocate(capacity, kMaxDepth) == simdjson::SUCCESS;
    }
};

FastReader::FastReader() : d(std::make_unique<Impl>()) {}
FastReader::~FastReader() = default;

bool FastReader::available() { return true; }

bool FastReader::readStateDelta(std::string_view line)
{
    d->read = false;
    if (line.size() > kKeepBuffersUpTo && d->parser.capacity() < line.size()) {
        // A fresh parser for a large line keeps the depth limit; release() frees it after.
        if (!d->reset(line.size())) {
            (void)d->reset(4096);
            return false;
        }
    }
    dom::element root;
    if (d->parser.parse(line.data(), line.size()).get(root) != simdjson::SUCCESS) {
        return false;
    }
    // The checks of rpc::decode for a notification (no "id"), then of StateDeltaHead.
    dom::object message;
    if (root.get_object().get(message) != simdjson::SUCCESS) {
        return false;
    }
    bool version = false;
    bool method = false;
    bool params = false;
    for (const auto field : message) {
        const std::string_view k = field.key;
        std::string_view s;
        if (k == "id") {
            return false;
        }
        if (k == "jsonrpc") {
            version = field.value.get_string().get(s) == simdjson::SUCCESS && s == "2.0";
        } else if (k == "method") {
            method = field.value.get_string().get(s) == simdjson::SUCCESS && s == proto::notify::StateDelta;
        } else if (k == "params") {
            params = field.value.get_object().get(d->params) == simdjson::SUCCESS;
        }
    }
    if (!version || !method || !params) {
        return false;
    }
    bool topic = false;
    d->head = {};
    for (const auto field : d->params) {
        const std::string_view k = field.key;
        if (k == "topic") {
            std::string_view s;
            topic = field.value.get_string().get(s) == simdjson::SUCCESS;
            if (!topic) {
                return false;
            }
            d->head.topic = s;
        } else if (k == "snapshot") {
            if (field.value.get_bool().get(d->head.snapshot) != simdjson::SUCCESS) {
                return false; // null or another type: the generic path decides
            }
        }
    }
    d->read = topic;
    return d->read;
}

const proto::StateDeltaHead& FastReader::head() const { return d->head; }

std::optional<proto::IpvsTopic> FastReader::ipvsTopic() const
{
    if (!d->read || d->head.topic != proto::topic::Ipvs) {
        return std::nullopt;
    }
    try {
        proto::IpvsTopic t;
        bool services = false;
        for (const auto field : d->params) {
            const std::string_view k = field.key;
            const dom::element v = field.value;
            if (k == "services") {
                const dom::array list = array(v);
                t.services.clear();
                t.services.reserve(list.size());
                for (const dom::element vs : list) {
                    virtualService(vs, t.services.emplace_back());
                }
                services = true;
            } else if (k == "snapshot") {
                t.snapshot = boolean(v);
            } else if (k == "backend") {
                t.backend = text(v);
            } else if (k == "removedServices") {
                t.removedServices = strings(v);
            } else if (k == "removedDests") {
                const dom::array list = array(v);
                t.removedDests.clear();
                t.removedDests.reserve(list.size());
                for (const dom::element r : list) {
                    auto& out = t.removedDests.emplace_back();
                    bool service = false;
                    bool endpoint = false;
                    for (const auto f : object(r)) {
                        const std::string_view rk = f.key;
                        if (rk == "service") {
                            out.service = text(f.value);
                            service = true;
                        } else if (rk == "endpoint") {
                            out.endpoint = text(f.value);
                            endpoint = true;
                        }
                    }
                    if (!service || !endpoint) {
                        refuse();
                    }
                }
            }
        }
        if (t.snapshot && !services) {
            return std::nullopt;
        }
        return t;
    } catch (const Refused&) {
        return std::nullopt;
    }
}

void FastReader::release()
{
    if (d->parser.capacity() > kKeepBuffersUpTo) {
        d->read = false;
        (void)d->reset(4096);
    }
}

#else // no simdjson: the generic path takes every line

struct FastReader::Impl {
    proto::StateDeltaHead head;
};

FastReader::FastReader() : d(std::make_unique<Impl>()) {}
FastReader::~FastReader() = default;
bool FastReader::available() { return false; }
bool FastReader::readStateDelta(std::string_view) { return false; }
const proto::StateDeltaHead& FastReader::head() const { return d->head; }
std::optional<proto::IpvsTopic> FastReader::ipvsTopic() const { return std::nullopt; }
void FastReader::release() {}

#endif

} // namespace hadeck::rpc
