// keepalived.conf read as keepalived 2.2.7 reads it: lines, comments, quoting,
// parameters (also keepalived's pre-defined ones), conditionals, includes, and
// its recovery from keywords it does not know (see keepalived_keywords.cpp).

#include "hadeck/probes/keepalived_config.h"

#include "keepalived_keywords.h"
#include "text_util.h"

#include <sys/utsname.h>

#include <algorithm>
#include <random>

namespace hadeck::probes {

namespace {

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

/// Why a line's substitution was given up (see Parser::substitute).
enum class Overflow { None, Line, Total };

class Parser {
public:
    Parser(ConfigSource* source, ConfParseOptions options) : m_source(source), m_options(std::move(options))
    {
        if (!m_options.configId) {
            m_options.configId = defaultConfigId();
        }
        m_stack.push_back({&m_tree.nodes, nullptr, kconf::rootContext(), m_options.keepalivedKeywords});
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
            auto tooLong = Overflow::None;
            const auto expanded = substitute(body, fileName, &tooLong);
            if (tooLong == Overflow::Line) {
                m_tree.diagnostics.push_back({fileName, lineNo,
                                              "parameter substitution would make this line longer than " +
                                                  std::to_string(kMaxExpandedLine) +
                                                  " bytes (a definition that doubles itself?): read with its "
                                                  "parameters as written"});
            } else if (tooLong == Overflow::Total && !m_growthReported) {
                m_growthReported = true;
                m_tree.diagnostics.push_back({fileName, lineNo,
                                              "parameter substitution would add more than " +
                                                  std::to_string(kMaxExpandedGrowth) +
                                                  " bytes to the configuration's lines in all: this line and the "
                                                  "ones after it that use parameters are read as written"});
            }
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
        const kconf::KeywordContext* keywords; // what keepalived knows here
        bool checked;                          // false in a block keepalived reads as raw lines
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

    /// keepalived's pre-defined parameters: ${_PWD} (the directory of the file being read), ${_INSTANCE}
    /// (the config id), ${_RANDOM [MIN [MAX]]} (0..32767 by default), ${_HASH} (#) and ${_BANG} (!).
    std::optional<std::string> predefined(const std::string& name, const std::string& fileName) const
    {
        const auto w = text::words(name);
        if (w.empty() || w.front().empty() || w.front().front() != '_') {
            return std::nullopt;
        }
        if (w.front() == "_PWD" && w.size() == 1) {
            return dirOf(fileName);
        }
        if (w.front() == "_INSTANCE" && w.size() == 1) {
            return m_options.configId.value_or("");
        }
        if (w.front() == "_HASH" && w.size() == 1) {
            return std::string("#");
        }
        if (w.front() == "_BANG" && w.size() == 1) {
            return std::string("!");
        }
        if (w.front() == "_RANDOM" && w.size() <= 3) {
            unsigned long lo = 0;
            unsigned long hi = 32767;
            if (w.size() > 1) {
                const auto a = text::number<unsigned long>(w[1]);
                if (!a) {
                    return std::nullopt;
                }
                lo = *a;
            }
            if (w.size() > 2) {
                const auto b = text::number<unsigned long>(w[2]);
                if (!b) {
                    return std::nullopt;
                }
                hi = *b;
            }
            if (hi < lo) {
                std::swap(lo, hi);
            }
            std::uniform_int_distribution<unsigned long> d(lo, hi);
            return std::to_string(d(m_random));
        }
        return std::nullopt;
    }

    /// A line's parameters replaced. keepalived refuses a substitution past its line buffer; here
    /// a line may grow to kMaxExpandedLine, and substitution may add kMaxExpandedGrowth bytes to the
    /// configuration in all, far past any real file, so $A=$B $B, $B=$C $C ... cannot take time or
    /// memory that doubles per definition. Past either, @p tooLong says which and the line comes
    /// back as written. A line without '$' is not counted.
    std::string substitute(std::string s, const std::string& fileName, Overflow* tooLong)
    {
        if (s.find('$') == std::string::npos) {
            return s;
        }
        const std::string written = s;
        const auto overflow = [&](std::size_t size) {
            if (size <= written.size()) {
                return Overflow::None;
            }
            if (size > kMaxExpandedLine) {
                return Overflow::Line;
            }
            return m_expandedGrowth + (size - written.size()) > kMaxExpandedGrowth ? Overflow::Total : Overflow::None;
        };
        // Replacement is recursive (keepalived re-scans); the bound stops self-reference.
        for (int round = 0; round < 32; ++round) {
            bool changed = false;
            std::string out;
            for (std::size_t i = 0; i < s.size();) {
                if (const auto o = overflow(out.size()); o != Overflow::None) {
                    *tooLong = o;
                    return written;
                }
                if (s[i] != '$') {
                    // Up to the next parameter at once (a long line is copied in runs, not by character).
                    const std::size_t next = std::min(s.find('$', i), s.size());
                    out.append(s, i, next - i);
                    i = next;
                    continue;
                }
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
                if (auto value = predefined(name, fileName)) {
                    out += *value;
                    i = end;
                    continue; // not re-scanned: a path or a number, or # and ! that must stay literal
                }
                out += s[i++];
            }
            s = std::move(out);
            if (!changed) {
                break;
            }
        }
        if (const auto o = overflow(s.size()); o != Overflow::None) {
            *tooLong = o;
            return written;
        }
        m_expandedGrowth += s.size() > written.size() ? s.size() - written.size() : 0;
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
        const Level& here = m_stack.back();
        if (here.checked && !kconf::knows(here.keywords, node.keyword)) {
            node.known = false;
            if (node.enabled) {
                m_tree.diagnostics.push_back({node.file, node.line, "Unknown keyword '" + node.keyword + "'"});
            }
        }
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
                if (!opened->known) {
                    // keepalived ignores the `{` of a keyword it does not know: what follows is read here,
                    // and the block's `}` closes the enclosing block.
                    if (opened->enabled) {
                        m_tree.diagnostics.push_back({fileName, lineNo, "Unexpected '{' - ignoring"});
                    }
                    continue;
                }
                opened->block = true;
                const Level& here = m_stack.back();
                const auto* sub = here.checked ? kconf::subContext(here.keywords, opened->keyword) : nullptr;
                m_stack.push_back({&opened->children, opened, sub, sub != nullptr});
                continue;
            }
            if (tok.brace) { // "}"
                flushPending();
                if (m_stack.size() == 1 && !m_options.keepalivedKeywords) {
                    return fail(fileName + ":" + std::to_string(lineNo) + ": '}' without a matching '{'");
                }
                if (m_stack.size() == 1) {
                    // keepalived reports it and reads on.
                    if (enabled) {
                        m_tree.diagnostics.push_back({fileName, lineNo, "Extra '}' found (unknown keyword '}')"});
                    }
                    continue;
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
    static constexpr std::size_t kMaxExpandedLine = 64 * 1024;
    static constexpr std::size_t kMaxExpandedGrowth = 16 * 1024 * 1024;
    std::size_t m_expandedGrowth = 0; // bytes substitution added to the lines so far
    bool m_growthReported = false;
    mutable std::mt19937 m_random{std::random_device{}()};
    std::vector<Level> m_stack;
    std::vector<std::string> m_pending;
    std::string m_pendingFile;
    int m_pendingLine = 0;
    std::string m_pendingCondition;
    bool m_pendingEnabled = true;
};

} // namespace

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
} // namespace hadeck::probes
