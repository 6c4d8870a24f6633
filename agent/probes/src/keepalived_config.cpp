#include "hadeck/probes/keepalived_config.h"

#include "hadeck/probes/process.h"
#include "text_util.h"

#include <glob.h>
#include <sys/utsname.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hadeck::probes {

// ---- ConfNode helpers ------------------------------------------------------------

const ConfNode* ConfNode::child(std::string_view kw) const
{
    for (const auto& c : children) {
        if (c.enabled && c.keyword == kw) {
            return &c;
        }
    }
    return nullptr;
}

std::string ConfNode::arg(std::size_t i, std::string fallback) const
{
    return i < args.size() ? args[i] : std::move(fallback);
}

std::string ConfNode::where() const { return file + ":" + std::to_string(line); }

std::string ConfDiagnostic::toString() const { return file + ":" + std::to_string(line) + ": " + message; }

// ---- File source -------------------------------------------------------------------

namespace {

class FileConfigSource final : public ConfigSource {
public:
    Expected<std::string> read(const std::string& path) override
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            return fail("cannot read " + path);
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    std::vector<std::string> glob(const std::string& pattern) override
    {
        std::vector<std::string> out;
        glob_t g{};
        // GLOB_BRACE: keepalived accepts {a,b} in include patterns.
        if (::glob(pattern.c_str(), GLOB_BRACE | GLOB_TILDE, nullptr, &g) == 0) {
            for (std::size_t i = 0; i < g.gl_pathc; ++i) {
                out.emplace_back(g.gl_pathv[i]);
            }
        }
        globfree(&g);
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string defaultConfigId()
{
    utsname u{};
    if (uname(&u) != 0) {
        return {};
    }
    std::string node = u.nodename;
    return node.substr(0, node.find('.'));
}

std::string dirOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

bool isNameChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/// Removes a `#` or `!` comment that is outside quotes.
std::string stripComment(std::string_view line)
{
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote != 0) {
            if (c == '\\' && i + 1 < line.size()) {
                ++i;
            } else if (c == quote) {
                quote = 0;
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' || c == '!') {
            return std::string(line.substr(0, i));
        }
    }
    return std::string(line);
}

struct Token {
    std::string text;
    bool brace = false; // an unquoted { or }
};

Expected<std::vector<Token>> tokenize(std::string_view line)
{
    std::vector<Token> out;
    std::string cur;
    bool inToken = false;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else if (c == '\\' && i + 1 < line.size()) {
                const char e = line[++i];
                switch (e) {
                case 'n': cur += '\n'; break;
                case 't': cur += '\t'; break;
                case 'r': cur += '\r'; break;
                default: cur += e; break;
                }
            } else {
                cur += c;
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            inToken = true;
        } else if (text::isSpace(c)) {
            if (inToken) {
                out.push_back({std::move(cur), false});
                cur.clear();
                inToken = false;
            }
        } else if (c == '{' || c == '}') {
            if (inToken) {
                out.push_back({std::move(cur), false});
                cur.clear();
                inToken = false;
            }
            out.push_back({std::string(1, c), true});
        } else {
            cur += c;
            inToken = true;
        }
    }
    if (quote != 0) {
        return fail(std::string("unterminated ") + (quote == '"' ? "double" : "single") + " quote");
    }
    if (inToken) {
        out.push_back({std::move(cur), false});
    }
    return out;
}

bool isIncludeKeyword(std::string_view w)
{
    return w == "include" || w == "includer" || w == "includem" || w == "includew" || w == "includeb" ||
           w == "includea";
}

class Parser {
public:
    Parser(ConfigSource* source, ConfParseOptions options) : m_source(source), m_options(std::move(options))
    {
        if (!m_options.configId) {
            m_options.configId = defaultConfigId();
        }
        m_stack.push_back({&m_tree.nodes, nullptr});
    }

