#include "hadeck/protocol/payloads.h"

#include "hadeck/protocol/enum_names.h"

#include "hadeck/protocol/wire.h"

#include <array>
#include <utility>

namespace hadeck::proto {

namespace {

constexpr EnumNames<LogLevelName, 4> kLogLevels{{
    {LogLevelName::Debug, "debug"},
    {LogLevelName::Info, "info"},
    {LogLevelName::Warning, "warning"},
    {LogLevelName::Error, "error"},
}};

constexpr std::uint16_t kAnyPort = 0;
constexpr std::uint16_t kMinPort = 1;
constexpr std::uint16_t kMaxPort = 65535;

/// An optional port: absent or null is none, otherwise 1..65535.
void optPort(const Json& j, std::string_view key, std::optional<std::uint16_t>& out)
{
    out.reset();
    if (const Json* v = wire::find(j, key); v && !v->is_null()) {
        out = wire::integer<std::uint16_t>(*v, key, kMinPort, kMaxPort);
    }
}

template <typename T>
void optInteger(const Json& j, std::string_view key, std::optional<T>& out, T min = std::numeric_limits<T>::min(),
                T max = std::numeric_limits<T>::max())
{
    out.reset();
    if (const Json* v = wire::find(j, key); v && !v->is_null()) {
        out = wire::integer<T>(*v, key, min, max);
    }
}

/// An optional integer written as null when absent (keepalived.config's shape).
template <typename T>
Json orNull(const std::optional<T>& v)
{
    return v ? Json(*v) : Json(nullptr);
}

/// The most addresses or ports one real-server call names (a real server has a few VIPs and
/// ports; the check's work is their product).
constexpr std::size_t kMaxListed = 64;
constexpr std::size_t kMaxAddressText = 64;

/// An optional list of addresses: at most kMaxListed, each at most kMaxAddressText characters.
void optAddresses(const Json& j, std::string_view key, std::optional<std::vector<std::string>>& out)
{
    out.reset();
    if (const Json* v = wire::find(j, key); v && !v->is_null()) {
        std::vector<std::string> list;
        wire::req(j, key, list);
        if (list.size() > kMaxListed) {
            wire::fail(key, "names at most " + std::to_string(kMaxListed) + " addresses");
        }
        for (const auto& a : list) {
            if (a.empty() || a.size() > kMaxAddressText) {
                wire::fail(key, "must hold addresses of 1 to " + std::to_string(kMaxAddressText) + " characters");
            }
        }
        out = std::move(list);
    }
}

} // namespace

std::string_view toString(LogLevelName level) { return enumName(kLogLevels, level, "info"); }

std::optional<LogLevelName> logLevelFromString(std::string_view s) { return enumValue(kLogLevels, s); }

// --- agent.* ---

void to_json(Json& j, const MethodDescription& v)
{
    j = Json{{"name", v.name}, {"permission", toString(v.permission)}, {"group", v.group},
             {"allowed", v.allowed}, {"description", v.description}};
}

void from_json(const Json& j, MethodDescription& v)
{
    wire::requireObject(j, "method");
    wire::req(j, "name", v.name);
    wire::reqEnum(j, "permission", v.permission, [](const std::string& s) { return permissionFromString(s); });
    wire::opt(j, "group", v.group);
    wire::opt(j, "allowed", v.allowed);
    wire::opt(j, "description", v.description);
}

void to_json(Json& j, const MethodsResult& v) { j = Json{{"methods", v.methods}}; }

void from_json(const Json& j, MethodsResult& v)
{
    wire::requireObject(j);
    wire::req(j, "methods", v.methods);
}

void to_json(Json& j, const AuditVerifyResult& v)
{
    j = Json{{"path", v.path}, {"ok", v.ok}, {"entries", v.entries}, {"brokenLine", v.brokenLine}, {"reason", v.reason}};
}

void from_json(const Json& j, AuditVerifyResult& v)
{
    wire::requireObject(j);
    wire::req(j, "path", v.path);
    wire::req(j, "ok", v.ok);
    wire::req(j, "entries", v.entries);
    wire::opt(j, "brokenLine", v.brokenLine);
    wire::opt(j, "reason", v.reason);
}

void to_json(Json& j, const AuditTailParams& v)
{
    j = Json{{"since", v.since}, {"user", v.user}, {"method", v.method}, {"maxEntries", v.maxEntries}};
}

void from_json(const Json& j, AuditTailParams& v)
{
    wire::requireObject(j);
    wire::opt(j, "since", v.since);
    wire::opt(j, "user", v.user);
    wire::opt(j, "method", v.method);
    wire::opt(j, "maxEntries", v.maxEntries);
}

void to_json(Json& j, const AuditRecord& v)
{
    j = Json{{"time", v.time},   {"user", v.user},     {"method", v.method},
             {"phase", v.phase}, {"params", v.params}, {"result", v.result}};
}

void from_json(const Json& j, AuditRecord& v)
{
    wire::requireObject(j);
    wire::req(j, "time", v.time);
    wire::req(j, "user", v.user);
    wire::req(j, "method", v.method);
    wire::opt(j, "phase", v.phase);
    wire::opt(j, "params", v.params);
    wire::opt(j, "result", v.result);
}

void to_json(Json& j, const AuditTailResult& v)
{
    j = Json{{"path", v.path}, {"entries", v.entries}, {"truncated", v.truncated}, {"unreadable", v.unreadable}};
}

void from_json(const Json& j, AuditTailResult& v)
{
    wire::requireObject(j);
    wire::req(j, "path", v.path);
    wire::req(j, "entries", v.entries);
    wire::opt(j, "truncated", v.truncated);
    wire::opt(j, "unreadable", v.unreadable);
}

void to_json(Json& j, const SetLogLevelParams& v) { j = Json{{"level", toString(v.level)}}; }

void from_json(const Json& j, SetLogLevelParams& v)
{
    wire::requireObject(j);
    wire::reqEnum(j, "level", v.level, [](const std::string& s) { return logLevelFromString(s); });
}

void to_json(Json& j, const SetLogLevelResult& v) { j = Json{{"level", toString(v.level)}}; }

void from_json(const Json& j, SetLogLevelResult& v)
{
    wire::requireObject(j);
    wire::reqEnum(j, "level", v.level, [](const std::string& s) { return logLevelFromString(s); });
}

void to_json(Json& j, const ReloadResult& v) { j = Json{{"node", v.node}, {"warnings", v.warnings}}; }

void from_json(const Json& j, ReloadResult& v)
{
    wire::requireObject(j);
    wire::req(j, "node", v.node);
    wire::opt(j, "warnings", v.warnings);
}

// --- host.status ---


// --- ipvs.* ---

void to_json(Json& j, const IpvsListResult& v) { j = Json{{"backend", v.backend}, {"services", v.services}}; }

void from_json(const Json& j, IpvsListResult& v)
{
    wire::requireObject(j);
    wire::opt(j, "backend", v.backend);
    wire::req(j, "services", v.services);
}

void to_json(Json& j, const SetWeightParams& v)
{
    j = Json{{"service", v.service}, {"address", v.address}, {"port", v.port}, {"weight", v.weight}};
}

void from_json(const Json& j, SetWeightParams& v)
{
    wire::requireObject(j);
    wire::req(j, "service", v.service);
    wire::req(j, "address", v.address);
    v.port = kAnyPort;
    wire::opt(j, "port", v.port, kAnyPort, kMaxPort);
    wire::req(j, "weight", v.weight, 0u, kMaxWeight);
}

void to_json(Json& j, const RemovedDest& v) { j = Json{{"service", v.service}, {"endpoint", v.endpoint}}; }

void from_json(const Json& j, RemovedDest& v)
{
    wire::requireObject(j, "removedDests");
    wire::req(j, "service", v.service);
    wire::req(j, "endpoint", v.endpoint);
}

void to_json(Json& j, const IpvsTopic& v)
{
    j = Json{{"services", v.services}};
    if (v.snapshot) {
        j["snapshot"] = true;
    }
    if (!v.backend.empty()) {
        j["backend"] = v.backend;
    }
    if (!v.removedServices.empty()) {
        j["removedServices"] = v.removedServices;
    }
    if (!v.removedDests.empty()) {
        j["removedDests"] = v.removedDests;
    }
}

void from_json(const Json& j, IpvsTopic& v)
{
    wire::requireObject(j);
    wire::opt(j, "snapshot", v.snapshot);
    wire::opt(j, "backend", v.backend);
    if (v.snapshot) {
        wire::req(j, "services", v.services);
    } else {
        wire::opt(j, "services", v.services);
    }
    wire::opt(j, "removedServices", v.removedServices);
    wire::opt(j, "removedDests", v.removedDests);
}

// --- vrrp.list, keepalived.config ---

void to_json(Json& j, const VrrpListParams& v) { j = Json{{"fresh", v.fresh}}; }

void from_json(const Json& j, VrrpListParams& v)
{
    if (j.is_null()) {
        return; // as Empty: older consoles send no params
    }
    wire::requireObject(j);
    wire::opt(j, "fresh", v.fresh);
}

void to_json(Json& j, const VrrpListResult& v)
{
    j = Json{{"instances", v.instances}, {"source", v.source}};
    if (v.running) {
        j["running"] = *v.running;
    }
}

void from_json(const Json& j, VrrpListResult& v)
{
    wire::requireObject(j);
    wire::req(j, "instances", v.instances);
    wire::opt(j, "source", v.source);
    if (const Json* r = wire::find(j, "running"); r && !r->is_null()) {
        bool running = false;
        wire::req(j, "running", running);
        v.running = running;
    }
}

void to_json(Json& j, const VrrpTopic& v)
{
    j = Json{{"instances", v.instances}};
    if (v.snapshot) {
        j["snapshot"] = true;
    }
    if (v.running) {
        j["running"] = *v.running;
    }
}

void from_json(const Json& j, VrrpTopic& v)
{
    wire::requireObject(j);
    wire::opt(j, "snapshot", v.snapshot);
    wire::req(j, "instances", v.instances);
    if (const Json* r = wire::find(j, "running"); r && !r->is_null()) {
        bool running = false;
        wire::req(j, "running", running);
        v.running = running;
    }
}

void to_json(Json& j, const KeepalivedConfigParams& v) { j = Json{{"validate", v.validate}}; }

void from_json(const Json& j, KeepalivedConfigParams& v)
{
    wire::requireObject(j);
    wire::opt(j, "validate", v.validate);
}

void to_json(Json& j, const KaConfTrackFile& v) { j = Json{{"name", v.name}, {"weight", orNull(v.weight)}}; }

void from_json(const Json& j, KaConfTrackFile& v)
{
    wire::requireObject(j, "trackFiles");
    wire::req(j, "name", v.name);
    optInteger<int>(j, "weight", v.weight);
}

void to_json(Json& j, const KaConfInstance& v)
{
    j = Json{{"name", v.name},           {"state", v.state},
             {"interface", v.interface}, {"vrid", v.vrid},
             {"priority", v.priority},   {"advertIntMs", v.advertIntMs},
             {"nopreempt", v.nopreempt}, {"vips", v.vips},
             {"syncGroup", v.syncGroup}, {"trackFiles", v.trackFiles},
             {"where", v.where}};
}

void from_json(const Json& j, KaConfInstance& v)
{
    wire::requireObject(j, "instances");
    wire::req(j, "name", v.name);
    wire::opt(j, "state", v.state);
    wire::opt(j, "interface", v.interface);
    wire::opt(j, "vrid", v.vrid);
    wire::opt(j, "priority", v.priority);
    wire::opt(j, "advertIntMs", v.advertIntMs);
    wire::opt(j, "nopreempt", v.nopreempt);
    wire::opt(j, "vips", v.vips);
    wire::opt(j, "syncGroup", v.syncGroup);
    wire::opt(j, "trackFiles", v.trackFiles);
    wire::opt(j, "where", v.where);
}

void to_json(Json& j, const KaConfRealServer& v)
{
    j = Json{
        {"address", v.address}, {"port", v.port},     {"weight", v.weight}, {"inhibitOnFailure", v.inhibitOnFailure},
        {"checks", v.checks},   {"health", v.health}, {"where", v.where}};
}

void from_json(const Json& j, KaConfRealServer& v)
{
    wire::requireObject(j, "realServers");
    wire::req(j, "address", v.address);
    wire::opt(j, "port", v.port);
    wire::opt(j, "weight", v.weight);
    wire::opt(j, "inhibitOnFailure", v.inhibitOnFailure);
    wire::opt(j, "checks", v.checks);
    wire::opt(j, "health", v.health);
    wire::opt(j, "where", v.where);
}

void to_json(Json& j, const KaConfVirtualServer& v)
{
    j = Json{{"address", v.address},
             {"port", v.port},
             {"fwmark", v.fwmark},
             {"lvsName", v.lvsName},
             {"ipvsServices", v.ipvsServices},
             {"group", v.group},
             {"lbAlgo", v.lbAlgo},
             {"lbKind", v.lbKind},
             {"protocol", v.protocol},
             {"persistenceTimeout", orNull(v.persistenceTimeout)},
             {"realServers", v.realServers},
             {"where", v.where}};
}

void from_json(const Json& j, KaConfVirtualServer& v)
{
    wire::requireObject(j, "virtualServers");
    wire::opt(j, "address", v.address);
    wire::opt(j, "port", v.port);
    wire::opt(j, "fwmark", v.fwmark);
    wire::opt(j, "lvsName", v.lvsName);
    wire::opt(j, "ipvsServices", v.ipvsServices);
    wire::opt(j, "group", v.group);
    wire::opt(j, "lbAlgo", v.lbAlgo);
    wire::opt(j, "lbKind", v.lbKind);
    wire::opt(j, "protocol", v.protocol);
    optInteger<std::uint32_t>(j, "persistenceTimeout", v.persistenceTimeout);
    wire::opt(j, "realServers", v.realServers);
    wire::opt(j, "where", v.where);
}

void to_json(Json& j, const KaConfDiagnostic& v)
{
    j = Json{{"file", v.file}, {"line", v.line}, {"message", v.message}};
}

void from_json(const Json& j, KaConfDiagnostic& v)
{
    wire::requireObject(j, "diagnostics");
    wire::opt(j, "file", v.file);
    wire::opt(j, "line", v.line);
    wire::req(j, "message", v.message);
}

void to_json(Json& j, const KaConfValidation& v)
{
    j = Json{{"ran", v.ran}, {"valid", v.valid}, {"exitCode", v.exitCode}, {"messages", v.messages}};
}

void from_json(const Json& j, KaConfValidation& v)
{
    wire::requireObject(j, "validation");
    wire::req(j, "ran", v.ran);
    wire::opt(j, "valid", v.valid);
    wire::opt(j, "exitCode", v.exitCode);
    wire::opt(j, "messages", v.messages);
}

void to_json(Json& j, const KeepalivedConfigResult& v)
{
    j = Json{{"path", v.path},           {"files", v.files},
             {"routerId", v.routerId},   {"diagnostics", v.diagnostics},
             {"instances", v.instances}, {"virtualServers", v.virtualServers}};
    if (v.validation) {
        j["validation"] = *v.validation;
    }
}

void from_json(const Json& j, KeepalivedConfigResult& v)
{
    wire::requireObject(j);
    wire::opt(j, "path", v.path);
    wire::opt(j, "files", v.files);
    wire::opt(j, "routerId", v.routerId);
    wire::opt(j, "diagnostics", v.diagnostics);
    wire::opt(j, "instances", v.instances);
    wire::opt(j, "virtualServers", v.virtualServers);
    wire::optObject(j, "validation", v.validation);
}

// --- realserver.* ---

void to_json(Json& j, const RealServerCheckParams& v)
{
    j = Json::object();
    if (v.vips) {
        j["vips"] = *v.vips;
    }
    if (v.ports) {
        j["ports"] = *v.ports;
    }
}

void from_json(const Json& j, RealServerCheckParams& v)
{
    wire::requireObject(j);
    optAddresses(j, "vips", v.vips);
    v.ports.reset();
    if (const Json* ports = wire::find(j, "ports"); ports && !ports->is_null()) {
        if (!ports->is_array()) {
            wire::fail("ports", "must be an array of ports");
        }
        if (ports->size() > kMaxListed) {
            wire::fail("ports", "names at most " + std::to_string(kMaxListed) + " ports");
        }
        std::vector<std::uint16_t> list;
        for (const Json& p : *ports) {
            list.push_back(wire::integer<std::uint16_t>(p, "ports", kMinPort, kMaxPort));
        }
        v.ports = std::move(list);
    }
}

void to_json(Json& j, const RealServerApplyParams& v)
{
    j = Json::object();
    if (v.vips) {
        j["vips"] = *v.vips;
    }
}

void from_json(const Json& j, RealServerApplyParams& v)
{
    wire::requireObject(j);
    optAddresses(j, "vips", v.vips);
}

void to_json(Json& j, const DrFindingItem& v)
{
    j = v.extra.is_object() ? v.extra : Json::object();
    j["check"] = v.check;
    j["subject"] = v.subject;
    j["severity"] = v.severity;
    j["ok"] = v.ok;
    j["message"] = v.message;
}

void from_json(const Json& j, DrFindingItem& v)
{
    wire::requireObject(j, "findings");
    wire::req(j, "check", v.check);
    wire::opt(j, "subject", v.subject);
    wire::opt(j, "severity", v.severity);
    wire::req(j, "ok", v.ok);
    wire::opt(j, "message", v.message);
    v.extra = Json::object();
    for (const auto& [key, value] : j.items()) {
        if (key != "check" && key != "subject" && key != "severity" && key != "ok" && key != "message") {
            v.extra[key] = value;
        }
    }
}

void to_json(Json& j, const DrCheckResult& v) { j = Json{{"ok", v.ok}, {"vips", v.vips}, {"findings", v.findings}}; }

void from_json(const Json& j, DrCheckResult& v)
{
    wire::requireObject(j);
    wire::req(j, "ok", v.ok);
    wire::opt(j, "vips", v.vips);
    wire::opt(j, "findings", v.findings);
}

// --- drain.* ---

void to_json(Json& j, const DrainTarget& v)
{
    j = Json::object();
    if (!v.address.empty()) {
        j["address"] = v.address;
    }
    if (v.port) {
        j["port"] = *v.port;
    }
    if (!v.service.empty()) {
        j["service"] = v.service;
    }
    if (!v.id.empty()) {
        j["id"] = v.id;
    }
    if (v.force) {
        j["force"] = true;
    }
}

void from_json(const Json& j, DrainTarget& v)
{
    wire::requireObject(j);
    wire::opt(j, "address", v.address);
    optPort(j, "port", v.port);
    wire::opt(j, "service", v.service);
    wire::opt(j, "id", v.id);
    wire::opt(j, "force", v.force);
}

void to_json(Json& j, const WeightChangeItem& v)
{
    j = Json{{"service", v.service}, {"dest", v.dest}, {"from", v.from}, {"to", v.to}};
}

void from_json(const Json& j, WeightChangeItem& v)
{
    wire::requireObject(j, "applied");
    wire::req(j, "service", v.service);
    wire::req(j, "dest", v.dest);
    wire::opt(j, "from", v.from, 0u, kMaxWeight);
    wire::opt(j, "to", v.to, 0u, kMaxWeight);
}

void to_json(Json& j, const DrainApplyResult& v)
{
    j = Json{{"id", v.id}, {"matched", v.matched}, {"applied", v.applied}, {"forced", v.forced}};
}

void from_json(const Json& j, DrainApplyResult& v)
{
    wire::requireObject(j);
    wire::req(j, "id", v.id);
    wire::opt(j, "matched", v.matched);
    wire::opt(j, "applied", v.applied);
    wire::opt(j, "forced", v.forced);
}

void to_json(Json& j, const RestoredWeight& v)
{
    j = Json{{"dest", v.dest}, {"weight", v.weight}, {"source", v.source}};
    if (v.configured) {
        j["configured"] = *v.configured;
    }
    if (v.beforeDrain) {
        j["beforeDrain"] = *v.beforeDrain;
    }
}

void from_json(const Json& j, RestoredWeight& v)
{
    wire::requireObject(j, "restored");
    wire::req(j, "dest", v.dest);
    wire::req(j, "weight", v.weight, 0u, kMaxWeight);
    wire::opt(j, "source", v.source);
    optInteger<std::uint32_t>(j, "configured", v.configured, 0u, kMaxWeight);
    optInteger<std::uint32_t>(j, "beforeDrain", v.beforeDrain, 0u, kMaxWeight);
}

void to_json(Json& j, const DrainRestoreResult& v)
{
    j = Json{{"id", v.id}, {"restored", v.restored}};
    if (!v.keepalivedConfig.empty()) {
        j["keepalivedConfig"] = v.keepalivedConfig;
    }
}

void from_json(const Json& j, DrainRestoreResult& v)
{
    wire::requireObject(j);
    wire::req(j, "id", v.id);
    wire::opt(j, "restored", v.restored);
    wire::opt(j, "keepalivedConfig", v.keepalivedConfig);
}

void to_json(Json& j, const HeldDrainItem& v)
{
    j = Json{{"id", v.id}, {"service", v.service}, {"address", v.address}, {"user", v.user},
             {"since", v.since}, {"forced", v.forced}};
    if (v.port) {
        j["port"] = *v.port;
    }
}

void from_json(const Json& j, HeldDrainItem& v)
{
    wire::requireObject(j, "drains");
    wire::req(j, "id", v.id);
    wire::opt(j, "service", v.service);
    wire::opt(j, "address", v.address);
    optPort(j, "port", v.port);
    wire::opt(j, "user", v.user);
    wire::opt(j, "since", v.since);
    wire::opt(j, "forced", v.forced);
}

void to_json(Json& j, const DrainBookState& v)
{
    j = Json{{"drains", v.drains}, {"expireQuiescentTemplate", v.expireQuiescentTemplate},
             {"expireNodestConn", v.expireNodestConn}, {"bookError", v.bookError}};
}

void from_json(const Json& j, DrainBookState& v)
{
    wire::requireObject(j);
    wire::req(j, "drains", v.drains);
    wire::opt(j, "expireQuiescentTemplate", v.expireQuiescentTemplate);
    wire::opt(j, "expireNodestConn", v.expireNodestConn);
    wire::opt(j, "bookError", v.bookError);
}

void to_json(Json& j, const DrainLocalParams& v)
{
    j = Json{{"vip", v.vip}, {"port", v.port}};
}

void from_json(const Json& j, DrainLocalParams& v)
{
    wire::requireObject(j);
    wire::req(j, "vip", v.vip);
    wire::opt(j, "port", v.port, kMinPort, kMaxPort);
}

void to_json(Json& j, const ApacheWorkers& v)
{
    j = Json{{"busyWorkers", v.busyWorkers}, {"idleWorkers", v.idleWorkers}, {"activeSlots", v.activeSlots},
             {"mpm", v.mpm}};
}

void from_json(const Json& j, ApacheWorkers& v)
{
    wire::requireObject(j, "apache");
    wire::req(j, "busyWorkers", v.busyWorkers);
    wire::opt(j, "idleWorkers", v.idleWorkers);
    wire::opt(j, "activeSlots", v.activeSlots);
    wire::opt(j, "mpm", v.mpm);
}

void to_json(Json& j, const DrainLocalResult& v)
{
    j = Json{{"vip", v.vip}, {"port", v.port}, {"established", v.established}};
    if (v.apache) {
        j["apache"] = *v.apache;
    }
    if (!v.apacheError.empty()) {
        j["apacheError"] = v.apacheError;
    }
}

void from_json(const Json& j, DrainLocalResult& v)
{
    wire::requireObject(j);
    wire::opt(j, "vip", v.vip);
    wire::opt(j, "port", v.port, kAnyPort, kMaxPort);
    wire::req(j, "established", v.established);
    wire::optObject(j, "apache", v.apache);
    wire::opt(j, "apacheError", v.apacheError);
}

// --- failover ---

void to_json(Json& j, const FailoverTarget& v)
{
    j = Json::object();
    if (!v.instance.empty()) {
        j["instance"] = v.instance;
    }
    if (!v.group.empty()) {
        j["group"] = v.group;
    }
    if (v.affected) {
        j["affected"] = *v.affected;
    }
}

void from_json(const Json& j, FailoverTarget& v)
{
    wire::requireObject(j);
    wire::opt(j, "instance", v.instance);
    wire::opt(j, "group", v.group);
    if (wire::find(j, "affected") != nullptr) {
        std::vector<std::string> affected;
        wire::req(j, "affected", affected);
        v.affected = std::move(affected);
    }
    if (v.instance.empty() == v.group.empty()) {
        wire::fail("instance", "or \"group\": give exactly one");
    }
}

void to_json(Json& j, const TrackFileWrite& v)
{
    j = Json{{"instance", v.instance}, {"file", v.file}, {"value", v.value}};
}

void from_json(const Json& j, TrackFileWrite& v)
{
    wire::requireObject(j, "written");
    wire::req(j, "instance", v.instance);
    wire::opt(j, "file", v.file);
    wire::opt(j, "value", v.value);
}

void to_json(Json& j, const FailoverWriteResult& v)
{
    j = Json{{"written", v.written}, {"affected", v.affected}, {"time", v.time}};
}

void from_json(const Json& j, FailoverWriteResult& v)
{
    wire::requireObject(j);
    wire::req(j, "written", v.written);
    wire::opt(j, "affected", v.affected);
    wire::req(j, "time", v.time);
}

void to_json(Json& j, const FailoverFileState& v)
{
    j = Json{{"file", v.file}, {"value", v.value ? Json(*v.value) : Json(nullptr)}, {"sharedWith", v.sharedWith}};
}

void from_json(const Json& j, FailoverFileState& v)
{
    wire::requireObject(j, "instances");
    wire::req(j, "file", v.file);
    optInteger<std::int64_t>(j, "value", v.value);
    wire::opt(j, "sharedWith", v.sharedWith);
}

void to_json(Json& j, const FailoverStatusResult& v)
{
    Json instances = Json::object();
    for (const auto& [name, state] : v.instances) {
        instances[name] = state;
    }
    j = Json{{"instances", std::move(instances)}};
}

void from_json(const Json& j, FailoverStatusResult& v)
{
    wire::requireObject(j);
    const Json& instances = wire::member(j, "instances");
    if (!instances.is_object()) {
        wire::fail("instances", "must be an object keyed by instance");
    }
    v.instances.clear();
    for (const auto& [name, state] : instances.items()) {
        v.instances[name] = state.get<FailoverFileState>();
    }
}

void to_json(Json& j, const AddFailoverTrackParams& v) { j = Json{{"instance", v.instance}}; }

void from_json(const Json& j, AddFailoverTrackParams& v)
{
    wire::requireObject(j);
    wire::req(j, "instance", v.instance);
    if (v.instance.empty()) {
        wire::fail("instance", "must not be empty");
    }
}

void to_json(Json& j, const AddFailoverTrackResult& v)
{
    j = Json{{"file", v.file}, {"backup", v.backup}, {"check", v.check}, {"reloaded", v.reloaded},
             {"checkWarningsBefore", v.checkWarningsBefore}};
    if (!v.reloadError.empty()) {
        j["reloadError"] = v.reloadError;
    }
}

void from_json(const Json& j, AddFailoverTrackResult& v)
{
    wire::requireObject(j);
    wire::req(j, "file", v.file);
    wire::opt(j, "backup", v.backup);
    wire::req(j, "check", v.check);
    wire::opt(j, "reloaded", v.reloaded);
    wire::opt(j, "checkWarningsBefore", v.checkWarningsBefore);
    wire::opt(j, "reloadError", v.reloadError);
}

void to_json(Json& j, const TrackSnippetData& v)
{
    j = Json::object();
    if (!v.instance.empty()) {
        j["instance"] = v.instance;
    }
    if (!v.snippet.empty()) {
        j["snippet"] = v.snippet;
    }
    if (!v.check.empty()) {
        j["check"] = v.check;
    }
}

void from_json(const Json& j, TrackSnippetData& v)
{
    wire::requireObject(j, "data");
    wire::opt(j, "instance", v.instance);
    wire::opt(j, "snippet", v.snippet);
    wire::opt(j, "check", v.check);
}

// --- state.delta ---

void to_json(Json& j, const StateDeltaHead& v)
{
    j = Json{{"topic", v.topic}};
    if (v.snapshot) {
        j["snapshot"] = true;
    }
}

void from_json(const Json& j, StateDeltaHead& v)
{
    wire::requireObject(j, "state.delta");
    wire::req(j, "topic", v.topic);
    if (const Json* s = wire::find(j, "snapshot"); s != nullptr && !s->is_null()) {
        wire::req(j, "snapshot", v.snapshot);
    }
}

Json stateDeltaParams(const StateDeltaHead& head, Json payload)
{
    Json params = payload.is_object() ? std::move(payload) : Json{{"value", std::move(payload)}};
    params.update(Json(head));
    return params;
}

// --- events ---

void to_json(Json& j, const EventHead& v)
{
    j = Json{{"type", v.type}, {"time", v.time}};
    if (!v.node.empty()) {
        j["node"] = v.node;
    }
}

void from_json(const Json& j, EventHead& v)
{
    wire::requireObject(j, "event");
    wire::req(j, "type", v.type);
    wire::opt(j, "time", v.time);
    wire::opt(j, "node", v.node);
}

void to_json(Json& j, const FailoverEvent& v)
{
    j = Json{{"type", v.released ? event::VrrpReleased : event::VrrpRestored},
             {"instances", v.instances},
             {"affected", v.affected},
             {"time", v.time}};
}

void from_json(const Json& j, FailoverEvent& v)
{
    wire::requireObject(j, "event");
    std::string type(event::VrrpReleased);
    wire::opt(j, "type", type);
    if (type != event::VrrpReleased && type != event::VrrpRestored) {
        wire::fail("type", "not vrrp.released or vrrp.restored");
    }
    v.released = type == event::VrrpReleased;
    wire::req(j, "instances", v.instances);
    wire::opt(j, "affected", v.affected);
    wire::opt(j, "time", v.time);
}

void to_json(Json& j, const DrainReassertedEvent& v)
{
    j = Json{{"type", event::DrainReasserted}, {"time", v.time}, {"detail", v.detail}};
}

void from_json(const Json& j, DrainReassertedEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "time", v.time);
    wire::reqObject(j, "detail", v.detail);
}

