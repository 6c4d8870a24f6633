#include "hadeck/console/firewall/evaluator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <map>
#include <utility>

// The reasons are marked for the console's catalog (context FirewallLint), which translates them
// with their arguments (linttext.h); this library itself stays free of Qt.
#ifndef QT_TRANSLATE_NOOP
#define QT_TRANSLATE_NOOP(scope, x) x
#endif

namespace hadeck::console::fw {

std::string fillArgs(const char* text, const std::vector<std::string>& args)
{
    std::string out;
    for (const char* p = text; *p != 0; ++p) {
        if (*p == '%' && p[1] >= '1' && p[1] <= '9' && static_cast<std::size_t>(p[1] - '1') < args.size()) {
            out += args[static_cast<std::size_t>(p[1] - '1')];
            ++p;
        } else {
            out += *p;
        }
    }
    return out;
}

using proto::fw::Json;
using proto::fw::Rule;

namespace {

enum class Tri { False, True, Unknown };

struct Address {
    int af = 0; // 4 or 6; 0 invalid
    std::array<std::uint8_t, 16> bytes{};
};

bool parseV4(std::string_view s, std::array<std::uint8_t, 16>& out)
{
    int part = 0;
    unsigned value = 0;
    int digits = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.') {
            if (digits == 0 || value > 255 || part > 3) {
                return false;
            }
            out[static_cast<std::size_t>(part++)] = static_cast<std::uint8_t>(value);
            value = 0;
            digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
            value = value * 10 + static_cast<unsigned>(s[i] - '0');
            ++digits;
        } else {
            return false;
        }
    }
    return part == 4;
}

bool parseV6(std::string_view s, std::array<std::uint8_t, 16>& out)
{
    std::vector<std::uint16_t> head;
    std::vector<std::uint16_t> tail;
    bool gap = false;
    std::vector<std::uint16_t>* cur = &head;
    std::size_t i = 0;
    if (s.substr(0, 2) == "::") {
        gap = true;
        cur = &tail;
        i = 2;
    }
    while (i < s.size()) {
        std::size_t j = i;
        unsigned v = 0;
        while (j < s.size() && j - i < 4 && std::isxdigit(static_cast<unsigned char>(s[j]))) {
            const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
            v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
            ++j;
        }
        if (j == i) {
            return false;
        }
        cur->push_back(static_cast<std::uint16_t>(v));
        if (j == s.size()) {
            break;
        }
        if (s[j] != ':') {
            return false;
        }
        if (j + 1 < s.size() && s[j + 1] == ':') {
            if (gap) {
                return false;
            }
            gap = true;
            cur = &tail;
            i = j + 2;
        } else {
            i = j + 1;
        }
    }
    const std::size_t n = head.size() + tail.size();
    if (n > 8 || (!gap && n != 8)) {
        return false;
    }
    std::vector<std::uint16_t> all = head;
    all.resize(8 - tail.size(), 0);
    all.insert(all.end(), tail.begin(), tail.end());
    for (std::size_t k = 0; k < 8; ++k) {
        out[2 * k] = static_cast<std::uint8_t>(all[k] >> 8);
        out[2 * k + 1] = static_cast<std::uint8_t>(all[k] & 0xff);
    }
    return true;
}

Address parseAddress(std::string_view s)
{
    Address a;
    if (parseV4(s, a.bytes)) {
        a.af = 4;
    } else if (s.find(':') != std::string_view::npos && parseV6(s, a.bytes)) {
        a.af = 6;
    }
    return a;
}

bool isLoopback(const Address& a)
{
    if (a.af == 4) {
        return a.bytes[0] == 127;
    }
    if (a.af == 6) {
        for (std::size_t i = 0; i < 15; ++i) {
            if (a.bytes[i] != 0) {
                return false;
            }
        }
        return a.bytes[15] == 1;
    }
    return false;
}

int compareAddr(const Address& a, const Address& b)
{
    const std::size_t n = a.af == 4 ? 4 : 16;
    return std::memcmp(a.bytes.data(), b.bytes.data(), n);
}

