#include "hadeck/protocol/firewall.h"

#include "hadeck/protocol/enum_names.h"

#include "hadeck/protocol/wire.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hadeck::proto::fw {

namespace {

constexpr EnumNames<ChangeOp, 7> kOps{{
    {ChangeOp::AddRule, "add"},
    {ChangeOp::InsertRule, "insert"},
    {ChangeOp::DeleteRule, "delete"},
    {ChangeOp::SetPolicy, "policy"},
    {ChangeOp::AddElements, "addElements"},
    {ChangeOp::DeleteElements, "deleteElements"},
    {ChangeOp::Raw, "raw"},
}};

constexpr std::array<std::string_view, 6> kFamilies{"ip", "ip6", "inet", "arp", "bridge", "netdev"};

bool isFamily(std::string_view f)
{
    for (const auto k : kFamilies) {
        if (k == f) {
            return true;
        }
    }
    return false;
}

/// nft identifiers: a letter, then letters, digits, '_', '.', '-', '/'. (nft's scanner
/// accepts a bit more; nothing that could end a statement or start a new one.)
bool isIdentifier(std::string_view s)
{
    if (s.empty() || s.size() > 256) {
        return false;
    }
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(s.front()) && s.front() != '_') {
        return false;
    }
    for (const char c : s) {
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-' && c != '/') {
            return false;
        }
    }
    return true;
}

/// One statement's text: no line break, no ';' (it would start another command),
/// no '#' outside quotes is harmless but a newline is not.
bool isOneStatement(std::string_view s)
{
    if (s.empty() || s.size() > 4096) {
        return false;
    }
    bool quoted = false;
    for (const char c : s) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == '\n' || c == '\r' || c == '\0') {
            return false;
        } else if (!quoted && c == ';') {
            return false;
        }
    }
    return !quoted;
}

std::string where(std::size_t index) { return "change " + std::to_string(index + 1) + ": "; }

/// Commands that print or wait instead of changing the ruleset.
constexpr std::array<std::string_view, 7> kNotChanges{"list",   "get",    "reset",   "monitor",
                                                      "export", "import", "describe"};

bool endsWord(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '{' || c == '}' || c == '"' || c == '#';
}

void putIf(Json& j, const char* key, const std::string& v)
{
    if (!v.empty()) {
        j[key] = v;
    }
}

} // namespace

std::string_view toString(ChangeOp op) { return enumName(kOps, op, "unknown"); }

std::optional<std::string> nftTextProblem(std::string_view text)
{
    int depth = 0;            // braces open
    bool commandStart = true; // the next word starts a command (at the top level)
    int line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\0') {
            return "line " + std::to_string(line) + ": a NUL byte is not nft text";
        }
        if (c == '"') { // a quoted string: no keyword inside; nft's strings have no escapes
            const auto end = text.find('"', i + 1);
            if (end == std::string_view::npos) {
                return std::nullopt; // unterminated: nft reports it
            }
            for (std::size_t k = i; k < end; ++k) {
                line += text[k] == '\n' ? 1 : 0;
                if (text[k] == '\0') {
                    return "line " + std::to_string(line) + ": a NUL byte is not nft text";
                }
            }
            i = end + 1;
            commandStart = false;
            continue;
        }
        if (c == '#') { // a comment, to the end of the line
            const auto end = text.find('\n', i);
            if (end != std::string_view::npos && text.substr(i, end - i).find('\0') != std::string_view::npos) {
                return "line " + std::to_string(line) + ": a NUL byte is not nft text";
            }
            i = end == std::string_view::npos ? text.size() : end;
            continue;
        }
        if (c == '\n' || c == ';') {
            line += c == '\n' ? 1 : 0;
            commandStart = commandStart || depth == 0;
            ++i;
            continue;
        }
        if (c == '{' || c == '}') {
            depth = std::max(0, depth + (c == '{' ? 1 : -1));
            commandStart = c == '}' && depth == 0; // what follows a closed block is judged as a command
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !endsWord(text[end]) && text[end] != '\0') {
            ++end;
        }
        const std::string_view word = text.substr(i, end - i);
        if (word == "include") {
            return "line " + std::to_string(line) +
                   ": include is not accepted: the agent would read the named file as root";
        }
        if (commandStart && depth == 0 &&
            std::find(kNotChanges.begin(), kNotChanges.end(), word) != kNotChanges.end()) {
            return "line " + std::to_string(line) + ": '" + std::string(word) +
                   "' is not a change of the ruleset (only add, create, insert, replace, delete, destroy, "
                   "flush, rename and definitions are run)";
        }
        commandStart = false;
        i = end;
    }
    return std::nullopt;
}