void to_json(Json& j, const KeepalivedRunningEvent& v)
{
    j = Json{{"type", event::KeepalivedRunning},
             {"node", v.node},
             {"running", v.running},
             {"pid", v.pid},
             {"observedAt", v.observedAt}};
}

void from_json(const Json& j, KeepalivedRunningEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::req(j, "running", v.running);
    wire::opt(j, "pid", v.pid, 0);
    wire::opt(j, "observedAt", v.observedAt);
}

void to_json(Json& j, const VrrpTransitionEvent& v)
{
    j = Json{{"type", event::VrrpTransition},
             {"node", v.node},
             {"instance", v.instance},
             {"vrid", v.vrid},
             {"from", toString(v.from)},
             {"to", toString(v.to)},
             {"lastTransition", v.lastTransition},
             {"observedAt", v.observedAt},
             {"source", v.source}};
}

void from_json(const Json& j, VrrpTransitionEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::req(j, "instance", v.instance);
    wire::opt(j, "vrid", v.vrid, 0, 255);
    wire::reqEnum(j, "from", v.from, vrrpStateFromString);
    wire::reqEnum(j, "to", v.to, vrrpStateFromString);
    wire::opt(j, "lastTransition", v.lastTransition);
    wire::opt(j, "observedAt", v.observedAt);
    wire::opt(j, "source", v.source);
}