bool inPrefix(const Address& a, const Address& net, int len)
{
    if (a.af != net.af) {
        return false;
    }
    for (int bit = 0; bit < len; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
        if ((a.bytes[byte] & mask) != (net.bytes[byte] & mask)) {
            return false;
        }
    }
    return true;
}

const std::map<std::string, int, std::less<>>& protocolNumbers()
{
    static const std::map<std::string, int, std::less<>> m{
        {"icmp", 1}, {"igmp", 2}, {"tcp", 6}, {"udp", 17}, {"gre", 47}, {"esp", 50}, {"ah", 51},
        {"icmpv6", 58}, {"ipv6-icmp", 58}, {"sctp", 132}, {"udplite", 136}, {"vrrp", 112}, {"ospf", 89}};
    return m;
}

/// @p j as JSON text for a reason; never throws (a string that is not UTF-8 is shown with U+FFFD).
std::string dumped(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

/// The string @p obj holds at @p key, or nullptr when it is not an object or holds something else there.
const std::string* stringAt(const Json& obj, const char* key)
{
    if (!obj.is_object()) {
        return nullptr;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

/// What @p obj holds at @p key as a word: a string as it is, @p absent when there is none, anything
/// else as its JSON ("6" for the number 6), which none of nft's words is, so it is not understood.
std::string wordAt(const Json& obj, const char* key, const char* absent = "")
{
    if (const auto* s = stringAt(obj, key)) {
        return *s;
    }
    if (obj.is_object() && obj.contains(key)) {
        return dumped(obj[key]);
    }
    return absent;
}

/// The prefix length @p obj holds at @p key, 0 to 128, or -1 when it holds anything else.
int lengthAt(const Json& obj, const char* key)
{
    const auto it = obj.is_object() ? obj.find(key) : obj.end();
    if (it == obj.end() || !it->is_number_integer()) {
        return -1;
    }
    if (it->is_number_unsigned()) {
        const auto n = it->get<std::uint64_t>();
        return n <= 128 ? static_cast<int>(n) : -1;
    }
    const auto n = it->get<std::int64_t>();
    return n >= 0 && n <= 128 ? static_cast<int>(n) : -1;
}

/// A value of the packet the left side of a match names.
struct Value {
    enum Kind { None, Addr, Number, Text, Flags } kind = None;
    Address addr;
    std::int64_t number = 0;
    std::string text;
};

enum class Flow { Continue, Accept, Drop, Return, Unknown };

struct ChainResult {
    Flow flow = Flow::Continue;
    const Rule* rule = nullptr;
    std::string chain;
    Reason reason;
};

/// The work evaluate() may do for one packet: rules run and values compared, over all base chains.
/// An ordinary ruleset needs a small part of it. Past it, what is left is "cannot judge".
constexpr std::size_t kMaxSteps = 1'000'000;

Reason tooMuchWork()
{
    return {QT_TRANSLATE_NOOP("FirewallLint", "more than %1 steps to judge one packet"), {std::to_string(kMaxSteps)}};
}

struct Ctx {
    const Ruleset& rs;
    const Packet& p;
    std::string family; // the table's
    std::string table;
    std::size_t& steps; // spent on this packet so far, in all its base chains
    Reason unknown; // first thing not understood
    /// A chain's result at a depth of jumps. Nothing a rule does changes the packet here, so a chain
    /// run again at the same depth gives the same result; the depth counts, for the jump cap.
    std::map<std::pair<const proto::fw::Chain*, int>, ChainResult> runs;
};

/// Counts one step; false once the packet has had all of kMaxSteps.
bool spend(Ctx& ctx) { return ++ctx.steps <= kMaxSteps; }

Tri fromBool(bool b) { return b ? Tri::True : Tri::False; }

/// What the packet has for @p left; None with ctx.unknown set when the evaluator cannot say,
/// or a definite False through @p absent (e.g. "tcp dport" on a UDP packet).
Value packetValue(Ctx& ctx, const Json& left, bool& absent)
{
    absent = false;
    Value v;
    if (!left.is_object() || left.size() != 1) {
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "expression %1"), {dumped(left)}};
        return v;
    }
    const auto first = left.begin();
    const std::string& kind = first.key();
    const Json& body = first.value();
    if (kind == "payload" && body.is_object()) {
        const std::string proto = wordAt(body, "protocol");
        const std::string field = wordAt(body, "field");
        if (proto == "ip" || proto == "ip6") {
            if ((proto == "ip") != (ctx.p.family == "ip")) {
                absent = true;
                return v;
            }
            if (field == "saddr" || field == "daddr") {
                v.kind = Value::Addr;
                v.addr = parseAddress(field == "saddr" ? ctx.p.saddr : ctx.p.daddr);
                if (v.addr.af == 0) {
                    ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "the packet's %1 is not an address"), {field}};
                    v.kind = Value::None;
                }
                return v;
            }
            if (field == "protocol" || field == "nexthdr") {
                v.kind = Value::Number;
                v.number = ctx.p.l4proto;
                return v;
            }
        } else if (proto == "tcp" || proto == "udp" || proto == "th" || proto == "sctp") {
            const bool ported = ctx.p.l4proto == 6 || ctx.p.l4proto == 17 || ctx.p.l4proto == 132;
            const auto want = protocolNumbers().find(proto);
            if ((proto == "th" && !ported) || (want != protocolNumbers().end() && want->second != ctx.p.l4proto)) {
                absent = true;
                return v;
            }
            if (field == "dport" || field == "sport") {
                const auto& port = field == "dport" ? ctx.p.dport : ctx.p.sport;
                if (!port) {
                    ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "the packet has no %1"), {field}};
                    return v;
                }
                v.kind = Value::Number;
                v.number = *port;
                return v;
            }
        } else if (auto n = protocolNumbers().find(proto); n != protocolNumbers().end()) {
            // icmp type, esp spi...: the packet is not of that protocol, or we cannot say.
            if (n->second != ctx.p.l4proto) {
                absent = true;
                return v;
            }
        }
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "the match %1 %2"), {proto, field}};
        return v;
    }
    if (kind == "meta" && body.is_object()) {
        const std::string key = wordAt(body, "key");
        if (key == "l4proto") {
            v.kind = Value::Number;
            v.number = ctx.p.l4proto;
            return v;
        }
        if (key == "nfproto") {
            v.kind = Value::Text;
            v.text = ctx.p.family == "ip" ? "ipv4" : "ipv6";
            return v;
        }
        if (key == "iifname" || key == "oifname" || key == "iif" || key == "oif") {
            const std::string& name = key[0] == 'i' ? ctx.p.iif : ctx.p.oif;
            const std::string& peer = key[0] == 'i' ? ctx.p.saddr : ctx.p.daddr;
            if (name.empty() && !isLoopback(parseAddress(peer))) {
                // Not known, but surely not the loopback: only a comparison with "lo" can be judged.
                v.kind = Value::Text;
                return v;
            }
            if (name.empty()) {
                ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "the packet's %1 is not known"), {key}};
                return v;
            }
            v.kind = Value::Text;
            v.text = name;
            return v;
        }
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "the match meta %1"), {key}};
        return v;
    }
    if (kind == "ct" && body.is_object() && wordAt(body, "key") == "state") {
        v.kind = Value::Flags;
        v.text = ctx.p.ctState;
        return v;
    }
    ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "the expression %1 %2"), {kind, dumped(body)}};
    return v;
}