bool hasRawText(const ChangeSet& changes)
{
    return std::any_of(changes.changes.begin(), changes.changes.end(),
                       [](const Change& c) { return c.op == ChangeOp::Raw; });
}

std::optional<ChangeOp> changeOpFromString(std::string_view s) { return enumValue(kOps, s); }

const Chain* Ruleset::findChain(std::string_view family, std::string_view table, std::string_view name) const
{
    for (const auto& c : chains) {
        if (c.family == family && c.table == table && c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

const NamedSet* Ruleset::findSet(std::string_view family, std::string_view table, std::string_view name) const
{
    for (const auto& s : sets) {
        if (s.family == family && s.table == table && s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

std::vector<const Rule*> Ruleset::rulesOf(const Chain& chain) const
{
    std::vector<const Rule*> out;
    for (const auto& r : rules) {
        if (r.family == chain.family && r.table == chain.table && r.chain == chain.name) {
            out.push_back(&r);
        }
    }
    return out;
}

Expected<std::string> toNftScript(const ChangeSet& cs)
{
    if (cs.changes.empty()) {
        return fail("the change set is empty");
    }
    std::string script;
    for (std::size_t i = 0; i < cs.changes.size(); ++i) {
        const Change& c = cs.changes[i];
        if (c.op == ChangeOp::Raw) {
            if (c.text.empty()) {
                return fail(where(i) + "raw nft text is empty");
            }
            if (auto problem = nftTextProblem(c.text)) {
                return fail(where(i) + *problem);
            }
            script += c.text;
            if (c.text.back() != '\n') {
                script += '\n';
            }
            continue;
        }
        if (!isFamily(c.family)) {
            return fail(where(i) + "family \"" + c.family + "\" is not one of ip, ip6, inet, arp, bridge, netdev");
        }
        if (!isIdentifier(c.table)) {
            return fail(where(i) + "table name \"" + c.table + "\" is not a valid nft name");
        }
        const std::string prefix = c.family + " " + c.table + " ";
        switch (c.op) {
        case ChangeOp::AddRule:
        case ChangeOp::InsertRule:
        case ChangeOp::DeleteRule:
        case ChangeOp::SetPolicy:
            if (!isIdentifier(c.chain)) {
                return fail(where(i) + "chain name \"" + c.chain + "\" is not a valid nft name");
            }
            break;
        case ChangeOp::AddElements:
        case ChangeOp::DeleteElements:
            if (!isIdentifier(c.set)) {
                return fail(where(i) + "set name \"" + c.set + "\" is not a valid nft name");
            }
            break;
        case ChangeOp::Raw: break;
        }
        switch (c.op) {
        case ChangeOp::AddRule:
        case ChangeOp::InsertRule:
            if (!isOneStatement(c.rule)) {
                return fail(where(i) + "the rule must be one line of nft rule text without ';'");
            }
            if (auto problem = nftTextProblem(c.rule)) {
                return fail(where(i) + *problem);
            }
            script += (c.op == ChangeOp::AddRule ? "add rule " : "insert rule ") + prefix + c.chain;
            if (c.position != 0) {
                script += " position " + std::to_string(c.position);
            }
            script += " " + c.rule + "\n";
            break;
        case ChangeOp::DeleteRule:
            if (c.handle == 0) {
                return fail(where(i) + "delete needs the rule's handle");
            }
            script += "delete rule " + prefix + c.chain + " handle " + std::to_string(c.handle) + "\n";
            break;
        case ChangeOp::SetPolicy:
            if (c.policy != "accept" && c.policy != "drop") {
                return fail(where(i) + "policy must be accept or drop");
            }
            script += "chain " + prefix + c.chain + " { policy " + c.policy + " ; }\n";
            break;
        case ChangeOp::AddElements:
        case ChangeOp::DeleteElements: {
            if (c.elements.empty()) {
                return fail(where(i) + "no elements given");
            }
            std::string list;
            for (const auto& e : c.elements) {
                if (!isOneStatement(e) || e.find_first_of("{},") != std::string::npos || nftTextProblem(e)) {
                    return fail(where(i) + "element \"" + e + "\" is not one nft element");
                }
                list += (list.empty() ? "" : ", ") + e;
            }
            script += (c.op == ChangeOp::AddElements ? "add element " : "delete element ") + prefix + c.set +
                      " { " + list + " }\n";
            break;
        }
        case ChangeOp::Raw: break;
        }
    }
    return script;
}

// --- JSON ---

void to_json(Json& j, const Counter& v) { j = Json{{"packets", v.packets}, {"bytes", v.bytes}}; }
void from_json(const Json& j, Counter& v)
{
    wire::requireObject(j, "counter");
    wire::req(j, "packets", v.packets);
    wire::req(j, "bytes", v.bytes);
}

void to_json(Json& j, const Table& v)
{
    j = Json{{"family", v.family}, {"name", v.name}, {"handle", v.handle}, {"iptablesNft", v.iptablesNft}};
}
void from_json(const Json& j, Table& v)
{
    wire::requireObject(j, "table");
    wire::req(j, "family", v.family);
    wire::req(j, "name", v.name);
    wire::opt(j, "handle", v.handle);
    wire::opt(j, "iptablesNft", v.iptablesNft);
}

void to_json(Json& j, const Chain& v)
{
    j = Json{{"family", v.family}, {"table", v.table}, {"name", v.name}, {"handle", v.handle}};
    putIf(j, "type", v.type);
    putIf(j, "hook", v.hook);
    putIf(j, "policy", v.policy);
    putIf(j, "device", v.device);
    if (v.priority) {
        j["priority"] = *v.priority;
    }
}
void from_json(const Json& j, Chain& v)
{
    wire::requireObject(j, "chain");
    wire::req(j, "family", v.family);
    wire::req(j, "table", v.table);
    wire::req(j, "name", v.name);
    wire::opt(j, "handle", v.handle);
    wire::opt(j, "type", v.type);
    wire::opt(j, "hook", v.hook);
    wire::opt(j, "policy", v.policy);
    wire::opt(j, "device", v.device);
    v.priority.reset();
    if (const Json* p = wire::find(j, "priority"); p && !p->is_null()) {
        v.priority = wire::integer<std::int64_t>(*p, "priority");
    }
}

void to_json(Json& j, const Rule& v)
{
    j = Json{{"family", v.family}, {"table", v.table}, {"chain", v.chain},
             {"handle", v.handle}, {"text", v.text},   {"expr", v.expr}};
    putIf(j, "comment", v.comment);
    if (v.counter) {
        j["counter"] = *v.counter;
    }
}
void from_json(const Json& j, Rule& v)
{
    wire::requireObject(j, "rule");
    wire::req(j, "family", v.family);
    wire::req(j, "table", v.table);
    wire::req(j, "chain", v.chain);
    wire::req(j, "handle", v.handle);
    wire::opt(j, "text", v.text);
    wire::opt(j, "comment", v.comment);
    v.expr = Json::array();
    wire::opt(j, "expr", v.expr);
    if (!v.expr.is_array()) {
        wire::fail("expr", "must be an array");
    }
    wire::optObject(j, "counter", v.counter);
}

void to_json(Json& j, const NamedSet& v)
{
    j = Json{{"family", v.family}, {"table", v.table},    {"name", v.name},         {"handle", v.handle},
             {"isMap", v.isMap},   {"type", v.type},      {"flags", v.flags},       {"elements", v.elements},
             {"elementTexts", v.elementTexts}};
    putIf(j, "mapType", v.mapType);
}
void from_json(const Json& j, NamedSet& v)
{
    wire::requireObject(j, "set");
    wire::req(j, "family", v.family);
    wire::req(j, "table", v.table);
    wire::req(j, "name", v.name);
    wire::opt(j, "handle", v.handle);
    wire::opt(j, "isMap", v.isMap);
    wire::opt(j, "type", v.type);
    wire::opt(j, "mapType", v.mapType);
    wire::opt(j, "flags", v.flags);
    v.elements = Json::array();
    wire::opt(j, "elements", v.elements);
    wire::opt(j, "elementTexts", v.elementTexts);
}

void to_json(Json& j, const LegacyIptables& v)
{
    j = Json{{"present", v.present}, {"saveText", v.saveText}, {"note", v.note}};
}
void from_json(const Json& j, LegacyIptables& v)
{
    wire::requireObject(j, "legacy");
    wire::opt(j, "present", v.present);
    wire::opt(j, "saveText", v.saveText);
    wire::opt(j, "note", v.note);
}

void to_json(Json& j, const Interface& v) { j = Json{{"name", v.name}, {"addresses", v.addresses}}; }
void from_json(const Json& j, Interface& v)
{
    wire::requireObject(j, "interface");
    wire::req(j, "name", v.name);
    wire::opt(j, "addresses", v.addresses);
}

void to_json(Json& j, const Ruleset& v)
{
    j = Json{{"nftVersion", v.nftVersion}, {"tables", v.tables}, {"chains", v.chains}, {"rules", v.rules},
             {"sets", v.sets},             {"hash", v.hash},     {"legacy", v.legacy}, {"sshPeers", v.sshPeers}};
    if (!v.interfaces.empty()) {
        j["interfaces"] = v.interfaces;
    }
    if (!v.defaultInterface.empty()) {
        j["defaultInterface"] = v.defaultInterface;
    }
}
void from_json(const Json& j, Ruleset& v)
{
    wire::requireObject(j, "ruleset");
    wire::opt(j, "nftVersion", v.nftVersion);
    wire::req(j, "tables", v.tables);
    wire::req(j, "chains", v.chains);
    wire::req(j, "rules", v.rules);
    wire::opt(j, "sets", v.sets);
    wire::req(j, "hash", v.hash);
    wire::optObject(j, "legacy", v.legacy);
    wire::opt(j, "sshPeers", v.sshPeers);
    wire::opt(j, "interfaces", v.interfaces);
    wire::opt(j, "defaultInterface", v.defaultInterface);
}

void to_json(Json& j, const Change& v)
{
    j = Json{{"op", toString(v.op)}};
    putIf(j, "family", v.family);
    putIf(j, "table", v.table);
    putIf(j, "chain", v.chain);
    putIf(j, "set", v.set);
    putIf(j, "rule", v.rule);
    putIf(j, "policy", v.policy);
    putIf(j, "text", v.text);
    if (v.handle != 0) {
        j["handle"] = v.handle;
    }
    if (v.position != 0) {
        j["position"] = v.position;
    }
    if (!v.elements.empty()) {
        j["elements"] = v.elements;
    }
}
void from_json(const Json& j, Change& v)
{
    wire::requireObject(j, "change");
    wire::reqEnum(j, "op", v.op, [](const std::string& s) { return changeOpFromString(s); });
    wire::opt(j, "family", v.family);
    wire::opt(j, "table", v.table);
    wire::opt(j, "chain", v.chain);
    wire::opt(j, "set", v.set);
    wire::opt(j, "rule", v.rule);
    wire::opt(j, "policy", v.policy);
    wire::opt(j, "text", v.text);
    wire::opt(j, "handle", v.handle);
    wire::opt(j, "position", v.position);
    wire::opt(j, "elements", v.elements);
}

void to_json(Json& j, const ChangeSet& v) { j = Json{{"baseHash", v.baseHash}, {"changes", v.changes}}; }
void from_json(const Json& j, ChangeSet& v)
{
    wire::requireObject(j, "changes");
    wire::req(j, "baseHash", v.baseHash);
    wire::req(j, "changes", v.changes);
}

void to_json(Json& j, const CheckParams& v) { j = Json{{"changes", v.changes}}; }
void from_json(const Json& j, CheckParams& v)
{
    wire::requireObject(j);
    wire::reqObject(j, "changes", v.changes);
}

void to_json(Json& j, const CheckResult& v)
{
    j = Json{{"ok", v.ok}, {"script", v.script}, {"error", v.error}, {"diff", v.diff}};
    if (v.after) {
        j["after"] = *v.after;
    }
    if (!v.previewError.empty()) {
        j["previewError"] = v.previewError;
    }
}
void from_json(const Json& j, CheckResult& v)
{
    wire::requireObject(j);
    wire::req(j, "ok", v.ok);
    wire::opt(j, "script", v.script);
    wire::opt(j, "error", v.error);
    wire::opt(j, "diff", v.diff);
    wire::optObject(j, "after", v.after);
    wire::opt(j, "previewError", v.previewError);
}

void to_json(Json& j, const ApplyParams& v)
{
    j = Json{{"changes", v.changes}, {"confirmWithin", v.confirmWithin}, {"force", v.force}};
    if (!v.lintFindings.empty()) {
        j["lintFindings"] = v.lintFindings;
    }
}
void from_json(const Json& j, ApplyParams& v)
{
    wire::requireObject(j);
    wire::reqObject(j, "changes", v.changes);
    v.confirmWithin = kConfirmDefault;
    wire::opt(j, "confirmWithin", v.confirmWithin, kConfirmMin, kConfirmMax);
    wire::opt(j, "force", v.force);
    wire::opt(j, "lintFindings", v.lintFindings);
}

void to_json(Json& j, const Pending& v)
{
    j = Json{{"pending", v.pending}};
    if (v.pending) {
        j.update(Json{{"id", v.id},
                      {"user", v.user},
                      {"appliedAt", v.appliedAt},
                      {"deadline", v.deadline},
                      {"confirmWithin", v.confirmWithin},
                      {"hashBefore", v.hashBefore},
                      {"hashAfter", v.hashAfter},
                      {"forced", v.forced},
                      {"diff", v.diff}});
    }
}
void from_json(const Json& j, Pending& v)
{
    wire::requireObject(j);
    wire::req(j, "pending", v.pending);
    wire::opt(j, "id", v.id);
    wire::opt(j, "user", v.user);
    wire::opt(j, "appliedAt", v.appliedAt);
    wire::opt(j, "deadline", v.deadline);
    wire::opt(j, "confirmWithin", v.confirmWithin, 0, kConfirmMax);
    wire::opt(j, "hashBefore", v.hashBefore);
    wire::opt(j, "hashAfter", v.hashAfter);
    wire::opt(j, "forced", v.forced);
    wire::opt(j, "diff", v.diff);
}

void to_json(Json& j, const ApplyResult& v) { j = Json{{"pending", v.pending}}; }
void from_json(const Json& j, ApplyResult& v)
{
    wire::requireObject(j);
    wire::reqObject(j, "pending", v.pending);
}

void to_json(Json& j, const ConfirmParams& v) { j = Json{{"id", v.id}}; }
void from_json(const Json& j, ConfirmParams& v)
{
    wire::requireObject(j);
    wire::req(j, "id", v.id);
}

void to_json(Json& j, const ConfirmResult& v)
{
    j = Json{{"id", v.id}, {"hash", v.hash}, {"persistedTo", v.persistedTo}, {"backup", v.backup}};
}
void from_json(const Json& j, ConfirmResult& v)
{
    wire::requireObject(j);
    wire::req(j, "id", v.id);
    wire::opt(j, "hash", v.hash);
    wire::opt(j, "persistedTo", v.persistedTo);
    wire::opt(j, "backup", v.backup);
}

void to_json(Json& j, const RollbackParams& v) { j = Json{{"id", v.id}}; }
void from_json(const Json& j, RollbackParams& v)
{
    if (j.is_null()) {
        return;
    }
    wire::requireObject(j);
    wire::opt(j, "id", v.id);
}

void to_json(Json& j, const RollbackResult& v)
{
    j = Json{{"restoredFrom", v.restoredFrom}, {"hash", v.hash}, {"diff", v.diff}};
}
void from_json(const Json& j, RollbackResult& v)
{
    wire::requireObject(j);
    wire::req(j, "restoredFrom", v.restoredFrom);
    wire::opt(j, "hash", v.hash);
    wire::opt(j, "diff", v.diff);
}

} // namespace hadeck::proto::fw

namespace hadeck::proto::fw {

std::optional<TopicDelta> topicDelta(const Json& params)
{
    if (!params.is_object() || !params.contains("topic") || params["topic"] != kTopic) {
        return std::nullopt;
    }
    TopicDelta d;
    wire::opt(params, "hash", d.hash);
    wire::optObject(params, "ruleset", d.ruleset);
    wire::optObject(params, "pending", d.pending);
    if (const Json* rows = wire::find(params, "counters")) {
        if (!rows->is_array()) {
            throw wire::DecodeError("counters: not an array");
        }
        for (const Json& row : *rows) {
            if (!row.is_array() || row.size() != 6 || !row[0].is_string() || !row[1].is_string() || !row[2].is_string()) {
                throw wire::DecodeError("counters: each row is [family, table, chain, handle, packets, bytes]");
            }
            CounterSample s;
            s.family = row[0].get<std::string>();
            s.table = row[1].get<std::string>();
            s.chain = row[2].get<std::string>();
            s.handle = wire::integer<std::uint64_t>(row[3], "counters.handle");
            s.counter.packets = wire::integer<std::uint64_t>(row[4], "counters.packets");
            s.counter.bytes = wire::integer<std::uint64_t>(row[5], "counters.bytes");
            d.counters.push_back(std::move(s));
        }
    }
    return d;
}

namespace {
template <typename Event>
std::optional<Event> eventOf(const Json& params, std::string_view type)
{
    if (!params.is_object() || !params.contains("type") || params["type"] != type) {
        return std::nullopt;
    }
    return params.get<Event>();
}
} // namespace

std::optional<RolledBack> rolledBackEvent(const Json& params) { return eventOf<RolledBack>(params, kEventRolledBack); }
std::optional<AppliedEvent> appliedEvent(const Json& params) { return eventOf<AppliedEvent>(params, kEventApplied); }
std::optional<ConfirmedEvent> confirmedEvent(const Json& params)
{
    return eventOf<ConfirmedEvent>(params, kEventConfirmed);
}

void to_json(Json& j, const CounterSample& v)
{
    // A row, not an object: the counters delta comes at the sample rate.
    j = Json{v.family, v.table, v.chain, v.handle, v.counter.packets, v.counter.bytes};
}

void to_json(Json& j, const TopicDelta& v)
{
    j = Json{{"hash", v.hash}};
    if (v.ruleset) {
        j["ruleset"] = *v.ruleset;
    }
    if (!v.counters.empty()) {
        j["counters"] = v.counters;
    }
    if (v.pending) {
        j["pending"] = *v.pending;
    }
}

void to_json(Json& j, const RolledBack& v)
{
    j = Json{{"type", kEventRolledBack}, {"node", v.node}, {"id", v.id}, {"ok", v.ok}, {"reason", v.reason}};
    if (v.ok) {
        j["hash"] = v.hash;
        j["diff"] = v.diff;
    } else {
        j["error"] = v.error;
    }
}

void from_json(const Json& j, RolledBack& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::opt(j, "id", v.id);
    wire::opt(j, "ok", v.ok);
    wire::opt(j, "reason", v.reason);
    wire::opt(j, "error", v.error);
    wire::opt(j, "hash", v.hash);
    wire::opt(j, "diff", v.diff);
}

void to_json(Json& j, const AppliedEvent& v)
{
    j = Json{{"type", kEventApplied}, {"node", v.node}, {"pending", v.pending}};
}

void from_json(const Json& j, AppliedEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::reqObject(j, "pending", v.pending);
}

void to_json(Json& j, const ConfirmedEvent& v)
{
    j = Json{{"type", kEventConfirmed}, {"node", v.node}, {"id", v.id}, {"persisted", v.persisted}};
}

void from_json(const Json& j, ConfirmedEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::req(j, "id", v.id);
    wire::opt(j, "persisted", v.persisted);
}

} // namespace hadeck::proto::fw
