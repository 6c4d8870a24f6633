#include "hadeck/agent/actions/failover_module.h"

#include "action_util.h"

#include "hadeck/agent/actions/failover.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

namespace hadeck::agent {

namespace {

/// Index just past the '}' closing the block opened at or after @p from, skipping comments and strings.
std::size_t blockEnd(const std::string& text, std::size_t from)
{
    int depth = 0;
    bool opened = false;
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '#' || c == '!') {
            i = text.find('\n', i);
            if (i == std::string::npos) {
                return std::string::npos;
            }
            continue;
        }
        if (c == '"') {
            i = text.find('"', i + 1);
            if (i == std::string::npos) {
                return std::string::npos;
            }
            continue;
        }
        if (c == '{') {
            ++depth;
            opened = true;
        } else if (c == '}') {
            if (--depth == 0 && opened) {
                return i;
            }
        }
    }
    return std::string::npos;
}

/// Position of "vrrp_instance NAME" at the start of a line (after blanks), or npos.
std::size_t findInstance(const std::string& text, const std::string& instance)
{
    std::size_t pos = 0;
    while ((pos = text.find("vrrp_instance", pos)) != std::string::npos) {
        std::size_t lineStart = text.rfind('\n', pos);
        lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
        const bool atLineStart = text.find_first_not_of(" \t", lineStart) == pos;
        std::istringstream rest(text.substr(pos, text.find('\n', pos) - pos));
        std::string keyword;
        std::string name;
        rest >> keyword >> name;
        if (atLineStart && keyword == "vrrp_instance" && name == instance) {
            return pos;
        }
        pos += 13;
    }
    return std::string::npos;
}

/// Runs `keepalived -t -f FILE`; @return whether it exited 0, its output in @p output.
Expected<bool> runCheck(const std::filesystem::path& file, std::string& output)
{
    const std::string cmd = "keepalived -t -f '" + file.string() + "' 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) {
        return fail(std::string("cannot run keepalived -t: ") + std::strerror(errno));
    }
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) {
        output += buf;
    }
    const int status = ::pclose(p);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string withoutLocation(const std::string& line)
{
    // "(/etc/keepalived/keepalived.conf: Line 12) Unknown keyword 'x'" → "Unknown keyword 'x'"
    if (!line.empty() && line[0] == '(') {
        const auto close = line.find(") ");
        if (close != std::string::npos && line.find(": Line ") < close) {
            return line.substr(close + 2);
        }
    }
    return line;
}

} // namespace