Tri equalsOne(Ctx& ctx, const Value& v, const Json& right, int depth);

/// The value of a set element or a map key: {"elem":{"val":...,"comment":...}} is an element with
/// options (a comment, a timeout). Without its val the whole element stays the value, which is
/// not understood.
const Json& elementValue(const Json& key)
{
    const auto elem = key.is_object() ? key.find("elem") : key.end();
    const bool wrapped = elem != key.end() && elem->is_object() && elem->contains("val");
    return wrapped ? (*elem)["val"] : key;
}

/// Membership of @p v in a list of elements (anonymous set, named set, map keys).
Tri inElements(Ctx& ctx, const Value& v, const Json& elems, int depth)
{
    bool unknown = false;
    for (const Json& e : elems) {
        const Json& key = e.is_array() && e.size() == 2 ? e[0] : e; // map element: [key, value]
        switch (equalsOne(ctx, v, elementValue(key), depth + 1)) {
        case Tri::True: return Tri::True;
        case Tri::Unknown: unknown = true; break;
        case Tri::False: break;
        }
    }
    return unknown ? Tri::Unknown : Tri::False;
}

const proto::fw::NamedSet* namedSet(const Ctx& ctx, const std::string& ref)
{
    return ref.size() > 1 && ref[0] == '@' ? ctx.rs.findSet(ctx.family, ctx.table, ref.substr(1)) : nullptr;
}

