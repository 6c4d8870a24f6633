#pragma once

// A pure evaluator of an nftables ruleset (the agent's model, firewall.h) for one
// packet: which rule of which chain decides its fate, and whether it passes.
// It understands the common matches (addresses, prefixes, ranges, sets and named
// sets, ports, l4 protocol, interface names, ct state) and verdicts (accept, drop,
// reject, jump, goto, return, verdict maps). Anything else that could decide the
// packet — a match it cannot read, a rate limit, a queue, an x_tables statement —
// makes the answer "cannot judge", naming the rule. It never passes silently.

#include "hadeck/protocol/firewall.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::console::fw {

using proto::fw::Ruleset;

struct Packet {
    std::string family = "ip"; // ip or ip6
    std::string hook = "input"; // input, forward, output (prerouting/postrouting: filter chains only)
    std::string iif;            // interface names; empty: unknown
    std::string oif;
    std::string saddr;
    std::string daddr;
    int l4proto = 6; // IP protocol number: 6 tcp, 17 udp, 1 icmp, 58 icmpv6, 112 vrrp
    std::optional<std::uint16_t> sport;
    std::optional<std::uint16_t> dport;
    std::string ctState = "new"; // new, established, related, invalid, untracked
};

enum class Verdict { Accept, Drop, CannotJudge };

/// @p text with %1..%9 replaced by @p args.
std::string fillArgs(const char* text, const std::vector<std::string>& args);

/// How the evaluator decided, or what it could not read: a sentence with %1..%9, marked for the
/// console's catalog (context FirewallLint), and its arguments (nft words, names and JSON, never
/// translated). The console translates the sentence; english() is the text logs and tests keep.
struct Reason {
    const char* text = "";
    std::vector<std::string> args;
    [[nodiscard]] std::string english() const { return fillArgs(text, args); }
    [[nodiscard]] bool empty() const { return *text == 0; }
};

struct Decision {
    Verdict verdict = Verdict::Accept;
    // The rule that decided (handle 0: the base chain's policy; empty chain: no base chain saw it).
    std::string family;
    std::string table;
    std::string chain;
    std::uint64_t handle = 0;
    std::string ruleText;
    Reason why; // what it did not understand, for CannotJudge; how it decided otherwise
    [[nodiscard]] std::string reason() const { return why.english(); }
};

/// Evaluates @p packet against every filter base chain of its hook and family, in
/// priority order. A drop anywhere drops; an accepted packet goes on to the next
/// base chain. A drop found after a chain that could not be judged still drops.
Decision evaluate(const Ruleset& ruleset, const Packet& packet);

/// The length of @p cidr ("198.18.0.1/24", "fd00::1/64") when @p address lies in it, else -1.
int prefixMatch(std::string_view address, std::string_view cidr);

/// "tcp 198.18.0.5 -> 198.18.1.10:22 (new, input)".
std::string describe(const Packet& packet);
/// nft's name of IP protocol @p l4proto ("tcp", "vrrp"), or empty when it has none.
std::string protocolName(int l4proto);

} // namespace hadeck::console::fw