std::vector<std::string> newConfigComplaints(const std::string& before, const std::string& after)
{
    std::multiset<std::string> known;
    std::istringstream b(before);
    for (std::string line; std::getline(b, line);) {
        known.insert(withoutLocation(line));
    }
    std::vector<std::string> out;
    std::istringstream a(after);
    for (std::string line; std::getline(a, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        const auto it = known.find(withoutLocation(line));
        if (it != known.end()) {
            known.erase(it);
        } else {
            out.push_back(line);
        }
    }
    return out;
}

Expected<std::string> addFailoverTrack(const std::string& configText, const std::string& instance,
                                       const std::filesystem::path& trackFile)
{
    const std::size_t at = findInstance(configText, instance);
    if (at == std::string::npos) {
        return fail("vrrp_instance " + instance + " is not in this file (it may be in an included file)");
    }
    const std::size_t end = blockEnd(configText, at);
    if (end == std::string::npos) {
        return fail("vrrp_instance " + instance + " has no closing brace");
    }
    const std::string block = configText.substr(at, end - at);
    if (block.find(kFailoverTrackName) != std::string::npos) {
        return fail("vrrp_instance " + instance + " already references " + kFailoverTrackName);
    }
    std::string out = configText;
    out.insert(end, std::string("    track_file {\n        ") + kFailoverTrackName + " weight 0\n    }\n");
    if (configText.find(std::string("track_file ") + kFailoverTrackName) == std::string::npos) {
        const std::string def = std::string("track_file ") + kFailoverTrackName + " {\n    file \"" +
                                trackFile.string() + "\"\n    weight 0\n    init_file 0\n}\n\n";
        out.insert(0, def);
    }
    return out;
}

FailoverModule::FailoverModule(std::unique_ptr<KeepalivedFactsSource> keepalived)
    : m_keepalived(std::move(keepalived))
{
}

FailoverModule::~FailoverModule() = default;

void FailoverModule::start(AgentContext& context)
{
    m_context = &context;
    auto& reg = context.registry;
    reg.add(proto::methods::VrrpRelease, this, &FailoverModule::release);
    reg.add(proto::methods::VrrpRestore, this, &FailoverModule::restore);
    reg.add(proto::methods::VrrpFailoverStatus, this, &FailoverModule::status);
    reg.add(proto::methods::KeepalivedAddFailoverTrack, this, &FailoverModule::addTrack);
}

void FailoverModule::release(const CallContext&, proto::FailoverTarget params,
                             TypedResponder<proto::FailoverWriteResult> r)
{
    setValue(params, 1, std::move(r));
}

void FailoverModule::restore(const CallContext&, proto::FailoverTarget params,
                             TypedResponder<proto::FailoverWriteResult> r)
{
    setValue(params, 0, std::move(r));
}

void FailoverModule::status(const CallContext&, proto::Empty, TypedResponder<proto::FailoverStatusResult> r)
{
    auto facts = m_keepalived->facts(m_context->config.keepalived.config);
    if (!facts) {
        r.error(rpc::Unavailable, facts.error().message);
        return;
    }
    proto::FailoverStatusResult out;
    for (const auto& [instance, file] : facts->failoverFiles) {
        auto v = readTrackFile(file);
        out.instances[instance] = proto::FailoverFileState{
            file.string(), v && v->has_value() ? std::optional<std::int64_t>(**v) : std::nullopt};
    }
    r.result(out);
}

void FailoverModule::addTrack(const CallContext&, proto::AddFailoverTrackParams p,
                              TypedResponder<proto::AddFailoverTrackResult> r)
{
    const std::string instance = p.instance; // checked non-empty by the declaration
    const auto path = m_context->config.keepalived.config;
    const std::string original = detail::readTextFile(path);
    auto edited = addFailoverTrack(original, instance, kDefaultFailoverFile);
    if (!edited) {
        r.error(rpc::PreconditionFailed, edited.error().message,
                proto::toJson(proto::TrackSnippetData{instance, failoverTrackSnippet(kDefaultFailoverFile, instance), {}}));
        return;
    }
    const std::filesystem::path candidate = path.string() + ".hadeck-new";
    std::ofstream(candidate) << *edited;
    auto shared = std::make_shared<TypedResponder<proto::AddFailoverTrackResult>>(std::move(r));
    const std::filesystem::path pidFile = m_context->config.keepalived.pidFile;
    m_context->loop.offload(
        [candidate, path]() -> Json {
            std::string out;
            auto passed = runCheck(candidate, out);
            if (!passed) {
                return Json{{"error", passed.error().message}};
            }
            if (*passed) {
                return Json{{"ok", true}, {"output", out}};
            }
            std::string before;
            auto was = runCheck(path, before);
            const auto added = newConfigComplaints(was ? before : std::string(), out);
            if (!was || *was || !added.empty()) {
                std::string lines;
                for (const auto& l : added) {
                    lines += l + "\n";
                }
                return Json{{"error", "keepalived -t rejected the new configuration:\n" +
                                          (lines.empty() ? out : lines)},
                            {"output", out}};
            }
            // Warnings the file had before the edit; the edit added none.
            return Json{{"ok", true}, {"output", out}, {"preexisting", true}};
        },
        [shared, candidate, path, pidFile](Json checked) {
            if (checked.contains("error")) {
                std::filesystem::remove(candidate);
                shared->error(rpc::PreconditionFailed, checked["error"].get<std::string>(),
                              proto::toJson(proto::TrackSnippetData{{}, {}, checked.value("output", std::string())}));
                return;
            }
            std::error_code ec;
            std::filesystem::copy_file(path, path.string() + ".hadeck-bak",
                                       std::filesystem::copy_options::overwrite_existing, ec);
            std::filesystem::rename(candidate, path, ec);
            if (ec) {
                shared->error(rpc::ActionFailed, "cannot replace " + path.string() + ": " + ec.message());
                return;
            }
            const std::string pidText = detail::readTextFile(pidFile);
            const pid_t pid = static_cast<pid_t>(std::atol(pidText.c_str()));
            const bool reloaded = pid > 1 && ::kill(pid, SIGHUP) == 0;
            shared->result(proto::AddFailoverTrackResult{path.string(), path.string() + ".hadeck-bak",
                                                         checked.value("output", std::string()), reloaded,
                                                         checked.value("preexisting", false)});
        });
}

std::optional<std::vector<std::pair<std::string, std::filesystem::path>>>
FailoverModule::targets(const proto::FailoverTarget& params, TypedResponder<proto::FailoverWriteResult>& responder)
{
    const std::string& instance = params.instance;
    const std::string& group = params.group;
    if (instance.empty() == group.empty()) {
        responder.error(rpc::InvalidParams, "give exactly one of \"instance\" or \"group\"");
        return std::nullopt;
    }
    auto facts = m_keepalived->facts(m_context->config.keepalived.config);
    if (!facts) {
        responder.error(rpc::Unavailable, "cannot read keepalived's configuration: " + facts.error().message);
        return std::nullopt;
    }
    std::vector<std::string> names;
    if (!group.empty()) {
        const auto g = facts->syncGroups.find(group);
        if (g == facts->syncGroups.end()) {
            responder.error(rpc::InvalidParams, "no vrrp_sync_group " + group + " in keepalived's configuration");
            return std::nullopt;
        }
        names = g->second;
    } else {
        names = {instance};
    }
    std::vector<std::pair<std::string, std::filesystem::path>> out;
    for (const auto& n : names) {
        const auto f = facts->failoverFiles.find(n);
        if (f == facts->failoverFiles.end()) {
            responder.error(rpc::PreconditionFailed,
                            "vrrp_instance " + n + " has no " + kFailoverTrackName +
                                " track_file, so it cannot be driven to FAULT. Add these lines to keepalived's "
                                "configuration, or call keepalived.addFailoverTrack (admin).",
                            proto::toJson(proto::TrackSnippetData{n, failoverTrackSnippet(kDefaultFailoverFile, n), {}}));
            return std::nullopt;
        }
        out.emplace_back(n, f->second);
    }
    return out;
}

void FailoverModule::setValue(const proto::FailoverTarget& params, int value,
                              TypedResponder<proto::FailoverWriteResult> responder)
{
    auto list = targets(params, responder);
    if (!list) {
        return;
    }
    std::vector<proto::TrackFileWrite> done;
    for (const auto& [instance, file] : *list) {
        if (auto st = writeTrackFile(file, value); !st) {
            responder.error(rpc::ActionFailed, st.error().message, Json{{"written", done}});
            return;
        }
        done.push_back(proto::TrackFileWrite{instance, file.string(), value});
    }
    // The write time on this host's clock: the console compares it with the peer's
    // keepalived last_transition, which the same kind of clock stamps.
    const double at = detail::unixNow();
    m_context->publisher.event(
        Json{{"type", value ? proto::event::VrrpReleased : proto::event::VrrpRestored}, {"instances", done}, {"time", at}});
    responder.result(proto::FailoverWriteResult{std::move(done), at});
}

} // namespace hadeck::agent