Tri equalsOne(Ctx& ctx, const Value& v, const Json& right, int depth)
{
    if (!spend(ctx)) {
        ctx.unknown = tooMuchWork();
        return Tri::Unknown;
    }
    if (depth > 16) {
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "nesting too deep"), {}};
        return Tri::Unknown;
    }
    if (right.is_string()) {
        const std::string r = right.get<std::string>();
        if (!r.empty() && r[0] == '@') {
            const auto* set = namedSet(ctx, r);
            if (!set) {
                ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "set %1 is not in the ruleset"), {r}};
                return Tri::Unknown;
            }
            return inElements(ctx, v, set->elements, depth);
        }
        switch (v.kind) {
        case Value::Addr: {
            const Address a = parseAddress(r);
            if (a.af == 0) {
                ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "address %1"), {r}};
                return Tri::Unknown;
            }
            return fromBool(a.af == v.addr.af && compareAddr(a, v.addr) == 0);
        }
        case Value::Number: {
            if (auto n = protocolNumbers().find(r); n != protocolNumbers().end()) {
                return fromBool(n->second == v.number);
            }
            ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "value \"%1\""), {r}};
            return Tri::Unknown;
        }
        case Value::Text:
            if (v.text.empty()) {
                if (r == "lo") {
                    return Tri::False;
                }
                ctx.unknown = {
                    QT_TRANSLATE_NOOP("FirewallLint", "the packet's interface is not known (compared with \"%1\")"),
                    {r}};
                return Tri::Unknown;
            }
            if (r.find('*') != std::string::npos) { // iifname "eth*"
                const std::string prefix = r.substr(0, r.find('*'));
                return fromBool(v.text.rfind(prefix, 0) == 0);
            }
            return fromBool(v.text == r);
        case Value::Flags: return fromBool(v.text == r);
        case Value::None: break;
        }
        return Tri::Unknown;
    }
    if (right.is_number_integer() || right.is_number_unsigned()) {
        if (v.kind == Value::Number) {
            return fromBool(right.get<std::int64_t>() == v.number);
        }
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "number compared with %1"), {dumped(right)}};
        return Tri::Unknown;
    }
    if (right.is_array()) { // ct state flags list
        return inElements(ctx, v, right, depth);
    }
    if (right.is_object() && right.size() == 1) {
        const auto first = right.begin();
        const std::string& k = first.key();
        const Json& body = first.value();
        if (k == "set" && body.is_array()) {
            return inElements(ctx, v, body, depth);
        }
        if (k == "set" && body.is_string()) {
            return equalsOne(ctx, v, body, depth + 1);
        }
        if (k == "prefix" && body.is_object() && v.kind == Value::Addr) {
            const std::string* addr = stringAt(body, "addr");
            const Address net = addr ? parseAddress(*addr) : Address{};
            const int len = lengthAt(body, "len");
            if (net.af == 0 || len < 0 || len > (net.af == 4 ? 32 : 128)) {
                ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "prefix %1"), {dumped(body)}};
                return Tri::Unknown;
            }
            return fromBool(inPrefix(v.addr, net, len));
        }
        if (k == "range" && body.is_array() && body.size() == 2) {
            if (v.kind == Value::Number && body[0].is_number_integer() && body[1].is_number_integer()) {
                return fromBool(v.number >= body[0].get<std::int64_t>() && v.number <= body[1].get<std::int64_t>());
            }
            if (v.kind == Value::Addr && body[0].is_string() && body[1].is_string()) {
                const Address lo = parseAddress(body[0].get<std::string>());
                const Address hi = parseAddress(body[1].get<std::string>());
                if (lo.af == v.addr.af && hi.af == v.addr.af) {
                    return fromBool(compareAddr(lo, v.addr) <= 0 && compareAddr(v.addr, hi) <= 0);
                }
            }
        }
    }
    ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "value %1"), {dumped(right)}};
    return Tri::Unknown;
}

