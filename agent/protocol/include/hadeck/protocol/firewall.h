#pragma once

// Firewall (nftables) on the wire: the ruleset model the agent reads through
// libnftables, the change set an admin sends back, and the params/results of the
// firewall.* methods (declared in methods.h).
//
// - A Ruleset carries a hash: SHA-256 over the ruleset without counters. A change
//   set names the hash it was made against; the agent refuses a stale one and
//   says what changed since.
// - firewall.apply is commit-confirmed: the agent saves the running ruleset,
//   applies the change set as one kernel transaction and starts its own timer.
//   Only firewall.confirm from a different connection than the apply's keeps it;
//   otherwise the agent restores the saved ruleset at the deadline and raises a
//   firewall.rolledBack event. The pending rollback survives an agent restart.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/jsonrpc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::proto::fw {

using rpc::Json;

/// Topic of state.delta notifications: counters at the sample rate, the whole
/// ruleset when its hash changes.
inline constexpr std::string_view kTopic = "firewall";
/// Event types raised by the firewall module.
inline constexpr std::string_view kEventRolledBack = "firewall.rolledBack";
inline constexpr std::string_view kEventApplied = "firewall.applied";
inline constexpr std::string_view kEventConfirmed = "firewall.confirmed";

inline constexpr int kConfirmMin = 10;
inline constexpr int kConfirmMax = 600;
inline constexpr int kConfirmDefault = 60;

struct Counter {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    bool operator==(const Counter&) const = default;
};

struct Table {
    std::string family; // ip, ip6, inet, arp, bridge, netdev
    std::string name;
    std::uint64_t handle = 0;
    /// Written by iptables-nft (x_tables compatibility): edit it with iptables, not here.
    bool iptablesNft = false;
    bool operator==(const Table&) const = default;
};

struct Chain {
    std::string family;
    std::string table;
    std::string name;
    std::uint64_t handle = 0;
    // Base chains only; empty for a regular chain (reached by jump/goto).
    std::string type; // filter, nat, route
    std::string hook; // input, forward, output, prerouting, postrouting, ingress
    std::optional<std::int64_t> priority;
    std::string policy; // accept, drop
    std::string device; // netdev/ingress chains
    [[nodiscard]] bool isBase() const { return !hook.empty(); }
    bool operator==(const Chain&) const = default;
};

struct Rule {
    std::string family;
    std::string table;
    std::string chain;
    std::uint64_t handle = 0;
    std::optional<Counter> counter; // the rule's first counter statement
    std::string comment;
    std::string text; // one line, as `nft -a list` prints it, without counter values and handle
    Json expr = Json::array(); // libnftables-json(5) statements, for the evaluator
    bool operator==(const Rule&) const = default;
};

/// A named set or map with its elements.
struct NamedSet {
    std::string family;
    std::string table;
    std::string name;
    std::uint64_t handle = 0;
    bool isMap = false;
    std::string type;    // key type, e.g. "ipv4_addr"; a concatenation joined with " . "
    std::string mapType; // maps: the value type, e.g. "verdict"
    std::vector<std::string> flags;
    Json elements = Json::array(); // as libnftables prints them
    std::vector<std::string> elementTexts; // readable: "198.18.0.0/24", "8080 : drop"
    bool operator==(const NamedSet&) const = default;
};

/// iptables-legacy rules (x_tables, not visible to nft), read-only.
struct LegacyIptables {
    bool present = false;
    std::string saveText; // iptables-save output
    std::string note;
    bool operator==(const LegacyIptables&) const = default;
};

/// A network interface of the node with its addresses and prefix lengths ("198.18.0.1/24").
struct Interface {
    std::string name;
    std::vector<std::string> addresses;
    bool operator==(const Interface&) const = default;
};

struct Ruleset {
    std::string nftVersion;
    std::vector<Table> tables;
    std::vector<Chain> chains;
    std::vector<Rule> rules;
    std::vector<NamedSet> sets;
    std::string hash; // see rulesetHash() in the agent's parser
    LegacyIptables legacy;
    /// Peer addresses of established SSH connections to this node (the lockout lint
    /// builds "SSH from the console" packets from them).
    std::vector<std::string> sshPeers;
    /// The node's interfaces and the interface of its IPv4 default route: the lint gives each
    /// packet the interface it arrives on (and leaves by, when forwarded), so rules that match
    /// iifname/oifname can be judged. Like sshPeers, not part of the hash.
    std::vector<Interface> interfaces;
    std::string defaultInterface;

