#pragma once

// Params and results of the methods in methods.h (beyond hello, ping and
// subscribe, in types.h), the state.delta topic payloads and the events. Each
// from_json decodes through wire.h: integers range-checked, no float to integer,
// types checked, so a hostile or buggy peer gets a clear error and never a
// narrowed or phantom value.
//
// A few results carry a sub-document as JSON (the LVS-DR findings' extras, host
// samples' extras): its top-level shape is checked here, and the console only
// displays it.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::proto {

// --- agent.* ---------------------------------------------------------------

struct MethodDescription {
    std::string name;
    PermissionLevel permission = PermissionLevel::Read;
    std::string group;
    bool allowed = false;
    std::string description;
};

struct MethodsResult {
    std::vector<MethodDescription> methods;
};

struct AuditVerifyResult {
    std::string path;
    bool ok = false;
    std::uint64_t entries = 0;
    std::uint64_t brokenLine = 0;
    std::string reason;
};

/// The newest entries of the audit log (this file and its rotated predecessors' tail are
/// not joined: the current file only), filtered, for the console's Audit tab.
struct AuditTailParams {
    std::int64_t since = 0;         // unix seconds, 0: no bound
    std::string user;               // exact user name, empty: any
    std::string method;             // substring of the method (the action), empty: any
    std::uint32_t maxEntries = 500; // 1..5000
};

struct AuditRecord {
    std::int64_t time = 0; // unix seconds
    std::string user;
    std::string method;
    std::string phase;  // intent, outcome, refused or empty
    std::string params; // compact JSON, cut at 1000 bytes
    std::string result; // compact JSON, cut at 1000 bytes
};

struct AuditTailResult {
    std::string path;
    std::vector<AuditRecord> entries; // oldest first
    bool truncated = false;           // more matched than maxEntries, or the file's head was not read
    std::uint64_t unreadable = 0;     // lines that are not audit entries (shown by agent.auditVerify)
};

enum class LogLevelName { Debug, Info, Warning, Error };
std::string_view toString(LogLevelName level);
std::optional<LogLevelName> logLevelFromString(std::string_view s);

struct SetLogLevelParams {
    LogLevelName level = LogLevelName::Info;
};
struct SetLogLevelResult {
    LogLevelName level = LogLevelName::Info;
};

struct ReloadResult {
    std::string node;
    std::vector<std::string> warnings;
};

// --- host.status (and the "host" topic) ---------------------------------------


// --- ipvs.* (and the "ipvs" topic) --------------------------------------------

struct IpvsListResult {
    std::string backend;
    std::vector<VirtualService> services;
};

struct SetWeightParams {
    std::string service; // "TCP 198.18.0.100:80"
    std::string address; // the real server
    std::uint16_t port = 0; // 0: the service's port
    std::uint32_t weight = 0; // 0..kMaxWeight
};

/// One real server removed from a service in an "ipvs" delta.
struct RemovedDest {
    std::string service;
    std::string endpoint;
};

/// The "ipvs" topic: a snapshot (every service) or a delta.
struct IpvsTopic {
    bool snapshot = false;
    std::string backend;
    std::vector<VirtualService> services;
    std::vector<std::string> removedServices;
    std::vector<RemovedDest> removedDests;
};

// --- vrrp.list, keepalived.config (and the "vrrp" topic) -----------------------

struct VrrpListParams {
    /// Answer from a keepalived dump written after this request (counters of this moment, as a
    /// preflight needs), waiting for it up to VrrpListParams::kFreshWaitMs; otherwise the state
    /// held now, whose counters may be one dump interval old.
    bool fresh = false;
    static constexpr int kFreshWaitMs = 2000;
};

struct VrrpListResult {
    std::vector<VrrpInstance> instances;
    std::string source; // "dump" or "config"
    std::optional<bool> running; // keepalived runs here (pid alive and keepalived); absent from older agents
};

/// The "vrrp" topic: every instance in a snapshot, the changed ones in a delta.
struct VrrpTopic {
    bool snapshot = false;
    std::vector<VrrpInstance> instances;
    std::optional<bool> running; // as in VrrpListResult
};

struct KeepalivedConfigParams {
    bool validate = false;
};

/// keepalived.config's document, level by level: what the agent's parser made of
/// keepalived.conf (and its includes). `where` is "file:line" of the block.

/// A track_file an instance names, with the weight it gives it (none: keepalived's default).
struct KaConfTrackFile {
    std::string name;
    std::optional<int> weight; // null on the wire when none
};

struct KaConfInstance {
    std::string name;
    std::string state; // MASTER or BACKUP as configured; empty when not set
    std::string interface;
    int vrid = 0;
    int priority = 100;
    int advertIntMs = 1000;
    bool nopreempt = false;
    std::vector<std::string> vips; // full specs: "198.18.0.100/24 dev eth0 label eth0:1"
    std::string syncGroup;
    std::vector<KaConfTrackFile> trackFiles;
    std::string where;
};