Tri match(Ctx& ctx, const Json& m)
{
    if (!m.is_object()) {
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "expression %1"), {dumped(m)}};
        return Tri::Unknown;
    }
    bool absent = false;
    const Value v = packetValue(ctx, m.value("left", Json()), absent);
    if (absent) {
        return Tri::False; // the implied protocol dependency does not hold
    }
    if (v.kind == Value::None) {
        return Tri::Unknown;
    }
    const std::string op = wordAt(m, "op", "==");
    const Json& right = m.contains("right") ? m["right"] : Json();
    Tri r = Tri::Unknown;
    if (op == "==" || op == "in") {
        r = equalsOne(ctx, v, right, 0);
    } else if (op == "!=") {
        r = equalsOne(ctx, v, right, 0);
        r = r == Tri::Unknown ? r : fromBool(r == Tri::False);
    } else if ((op == "<" || op == ">" || op == "<=" || op == ">=") && v.kind == Value::Number &&
               right.is_number_integer()) {
        const auto x = right.get<std::int64_t>();
        r = fromBool(op == "<" ? v.number < x : op == ">" ? v.number > x : op == "<=" ? v.number <= x : v.number >= x);
    } else {
        ctx.unknown = {QT_TRANSLATE_NOOP("FirewallLint", "operator %1"), {op}};
    }
    return r;
}

ChainResult runChain(Ctx& ctx, const proto::fw::Chain& chain, int depth);

/// A verdict statement's effect; jumps run the target chain.
ChainResult verdict(Ctx& ctx, const std::string& kind, const Json& body, const Rule& rule, int depth)
{
    if (kind == "accept") {
        return {Flow::Accept, &rule, rule.chain, {"%1", {kind}}};
    }
    if (kind == "drop" || kind == "reject") {
        return {Flow::Drop, &rule, rule.chain, {"%1", {kind}}};
    }
    if (kind == "return") {
        return {Flow::Return, &rule, rule.chain, {"%1", {kind}}};
    }
    if (kind == "continue") {
        return {Flow::Continue, nullptr, {}, {}};
    }
    if ((kind == "jump" || kind == "goto") && stringAt(body, "target") != nullptr) {
        const std::string& target = *stringAt(body, "target");
        const auto* c = ctx.rs.findChain(ctx.family, ctx.table, target);
        if (!c) {
            return {Flow::Unknown,
                    &rule,
                    rule.chain,
                    {QT_TRANSLATE_NOOP("FirewallLint", "chain %1 is not in the ruleset"), {target}}};
        }
        if (depth > 16) {
            return {Flow::Unknown, &rule, rule.chain, {QT_TRANSLATE_NOOP("FirewallLint", "jumps nest too deep"), {}}};
        }
        ChainResult r = runChain(ctx, *c, depth + 1);
        if (r.flow == Flow::Return || r.flow == Flow::Continue) {
            // Back in the calling chain (goto: back in the caller's caller, which for a
            // base chain means its policy; treat as unknown to stay honest).
            if (kind == "goto") {
                return {Flow::Unknown,
                        &rule,
                        rule.chain,
                        {QT_TRANSLATE_NOOP("FirewallLint", "goto %1 fell through to the caller's caller"), {target}}};
            }
            return {Flow::Continue, nullptr, {}, {}};
        }
        return r;
    }
    return {Flow::Unknown, &rule, rule.chain, {QT_TRANSLATE_NOOP("FirewallLint", "verdict %1"), {kind}}};
}