    Status parseText(std::string_view content, const std::string& fileName, int depth)
    {
        m_tree.files.push_back(fileName);
        const auto ls = text::lines(content);
        std::string defName;  // open multi-line definition
        std::string defValue;
        bool defEnabled = false;
        for (std::size_t i = 0; i < ls.size(); ++i) {
            const int lineNo = static_cast<int>(i + 1);
            std::string line = stripComment(ls[i]);
            if (!defName.empty()) {
                auto t = std::string(text::trim(line));
                const bool more = !t.empty() && t.back() == '\\';
                if (more) {
                    t.pop_back();
                }
                defValue += (defValue.empty() ? "" : "\n") + std::string(text::trim(t));
                if (!more) {
                    if (defEnabled) {
                        m_defs[defName] = defValue;
                    }
                    defName.clear();
                    defValue.clear();
                }
                continue;
            }
            auto body = std::string(text::trim(line));
            if (body.empty()) {
                continue;
            }
            auto [condition, enabled] = takeCondition(body);
            if (body.empty()) {
                continue;
            }
            // $NAME=value: no space before '='; only whitespace may precede '$'.
            if (body.front() == '$') {
                std::size_t k = 1;
                while (k < body.size() && isNameChar(body[k])) {
                    ++k;
                }
                if (k > 1 && k < body.size() && body[k] == '=') {
                    auto value = std::string(text::trim(std::string_view(body).substr(k + 1)));
                    const auto name = body.substr(1, k - 1);
                    if (!value.empty() && value.back() == '\\') {
                        value.pop_back();
                        defName = name;
                        defValue = std::string(text::trim(value));
                        defEnabled = enabled;
                        continue;
                    }
                    if (enabled) {
                        m_defs[name] = value;
                    }
                    continue;
                }
            }
            const auto firstWords = text::words(body);
            if (!firstWords.empty() && isIncludeKeyword(firstWords[0])) {
                if (!enabled) {
                    continue;
                }
                if (auto st = include(body, fileName, lineNo, depth); !st) {
                    return st;
                }
                continue;
            }
            const auto expanded = substitute(body);
            for (const auto sub : text::lines(expanded)) {
                auto piece = std::string(text::trim(sub));
                if (piece.empty()) {
                    continue;
                }
                auto cond = condition;
                bool en = enabled;
                if (piece.front() == '@') {
                    // A parameter can expand to a condition ($IF_MAIN=@main).
                    auto [c2, e2] = takeCondition(piece);
                    cond = c2;
                    en = en && e2;
                }
                if (auto st = feed(piece, fileName, lineNo, cond, en); !st) {
                    return st;
                }
            }
        }
        if (!defName.empty()) {
            return fail(fileName + ":" + std::to_string(ls.size()) + ": multi-line definition of $" + defName +
                        " ends with '\\' at the end of the file");
        }
        return {};
    }

    Status finish(const std::string& topFile)
    {
        flushPending();
        if (m_stack.size() > 1) {
            const ConfNode* open = m_stack.back().node;
            return fail(topFile + ": block \"" + open->keyword + "\" opened at " + open->where() +
                        " is never closed (missing '}')");
        }
        return {};
    }

    ConfTree take() { return std::move(m_tree); }

private:
    struct Level {
        std::vector<ConfNode>* list;
        ConfNode* node;
    };

    std::pair<std::string, bool> takeCondition(std::string& body) const
    {
        if (body.empty() || body.front() != '@') {
            return {{}, true};
        }
        std::size_t k = 1;
        while (k < body.size() && !text::isSpace(body[k])) {
            ++k;
        }
        std::string cond = body.substr(1, k - 1);
        body = std::string(text::trim(std::string_view(body).substr(k)));
        const bool negate = !cond.empty() && cond.front() == '^';
        const std::string id = negate ? cond.substr(1) : cond;
        const bool match = id == m_options.configId.value_or("");
        return {cond, negate ? !match : match};
    }