struct KaConfRealServer {
    std::string address;
    std::uint16_t port = 0; // 0 under a fwmark service
    int weight = 1;
    bool inhibitOnFailure = false;
    std::vector<std::string> checks; // TCP_CHECK, HTTP_GET, ...
    std::string health = "unknown";  // UP or DOWN as keepalived's checker last said, or unknown
    std::string where;
};

struct KaConfVirtualServer {
    std::string address; // empty for fwmark and group services
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0;
    std::string lvsName;                   // as keepalived names it: "[198.18.0.100]:tcp:80", "FWM 7", "[GROUP]:0"
    std::vector<std::string> ipvsServices; // the IPVS services it makes, keyed as ipvs.list keys them
    std::string group;
    std::string lbAlgo;
    std::string lbKind;
    std::string protocol;
    std::optional<std::uint32_t> persistenceTimeout; // null on the wire when not persistent
    std::vector<KaConfRealServer> realServers;
    std::string where;
};

struct KaConfDiagnostic {
    std::string file;
    int line = 0;
    std::string message;
};

/// keepalived's own check (`keepalived -t`), when asked for.
struct KaConfValidation {
    bool ran = false; // false when keepalived is not installed
    bool valid = false;
    int exitCode = -1;
    std::vector<std::string> messages;
};

struct KeepalivedConfigResult {
    std::string path;
    std::vector<std::string> files; // every file read, top file first
    std::string routerId;
    std::vector<KaConfDiagnostic> diagnostics;
    std::vector<KaConfInstance> instances;
    std::vector<KaConfVirtualServer> virtualServers;
    std::optional<KaConfValidation> validation; // with params.validate only
};

// --- realserver.* (and the "realserver" topic) --------------------------------

struct RealServerCheckParams {
    std::optional<std::vector<std::string>> vips;
    std::optional<std::vector<std::uint16_t>> ports; // each 1..65535
};

struct RealServerApplyParams {
    std::optional<std::vector<std::string>> vips;
};

struct DrFindingItem {
    std::string check;
    std::string subject;
    std::string severity;
    bool ok = true;
    std::string message;
    Json extra = Json::object(); // breaks, fix, effective values: displayed as they are
};

struct DrCheckResult {
    bool ok = false;
    std::vector<std::string> vips;
    std::vector<DrFindingItem> findings;
};

// --- drain.* (and the "drain" topic) -------------------------------------------

/// Which real server a drain is about. drain.apply needs the address; drain.restore
/// takes the id instead.
struct DrainTarget {
    std::string address;
    std::optional<std::uint16_t> port; // 1..65535; none: every port
    std::string service;               // empty: every service
    std::string id;                    // drain.restore only
    bool force = false;                // drain.apply only: drain the last healthy one too
};

struct WeightChangeItem {
    std::string service;
    std::string dest;
    std::uint32_t from = 0;
    std::uint32_t to = 0;
};

struct DrainApplyResult {
    std::string id;
    std::uint64_t matched = 0;
    std::vector<WeightChangeItem> applied;
    bool forced = false;
};

struct RestoredWeight {
    std::string dest;
    std::uint32_t weight = 0;
    std::string source;
    std::optional<std::uint32_t> configured;
    std::optional<std::uint32_t> beforeDrain;
};

struct DrainRestoreResult {
    std::string id;
    std::vector<RestoredWeight> restored;
    std::string keepalivedConfig; // why keepalived's configured weights were not used, if so
};

struct HeldDrainItem {
    std::string id;
    std::string service;
    std::string address;
    std::optional<std::uint16_t> port;
    std::string user;
    double since = 0;
    bool forced = false;
};

/// drain.list and the "drain" topic.
struct DrainBookState {
    std::vector<HeldDrainItem> drains;
    bool expireQuiescentTemplate = false;
    bool expireNodestConn = true; // net.ipv4.vs.expire_nodest_conn (absent from older agents: assume set)
    bool bookError = false;
};

struct DrainLocalParams {
    std::string vip;
    std::uint16_t port = 80; // 1..65535
    // Apache's mod_status port comes from the agent's config ([modules.drain] status_port), never from the caller.
};

struct ApacheWorkers {
    std::uint32_t busyWorkers = 0;
    std::uint32_t idleWorkers = 0;
    std::uint32_t activeSlots = 0;
    std::string mpm;
};

struct DrainLocalResult {
    std::string vip;
    std::uint16_t port = 0;
    std::uint64_t established = 0;
    std::optional<ApacheWorkers> apache;
    std::string apacheError;
};

// --- vrrp.release/restore/failoverStatus, keepalived.addFailoverTrack ----------

