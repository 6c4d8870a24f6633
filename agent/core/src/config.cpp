#include "hadeck/agent/config.h"
#include "hadeck/agent/files.h"

#include <hadeck/protocol/toml_guard.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>

#include <toml++/toml.h>
#include <unistd.h>

namespace hadeck::agent {

namespace {

std::string where(std::string_view sourceName, const toml::source_region& region)
{
    return std::string(sourceName) + ":" + std::to_string(region.begin.line) + ":" +
           std::to_string(region.begin.column);
}

Json toJson(const toml::node& node)
{
    if (const auto* t = node.as_table()) {
        Json out = Json::object();
        for (const auto& [k, v] : *t) {
            out[std::string(k.str())] = toJson(v);
        }
        return out;
    }
    if (const auto* a = node.as_array()) {
        Json out = Json::array();
        for (const auto& v : *a) {
            out.push_back(toJson(v));
        }
        return out;
    }
    if (node.is_string()) {
        return node.as_string()->get();
    }
    if (node.is_integer()) {
        return node.as_integer()->get();
    }
    if (node.is_floating_point()) {
        return node.as_floating_point()->get();
    }
    if (node.is_boolean()) {
        return node.as_boolean()->get();
    }
    // Dates and times: keep their TOML spelling.
    std::ostringstream s;
    node.visit([&s](const auto& v) { s << v; });
    return s.str();
}

// Reads the known keys of one table; each reader returns an error message or "".
class TableReader {
public:
    TableReader(const toml::table& table, std::string prefix, std::string_view source, AgentConfig& config)
        : m_table(table), m_prefix(std::move(prefix)), m_source(source), m_config(config)
    {
    }

    std::optional<Failure> string(std::string_view key, std::string& out)
    {
        return read(key, [&](const toml::node& n) -> std::string {
            if (!n.is_string()) {
                return "must be a string";
            }
            out = n.as_string()->get();
            return {};
        });
    }

    std::optional<Failure> path(std::string_view key, std::filesystem::path& out, bool* seen = nullptr)
    {
        return read(key, [&](const toml::node& n) -> std::string {
            if (!n.is_string() || n.as_string()->get().empty()) {
                return "must be a non-empty path string";
            }
            out = n.as_string()->get();
            if (seen != nullptr) {
                *seen = true;
            }
            return {};
        });
    }

    std::optional<Failure> size(std::string_view key, std::size_t& out, std::int64_t minimum)
    {
        return read(key, [&](const toml::node& n) -> std::string {
            if (!n.is_integer()) {
                return "must be an integer";
            }
            const std::int64_t v = n.as_integer()->get();
            if (v < minimum) {
                return "must be at least " + std::to_string(minimum);
            }
            out = static_cast<std::size_t>(v);
            return {};
        });
    }

    std::optional<Failure> mode(std::string_view key, unsigned& out)
    {
        return read(key, [&](const toml::node& n) -> std::string {
            std::int64_t v = -1;
            if (n.is_integer()) {
                v = n.as_integer()->get();
            } else if (n.is_string()) {
                const std::string& s = n.as_string()->get();
                char* end = nullptr;
                errno = 0;
                v = std::strtol(s.c_str(), &end, 8);
                if (s.empty() || errno != 0 || *end != '\0') {
                    v = -1;
                }
            }
            if (v < 0 || v > 0777) {
                return "must be an octal file mode such as 0o660 or \"0660\"";
            }
            out = static_cast<unsigned>(v);
            return {};
        });
    }

    std::optional<Failure> roles(std::string_view key, std::optional<std::vector<proto::Role>>& out)
    {
        return read(key, [&](const toml::node& n) -> std::string {
            const auto* a = n.as_array();
            if (a == nullptr) {
                return "must be an array of role names";
            }
            std::vector<proto::Role> roles;
            for (const auto& e : *a) {
                const auto* s = e.as_string();
                const auto role = s != nullptr ? proto::roleFromString(s->get()) : std::nullopt;
                if (!role) {
                    return "unknown role; use director, realserver, db, mfs-master, mfs-chunkserver, "
                           "mfs-metalogger or gateway";
                }
                roles.push_back(*role);
            }
            out = std::move(roles);
            return {};
        });
    }

    /// Warns about every key not read through this reader.
    void warnUnknown()
    {
        for (const auto& [k, v] : m_table) {
            if (m_known.count(std::string(k.str())) == 0) {
                m_config.warnings.push_back(where(m_source, k.source()) + ": unknown key \"" + m_prefix +
                                            std::string(k.str()) + "\" (ignored)");
            }
        }
    }

    void markKnown(std::string_view key) { m_known.emplace(key); }

private:
    template <typename F>
    std::optional<Failure> read(std::string_view key, F&& apply)
    {
        m_known.emplace(key);
        const toml::node* n = m_table.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        if (std::string problem = apply(*n); !problem.empty()) {
            return Failure{where(m_source, n->source()) + ": " + m_prefix + std::string(key) + " " + problem, 0};
        }
        return std::nullopt;
    }