    std::string substitute(std::string s) const
    {
        if (m_defs.empty()) {
            return s;
        }
        // Replacement is recursive (keepalived re-scans); the bound stops self-reference.
        for (int round = 0; round < 32; ++round) {
            bool changed = false;
            std::string out;
            for (std::size_t i = 0; i < s.size();) {
                if (s[i] == '$') {
                    std::string name;
                    std::size_t end = i;
                    if (i + 1 < s.size() && s[i + 1] == '{') {
                        const auto close = s.find('}', i + 2);
                        if (close != std::string::npos) {
                            name = s.substr(i + 2, close - i - 2);
                            end = close + 1;
                        }
                    } else {
                        std::size_t k = i + 1;
                        while (k < s.size() && isNameChar(s[k])) {
                            ++k;
                        }
                        // $NAME must be followed by whitespace or the end of the line.
                        if (k > i + 1 && (k == s.size() || text::isSpace(s[k]))) {
                            name = s.substr(i + 1, k - i - 1);
                            end = k;
                        }
                    }
                    if (const auto it = m_defs.find(name); !name.empty() && it != m_defs.end()) {
                        out += it->second;
                        i = end;
                        changed = true;
                        continue;
                    }
                }
                out += s[i++];
            }
            s = std::move(out);
            if (!changed) {
                break;
            }
        }
        return s;
    }

    Status include(const std::string& body, const std::string& fileName, int lineNo, int depth)
    {
        auto toks = tokenize(body);
        if (!toks || toks->size() < 2) {
            m_tree.diagnostics.push_back({fileName, lineNo, "include without a file name"});
            return {};
        }
        if (depth >= m_options.maxIncludeDepth) {
            return fail(fileName + ":" + std::to_string(lineNo) + ": includes nested deeper than " +
                        std::to_string(m_options.maxIncludeDepth) + " levels (an include loop?)");
        }
        if (m_source == nullptr) {
            m_tree.diagnostics.push_back({fileName, lineNo, "include not followed: no file source"});
            return {};
        }
        for (std::size_t t = 1; t < toks->size(); ++t) {
            std::string pattern = (*toks)[t].text;
            if (pattern.empty()) {
                continue;
            }
            if (pattern.front() != '/') {
                pattern = dirOf(fileName) + "/" + pattern;
            }
            const auto matches = m_source->glob(pattern);
            if (matches.empty()) {
                m_tree.diagnostics.push_back({fileName, lineNo, "include " + pattern + " matches no file"});
            }
            for (const auto& path : matches) {
                auto content = m_source->read(path);
                if (!content) {
                    m_tree.diagnostics.push_back({fileName, lineNo, content.error().message});
                    continue;
                }
                if (auto st = parseText(*content, path, depth + 1); !st) {
                    return st;
                }
            }
        }
        return {};
    }

    void flushPending()
    {
        if (m_pending.empty()) {
            return;
        }
        ConfNode node;
        node.keyword = std::move(m_pending.front());
        node.args.assign(std::make_move_iterator(m_pending.begin() + 1), std::make_move_iterator(m_pending.end()));
        node.file = m_pendingFile;
        node.line = m_pendingLine;
        node.condition = m_pendingCondition;
        node.enabled = m_pendingEnabled;
        m_pending.clear();
        m_stack.back().list->push_back(std::move(node));
    }