/// Exactly one of instance or group.
struct FailoverTarget {
    std::string instance;
    std::string group;
    /// Every instance the caller expects the write to move: the named ones and those sharing
    /// a track file with them, as its preflight saw them. When given, the agent writes
    /// nothing if keepalived's configuration makes the write move any other set.
    std::optional<std::vector<std::string>> affected;
};

struct TrackFileWrite {
    std::string instance;
    std::string file;
    int value = 0;
};

struct FailoverWriteResult {
    std::vector<TrackFileWrite> written;
    /// Every instance keepalived faults (or clears) through the files written: the
    /// named ones and those sharing a track file with them.
    std::vector<std::string> affected;
    double time = 0; // the write, on the agent's clock
};

struct FailoverFileState {
    std::string file;
    std::optional<std::int64_t> value; // none: the file is missing or unreadable
    std::vector<std::string> sharedWith; // instances a release of this one faults too
};

struct FailoverStatusResult {
    std::map<std::string, FailoverFileState> instances;
};

struct AddFailoverTrackParams {
    std::string instance;
};

struct AddFailoverTrackResult {
    std::string file;
    std::string backup;
    std::string check; // keepalived -t's output
    bool reloaded = false;
    bool checkWarningsBefore = false;
    std::string reloadError; // why keepalived was not signalled, when it was not
};

/// The data of a refusal about the failover track: the lines to add (vrrp.release
/// without the track, keepalived.addFailoverTrack that cannot edit), or what
/// keepalived -t said against the edited configuration.
struct TrackSnippetData {
    std::string instance;
    std::string snippet;
    std::string check;
};

// --- events (notify::Event, topic "events") ----------------------------------------

namespace event {
inline constexpr std::string_view VrrpReleased = "vrrp.released";
inline constexpr std::string_view VrrpRestored = "vrrp.restored";
inline constexpr std::string_view VrrpTransition = "vrrp.transition";
inline constexpr std::string_view VrrpVips = "vrrp.vips";
inline constexpr std::string_view DrainReasserted = "drain.reasserted";
inline constexpr std::string_view RealServerHealth = "realserver.health";
inline constexpr std::string_view AgentReloaded = "agent.reloaded";
inline constexpr std::string_view AgentReloadFailed = "agent.reloadFailed";
inline constexpr std::string_view KeepalivedRunning = "keepalived.running";
} // namespace event

namespace topic {
inline constexpr std::string_view Ipvs = "ipvs";
inline constexpr std::string_view Vrrp = "vrrp";
inline constexpr std::string_view Host = "host";
inline constexpr std::string_view Drain = "drain";
inline constexpr std::string_view RealServer = "realserver";
inline constexpr std::string_view Events = "events";
inline constexpr std::string_view Apache = "apache"; ///< ApacheStatus
inline constexpr std::string_view Db = "db";         ///< MysqlStatus
inline constexpr std::string_view Mfs = "mfs";       ///< MfsStatus
} // namespace topic

/// The head of every state.delta notification's params: the topic, and whether the
/// params are the whole state (sent on subscribe) rather than a change. The topic's
/// payload (IpvsTopic, VrrpTopic, DrainBookState, fw::TopicDelta, LogTopic...) is the rest.
struct StateDeltaHead {
    std::string topic;
    bool snapshot = false;
};
/// The params of a state.delta: @p payload's keys (a payload that is not an object goes
/// under "value") with the head's added.
Json stateDeltaParams(const StateDeltaHead& head, Json payload);

/// The common head of every event: its type and when it happened. The rest of
/// the payload depends on the type and is kept as a document.
struct EventHead {
    std::string type;
    double time = 0;
    std::string node;
};

/// vrrp.released / vrrp.restored (its "type" says which).
struct FailoverEvent {
    bool released = true; ///< vrrp.released; false: vrrp.restored
    std::vector<TrackFileWrite> instances;
    std::vector<std::string> affected; ///< every instance the written files move
    double time = 0;
};

/// keepalived.running: keepalived started, restarted or stopped on this node.
struct KeepalivedRunningEvent {
    std::string node;
    bool running = false;
    int pid = 0;
    double observedAt = 0;
};

/// vrrp.transition: an instance changed state (seen in a dump, on DBus or a notify FIFO).
struct VrrpTransitionEvent {
    std::string node;
    std::string instance;
    int vrid = 0;
    VrrpState from = VrrpState::Init;
    VrrpState to = VrrpState::Init;
    double lastTransition = 0;
    double observedAt = 0;
    std::string source; ///< what saw it: "keepalived" (dump), "dbus", "fifo"...
};

/// vrrp.vips: an instance's virtual addresses came onto or left this host.
struct VrrpVipsEvent {
    std::string node;
    std::string instance;
    bool holdsVips = false;
    double observedAt = 0;
};

