#include "hadeck/agent/alarm_module.h"

#include "hadeck/agent/files.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"

#include <ctime>

#include <unistd.h>

namespace hadeck::agent {

namespace {

constexpr std::string_view kTopic = proto::kAlarmsTopic;

std::int64_t unixNow() { return static_cast<std::int64_t>(std::time(nullptr)); }

/// The snapshot of @p topic decoded as T, or nullopt when absent or malformed.
template <typename T>
std::optional<T> decoded(const rpc::Json& j, std::string_view what)
{
    if (j.is_null()) {
        return std::nullopt;
    }
    try {
        return j.get<T>();
    } catch (const std::exception& e) {
        logDebug("alarms: cannot read the " + std::string(what) + " snapshot: " + e.what());
        return std::nullopt;
    }
}

} // namespace

AlarmModule::AlarmModule() : m_engine(AlarmRules::defaults(), std::string()) {}

AlarmRules AlarmModule::rulesFrom(const AgentConfig& config)
{
    const auto it = config.modules.find("alarms");
    std::vector<std::string> warnings;
    auto rules = AlarmRules::fromConfig(it == config.modules.end() ? rpc::Json() : *it, warnings);
    for (const auto& w : warnings) {
        logWarning("alarms: " + w);
    }
    if (!rules) {
        logError("alarms: " + rules.error().message + "; keeping the default rules");
        return AlarmRules::defaults();
    }
    return std::move(*rules);
}

void AlarmModule::start(AgentContext& context)
{
    m_context = &context;
    m_engine = AlarmEngine(rulesFrom(context.config), context.config.nodeName);
    m_statePath = context.stateDir / "alarms.json";
    loadState();

    context.registry.add(proto::methods::AlarmsList, this, &AlarmModule::list);
    context.registry.add(proto::methods::AlarmsAck, this, &AlarmModule::ack);
    context.publisher.setSnapshot(std::string(kTopic), [this] { return rpc::Json(proto::AlarmsTopic{m_engine.active()}); });
    context.publisher.addEventObserver([this](const rpc::Json& e) { onEvent(e); });

    auto t = context.loop.addTimer(context.config.sampleInterval, true, [this] { evaluateNow(); });
    if (t) {
        m_timer = std::move(*t);
    } else {
        logError("alarms: cannot start the evaluation timer: " + t.error().message);
    }
}

void AlarmModule::list(const CallContext&, proto::AlarmsListParams p, TypedResponder<proto::AlarmsListResult> r)
{
    proto::AlarmsListResult out;
    out.active = m_engine.active();
    if (p.includeHistory) {
        out.history = m_engine.history(p.limit);
    }
    r.result(out);
}

void AlarmModule::ack(const CallContext& caller, proto::AlarmAckParams p, TypedResponder<proto::Alarm> r)
{
    auto a = m_engine.acknowledge(p.id, caller.user, p.comment, unixNow());
    if (!a) {
        r.error(a.error());
        return;
    }
    r.result(*a);
    emit("acknowledged", *a);
}

void AlarmModule::reload(const AgentConfig& config) { m_engine.setRules(rulesFrom(config)); }

void AlarmModule::onEvent(const rpc::Json& e)
{
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) {
        return;
    }
    const auto type = e["type"].get<std::string>();
    if (type == proto::alarm_events::kAlarm) {
        return; // ours
    }
    if (type == proto::alarm_events::kRealServerHealth) {
        const auto rs = e.value("realServer", std::string());
        const auto vs = e.value("virtualServer", std::string());
        m_rsHealth[rs + " " + vs] = e.value("state", std::string());
        return;
    }
    for (const auto& a : m_engine.onEvent(e, unixNow())) {
        emit("raised", a);
    }
}

