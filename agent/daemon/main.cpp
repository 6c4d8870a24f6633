// hadeck-agent: the HaDeck node agent. See `hadeck-agent --help`.

#include "agent.h"
#include "bridge.h"

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/log.h"
#include "hadeck/protocol/methods.h"
#include "hadeck/protocol/types.h"
#include "hadeck/protocol/version.h"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::agent;

namespace {

constexpr const char* kUsage = R"(Usage: hadeck-agent [OPTIONS]

Runs the HaDeck node agent: JSON-RPC 2.0, one message per line, on a unix socket.

Options:
  --config FILE         configuration file (default /etc/hadeck/agent.toml; missing = defaults)
  --socket PATH         listen on PATH instead of the configured socket
  --foreground          log to stderr instead of the journal
  --check-config        parse the configuration, print warnings and errors, and exit
  --verify-audit FILE   check the audit log's hash chain; exit 1 at the first broken line
  --bridge              relay stdin/stdout to the agent socket (SSH exec-channel fallback)
  --help-methods        print every method with the permission it needs, and exit
  --version             print the version and exit
  --help                print this help and exit
)";

int verifyAudit(const std::string& file)
{
    auto v = AuditLog::verify(file);
    if (!v) {
        std::fprintf(stderr, "%s\n", v.error().message.c_str());
        return 2;
    }
    if (!v->ok) {
        std::printf("%s:%zu: broken chain: %s\n", (v->file.empty() ? file : v->file).c_str(), v->brokenLine,
                    v->reason.c_str());
        return 1;
    }
    std::printf("%s: chain intact, %zu entries\n", file.c_str(), v->lines);
    return 0;
}


// The method table (protocol/methods.h): what agent.methods answers, without a running agent.
void printMethods()
{
    std::printf("Methods of protocol %d: name, permission, unix group, then what it does\n\n", proto::kProtocolVersion);
    for (const auto& m : proto::methodTable()) {
        const std::string_view group = proto::groupFor(m.permission);
        std::printf("%-30.*s %-8.*s %.*s\n    %.*s\n", static_cast<int>(m.name.size()), m.name.data(),
                    static_cast<int>(proto::toString(m.permission).size()), proto::toString(m.permission).data(),
                    static_cast<int>(group.size()), group.data(), static_cast<int>(m.summary.size()), m.summary.data());
    }
}
} // namespace

int main(int argc, char** argv)
{
    // One malloc arena for every thread. glibc gives each thread that allocates its own arena
    // (up to 8 per core), each keeping its own free blocks and at least a 132 KiB heap resident;
    // the agent's few threads (the audit writer, the offload workers) allocate little and
    // rarely, so sharing the main arena costs no measurable contention and keeps their memory
    // in one heap that malloc_trim can give back.
    ::mallopt(M_ARENA_MAX, 1);
    // State files, the audit log and backups never depend on the caller's umask;
    // files created with an explicit mode (mkostemp, fchmod) keep theirs.
    ::umask(027);
    AgentOptions options;
    bool foreground = false;
    bool bridge = false;
    bool checkOnly = false;
    std::optional<std::string> verifyFile;

    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::optional<std::string> inlineValue;
        if (const auto eq = arg.find('='); arg.substr(0, 2) == "--" && eq != std::string_view::npos) {
            inlineValue = std::string(arg.substr(eq + 1));
            arg = arg.substr(0, eq);
        }
        const auto value = [&]() -> std::optional<std::string> {
            if (inlineValue) {
                return inlineValue;
            }
            if (i + 1 < argc) {
                return std::string(argv[++i]);
            }
            std::fprintf(stderr, "hadeck-agent: %.*s needs a value\n", static_cast<int>(arg.size()), arg.data());
            return std::nullopt;
        };
        if (arg == "--version") {
            std::printf("hadeck-agent %s (protocol %d)\n", kVersion, proto::kProtocolVersion);
            return 0;
        }
        if (arg == "--help-methods") {
            printMethods();
            return 0;
        }
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--foreground") {
            foreground = true;
        } else if (arg == "--bridge") {
            bridge = true;
        } else if (arg == "--check-config") {
            checkOnly = true;
        } else if (arg == "--config" || arg == "--socket" || arg == "--verify-audit") {
            auto v = value();
            if (!v) {
                return 2;
            }
            if (arg == "--config") {
                options.configPath = *v;
            } else if (arg == "--socket") {
                options.socketOverride = *v;
            } else {
                verifyFile = *v;
            }
        } else {
            std::fprintf(stderr, "hadeck-agent: unknown option %s\n\n%s", argv[i], kUsage);
            return 2;
        }
    }

    if (verifyFile) {
        return verifyAudit(*verifyFile);
    }
    if (bridge) {
        std::filesystem::path socket = options.socketOverride.value_or(std::filesystem::path());
        if (socket.empty()) {
            // The bridge runs as the SSH user, who may not read the config; then the default applies.
            auto config = loadConfig(options.configPath);
            socket = config ? config->socketPath : AgentConfig{}.socketPath;
        }
        return runBridge(socket);
    }
    if (checkOnly) {
        auto config = loadConfig(options.configPath);
        if (!config) {
            std::fprintf(stderr, "%s\n", config.error().message.c_str());
            return 1;
        }
        for (const auto& w : config->warnings) {
            std::fprintf(stderr, "warning: %s\n", w.c_str());
        }
        std::printf("%s: OK\n", config->source.empty() ? "defaults (no file)" : config->source.c_str());
        return 0;
    }

    // Under systemd without --foreground, stderr is the journal anyway, but
    // the native journal keeps the priority.
    setLogTarget(foreground || ::isatty(STDERR_FILENO) != 0 ? LogTarget::Stderr : LogTarget::Journal);
    Agent agent(std::move(options));
    return agent.run();
}