/// realserver.health: keepalived's checker marked a real server UP or DOWN.
struct RealServerHealthEvent {
    std::string node;
    std::string realServer;
    std::string virtualServer;
    std::string state; ///< UP or DOWN, as keepalived writes it
    double observedAt = 0;
};

/// drain.reasserted: the agent put weight 0 back on a real server of a held drain.
struct DrainReassertedEvent {
    double time = 0;
    WeightChangeItem detail;
};

#define HADECK_PROTO_JSON(T)                                                                                        \
    void to_json(Json& j, const T& v);                                                                             \
    void from_json(const Json& j, T& v)

HADECK_PROTO_JSON(MethodDescription);
HADECK_PROTO_JSON(MethodsResult);
HADECK_PROTO_JSON(AuditVerifyResult);
HADECK_PROTO_JSON(AuditTailParams);
HADECK_PROTO_JSON(AuditRecord);
HADECK_PROTO_JSON(AuditTailResult);
HADECK_PROTO_JSON(SetLogLevelParams);
HADECK_PROTO_JSON(SetLogLevelResult);
HADECK_PROTO_JSON(ReloadResult);
HADECK_PROTO_JSON(IpvsListResult);
HADECK_PROTO_JSON(SetWeightParams);
HADECK_PROTO_JSON(RemovedDest);
HADECK_PROTO_JSON(IpvsTopic);
HADECK_PROTO_JSON(VrrpListParams);
HADECK_PROTO_JSON(VrrpListResult);
HADECK_PROTO_JSON(VrrpTopic);
HADECK_PROTO_JSON(KeepalivedConfigParams);
HADECK_PROTO_JSON(KaConfTrackFile);
HADECK_PROTO_JSON(KaConfInstance);
HADECK_PROTO_JSON(KaConfRealServer);
HADECK_PROTO_JSON(KaConfVirtualServer);
HADECK_PROTO_JSON(KaConfDiagnostic);
HADECK_PROTO_JSON(KaConfValidation);
HADECK_PROTO_JSON(KeepalivedConfigResult);
HADECK_PROTO_JSON(RealServerCheckParams);
HADECK_PROTO_JSON(RealServerApplyParams);
HADECK_PROTO_JSON(DrFindingItem);
HADECK_PROTO_JSON(DrCheckResult);
HADECK_PROTO_JSON(DrainTarget);
HADECK_PROTO_JSON(WeightChangeItem);
HADECK_PROTO_JSON(DrainApplyResult);
HADECK_PROTO_JSON(RestoredWeight);
HADECK_PROTO_JSON(DrainRestoreResult);
HADECK_PROTO_JSON(HeldDrainItem);
HADECK_PROTO_JSON(DrainBookState);
HADECK_PROTO_JSON(DrainLocalParams);
HADECK_PROTO_JSON(ApacheWorkers);
HADECK_PROTO_JSON(DrainLocalResult);
HADECK_PROTO_JSON(FailoverTarget);
HADECK_PROTO_JSON(TrackFileWrite);
HADECK_PROTO_JSON(FailoverWriteResult);
HADECK_PROTO_JSON(FailoverFileState);
HADECK_PROTO_JSON(FailoverStatusResult);
HADECK_PROTO_JSON(AddFailoverTrackParams);
HADECK_PROTO_JSON(AddFailoverTrackResult);
HADECK_PROTO_JSON(TrackSnippetData);
HADECK_PROTO_JSON(StateDeltaHead);
HADECK_PROTO_JSON(EventHead);
HADECK_PROTO_JSON(FailoverEvent);
HADECK_PROTO_JSON(DrainReassertedEvent);
HADECK_PROTO_JSON(KeepalivedRunningEvent);
HADECK_PROTO_JSON(VrrpTransitionEvent);
HADECK_PROTO_JSON(VrrpVipsEvent);
HADECK_PROTO_JSON(RealServerHealthEvent);

#undef HADECK_PROTO_JSON

// --- The failover track: one definition for the agent's edit and the console's advice.

/// The track_file's name in keepalived.conf.
inline constexpr const char* kFailoverTrackName = "hadeck_failover";
/// Where the agent keeps the track file by default.
inline constexpr const char* kDefaultFailoverFile = "/var/lib/hadeck/failover";
/// Lines to add to keepalived.conf so vrrp.release can drive @p instance to FAULT: the
/// agent's refusal and the console's preflight show them. No `overwrite` on init_file:
/// with it, keepalived would reset the file at start and a director kept out for
/// maintenance would come back as MASTER after a keepalived restart.
std::string failoverTrackSnippet(std::string_view file, std::string_view instance,
                                std::string_view trackName = kFailoverTrackName);

} // namespace hadeck::proto