    Status feed(const std::string& piece, const std::string& fileName, int lineNo, const std::string& condition,
                bool enabled)
    {
        auto toks = tokenize(piece);
        if (!toks) {
            return fail(fileName + ":" + std::to_string(lineNo) + ": " + toks.error().message);
        }
        const bool parentEnabled = m_stack.back().node == nullptr || m_stack.back().node->enabled;
        for (auto& tok : *toks) {
            if (tok.brace && tok.text == "{") {
                ConfNode* opened = nullptr;
                if (!m_pending.empty()) {
                    flushPending();
                    opened = &m_stack.back().list->back();
                } else if (!m_stack.back().list->empty() && !m_stack.back().list->back().block) {
                    // "keyword" on one line and "{" on the next.
                    opened = &m_stack.back().list->back();
                } else {
                    return fail(fileName + ":" + std::to_string(lineNo) + ": '{' without a keyword before it");
                }
                opened->block = true;
                m_stack.push_back({&opened->children, opened});
                continue;
            }
            if (tok.brace) { // "}"
                flushPending();
                if (m_stack.size() == 1) {
                    return fail(fileName + ":" + std::to_string(lineNo) + ": '}' without a matching '{'");
                }
                m_stack.back().node->endLine = lineNo;
                m_stack.pop_back();
                continue;
            }
            if (m_pending.empty()) {
                m_pendingFile = fileName;
                m_pendingLine = lineNo;
                m_pendingCondition = condition;
                const bool inEnabled = m_stack.back().node == nullptr || m_stack.back().node->enabled;
                m_pendingEnabled = enabled && inEnabled && parentEnabled;
            }
            m_pending.push_back(std::move(tok.text));
        }
        flushPending();
        return {};
    }

    ConfigSource* m_source;
    ConfParseOptions m_options;
    ConfTree m_tree;
    std::map<std::string, std::string> m_defs;
    std::vector<Level> m_stack;
    std::vector<std::string> m_pending;
    std::string m_pendingFile;
    int m_pendingLine = 0;
    std::string m_pendingCondition;
    bool m_pendingEnabled = true;
};

} // namespace

std::unique_ptr<ConfigSource> makeFileConfigSource() { return std::make_unique<FileConfigSource>(); }

Expected<ConfTree> parseKeepalivedConfText(std::string_view content, const std::string& fileName,
                                           ConfigSource* source, const ConfParseOptions& options)
{
    Parser p(source, options);
    if (auto st = p.parseText(content, fileName, 0); !st) {
        return Unexpected<Failure>{st.error()};
    }
    if (auto st = p.finish(fileName); !st) {
        return Unexpected<Failure>{st.error()};
    }
    return p.take();
}

Expected<ConfTree> loadKeepalivedConf(const std::string& path, ConfigSource& source, const ConfParseOptions& options)
{
    auto content = source.read(path);
    if (!content) {
        return Unexpected<Failure>{content.error()};
    }
    return parseKeepalivedConfText(*content, path, &source, options);
}

// ---- Typed view ----------------------------------------------------------------

namespace {

class ViewBuilder {
public:
    explicit ViewBuilder(KeepalivedConfig& cfg) : m_cfg(cfg) {}

    void build()
    {
        for (const auto& n : m_cfg.tree.nodes) {
            if (!n.enabled) {
                continue;
            }
            if (n.keyword == "global_defs") {
                globalDefs(n);
            } else if (n.keyword == "vrrp_sync_group") {
                syncGroup(n);
            } else if (n.keyword == "vrrp_instance") {
                instance(n);
            } else if (n.keyword == "track_file" || n.keyword == "vrrp_track_file") {
                trackFile(n);
            } else if (n.keyword == "virtual_server") {
                virtualServer(n);
            }
        }
        for (const auto& g : m_cfg.syncGroups) {
            for (const auto& member : g.members) {
                auto it = std::find_if(m_cfg.instances.begin(), m_cfg.instances.end(),
                                       [&](const KaVrrpInstance& i) { return i.name == member; });
                if (it == m_cfg.instances.end()) {
                    note(g.where, "vrrp_sync_group " + g.name + " names unknown vrrp_instance " + member);
                } else {
                    it->syncGroup = g.name;
                }
            }
        }
        for (const auto& inst : m_cfg.instances) {
            for (const auto& ref : inst.trackFiles) {
                const bool known = std::any_of(m_cfg.trackFiles.begin(), m_cfg.trackFiles.end(),
                                               [&](const KaTrackFile& t) { return t.name == ref.name; });
                if (!known) {
                    note(inst.where, "vrrp_instance " + inst.name + " tracks undefined track_file " + ref.name);
                }
            }
        }
    }

private:
    void note(const std::string& where, std::string message)
    {
        const auto colon = where.rfind(':');
        ConfDiagnostic d;
        d.file = where.substr(0, colon);
        d.line = colon == std::string::npos ? 0 : text::number<int>(where.substr(colon + 1)).value_or(0);
        d.message = std::move(message);
        m_cfg.diagnostics.push_back(std::move(d));
    }

