#include "hadeck/agent/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include <syslog.h>
#include <systemd/sd-journal.h>

namespace hadeck::agent {

namespace {
std::atomic<LogTarget> g_target{LogTarget::Stderr};
std::atomic<LogLevel> g_minimum{LogLevel::Info};
std::mutex g_stderrMutex;

int syslogPriority(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return LOG_DEBUG;
    case LogLevel::Info: return LOG_INFO;
    case LogLevel::Warning: return LOG_WARNING;
    case LogLevel::Error: return LOG_ERR;
    }
    return LOG_INFO;
}

const char* levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    }
    return "info";
}
} // namespace

void setLogTarget(LogTarget target) { g_target = target; }
void setLogLevel(LogLevel minimum) { g_minimum = minimum; }

void log(LogLevel level, std::string_view message)
{
    if (level < g_minimum.load()) {
        return;
    }
    const int length = static_cast<int>(std::min<std::size_t>(message.size(), 64U * 1024U));
    if (g_target.load() == LogTarget::Journal) {
        sd_journal_print(syslogPriority(level), "%.*s", length, message.data());
        return;
    }
    const std::lock_guard lock(g_stderrMutex);
    std::fprintf(stderr, "hadeck-agent: %s: %.*s\n", levelName(level), length, message.data());
    std::fflush(stderr);
}

} // namespace hadeck::agent