void to_json(Json& j, const VrrpVipsEvent& v)
{
    j = Json{{"type", event::VrrpVips},
             {"node", v.node},
             {"instance", v.instance},
             {"holdsVips", v.holdsVips},
             {"observedAt", v.observedAt}};
}

void from_json(const Json& j, VrrpVipsEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::req(j, "instance", v.instance);
    wire::req(j, "holdsVips", v.holdsVips);
    wire::opt(j, "observedAt", v.observedAt);
}

void to_json(Json& j, const RealServerHealthEvent& v)
{
    j = Json{{"type", event::RealServerHealth},
             {"node", v.node},
             {"realServer", v.realServer},
             {"virtualServer", v.virtualServer},
             {"state", v.state},
             {"observedAt", v.observedAt}};
}

void from_json(const Json& j, RealServerHealthEvent& v)
{
    wire::requireObject(j, "event");
    wire::opt(j, "node", v.node);
    wire::req(j, "realServer", v.realServer);
    wire::opt(j, "virtualServer", v.virtualServer);
    wire::req(j, "state", v.state);
    wire::opt(j, "observedAt", v.observedAt);
}

// --- the failover track ---

std::string failoverTrackSnippet(std::string_view file, std::string_view instance, std::string_view trackName)
{
    std::string s;
    s.append("# HaDeck forced failover: a non-zero value in the file puts the instance in FAULT.\n")
        .append("track_file ").append(trackName).append(" {\n")
        .append("    file \"").append(file).append("\"\n")
        .append("    weight 0\n")
        .append("    init_file 0\n")
        .append("}\n\n")
        .append("vrrp_instance ").append(instance).append(" {\n")
        .append("    # ... existing settings ...\n")
        .append("    track_file {\n")
        .append("        ").append(trackName).append(" weight 0\n")
        .append("    }\n")
        .append("}\n");
    return s;
}

} // namespace hadeck::proto