    template <typename T>
    std::optional<T> num(const ConfNode& n, std::size_t i, std::string_view what)
    {
        const auto v = text::number<T>(n.arg(i));
        if (!v) {
            note(n.where(), std::string(what) + " needs a number, got \"" + n.arg(i) + "\"");
        }
        return v;
    }

    static std::string joined(const ConfNode& n)
    {
        std::string s;
        for (const auto& a : n.args) {
            s += (s.empty() ? "" : " ") + a;
        }
        return s;
    }

    static std::vector<std::string> listItems(const ConfNode& block)
    {
        std::vector<std::string> out;
        for (const auto& c : block.children) {
            if (!c.enabled) {
                continue;
            }
            out.push_back(c.keyword);
            for (const auto& a : c.args) {
                out.push_back(a);
            }
        }
        return out;
    }

    static std::string spec(const ConfNode& c)
    {
        std::string s = c.keyword;
        for (const auto& a : c.args) {
            s += " " + a;
        }
        return s;
    }

    std::vector<KaTrackRef> trackRefs(const ConfNode& block)
    {
        std::vector<KaTrackRef> out;
        for (const auto& c : block.children) {
            if (!c.enabled) {
                continue;
            }
            KaTrackRef ref;
            ref.name = c.keyword;
            for (std::size_t i = 0; i < c.args.size(); ++i) {
                if (c.args[i] == "weight" && i + 1 < c.args.size()) {
                    ref.weight = num<int>(c, i + 1, "weight");
                    ++i;
                } else if (c.args[i] == "reverse") {
                    ref.reverse = true;
                }
            }
            out.push_back(std::move(ref));
        }
        return out;
    }

    void globalDefs(const ConfNode& n)
    {
        auto& g = m_cfg.global;
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            if (c.keyword == "router_id") {
                g.routerId = c.arg(0);
            } else if (c.keyword == "notify_fifo") {
                g.notifyFifo = c.arg(0);
            } else if (c.keyword == "vrrp_notify_fifo") {
                g.vrrpNotifyFifo = c.arg(0);
            } else if (c.keyword == "lvs_notify_fifo") {
                g.lvsNotifyFifo = c.arg(0);
            } else if (c.keyword == "enable_dbus") {
                g.enableDbus = true;
            } else if (c.keyword == "enable_script_security") {
                g.enableScriptSecurity = true;
            }
        }
    }

