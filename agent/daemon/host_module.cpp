#include "host_module.h"

#include "hadeck/agent/files.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace hadeck::agent {

namespace {

std::string readSmallFile(const char* path)
{
    auto text = files::readFile(path);
    return text ? std::move(*text) : std::string();
}

std::string_view nextField(std::string_view& text)
{
    const auto start = text.find_first_not_of(" \t\n");
    if (start == std::string_view::npos) {
        text = {};
        return {};
    }
    text.remove_prefix(start);
    const auto end = text.find_first_of(" \t\n");
    const std::string_view field = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end);
    return field;
}

bool toDouble(std::string_view s, double& out)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

template <typename T>
bool toInt(std::string_view s, T& out)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

} // namespace

Status parseLoadavg(std::string_view text, HostSample& out)
{
    // "0.52 0.58 0.59 2/389 12345"
    std::string_view rest = text;
    const auto l1 = nextField(rest);
    const auto l5 = nextField(rest);
    const auto l15 = nextField(rest);
    const auto tasks = nextField(rest);
    const auto slash = tasks.find('/');
    if (!toDouble(l1, out.load1) || !toDouble(l5, out.load5) || !toDouble(l15, out.load15) ||
        slash == std::string_view::npos || !toInt(tasks.substr(0, slash), out.runnable) ||
        !toInt(tasks.substr(slash + 1), out.tasks)) {
        return fail("unexpected /proc/loadavg format: \"" + std::string(text.substr(0, 80)) + "\"");
    }
    return {};
}

Status parseMeminfo(std::string_view text, HostSample& out)
{
    bool total = false;
    bool available = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string_view key = line.substr(0, colon);
        std::string_view rest = line.substr(colon + 1);
        std::uint64_t value = 0;
        if (!toInt(nextField(rest), value)) {
            continue;
        }
        if (key == "MemTotal") {
            out.memTotalKiB = value;
            total = true;
        } else if (key == "MemAvailable") {
            out.memAvailableKiB = value;
            available = true;
        } else if (key == "SwapTotal") {
            out.swapTotalKiB = value;
        } else if (key == "SwapFree") {
            out.swapFreeKiB = value;
        }
    }
    if (!total || !available) {
        return fail("/proc/meminfo lacks MemTotal or MemAvailable (kernel older than 3.14?)");
    }
    return {};
}

Status parseUptime(std::string_view text, HostSample& out)
{
    std::string_view rest = text;
    if (!toDouble(nextField(rest), out.uptimeSeconds)) {
        return fail("unexpected /proc/uptime format");
    }
    return {};
}

Json toJson(const HostSample& s)
{
    return proto::toJson(proto::HostStatus{s.load1, s.load5, s.load15, static_cast<std::uint64_t>(std::max(s.runnable, 0)),
                                           static_cast<std::uint64_t>(std::max(s.tasks, 0)), s.memTotalKiB,
                                           s.memAvailableKiB, s.swapTotalKiB, s.swapFreeKiB, s.uptimeSeconds});
}

void HostModule::start(AgentContext& context)
{
    m_context = &context;
    context.registry.add(proto::methods::HostStatusGet, this, &HostModule::status);
    context.publisher.setSnapshot(std::string(proto::topic::Host), [this] {
        if (m_last.is_null()) {
            sample();
        }
        return m_last;
    });
    arm(context.config.sampleInterval);
}

void HostModule::status(const CallContext&, proto::Empty, TypedResponder<proto::HostStatus> r)
{
    if (m_last.is_null()) {
        sample();
    }
    auto s = proto::fromJson<proto::HostStatus>(m_last);
    if (!s) {
        r.error(rpc::Unavailable, s.error().message);
        return;
    }
    r.result(*s);
}

void HostModule::reload(const AgentConfig& config)
{
    if (config.sampleInterval != m_interval) {
        arm(config.sampleInterval);
    }
}

void HostModule::arm(std::chrono::milliseconds interval)
{
    m_interval = interval;
    auto timer = m_context->loop.addTimer(interval, true, [this] {
        // Reading /proc never blocks, so this stays on the loop thread; skip
        // the work entirely when nobody listens.
        if (m_context->publisher.subscriberCount("host") == 0) {
            m_last = nullptr;
            return;
        }
        sample();
        m_context->publisher.publish(proto::topic::Host, m_last);
    });
    if (!timer) {
        logError("host: cannot start the sample timer: " + timer.error().message);
        return;
    }
    m_timer = std::move(*timer);
}

void HostModule::sample()
{
    HostSample s;
    for (const auto& [path, parse] : {std::pair{"/proc/loadavg", &parseLoadavg}, std::pair{"/proc/meminfo", &parseMeminfo},
                                      std::pair{"/proc/uptime", &parseUptime}}) {
        if (auto ok = parse(readSmallFile(path), s); !ok) {
            logWarning("host: " + ok.error().message);
        }
    }
    m_last = toJson(s);
}

} // namespace hadeck::agent