    [[nodiscard]] const Chain* findChain(std::string_view family, std::string_view table,
                                         std::string_view name) const;
    [[nodiscard]] const NamedSet* findSet(std::string_view family, std::string_view table,
                                          std::string_view name) const;
    /// Rules of one chain in evaluation order.
    [[nodiscard]] std::vector<const Rule*> rulesOf(const Chain& chain) const;
};

// --- Change sets ---

enum class ChangeOp { AddRule, InsertRule, DeleteRule, SetPolicy, AddElements, DeleteElements, Raw };
std::string_view toString(ChangeOp op);
std::optional<ChangeOp> changeOpFromString(std::string_view s);

/// One operation. Which fields count depends on op:
///  add/insert: family, table, chain, rule (nft rule text), position (handle; 0 = end/start)
///  delete:     family, table, chain, handle
///  policy:     family, table, chain, policy (accept|drop)
///  elements:   family, table, set, elements
///  raw:        text (any nft script, for experts)
struct Change {
    ChangeOp op = ChangeOp::AddRule;
    std::string family;
    std::string table;
    std::string chain;
    std::string set;
    std::string rule;
    std::uint64_t handle = 0;
    std::uint64_t position = 0;
    std::string policy;
    std::vector<std::string> elements;
    std::string text;
    bool operator==(const Change&) const = default;
};

struct ChangeSet {
    std::string baseHash; // the ruleset hash the changes were made against
    std::vector<Change> changes;
    bool operator==(const ChangeSet&) const = default;
};

/// Why nft text given by a caller cannot be run by the agent, or nullopt. The agent runs it
/// through libnftables as root, even for a dry run, so only changes to the ruleset are taken:
///  - no `include` anywhere (nft would read the named file as root and quote its lines in
///    the error it returns);
///  - no command that is not a change (list, get, reset, monitor, export, import, describe):
///    a dry run of `monitor` waits for events for ever, and the others print the ruleset;
///  - no NUL byte (nft takes C strings: what follows one would go unchecked).
/// Quoted strings and comments are skipped as nft's scanner skips them.
[[nodiscard]] std::optional<std::string> nftTextProblem(std::string_view text);

/// Whether a change set holds raw nft text (which only an admin may check or apply).
[[nodiscard]] bool hasRawText(const ChangeSet& changes);

/// The nft script of a change set (one line per change, raw text as given), or an
/// error naming the first bad change. Names are checked; nothing is quoted blindly;
/// every text passes nftTextProblem().
[[nodiscard]] Expected<std::string> toNftScript(const ChangeSet& changes);

// --- Method payloads ---

struct CheckParams {
    ChangeSet changes;
};

struct CheckResult {
    bool ok = false;
    std::string script;  // what was (or would be) handed to nft
    std::string error;   // nft's own message, with the line, when !ok
    std::vector<std::string> diff; // "+ ..."/"- ..." lines of the listing, when ok and previewed
    /// The ruleset the change would produce, loaded in a scratch network namespace (its
    /// handles are the scratch copy's, not this node's): what the console's lockout lint judges.
    std::optional<Ruleset> after;
    std::string previewError; // why there is no preview, when ok and none
};

struct ApplyParams {
    ChangeSet changes;
    int confirmWithin = kConfirmDefault; // seconds, kConfirmMin..kConfirmMax
    bool force = false;  // the console's lockout lint was overridden (audited)
    std::vector<std::string> lintFindings; // what the lint found, for the audit log
};

struct Pending {
    bool pending = false;
    std::string id;
    std::string user;
    std::int64_t appliedAt = 0; // unix seconds
    std::int64_t deadline = 0;  // unix seconds
    int confirmWithin = 0;
    std::string hashBefore;
    std::string hashAfter;
    bool forced = false;
    std::vector<std::string> diff;
};

struct ApplyResult {
    Pending pending;
};

struct ConfirmParams {
    std::string id;
};

struct ConfirmResult {
    std::string id;
    std::string hash;
    std::string persistedTo;
    std::string backup; // the previous file, kept; empty when there was none
};

struct RollbackParams {
    std::string id; // empty: the pending change if any, else the last confirmed ruleset
};

struct RollbackResult {
    std::string restoredFrom; // "saved ruleset of <id>" or the persisted file's path
    std::string hash;
    std::vector<std::string> diff;
};