    void syncGroup(const ConfNode& n)
    {
        KaSyncGroup g;
        g.name = n.arg(0);
        g.where = n.where();
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            if (c.keyword == "group") {
                g.members = listItems(c);
            } else if (c.keyword == "track_file") {
                g.trackFiles = trackRefs(c);
            } else if (text::startsWith(c.keyword, "notify")) {
                g.notify[c.keyword] = joined(c);
            }
        }
        if (g.name.empty()) {
            note(g.where, "vrrp_sync_group without a name");
        }
        m_cfg.syncGroups.push_back(std::move(g));
    }

    void instance(const ConfNode& n)
    {
        KaVrrpInstance v;
        v.name = n.arg(0);
        v.where = n.where();
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            const auto& k = c.keyword;
            if (k == "state") {
                v.state = c.arg(0);
                if (v.state != "MASTER" && v.state != "BACKUP") {
                    note(c.where(), "state must be MASTER or BACKUP, got \"" + v.state + "\"");
                }
            } else if (k == "interface") {
                v.interface = c.arg(0);
            } else if (k == "virtual_router_id") {
                if (const auto id = num<int>(c, 0, "virtual_router_id")) {
                    v.vrid = *id;
                    if (*id < 1 || *id > 255) {
                        note(c.where(), "virtual_router_id must be 1..255, got " + std::to_string(*id));
                    }
                }
            } else if (k == "priority") {
                if (const auto p = num<int>(c, 0, "priority")) {
                    v.priority = *p;
                }
            } else if (k == "advert_int") {
                const std::string a = c.arg(0);
                char* end = nullptr;
                const double sec = std::strtod(a.c_str(), &end);
                if (a.empty() || end == nullptr || *end != '\0' || sec <= 0) {
                    note(c.where(), "advert_int needs a positive number of seconds, got \"" + a + "\"");
                } else {
                    v.advertIntMs = static_cast<int>(sec * 1000 + 0.5);
                }
            } else if (k == "nopreempt") {
                v.nopreempt = true;
            } else if (k == "preempt") {
                v.nopreempt = false;
            } else if (k == "virtual_ipaddress") {
                for (const auto& a : c.children) {
                    if (a.enabled) {
                        v.virtualIpAddresses.push_back(spec(a));
                    }
                }
            } else if (k == "virtual_ipaddress_excluded") {
                for (const auto& a : c.children) {
                    if (a.enabled) {
                        v.virtualIpAddressesExcluded.push_back(spec(a));
                    }
                }
            } else if (k == "track_interface") {
                v.trackInterfaces = trackRefs(c);
            } else if (k == "track_script") {
                v.trackScripts = trackRefs(c);
            } else if (k == "track_file") {
                v.trackFiles = trackRefs(c);
            } else if (text::startsWith(k, "notify")) {
                v.notify[k] = joined(c);
            }
        }
        if (v.name.empty()) {
            note(v.where, "vrrp_instance without a name");
        }
        if (v.interface.empty()) {
            note(v.where, "vrrp_instance " + v.name + " has no interface");
        }
        if (v.vrid == 0) {
            note(v.where, "vrrp_instance " + v.name + " has no virtual_router_id");
        }
        m_cfg.instances.push_back(std::move(v));
    }

    void trackFile(const ConfNode& n)
    {
        KaTrackFile t;
        t.name = n.arg(0);
        t.where = n.where();
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            if (c.keyword == "file") {
                t.path = c.arg(0);
            } else if (c.keyword == "weight") {
                t.weight = num<int>(c, 0, "weight").value_or(1);
                t.reverse = c.arg(1) == "reverse";
            } else if (c.keyword == "init_file") {
                t.initValue = 0;
                for (const auto& a : c.args) {
                    if (a == "overwrite") {
                        t.overwrite = true;
                    } else if (const auto v = text::number<int>(a)) {
                        t.initValue = *v;
                    }
                }
            }
        }
        if (t.path.empty()) {
            note(t.where, "track_file " + t.name + " has no file");
        }
        m_cfg.trackFiles.push_back(std::move(t));
    }

    KaCheck check(const ConfNode& n)
    {
        KaCheck ch;
        ch.type = n.keyword;
        ch.where = n.where();
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            if (c.keyword == "url") {
                if (const auto* p = c.child("path")) {
                    ch.urlPaths.push_back(p->arg(0));
                }
            } else {
                ch.params[c.keyword] = joined(c);
            }
        }
        return ch;
    }

    void virtualServer(const ConfNode& n)
    {
        KaVirtualServer vs;
        vs.where = n.where();
        if (n.arg(0) == "fwmark") {
            vs.fwmark = num<std::uint32_t>(n, 1, "fwmark").value_or(0);
        } else if (n.arg(0) == "group") {
            vs.group = n.arg(1);
        } else {
            vs.address = n.arg(0);
            if (n.args.size() > 1) {
                vs.port = num<std::uint16_t>(n, 1, "virtual_server port").value_or(0);
            }
        }
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            const auto& k = c.keyword;
            if (k == "lb_algo" || k == "lvs_sched") {
                vs.lbAlgo = c.arg(0);
            } else if (k == "lb_kind" || k == "lvs_method") {
                vs.lbKind = c.arg(0);
            } else if (k == "protocol") {
                vs.protocol = c.arg(0);
            } else if (k == "persistence_timeout") {
                // A bare persistence_timeout means keepalived's default of 6 minutes.
                vs.persistenceTimeout = c.args.empty() ? 360u : num<std::uint32_t>(c, 0, k).value_or(0);
            } else if (k == "real_server") {
                realServer(vs, c);
            }
        }
        m_cfg.virtualServers.push_back(std::move(vs));
    }

    void realServer(KaVirtualServer& vs, const ConfNode& n)
    {
        KaRealServer rs;
        rs.where = n.where();
        rs.address = n.arg(0);
        if (n.args.size() > 1) {
            rs.port = num<std::uint16_t>(n, 1, "real_server port").value_or(0);
        }
        for (const auto& c : n.children) {
            if (!c.enabled) {
                continue;
            }
            const auto& k = c.keyword;
            if (k == "weight") {
                rs.weight = num<int>(c, 0, "weight").value_or(1);
            } else if (k == "inhibit_on_failure") {
                rs.inhibitOnFailure = c.args.empty() || c.arg(0) == "on" || c.arg(0) == "true" || c.arg(0) == "yes";
            } else if (text::startsWith(k, "notify")) {
                rs.notify[k] = joined(c);
            } else if (c.block && (text::startsWith(k, "TCP_CHECK") || k.find("_GET") != std::string::npos ||
                                   text::startsWith(k, "MISC_CHECK") || text::startsWith(k, "FILE_CHECK") ||
                                   k.find("_CHECK") != std::string::npos)) {
                rs.checks.push_back(check(c));
            }
        }
        vs.realServers.push_back(std::move(rs));
    }

    KeepalivedConfig& m_cfg;
};

} // namespace