ChainResult runRule(Ctx& ctx, const Rule& rule, int depth)
{
    if (!spend(ctx)) {
        return {Flow::Unknown, &rule, rule.chain, tooMuchWork()};
    }
    for (const Json& stmt : rule.expr) {
        if (!stmt.is_object() || stmt.size() != 1) {
            return {
                Flow::Unknown, &rule, rule.chain, {QT_TRANSLATE_NOOP("FirewallLint", "statement %1"), {dumped(stmt)}}};
        }
        const auto first = stmt.begin();
        const std::string& kind = first.key();
        const Json& body = first.value();
        if (kind == "match") {
            ctx.unknown = {};
            switch (match(ctx, body)) {
            case Tri::False: return {Flow::Continue, nullptr, {}, {}};
            case Tri::True: continue;
            case Tri::Unknown: return {Flow::Unknown, &rule, rule.chain, ctx.unknown};
            }
        }
        if (kind == "counter" || kind == "log" || kind == "comment" || kind == "notrack" || kind == "meta" ||
            kind == "mangle" || kind == "ct" || kind == "set" || kind == "synproxy") {
            continue; // does not decide the packet's fate here
        }
        if (kind == "vmap" && body.is_object()) {
            bool absent = false;
            ctx.unknown = {};
            const Value v = packetValue(ctx, body.value("key", Json()), absent);
            if (absent) {
                return {Flow::Continue, nullptr, {}, {}};
            }
            if (v.kind == Value::None) {
                return {Flow::Unknown, &rule, rule.chain, ctx.unknown};
            }
            const Json& data = body.value("data", Json());
            const Json* elems = nullptr;
            if (data.is_string()) {
                const auto* set = namedSet(ctx, data.get<std::string>());
                elems = set ? &set->elements : nullptr;
            } else if (data.is_object() && data.contains("set") && data["set"].is_array()) {
                elems = &data["set"];
            }
            if (!elems) {
                return {Flow::Unknown,
                        &rule,
                        rule.chain,
                        {QT_TRANSLATE_NOOP("FirewallLint", "verdict map %1"), {dumped(data)}}};
            }
            for (const Json& e : *elems) {
                if (!e.is_array() || e.size() != 2) {
                    continue;
                }
                const Tri t = equalsOne(ctx, v, elementValue(e[0]), 0);
                if (t == Tri::Unknown) {
                    return {Flow::Unknown, &rule, rule.chain, ctx.unknown};
                }
                if (t == Tri::True && e[1].is_object() && e[1].size() == 1) {
                    const auto vf = e[1].begin();
                    return verdict(ctx, vf.key(), vf.value(), rule, depth);
                }
            }
            return {Flow::Continue, nullptr, {}, {}}; // no element: the rule does not decide
        }
        if (kind == "accept" || kind == "drop" || kind == "reject" || kind == "return" || kind == "jump" ||
            kind == "goto" || kind == "continue" || kind == "queue") {
            return verdict(ctx, kind, body, rule, depth);
        }
        // limit, quota, xt, nat... : cannot say what happens
        return {Flow::Unknown, &rule, rule.chain, {QT_TRANSLATE_NOOP("FirewallLint", "%1 statement"), {kind}}};
    }
    return {Flow::Continue, nullptr, {}, {}};
}

ChainResult runChain(Ctx& ctx, const proto::fw::Chain& chain, int depth)
{
    // Run once: k rules jumping to the next of 17 chains would otherwise run the last k^16 times.
    const auto key = std::make_pair(&chain, depth);
    if (const auto it = ctx.runs.find(key); it != ctx.runs.end()) {
        return it->second;
    }
    ChainResult result{Flow::Continue, nullptr, chain.name, {}};
    for (const Rule* rule : ctx.rs.rulesOf(chain)) {
        ChainResult r = runRule(ctx, *rule, depth);
        if (r.flow != Flow::Continue) {
            result = std::move(r);
            break;
        }
    }
    ctx.runs.emplace(key, result);
    return result;
}