    const toml::table& m_table;
    std::string m_prefix;
    std::string_view m_source;
    AgentConfig& m_config;
    std::set<std::string, std::less<>> m_known;
};

} // namespace

Expected<AgentConfig> parseConfig(std::string_view text, std::string_view sourceName)
{
    AgentConfig config;
    toml::table root;
    if (const auto bad = proto::findTomlTextProblem(text)) {
        char cp[16];
        std::snprintf(cp, sizeof cp, "U+%04X", static_cast<unsigned>(bad->codePoint));
        return fail(std::string(sourceName) + ":" + std::to_string(bad->line) + ":" + std::to_string(bad->column) +
                    ": the character " + cp + " is not accepted in agent.toml");
    }
    try {
        root = toml::parse(text, sourceName);
    } catch (const toml::parse_error& e) {
        return fail(where(sourceName, e.source()) + ": " + std::string(e.description()));
    }

    std::optional<Failure> problem;
    const auto check = [&problem](std::optional<Failure> f) {
        if (f && !problem) {
            problem = std::move(f);
        }
    };
    const toml::table kEmpty;
    const auto section = [&](std::string_view name) -> const toml::table& {
        const toml::node* n = root.get(name);
        if (n != nullptr && !n->is_table()) {
            check(Failure{where(sourceName, n->source()) + ": \"" + std::string(name) + "\" must be a table", 0});
        }
        return n != nullptr && n->is_table() ? *n->as_table() : kEmpty;
    };

    TableReader top(root, "", sourceName, config);
    for (const char* name : {"node", "socket", "state", "sample", "keepalived", "modules"}) {
        top.markKnown(name);
    }
    top.warnUnknown();

    TableReader node(section("node"), "node.", sourceName, config);
    check(node.string("name", config.nodeName));
    check(node.roles("roles", config.roles));
    node.warnUnknown();

    TableReader socket(section("socket"), "socket.", sourceName, config);
    check(socket.path("path", config.socketPath));
    check(socket.string("group", config.socketGroup));
    check(socket.mode("mode", config.socketMode));
    check(socket.size("max_frame", config.maxFrame, 1024));
    check(socket.size("client_output_limit", config.clientOutputLimit, 64 * 1024));
    check(socket.size("max_clients", config.maxClients, 1));
    check(socket.size("max_clients_per_user", config.maxClientsPerUser, 1));
    check(socket.size("request_rate", config.requestRate, 1));
    std::size_t idleMs = static_cast<std::size_t>(config.idleTimeout.count());
    std::size_t frameMs = static_cast<std::size_t>(config.frameTimeout.count());
    check(socket.size("idle_timeout_ms", idleMs, 100));
    check(socket.size("frame_timeout_ms", frameMs, 100));
    config.idleTimeout = std::chrono::milliseconds(idleMs);
    config.frameTimeout = std::chrono::milliseconds(frameMs);
    socket.warnUnknown();

    bool auditSet = false;
    TableReader state(section("state"), "state.", sourceName, config);
    check(state.path("dir", config.stateDir));
    check(state.path("audit_log", config.auditPath, &auditSet));
    state.warnUnknown();
    if (!auditSet) {
        config.auditPath = config.stateDir / "audit.log";
    }

    TableReader sample(section("sample"), "sample.", sourceName, config);
    std::size_t intervalMs = static_cast<std::size_t>(config.sampleInterval.count());
    check(sample.size("interval_ms", intervalMs, 100));
    config.sampleInterval = std::chrono::milliseconds(intervalMs);
    sample.warnUnknown();

    TableReader keepalived(section("keepalived"), "keepalived.", sourceName, config);
    check(keepalived.path("config", config.keepalived.config));
    check(keepalived.path("pid_file", config.keepalived.pidFile));
    check(keepalived.path("json_dump", config.keepalived.jsonDump));
    check(keepalived.path("data_dump", config.keepalived.dataDump));
    check(keepalived.path("stats_dump", config.keepalived.statsDump));
    keepalived.warnUnknown();

    config.modules = toJson(section("modules"));

    if (problem) {
        return Unexpected<Failure>{*problem};
    }
    return config;
}

Expected<AgentConfig> loadConfig(const std::filesystem::path& path)
{
    AgentConfig config;
    auto text = files::readFileIfExists(path);
    if (!text) {
        return fail(text.error().message);
    }
    if (text->has_value()) {
        auto parsed = parseConfig(**text, path.string());
        if (!parsed) {
            return parsed;
        }
        config = std::move(*parsed);
        config.source = path;
    }
    if (config.nodeName.empty()) {
        std::array<char, 256> host{};
        if (::gethostname(host.data(), host.size() - 1) == 0) {
            config.nodeName = host.data();
        }
    }
    return config;
}

} // namespace hadeck::agent