std::vector<std::string> KaVrrpInstance::vipAddresses() const
{
    std::vector<std::string> out;
    for (const auto& s : virtualIpAddresses) {
        const auto w = text::words(s);
        if (!w.empty()) {
            out.emplace_back(w.front());
        }
    }
    return out;
}

KeepalivedConfig typedView(ConfTree tree)
{
    KeepalivedConfig cfg;
    cfg.tree = std::move(tree);
    cfg.diagnostics = cfg.tree.diagnostics;
    ViewBuilder(cfg).build();
    return cfg;
}

Expected<KeepalivedConfig> loadKeepalivedConfig(const std::string& path, const ConfParseOptions& options)
{
    auto source = makeFileConfigSource();
    auto tree = loadKeepalivedConf(path, *source, options);
    if (!tree) {
        return Unexpected<Failure>{tree.error()};
    }
    return typedView(std::move(*tree));
}

} // namespace hadeck::probes

namespace hadeck::probes {

KeepalivedValidation validateWithKeepalived(const std::string& path, const std::string& keepalivedBinary)
{
    KeepalivedValidation v;
    auto r = runProcess({keepalivedBinary, "-t", "-f", path}, 30000);
    if (!r) {
        v.messages.push_back(r.error().message);
        return v;
    }
    v.ran = true;
    v.exitCode = r->exitCode;
    v.valid = r->exitCode == 0;
    for (const auto line : text::lines(r->output)) {
        if (!text::trim(line).empty()) {
            v.messages.emplace_back(text::trim(line));
        }
    }
    return v;
}

} // namespace hadeck::probes