bool familyApplies(const std::string& tableFamily, const std::string& packetFamily)
{
    return tableFamily == packetFamily || tableFamily == "inet";
}

Decision decided(Verdict v, const proto::fw::Chain& chain, const ChainResult& r)
{
    Decision d;
    d.verdict = v;
    d.family = chain.family;
    d.table = chain.table;
    d.chain = r.rule ? r.rule->chain : chain.name;
    if (r.rule) {
        d.handle = r.rule->handle;
        d.ruleText = r.rule->text;
    }
    d.why = r.reason;
    return d;
}

} // namespace

Decision evaluate(const Ruleset& rs, const Packet& p)
{
    std::vector<const proto::fw::Chain*> chains;
    for (const auto& c : rs.chains) {
        if (c.isBase() && c.hook == p.hook && (c.type == "filter" || c.type == "route") &&
            familyApplies(c.family, p.family)) {
            chains.push_back(&c);
        }
    }
    std::stable_sort(chains.begin(), chains.end(), [](const auto* a, const auto* b) {
        return a->priority.value_or(0) < b->priority.value_or(0);
    });
    std::optional<Decision> unknown;
    std::optional<Decision> lastAccept;
    std::size_t steps = 0;
    for (const auto* c : chains) {
        Ctx ctx{rs, p, c->family, c->table, steps, {}, {}};
        const ChainResult r = runChain(ctx, *c, 0);
        switch (r.flow) {
        case Flow::Drop: return decided(Verdict::Drop, *c, r);
        case Flow::Unknown:
            if (!unknown) {
                unknown = decided(Verdict::CannotJudge, *c, r);
            }
            break;
        case Flow::Accept: lastAccept = decided(Verdict::Accept, *c, r); break;
        case Flow::Continue:
        case Flow::Return: {
            ChainResult policy{
                Flow::Continue,
                nullptr,
                c->name,
                {QT_TRANSLATE_NOOP("FirewallLint", "policy %1"), {c->policy.empty() ? "accept" : c->policy}}};
            if (c->policy == "drop") {
                return decided(Verdict::Drop, *c, policy);
            }
            lastAccept = decided(Verdict::Accept, *c, policy);
            break;
        }
        }
    }
    if (unknown) {
        return *unknown;
    }
    if (lastAccept) {
        return *lastAccept;
    }
    Decision none;
    none.why = {QT_TRANSLATE_NOOP("FirewallLint", "no filter chain on this hook: accepted"), {}};
    return none;
}

int prefixMatch(std::string_view address, std::string_view cidr)
{
    const auto slash = cidr.find('/');
    const Address a = parseAddress(address);
    const Address net = parseAddress(cidr.substr(0, slash));
    if (a.af == 0 || a.af != net.af) {
        return -1;
    }
    int len = a.af == 4 ? 32 : 128;
    if (slash != std::string_view::npos) {
        int n = 0;
        const auto digits = cidr.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) {
            return -1;
        }
        for (const char c : digits) {
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        if (n > len) {
            return -1;
        }
        len = n;
    }
    return inPrefix(a, net, len) ? len : -1;
}

std::string protocolName(int l4proto)
{
    std::string proto;
    for (const auto& [name, n] : protocolNumbers()) {
        if (n == l4proto && name != "ipv6-icmp") {
            proto = name;
        }
    }
    return proto;
}

std::string describe(const Packet& p)
{
    std::string proto = protocolName(p.l4proto);
    if (proto.empty()) {
        proto = "protocol " + std::to_string(p.l4proto);
    }
    std::string s = proto + " " + (p.saddr.empty() ? "?" : p.saddr) + " -> " + (p.daddr.empty() ? "?" : p.daddr);
    if (p.dport) {
        s += ":" + std::to_string(*p.dport);
    }
    s += " (" + p.ctState + ", " + p.hook;
    if (!p.iif.empty()) {
        s += ", in " + p.iif;
    }
    if (!p.oif.empty()) {
        s += ", out " + p.oif;
    }
    return s + ")";
}

} // namespace hadeck::console::fw