void to_json(Json& j, const Counter& v);
void from_json(const Json& j, Counter& v);
void to_json(Json& j, const Table& v);
void from_json(const Json& j, Table& v);
void to_json(Json& j, const Chain& v);
void from_json(const Json& j, Chain& v);
void to_json(Json& j, const Rule& v);
void from_json(const Json& j, Rule& v);
void to_json(Json& j, const NamedSet& v);
void from_json(const Json& j, NamedSet& v);
void to_json(Json& j, const LegacyIptables& v);
void from_json(const Json& j, LegacyIptables& v);
void to_json(Json& j, const Interface& v);
void from_json(const Json& j, Interface& v);
void to_json(Json& j, const Ruleset& v);
void from_json(const Json& j, Ruleset& v);
void to_json(Json& j, const Change& v);
void from_json(const Json& j, Change& v);
void to_json(Json& j, const ChangeSet& v);
void from_json(const Json& j, ChangeSet& v);
void to_json(Json& j, const CheckParams& v);
void from_json(const Json& j, CheckParams& v);
void to_json(Json& j, const CheckResult& v);
void from_json(const Json& j, CheckResult& v);
void to_json(Json& j, const ApplyParams& v);
void from_json(const Json& j, ApplyParams& v);
void to_json(Json& j, const Pending& v);
void from_json(const Json& j, Pending& v);
void to_json(Json& j, const ApplyResult& v);
void from_json(const Json& j, ApplyResult& v);
void to_json(Json& j, const ConfirmParams& v);
void from_json(const Json& j, ConfirmParams& v);
void to_json(Json& j, const ConfirmResult& v);
void from_json(const Json& j, ConfirmResult& v);
void to_json(Json& j, const RollbackParams& v);
void from_json(const Json& j, RollbackParams& v);
void to_json(Json& j, const RollbackResult& v);
void from_json(const Json& j, RollbackResult& v);

} // namespace hadeck::proto::fw

// --- What the agent pushes (decoded for the console) ---
namespace hadeck::proto::fw {

/// One rule's counter in a counters-only delta of the firewall topic.
struct CounterSample {
    std::string family;
    std::string table;
    std::string chain;
    std::uint64_t handle = 0;
    Counter counter;
};

/// A state.delta of the firewall topic: the snapshot on subscribe (hash, pending),
/// the whole ruleset when its hash changes, or the counters at the sample rate.
struct TopicDelta {
    std::string hash;
    std::optional<Ruleset> ruleset;
    std::vector<CounterSample> counters;
    std::optional<Pending> pending;
};
/// Decodes the params of a state.delta whose topic is kTopic; nullopt for any other topic.
/// Throws wire::DecodeError on a bad firewall payload.
std::optional<TopicDelta> topicDelta(const Json& stateDeltaParams);

/// The firewall.rolledBack event: the agent restored the saved ruleset.
struct RolledBack {
    std::string node;
    std::string id;
    bool ok = false;
    std::string reason; // "not confirmed within 60 s", "rollback requested by ..."
    std::string error;  // when !ok: why the restore failed (the agent retries)
    std::string hash;
    std::vector<std::string> diff; // when ok: what the restore changed
};
/// Decodes an "event" notification's params; nullopt unless it is a firewall.rolledBack.
std::optional<RolledBack> rolledBackEvent(const Json& eventParams);

/// The firewall.applied event: a change is live and waits for its confirmation.
struct AppliedEvent {
    std::string node;
    Pending pending;
};

/// The firewall.confirmed event: the pending change was kept (and persisted when it could be).
struct ConfirmedEvent {
    std::string node;
    std::string id;
    bool persisted = false;
};
/// Decode "event" notification params; nullopt unless the event is of that type. They throw
/// wire::DecodeError on a bad payload of their type.
std::optional<AppliedEvent> appliedEvent(const Json& eventParams);
std::optional<ConfirmedEvent> confirmedEvent(const Json& eventParams);

// The agent builds these payloads with to_json; each event's to_json writes its "type".
// TopicDelta has no "topic" key: the publisher adds it to every state.delta.
void to_json(Json& j, const CounterSample& v);
void to_json(Json& j, const TopicDelta& v);
void to_json(Json& j, const RolledBack& v);
void from_json(const Json& j, RolledBack& v);
void to_json(Json& j, const AppliedEvent& v);
void from_json(const Json& j, AppliedEvent& v);
void to_json(Json& j, const ConfirmedEvent& v);
void from_json(const Json& j, ConfirmedEvent& v);

} // namespace hadeck::proto::fw
