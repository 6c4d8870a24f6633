#include "hadeck/probes/nft_ruleset.h"

#include "hadeck/agent/sha256.h"

#include <array>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

namespace hadeck::probes::nft {

using proto::fw::Json;
namespace fw = proto::fw;

namespace {

std::string str(const Json& obj, const char* key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t u64(const Json& obj, const char* key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

/// "counter packets 12 bytes 720" -> "counter"; also inside a set element's counter.
std::string dropCounterValues(std::string line)
{
    static constexpr std::string_view kKey = "counter packets ";
    std::size_t pos = 0;
    while ((pos = line.find(kKey, pos)) != std::string::npos) {
        std::size_t p = pos + kKey.size();
        while (p < line.size() && line[p] >= '0' && line[p] <= '9') {
            ++p;
        }
        static constexpr std::string_view kBytes = " bytes ";
        if (line.compare(p, kBytes.size(), kBytes) == 0) {
            p += kBytes.size();
            while (p < line.size() && line[p] >= '0' && line[p] <= '9') {
                ++p;
            }
        }
        line.erase(pos + 7, p - (pos + 7));
        pos += 7;
    }
    return line;
}

/// " # handle 12" at the end of a line: the handle, and the line without it.
bool splitHandle(std::string_view line, std::string& body, std::uint64_t& handle)
{
    static constexpr std::string_view kKey = " # handle ";
    const auto pos = line.rfind(kKey);
    if (pos == std::string_view::npos) {
        return false;
    }
    std::uint64_t h = 0;
    std::size_t p = pos + kKey.size();
    if (p >= line.size()) {
        return false;
    }
    for (; p < line.size(); ++p) {
        const char c = line[p];
        if (c < '0' || c > '9' || h > (UINT64_MAX - 9) / 10) {
            return false;
        }
        h = h * 10 + static_cast<std::uint64_t>(c - '0');
    }
    body = std::string(line.substr(0, pos));
    handle = h;
    return true;
}

using RuleKey = std::tuple<std::string, std::string, std::string, std::uint64_t>;

struct ListingFacts {
    std::map<RuleKey, std::string> ruleTexts;
    std::vector<std::pair<std::string, std::string>> iptablesNftTables; // (family, name) from nft's warnings
};

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto nl = text.find('\n', start);
        const auto end = nl == std::string_view::npos ? text.size() : nl;
        lines.push_back(text.substr(start, end - start));
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    return lines;
}

std::vector<std::string> words(std::string_view s)
{
    std::vector<std::string> out;
    std::istringstream in{std::string(s)};
    std::string w;
    while (in >> w) {
        out.push_back(w);
    }
    return out;
}

ListingFacts readListing(std::string_view listing)
{
    ListingFacts facts;
    std::string family;
    std::string table;
    std::string chain;
    int depth = 0; // 1 inside a table, 2 inside a chain/set/map/...
    for (const auto raw : splitLines(listing)) {
        const std::string line = trim(raw);
        if (line.empty()) {
            continue;
        }
        if (line.rfind("# Warning: table ", 0) == 0) {
            // "# Warning: table ip filter is managed by iptables-nft, do not touch!"
            const auto w = words(line);
            if (w.size() > 5 && line.find("iptables-nft") != std::string::npos) {
                facts.iptablesNftTables.emplace_back(w[3], w[4]);
            }
            continue;
        }
        std::string body;
        std::uint64_t handle = 0;
        const bool hasHandle = splitHandle(line, body, handle);
        const std::string head = hasHandle ? trim(body) : line;
        if (head.size() >= 2 && head.substr(head.size() - 2) == " {") {
            const auto w = words(head);
            if (depth == 0 && w.size() >= 4 && w[0] == "table") {
                family = w[1];
                table = w[2];
                depth = 1;
            } else if (depth == 1 && w.size() >= 3) {
                chain = w[0] == "chain" ? w[1] : std::string();
                depth = 2;
            } else {
                ++depth;
            }
            continue;
        }
        if (head == "}") {
            depth = depth > 0 ? depth - 1 : 0;
            if (depth < 2) {
                chain.clear();
            }
            continue;
        }
        if (depth == 2 && !chain.empty() && hasHandle) {
            facts.ruleTexts[RuleKey{family, table, chain, handle}] = dropCounterValues(trim(body));
        }
    }
    return facts;
}

bool hasXt(const Json& v, int depth = 0)
{
    if (depth > 64) {
        return false;
    }
    if (v.is_object()) {
        if (v.contains("xt")) {
            return true;
        }
        for (const auto& [k, e] : v.items()) {
            if (hasXt(e, depth + 1)) {
                return true;
            }
        }
    } else if (v.is_array()) {
        for (const auto& e : v) {
            if (hasXt(e, depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

/// Drops counter values anywhere in a statement tree (set elements can carry counters too).
Json withoutCounters(const Json& v, int depth = 0)
{
    if (depth > 64) {
        return v;
    }
    if (v.is_object()) {
        Json out = Json::object();
        for (const auto& [k, e] : v.items()) {
            if (k == "counter" && (e.is_object() || e.is_null())) {
                out[k] = nullptr;
            } else {
                out[k] = withoutCounters(e, depth + 1);
            }
        }
        return out;
    }
    if (v.is_array()) {
        Json out = Json::array();
        for (const auto& e : v) {
            out.push_back(withoutCounters(e, depth + 1));
        }
        return out;
    }
    return v;
}

std::string typeText(const Json& t)
{
    if (t.is_string()) {
        return t.get<std::string>();
    }
    if (t.is_array()) {
        std::string out;
        for (const auto& e : t) {
            out += (out.empty() ? "" : " . ") + (e.is_string() ? e.get<std::string>() : e.dump());
        }
        return out;
    }
    return t.is_null() ? std::string() : t.dump();
}

std::string valueTextAt(const Json& v, int depth);

std::string joined(const Json& arr, const char* sep, int depth)
{
    std::string out;
    for (const auto& e : arr) {
        out += (out.empty() ? "" : sep) + valueTextAt(e, depth + 1);
    }
    return out;
}

std::string valueTextAt(const Json& v, int depth)
{
    if (depth > 32) {
        return "…";
    }
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_number_integer() || v.is_number_unsigned() || v.is_boolean()) {
        return v.dump();
    }
    if (v.is_array()) {
        // A map element: [key, value].
        if (v.size() == 2) {
            return valueTextAt(v[0], depth + 1) + " : " + valueTextAt(v[1], depth + 1);
        }
        return "{ " + joined(v, ", ", depth) + " }";
    }
    if (v.is_object() && v.size() == 1) {
        const auto first = v.begin();
        const std::string& k = first.key();
        const Json& inner = first.value();
        if (k == "prefix" && inner.is_object()) {
            return valueTextAt(inner.value("addr", Json()), depth + 1) + "/" +
                   valueTextAt(inner.value("len", Json()), depth + 1);
        }
        if (k == "range" && inner.is_array() && inner.size() == 2) {
            return valueTextAt(inner[0], depth + 1) + "-" + valueTextAt(inner[1], depth + 1);
        }
        if (k == "concat" && inner.is_array()) {
            return joined(inner, " . ", depth);
        }
        if (k == "set" && inner.is_array()) {
            return "{ " + joined(inner, ", ", depth) + " }";
        }
        if (k == "elem" && inner.is_object()) {
            return valueTextAt(inner.value("val", Json()), depth + 1);
        }
        if ((k == "jump" || k == "goto") && inner.is_object()) {
            return k + " " + valueTextAt(inner.value("target", Json()), depth + 1);
        }
        if (inner.is_null()) {
            return k; // verdicts: {"accept": null}
        }
    }
    return v.dump();
}

} // namespace

std::string valueText(const Json& value) { return valueTextAt(value, 0); }

Expected<fw::Ruleset> parseRuleset(std::string_view json, std::string_view listing)
{
    Json doc = Json::parse(json.begin(), json.end(), nullptr, false);
    if (doc.is_discarded()) {
        return fail("the nft listing is not JSON");
    }
    if (!doc.is_object() || !doc.contains("nftables") || !doc["nftables"].is_array()) {
        return fail("the JSON is not an nftables listing (no \"nftables\" array)");
    }
    const ListingFacts facts = readListing(listing);
    fw::Ruleset rs;
    for (const Json& item : doc["nftables"]) {
        if (!item.is_object() || item.size() != 1) {
            continue;
        }
        // Not items(): its proxy is a temporary, and a structured binding to it dangles.
        const auto first = item.begin();
        const std::string& kind = first.key();
        const Json& o = first.value();
        if (!o.is_object()) {
            continue;
        }
        if (kind == "metainfo") {
            rs.nftVersion = str(o, "version");
        } else if (kind == "table") {
            fw::Table t;
            t.family = str(o, "family");
            t.name = str(o, "name");
            t.handle = u64(o, "handle");
            for (const auto& [f, n] : facts.iptablesNftTables) {
                t.iptablesNft = t.iptablesNft || (f == t.family && n == t.name);
            }
            rs.tables.push_back(std::move(t));
        } else if (kind == "chain") {
            fw::Chain c;
            c.family = str(o, "family");
            c.table = str(o, "table");
            c.name = str(o, "name");
            c.handle = u64(o, "handle");
            c.type = str(o, "type");
            c.hook = str(o, "hook");
            c.policy = str(o, "policy");
            c.device = str(o, "dev");
            if (const auto p = o.find("prio"); p != o.end() && p->is_number_integer()) {
                c.priority = p->get<std::int64_t>();
            }
            rs.chains.push_back(std::move(c));
        } else if (kind == "rule") {
            fw::Rule r;
            r.family = str(o, "family");
            r.table = str(o, "table");
            r.chain = str(o, "chain");
            r.handle = u64(o, "handle");
            r.comment = str(o, "comment");
            if (const auto e = o.find("expr"); e != o.end() && e->is_array()) {
                r.expr = *e;
                for (const Json& stmt : *e) {
                    if (!r.counter && stmt.is_object()) {
                        if (const auto c = stmt.find("counter"); c != stmt.end() && c->is_object()) {
                            r.counter = fw::Counter{u64(*c, "packets"), u64(*c, "bytes")};
                        }
                    }
                }
            }
            if (const auto t = facts.ruleTexts.find(RuleKey{r.family, r.table, r.chain, r.handle});
                t != facts.ruleTexts.end()) {
                r.text = t->second;
            }
            rs.rules.push_back(std::move(r));
        } else if (kind == "set" || kind == "map") {
            fw::NamedSet s;
            s.isMap = kind == "map";
            s.family = str(o, "family");
            s.table = str(o, "table");
            s.name = str(o, "name");
            s.handle = u64(o, "handle");
            if (const auto t = o.find("type"); t != o.end()) {
                s.type = typeText(*t);
            }
            if (const auto m = o.find("map"); m != o.end()) {
                s.mapType = typeText(*m);
            }
            if (const auto f = o.find("flags"); f != o.end()) {
                if (f->is_array()) {
                    for (const auto& x : *f) {
                        if (x.is_string()) {
                            s.flags.push_back(x.get<std::string>());
                        }
                    }
                } else if (f->is_string()) {
                    s.flags.push_back(f->get<std::string>());
                }
            }
            if (const auto e = o.find("elem"); e != o.end() && e->is_array()) {
                s.elements = *e;
                for (const Json& x : *e) {
                    s.elementTexts.push_back(valueText(x));
                }
            }
            rs.sets.push_back(std::move(s));
        }
    }
    // Tables iptables-nft wrote that nft did not warn about (older nft): x_tables statements.
    for (auto& t : rs.tables) {
        if (t.iptablesNft) {
            continue;
        }
        for (const auto& r : rs.rules) {
            if (r.family == t.family && r.table == t.name && hasXt(r.expr)) {
                t.iptablesNft = true;
                break;
            }
        }
    }
    rs.hash = rulesetHash(rs);
    return rs;
}

std::string rulesetHash(const fw::Ruleset& rs)
{
    // Canonical: fixed key order (nlohmann sorts object keys), no counters, no texts
    // (they are derived), no SSH peers or legacy notes (not part of the ruleset).
    Json doc = Json::array();
    for (const auto& t : rs.tables) {
        doc.push_back(Json{{"table", Json{{"family", t.family}, {"name", t.name}, {"handle", t.handle}}}});
    }
    for (const auto& c : rs.chains) {
        Json j = c;
        doc.push_back(Json{{"chain", std::move(j)}});
    }
    for (const auto& s : rs.sets) {
        doc.push_back(Json{{"set", Json{{"family", s.family}, {"table", s.table}, {"name", s.name},
                                        {"handle", s.handle}, {"type", s.type}, {"map", s.mapType},
                                        {"flags", s.flags}, {"elem", withoutCounters(s.elements)}}}});
    }
    for (const auto& r : rs.rules) {
        doc.push_back(Json{{"rule", Json{{"family", r.family}, {"table", r.table}, {"chain", r.chain},
                                         {"handle", r.handle}, {"comment", r.comment},
                                         {"expr", withoutCounters(r.expr)}}}});
    }
    const std::string text = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
    return hadeck::agent::sha256Hex(text);
}

std::string normalizeListing(std::string_view listing)
{
    std::string out;
    for (const auto raw : splitLines(listing)) {
        std::string line(raw);
        std::string body;
        std::uint64_t handle = 0;
        if (splitHandle(line, body, handle)) {
            line = body;
        }
        line = dropCounterValues(line);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
            line.pop_back();
        }
        if (trim(line).empty() || trim(line).rfind("# Warning:", 0) == 0) {
            continue;
        }
        out += line;
        out += '\n';
    }
    return out;
}

std::vector<std::string> listingDiff(std::string_view before, std::string_view after)
{
    const std::string a = normalizeListing(before);
    const std::string b = normalizeListing(after);
    std::map<std::string, int> countA;
    std::map<std::string, int> countB;
    for (const auto l : splitLines(a)) {
        ++countA[std::string(l)];
    }
    for (const auto l : splitLines(b)) {
        ++countB[std::string(l)];
    }
    std::vector<std::string> out;
    // Removed lines, in the old order, then added lines in the new order, each with its block.
    const auto walk = [&out](const std::string& text, std::map<std::string, int> other, const char* sign) {
        std::string tableLine;
        std::string chainLine;
        for (const auto raw : splitLines(text)) {
            const std::string l(raw);
            const std::string t = trim(l);
            if (t.rfind("table ", 0) == 0) {
                tableLine = t;
                chainLine.clear();
            } else if (t.rfind("chain ", 0) == 0 || t.rfind("set ", 0) == 0 || t.rfind("map ", 0) == 0) {
                chainLine = t;
            }
            auto it = other.find(l);
            if (it != other.end() && it->second > 0) {
                --it->second;
                continue;
            }
            if (t == "}" || t.empty()) {
                continue;
            }
            std::string where = tableLine;
            if (!chainLine.empty() && chainLine != t) {
                where += " " + chainLine;
            }
            if (where.size() >= 2 && where.substr(where.size() - 2) == " {") {
                where.resize(where.size() - 2);
            }
            where = dropCounterValues(where);
            std::string ctx;
            if (!where.empty() && where != t) {
                // "table inet f { chain input {" -> "table inet f chain input"
                std::string w;
                for (const char c : where) {
                    if (c != '{' && !(c == ' ' && !w.empty() && w.back() == ' ')) {
                        w += c;
                    }
                }
                ctx = "[" + trim(w) + "] ";
            }
            out.push_back(std::string(sign) + " " + ctx + t);
        }
    };
    walk(a, countB, "-");
    walk(b, countA, "+");
    return out;
}

bool legacyInUse(std::string_view iptablesSave)
{
    for (const auto raw : splitLines(iptablesSave)) {
        const std::string line = trim(raw);
        if (line.rfind("-A ", 0) == 0) {
            return true;
        }
        if (line.size() > 1 && line[0] == ':') {
            // ":INPUT ACCEPT [0:0]"; a user chain has policy "-".
            const auto w = words(line);
            if (w.size() >= 2 && w[1] != "ACCEPT") {
                return true;
            }
        }
    }
    return false;
}

std::string defaultRouteInterface(std::string_view procNetRoute)
{
    // "Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT", hex fields.
    constexpr unsigned kRouteUp = 0x1;
    std::size_t pos = procNetRoute.find('\n'); // the header
    while (pos != std::string_view::npos && pos < procNetRoute.size()) {
        const std::size_t end = procNetRoute.find('\n', pos + 1);
        const std::string_view line =
            procNetRoute.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1);
        pos = end;
        std::vector<std::string_view> fields;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
                ++i;
            }
            const std::size_t start = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
                ++i;
            }
            if (i > start) {
                fields.push_back(line.substr(start, i - start));
            }
        }
        if (fields.size() < 8 || fields[1] != "00000000" || fields[7] != "00000000") {
            continue;
        }
        unsigned flags = 0;
        for (const char c : fields[3]) {
            const int d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                 : -1;
            if (d < 0 || flags > 0xFFFFFFu) {
                flags = 0;
                break;
            }
            flags = flags * 16 + static_cast<unsigned>(d);
        }
        if ((flags & kRouteUp) != 0) {
            return std::string(fields[0]);
        }
    }
    return {};
}

} // namespace hadeck::probes::nft