void AlarmModule::evaluateNow()
{
    if (m_context == nullptr) {
        return;
    }
    Publisher& pub = m_context->publisher;
    AlarmInputs in;
    if (const auto v = pub.snapshot("vrrp"); v.is_object() && v.contains("instances")) {
        in.vrrp = decoded<std::vector<proto::VrrpInstance>>(v["instances"], "vrrp");
        if (const auto r = v.find("running"); r != v.end() && r->is_boolean()) {
            in.keepalivedRunning = r->get<bool>();
        }
    }
    // The IPVS table can hold 10,000 dests: its snapshot costs a JSON round trip, so it is
    // read every kIpvsEvery evaluations and the last reading is kept in between.
    if (m_ipvsCountdown-- <= 0) {
        m_ipvsCountdown = kIpvsEvery - 1;
        m_ipvs.reset();
        if (const auto* t = pub.typedSnapshot<std::vector<proto::VirtualService>>("ipvs")) {
            m_ipvs = *t;
        } else if (const auto v = pub.snapshot("ipvs"); v.is_object() && v.contains("services")) {
            m_ipvs = decoded<std::vector<proto::VirtualService>>(v["services"], "ipvs");
        }
    }
    in.ipvs = m_ipvs;
    in.realServerHealth = m_rsHealth;
    in.host = decoded<proto::HostStatus>(pub.snapshot("host"), "host");
    in.apache = decoded<proto::ApacheStatus>(pub.snapshot("apache"), "apache");
    in.db = decoded<proto::DbStatus>(pub.snapshot("db"), "db");
    in.mfs = decoded<proto::MfsStatus>(pub.snapshot("mfs"), "mfs");
    if (const auto d = pub.snapshot("drain"); d.is_object() && d.contains("drains") && d["drains"].is_array()) {
        for (const auto& j : d["drains"]) {
            if (!j.is_object()) {
                continue;
            }
            DrainHeldFact h;
            h.id = j.value("id", std::string());
            h.service = j.value("service", std::string());
            h.dest = j.value("address", std::string());
            if (j.contains("port") && j["port"].is_number_integer()) {
                h.dest += ":" + std::to_string(j["port"].get<int>());
            }
            if (j.contains("since") && j["since"].is_number()) {
                h.since = static_cast<std::int64_t>(j["since"].get<double>());
            }
            in.drains.push_back(std::move(h));
        }
    }
    // Counting the online CPUs reads /sys: once a minute is enough for a hotplug.
    if (m_cpuCountdown-- <= 0) {
        m_cpuCountdown = kCpuCountEvery - 1;
        const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        m_cpuCount = cpus > 0 ? static_cast<int>(cpus) : 1;
    }
    in.cpuCount = m_cpuCount;
    for (const auto& a : m_engine.evaluate(in, unixNow())) {
        emit(a.state == proto::AlarmState::Raised ? "raised" : "cleared", a);
    }
}

void AlarmModule::emit(std::string_view change, const proto::Alarm& a)
{
    if (m_context != nullptr) {
        m_context->publisher.event(rpc::Json(proto::AlarmEvent{m_context->config.nodeName, std::string(change), a}));
        m_context->publisher.publish(kTopic, rpc::Json(proto::AlarmsTopic{m_engine.active()}));
    }
    scheduleSave();
    for (const auto& l : m_listeners) {
        l(change, a);
    }
}

} // namespace hadeck::agent

namespace hadeck::agent {

void AlarmModule::raiseExternal(std::string_view rule, std::string subject, std::string message,
                                proto::AlarmSeverity severity)
{
    if (auto a = m_engine.raiseExternal(std::string(rule), std::move(subject), std::move(message), severity, unixNow())) {
        emit("raised", *a);
    }
}

void AlarmModule::clearExternal(std::string_view rule, std::string_view subject)
{
    if (auto a = m_engine.clearExternal(rule, subject, unixNow())) {
        emit("cleared", *a);
    }
}

} // namespace hadeck::agent

namespace hadeck::agent {

namespace {
constexpr int kStateVersion = 1;
} // namespace

void AlarmModule::loadState()
{
    if (m_statePath.empty()) {
        return;
    }
    auto text = files::readFileIfExists(m_statePath);
    if (!text) {
        logError("alarms: cannot read " + m_statePath.string() + ": " + text.error().message +
                 "; starting without the saved alarms");
        return;
    }
    if (!*text) {
        return; // first start
    }
    AlarmEngineState saved;
    try {
        const auto j = rpc::Json::parse(**text);
        if (!j.is_object() || !j.contains("version") || j["version"] != kStateVersion) {
            throw std::runtime_error("not a version " + std::to_string(kStateVersion) + " alarm state");
        }
        const auto& next = j.at("nextId");
        if (!next.is_number_unsigned()) {
            throw std::runtime_error("nextId is not a positive integer");
        }
        saved.nextId = next.get<std::uint64_t>();
        saved.active = j.at("active").get<std::vector<proto::Alarm>>();
        saved.history = j.at("history").get<std::vector<proto::Alarm>>();
    } catch (const std::exception& e) {
        // Kept aside for a look, never overwritten by the next save.
        const auto aside = m_statePath.string() + ".bad";
        std::error_code ec;
        std::filesystem::rename(m_statePath, aside, ec);
        logError("alarms: " + m_statePath.string() + " cannot be read (" + e.what() + "); moved to " + aside +
                 (ec ? " (failed: " + ec.message() + ")" : std::string()) + ", starting without the saved alarms");
        return;
    }
    const auto count = saved.active.size();
    m_engine.restore(std::move(saved), unixNow(), kRestoreGraceSeconds);
    logInfo("alarms: " + std::to_string(count) + " active alarm(s) restored from " + m_statePath.string());
}

void AlarmModule::scheduleSave()
{
    if (m_context == nullptr || m_statePath.empty() || m_savePending) {
        return;
    }
    m_savePending = true;
    m_context->loop.defer([this] { saveState(); });
}

void AlarmModule::saveState()
{
    m_savePending = false;
    const auto s = m_engine.state();
    const rpc::Json j{{"version", kStateVersion}, {"nextId", s.nextId}, {"active", s.active}, {"history", s.history}};
    files::WriteOptions options;
    options.mode = 0640;
    options.createParents = true;
    if (auto st = files::writeFileAtomically(m_statePath, j.dump(), options); !st) {
        logError("alarms: cannot save the active alarms to " + m_statePath.string() + ": " + st.error().message);
    }
}

} // namespace hadeck::agent
