#include "hadeck/agent/files.h"
#include "hadeck/probes/modules/keepalived_module.h"

#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/ipvs_text.h"
#include "hadeck/probes/keepalived_dbus.h"
#include "hadeck/probes/keepalived_dump_file.h"
#include "hadeck/probes/lvs_dr.h"
#include "hadeck/agent/module_settings.h"
#include "hadeck/probes/process.h"

#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <sys/epoll.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <memory>
#include <sstream>

namespace hadeck::probes {

using agent::CallContext;
using agent::Json;
using agent::Responder;
using agent::TypedResponder;
using proto::PermissionLevel;
using proto::VrrpInstance;
using proto::VrrpState;

namespace {

std::optional<std::string> readFile(const std::string& path)
{
    auto text = agent::files::readFile(path);
    if (!text) {
        return std::nullopt;
    }
    return std::move(*text);
}

double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The wall-clock time a process started (from /proc/<pid>/stat and the boot time), 0 if unknown.
double processStartTime(int pid)
{
    const auto stat = readFile("/proc/" + std::to_string(pid) + "/stat");
    const auto sys = readFile("/proc/stat");
    if (!stat || !sys) {
        return 0;
    }
    const auto paren = stat->rfind(')');
    if (paren == std::string::npos) {
        return 0;
    }
    std::istringstream fields(stat->substr(paren + 2));
    std::string f;
    unsigned long long start = 0;
    for (int i = 3; i <= 22 && fields >> f; ++i) {
        if (i == 22) {
            start = std::strtoull(f.c_str(), nullptr, 10);
        }
    }
    const auto b = sys->find("\nbtime ");
    if (b == std::string::npos || start == 0) {
        return 0;
    }
    const double boot = std::strtod(sys->c_str() + b + 7, nullptr);
    return boot + static_cast<double>(start) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int noSeqCheck(nl_msg* /*msg*/, void* /*arg*/) { return NL_OK; }

/// "size mtime inode" of @p path, or "absent".
std::string fileStamp(const std::string& path)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
        return "absent";
    }
    return std::to_string(st.st_size) + ' ' + std::to_string(st.st_mtim.tv_sec) + '.' +
           std::to_string(st.st_mtim.tv_nsec) + ' ' + std::to_string(st.st_ino);
}

/// True when the process of @p pidfd has exited (a pidfd polls readable then).
bool pidfdExited(int pidfd)
{
    pollfd p{pidfd, POLLIN, 0};
    return ::poll(&p, 1, 0) != 0;
}

} // namespace

namespace {
/// [modules.keepalived] dump_interval_ms: the periodic dump while transitions are pushed.
std::chrono::milliseconds dumpInterval(const agent::AgentConfig& config)
{
    return std::chrono::milliseconds(agent::moduleSetting(config, "keepalived", "dump_interval_ms", 5000, 0, 600000));
}
} // namespace

KeepalivedModule::KeepalivedModule() = default;

KeepalivedModule::~KeepalivedModule()
{
    m_bus.reset();
    closePidfd();
    m_rtnlSource.reset();
    if (m_rtnl != nullptr) {
        nl_socket_free(m_rtnl);
    }
    for (auto& f : m_fifos) {
        f.source.reset();
        if (f.fd >= 0) {
            close(f.fd);
        }
    }
}

std::vector<proto::Role> KeepalivedModule::detectRoles()
{
    const std::string conf =
        m_context != nullptr ? m_context->config.keepalived.config.string() : "/etc/keepalived/keepalived.conf";
    if (access(conf.c_str(), R_OK) == 0) {
        return {proto::Role::Director};
    }
    return {};
}

void KeepalivedModule::loadConfig()
{
    const std::string path = m_context->config.keepalived.config.string();
    auto cfg = m_configFiles.load(path);
    if (cfg) {
        m_config = std::move(*cfg);
        m_configError.clear();
    } else {
        m_config.reset();
        m_configError = cfg.error().message;
        agent::logInfo("keepalived: " + m_configError);
    }
}

void KeepalivedModule::refreshConfig()
{
    if (!m_configFiles.changed()) {
        return;
    }
    std::vector<std::string> before;
    for (const auto& f : m_fifos) {
        before.push_back(f.path);
    }
    loadConfig();
    std::vector<std::string> after;
    if (m_config) {
        for (const auto* p :
             {&m_config->global.notifyFifo, &m_config->global.vrrpNotifyFifo, &m_config->global.lvsNotifyFifo}) {
            if (!p->empty() && std::find(after.begin(), after.end(), *p) == after.end()) {
                after.push_back(*p);
            }
        }
    }
    if (after != before) {
        closeFifos();
        openFifos();
    }
}

void KeepalivedModule::closeFifos()
{
    for (auto& f : m_fifos) {
        f.source.reset();
        if (f.fd >= 0) {
            close(f.fd);
        }
    }
    m_fifos.clear();
}

void KeepalivedModule::start(agent::AgentContext& context)
{
    m_context = &context;
    m_dumpInterval = dumpInterval(context.config);
    loadConfig();

    context.registry.add(proto::methods::VrrpList, this, &KeepalivedModule::list);
    context.registry.add(proto::methods::KeepalivedConfig, this, &KeepalivedModule::config);

    context.publisher.setSnapshot(std::string(proto::topic::Vrrp), [this] {
        return Json{{"instances", m_fromDump ? m_instances : fromConfig()},
                    {"source", m_fromDump ? "dump" : "config"},
                    {"running", m_running}};
    });

    checkRunning();
    querySignal();

    watchDump();
    startRtnl();
    refreshAddresses();
    openFifos();
    connectBus();
    auto t = context.loop.addTimer(context.config.sampleInterval, true, [this] { tick(); });
    if (t) {
        m_timer = std::move(*t);
    }
}

void KeepalivedModule::list(const CallContext&, proto::VrrpListParams p, TypedResponder<proto::VrrpListResult> r)
{
    if (!m_fromDump && !m_config) {
        r.error(rpc::Unavailable, "no keepalived here: " + m_configError);
        return;
    }
    if (p.fresh && m_running && m_jsonSignal > 0) {
        // Counters of this moment (a preflight compares two looks): wait for a dump written
        // after now, or answer with what there is when none comes in time.
        m_freshWaiters.push_back(FreshWaiter{unixNow(), std::move(r)});
        requestDump(); // one in flight already is asked again once read (m_dumpWanted)
        if (m_freshWaiters.size() == 1) {
            armFreshDeadline();
        }
        return;
    }
    // The VIPs held are read from the kernel now, not from the last rtnl event handled: a
    // failover verification asks this to observe the fact, whatever the event backlog.
    refreshAddresses();
    r.result(listResult());
}

proto::VrrpListResult KeepalivedModule::listResult() const
{
    return proto::VrrpListResult{m_fromDump ? m_instances : fromConfig(), m_fromDump ? "dump" : "config", m_running};
}

void KeepalivedModule::answerFresh(double dumpTime)
{
    if (m_freshWaiters.empty()) {
        return;
    }
    refreshAddresses(); // as list() does
    const auto answer = listResult();
    const double now = unixNow();
    std::vector<FreshWaiter> waiting;
    for (auto& w : m_freshWaiters) {
        // (the file's mtime comes from the kernel's coarse clock, a tick behind the wall clock)
        const bool fresh = dumpTime > 0 && dumpTime >= w.since - 0.01;
        const bool overdue = dumpTime == 0 && now - w.since >= kFreshWait - 0.01;
        if (fresh || overdue) {
            w.responder.result(answer);
        } else {
            waiting.push_back(std::move(w));
        }
    }
    m_freshWaiters = std::move(waiting);
    if (dumpTime > 0 && !m_freshWaiters.empty()) {
        requestDump(); // this dump predates some request: one more
    }
    armFreshDeadline();
}

void KeepalivedModule::armFreshDeadline()
{
    if (m_freshWaiters.empty()) {
        m_freshDeadline.reset();
        return;
    }
    // Waiters are in order of arrival: the first is the first due.
    const double left = m_freshWaiters.front().since + kFreshWait - unixNow();
    const auto wait = std::chrono::milliseconds(std::max<long long>(1, static_cast<long long>(left * 1000)));
    // The deadline's own source is replaced only from a deferred call, never inside its callback.
    auto t = m_context->loop.addTimer(wait, false, [this] { m_context->loop.defer([this] { answerFresh(0); }); });
    if (t) {
        m_freshDeadline = std::move(*t);
    } else {
        for (auto& w : m_freshWaiters) {
            w.responder.result(listResult());
        }
        m_freshWaiters.clear();
    }
}

void KeepalivedModule::config(const CallContext&, proto::KeepalivedConfigParams p,
                              TypedResponder<proto::KeepalivedConfigResult> r)
{
    refreshConfig(); // the file as it is now, not as it was at the last tick
    if (!m_config) {
        r.error(rpc::Unavailable, m_configError);
        return;
    }
    proto::KeepalivedConfigResult result = configDocument();
    if (p.validate) {
        const auto path = m_context->config.keepalived.config.string();
        auto shared = std::make_shared<TypedResponder<proto::KeepalivedConfigResult>>(std::move(r));
        m_context->loop.offload([path]() -> Expected<proto::KaConfValidation> { return validateWithKeepalived(path); },
                                [shared, result](Expected<proto::KaConfValidation> validation) mutable {
                                    if (!validation) { // the worker threw, or the lane is full
                                        shared->error(rpc::InternalError,
                                                      "keepalived -t: " + validation.error().message);
                                        return;
                                    }
                                    result.validation = std::move(*validation);
                                    shared->result(std::move(result));
                                });
        return;
    }
    r.result(std::move(result));
}

void KeepalivedModule::reload(const agent::AgentConfig& config)
{
    m_dumpInterval = dumpInterval(config);
    loadConfig();
    watchDump();
    closeFifos();
    openFifos();
}

void KeepalivedModule::watchDump()
{
    const std::filesystem::path dump = m_context->config.keepalived.jsonDump;
    m_inotify.reset();
    auto w = m_context->loop.addInotify(dump.parent_path(), IN_CLOSE_WRITE | IN_MOVED_TO,
                                        [this, file = dump.filename().string()](std::uint32_t, std::string_view name) {
                                            if (name == file) {
                                                readDump();
                                            }
                                        });
    if (w) {
        m_inotify = std::move(*w);
    } else {
        agent::logWarning("keepalived: cannot watch " + dump.parent_path().string() + ": " + w.error().message);
    }
}

void KeepalivedModule::querySignal()
{
    // The signal number differs between builds; ask keepalived, off the loop. On a
    // loaded host (or under emulation) it can be slow, so a failed query is retried
    // on the next tick instead of leaving the agent without dumps for good.
    if (m_signalQueryPending || m_jsonSignal > 0 || !m_running) {
        return; // (not running: nobody to signal yet, and no process started every tick to ask)
    }
    m_signalQueryPending = true;
    m_context->loop.offload(
        []() -> Expected<int> {
            auto r = runProcess({"keepalived", "--signum=JSON"}, 20000);
            if (!r || r->exitCode != 0) {
                return fail(r ? r->output : r.error().message);
            }
            return std::atoi(r->output.c_str());
        },
        [this](const Expected<int>& signal) {
            m_signalQueryPending = false;
            if (signal && *signal > 0) {
                m_jsonSignal = *signal;
                requestDump();
            } else if (!m_signalQueryWarned) {
                m_signalQueryWarned = true;
                agent::logInfo("keepalived: no JSON dump signal yet (" +
                               (signal ? std::string() : signal.error().message) + "); retrying");
            }
        });
}

void KeepalivedModule::tick()
{
    refreshConfig();
    checkRunning();
    querySignal();
    // Pushed transitions leave the periodic dump only priorities and counters to refresh; each
    // dump costs keepalived a JSON write and this agent a wake-up and a parse.
    if (!transitionsPushed() || std::chrono::steady_clock::now() - m_dumpRequestedAt >= m_dumpInterval) {
        requestDump();
    }
    bool missing = false;
    for (const auto& f : m_fifos) {
        missing = missing || f.fd < 0;
    }
    if (missing || m_fifos.empty()) {
        openFifos();
    }
    if (!m_bus) {
        connectBus(); // the bus may have started after the agent, or restarted
    }
}

void KeepalivedModule::connectBus()
{
    auto bus = KeepalivedBus::connect(
        m_context->loop, [this](const std::string& path, std::uint32_t status) { onBusStatus(path, status); },
        [this](bool present) {
            agent::logInfo(present ? "keepalived: on the system bus; VRRP transitions come from DBus"
                                   : "keepalived: not on the system bus; VRRP transitions come from the notify FIFO");
            m_context->loop.defer([this] { checkRunning(); }); // gone from the bus: still running?
            if (m_bus && !m_bus->connected()) {
                // Not from inside the bus's own callback: drop it on the next iteration; tick() reconnects.
                m_context->loop.defer([this] {
                    if (m_bus && !m_bus->connected()) {
                        m_bus.reset();
                    }
                });
            }
        });
    if (bus) {
        m_bus = std::move(*bus);
        m_busWarned = false;
    } else if (!m_busWarned) {
        m_busWarned = true;
        agent::logInfo("keepalived: " + bus.error().message + "; VRRP transitions come from the notify FIFO");
    }
}

void KeepalivedModule::onBusStatus(const std::string& path, std::uint32_t status)
{
    const auto where = parseVrrpDbusPath(path);
    const auto state = vrrpStateFromDbus(status);
    if (!where || !state) {
        agent::logDebug("keepalived: DBus VrrpStatusChange " + std::to_string(status) + " on " + path + " ignored");
        return;
    }
    if (const auto i = findVrrpInstanceForPath(*where, m_instances)) {
        // Apply the transition now; the dump it triggers fills in priorities and times.
        auto fresh = m_instances;
        fresh[*i].state = *state;
        // Until a dump written after this moment confirms it, no older dump may undo it.
        m_pushed[fresh[*i].name] = PushedTransition{*state, unixNow()};
        publishChanges(std::move(fresh), "dbus");
    }
    requestDump();
}

void KeepalivedModule::requestDump()
{
    if (m_jsonSignal <= 0) {
        return;
    }
    // One dump in flight: keepalived rewrites the same file for each request, and a burst of
    // requests (transitions, ticks) needs one fresh dump, not one each. The read of the
    // dump asks again if more were wanted meanwhile; a dump that never comes is given up
    // after a second.
    const auto now = std::chrono::steady_clock::now();
    if (m_dumpInFlight && now - m_dumpRequestedAt < std::chrono::seconds(1)) {
        m_dumpWanted = true;
        return;
    }
    checkRunning(false); // the pidfd says whether it still runs
    if (!m_running) {
        return; // no keepalived to ask (and never a signal to whatever a stale pid file names)
    }
    m_dumpInFlight = true;
    m_dumpWanted = false;
    m_dumpRequestedAt = now;
    ++m_dumpRequests;
    // Signals go to the parent, which forwards them to the VRRP child; only when the pid file
    // names keepalived (a stale one may name any process by now), through a pidfd.
    if (m_pidfd >= 0) {
        // The pidfd checkRunning() verified just now: exactly that keepalived, nothing read.
        if (syscall(SYS_pidfd_send_signal, m_pidfd, m_jsonSignal, nullptr, 0) != 0) {
            agent::logDebug(std::string("keepalived: no dump requested: ") + std::strerror(errno));
            m_dumpInFlight = false;
        }
        return;
    }
    if (auto sent = signalProcessFromPidFile(m_context->config.keepalived.pidFile.string(), "keepalived", m_jsonSignal);
        !sent) {
        agent::logDebug("keepalived: no dump requested: " + sent.error().message);
        m_dumpInFlight = false;
    }
}

void KeepalivedModule::closePidfd()
{
    m_pidfdSource.reset();
    if (m_pidfd >= 0) {
        close(m_pidfd);
        m_pidfd = -1;
    }
    m_pidFileStamp.clear();
}

void KeepalivedModule::checkRunning(bool statPidFile)
{
    const std::string pidFile = m_context->config.keepalived.pidFile.string();
    // The common case, once a second and around every dump: the keepalived seen last is still
    // running (its pidfd has not fired) and its pid file was not rewritten (looked at with a stat
    // on the tick; around a dump the pidfd alone answers). No file is read.
    if (m_pidfd >= 0 && !statPidFile && !pidfdExited(m_pidfd)) {
        return;
    }
    const std::string stamp = fileStamp(pidFile);
    if (m_pidfd >= 0 && stamp == m_pidFileStamp && !pidfdExited(m_pidfd)) {
        return;
    }
    closePidfd();
    int pid = 0;
    double started = 0;
    if (const auto pidText = stamp == "absent" ? std::nullopt : readFile(pidFile)) {
        pid = std::atoi(pidText->c_str());
    }
    if (pid > 1) {
        // Alive, and keepalived: a stale pid file may name any process by now.
        const auto comm = readFile("/proc/" + std::to_string(pid) + "/comm");
        if (comm && comm->rfind("keepalived", 0) == 0) {
            started = processStartTime(pid);
        } else {
            pid = 0;
        }
    }
    const bool running = pid > 1 && started > 0;
    if (running) {
        // Held only when it names the process read above (same start time after the open).
        const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        if (fd >= 0 && processStartTime(pid) == started) {
            m_pidfd = fd;
            m_pidFileStamp = stamp;
            auto src = m_context->loop.addIo(fd, EPOLLIN, [this](std::uint32_t) {
                // keepalived exited: seen now, not at the next tick. Not from inside this
                // source's own callback: it is replaced there.
                (void)m_pidfdSource.setEnabled(false);
                m_context->loop.defer([this] { checkRunning(); });
            });
            if (src) {
                m_pidfdSource = std::move(*src);
            }
        } else if (fd >= 0) {
            close(fd);
        }
    }
    const bool changed = running != m_running || (running && started != m_startedAt);
    m_pid = running ? pid : 0;
    m_startedAt = running ? started : 0;
    if (!changed) {
        return;
    }
    m_running = running;
    m_dumpInFlight = false;
    m_pushed.clear(); // a new (or no) keepalived: the old one's pushes order nothing
    agent::logInfo(running ? "keepalived: running (pid " + std::to_string(pid) + ")" : "keepalived: not running");
    m_context->publisher.event(
        Json(proto::KeepalivedRunningEvent{m_context->config.nodeName, running, m_pid, unixNow()}));
    if (!running) {
        // Its last dump is history: report the configured instances, stopped.
        m_fromDump = false;
        auto fresh = fromConfig();
        for (auto& v : fresh) {
            v.state = VrrpState::Stop;
        }
        publishChanges(std::move(fresh), "keepalived");
        m_context->publisher.publish(proto::topic::Vrrp, Json(proto::VrrpTopic{false, {}, false}));
    } else {
        m_context->publisher.publish(proto::topic::Vrrp, Json(proto::VrrpTopic{false, {}, true}));
    }
}

void KeepalivedModule::applyLocalFacts(VrrpInstance& v) const
{
    bool holds = !v.vips.empty();
    for (const auto& vip : v.vips) {
        const auto slash = vip.find('/');
        const auto addr = canonicalAddress(vip.substr(0, slash));
        holds = holds && m_localAddresses.count(addr) == 1;
    }
    v.holdsVips = holds;
    if (!m_config) {
        return;
    }
    for (const auto& inst : m_config->instances) {
        if (inst.name != v.name) {
            continue;
        }
        v.syncGroup = inst.syncGroup;
        v.trackFiles.clear();
        for (const auto& ref : inst.trackFiles) {
            proto::TrackFileStatus t;
            t.name = ref.name;
            for (const auto& tf : m_config->trackFiles) {
                if (tf.name == ref.name) {
                    t.path = tf.path;
                    t.weight = ref.weight.value_or(tf.weight);
                    if (const auto content = readFile(tf.path)) {
                        t.value = std::atoi(content->c_str());
                    }
                }
            }
            v.trackFiles.push_back(std::move(t));
        }
    }
}

std::vector<VrrpInstance> KeepalivedModule::fromConfig() const
{
    std::vector<VrrpInstance> out;
    if (!m_config) {
        return out;
    }
    for (const auto& inst : m_config->instances) {
        VrrpInstance v;
        v.name = inst.name;
        v.vrid = inst.vrid;
        v.interface = inst.interface;
        v.basePriority = inst.priority;
        v.effectivePriority = inst.priority;
        v.advertIntMs = inst.advertIntMs;
        v.nopreempt = inst.nopreempt;
        for (const auto& a : inst.vipAddresses()) {
            v.vips.push_back(a.find('/') == std::string::npos ? a + (a.find(':') != std::string::npos ? "/128" : "/32")
                                                             : a);
        }
        applyLocalFacts(v);
        out.push_back(std::move(v));
    }
    return out;
}

void KeepalivedModule::readDump()
{
    const auto path = m_context->config.keepalived.jsonDump.string();
    double mtime = 0;
    const auto content = readKeepalivedDumpFile(path, &mtime);
    if (!content) {
        if (content.error().code != ENOENT) {
            const auto now = std::chrono::steady_clock::now();
            if (now - m_lastDumpRefusal >= std::chrono::seconds(60)) {
                m_lastDumpRefusal = now;
                agent::logWarning("keepalived: " + content.error().message);
            }
        }
        return;
    }
    checkRunning(false); // the pidfd says whether it still runs
    if (!m_running || mtime < m_startedAt) {
        // Left by a keepalived that is gone, or by one before this one: not current state.
        return;
    }
    auto parsed = parseKeepalivedJson(*content);
    if (!parsed) {
        // keepalived truncates and rewrites the file for every dump request; under load
        // the next request can start while this one is read. Read again shortly; only a
        // dump that stays broken is worth a warning.
        if (++m_badDumps >= 5) {
            agent::logWarning("keepalived: " + path + ": " + parsed.error().message);
            m_badDumps = 0;
            return;
        }
        auto retry = m_context->loop.addTimer(std::chrono::milliseconds(150), false, [this] { readDump(); });
        if (retry) {
            m_dumpRetry = std::move(*retry);
        }
        return;
    }
    m_badDumps = 0;
    m_dumpInFlight = false;
    if (m_dumpWanted) {
        requestDump(); // asked for while this one was on its way: its answer may predate the reason
    }
    // Ordered by time: a dump written before a transition keepalived pushed never undoes it.
    std::vector<std::string> stale;
    auto merged = mergeVrrpDump(m_instances, std::move(*parsed), mtime, m_pushed, &stale);
    for (auto& v : merged) {
        applyLocalFacts(v); // VIPs held are this moment's fact, whichever entry was kept
    }
    if (!stale.empty()) {
        agent::logDebug("keepalived: a dump older than the last pushed transition of " + stale.front() +
                        " was read; its state there is ignored");
        requestDump(); // one written after the push fills in priorities and times
    }
    publishChanges(std::move(merged), "dump");
    m_fromDump = true;
    answerFresh(mtime);
}

bool KeepalivedModule::transitionsPushed() const
{
    if (busActive()) {
        return true;
    }
    if (!m_config) {
        return false;
    }
    return std::any_of(m_fifos.begin(), m_fifos.end(), [this](const Fifo& f) {
        return f.fd >= 0 && (f.path == m_config->global.notifyFifo || f.path == m_config->global.vrrpNotifyFifo);
    });
}

void KeepalivedModule::publishChanges(std::vector<VrrpInstance> fresh, const std::string& source)
{
    Json changed = Json::array();
    for (const auto& v : fresh) {
        const auto old = std::find_if(m_instances.begin(), m_instances.end(),
                                      [&](const VrrpInstance& o) { return o.name == v.name; });
        if (old == m_instances.end() || !(*old == v)) {
            changed.push_back(v);
        }
        const VrrpState before = old == m_instances.end() ? VrrpState::Init : old->state;
        if (old != m_instances.end() && before != v.state) {
            m_context->publisher.event(Json(proto::VrrpTransitionEvent{m_context->config.nodeName, v.name, v.vrid,
                                                                        before, v.state, v.lastTransition,
                                                                        unixNow(), source}));
        }
        if (old != m_instances.end() && old->holdsVips != v.holdsVips) {
            m_context->publisher.event(
                Json(proto::VrrpVipsEvent{m_context->config.nodeName, v.name, v.holdsVips, unixNow()}));
        }
    }
    m_instances = std::move(fresh);
    if (!changed.empty()) {
        m_context->publisher.publish(proto::topic::Vrrp, Json{{"instances", std::move(changed)}});
    }
}

void KeepalivedModule::openFifos()
{
    if (!m_config) {
        return;
    }
    std::vector<std::string> paths;
    for (const auto* p : {&m_config->global.notifyFifo, &m_config->global.vrrpNotifyFifo,
                          &m_config->global.lvsNotifyFifo}) {
        if (!p->empty() && std::find(paths.begin(), paths.end(), *p) == paths.end()) {
            paths.push_back(*p);
        }
    }
    if (m_fifos.size() != paths.size()) {
        m_fifos.clear();
        m_fifos.resize(paths.size());
        for (std::size_t i = 0; i < paths.size(); ++i) {
            m_fifos[i].path = paths[i];
        }
    }
    for (std::size_t i = 0; i < m_fifos.size(); ++i) {
        auto& f = m_fifos[i];
        if (f.fd >= 0) {
            continue;
        }
        struct stat st {};
        if (stat(f.path.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode)) {
            continue; // keepalived creates it when it starts
        }
        f.fd = open(f.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (f.fd < 0) {
            continue;
        }
        auto src = m_context->loop.addIo(f.fd, EPOLLIN, [this, i](std::uint32_t) { readFifo(static_cast<int>(i)); });
        if (src) {
            f.source = std::move(*src);
        } else {
            close(f.fd);
            f.fd = -1;
        }
    }
}

void KeepalivedModule::readFifo(int index)
{
    auto& f = m_fifos[static_cast<std::size_t>(index)];
    std::array<char, 4096> buf{};
    for (;;) {
        const ssize_t n = read(f.fd, buf.data(), buf.size());
        if (n > 0) {
            f.buffer.append(buf.data(), static_cast<std::size_t>(n));
            if (f.buffer.size() > 65536) {
                f.buffer.clear(); // a writer that never ends its lines
            }
            continue;
        }
        if (n == 0) {
            // The writer (keepalived) closed it: reopen at the next tick, when it may be back.
            f.source.reset();
            close(f.fd);
            f.fd = -1;
        }
        break;
    }
    std::size_t nl = 0;
    while ((nl = f.buffer.find('\n')) != std::string::npos) {
        const std::string line = f.buffer.substr(0, nl);
        f.buffer.erase(0, nl + 1);
        auto e = parseNotifyLine(line);
        if (e) {
            onNotify(*e);
        } else {
            agent::logDebug("keepalived: " + e.error().message);
        }
    }
}

void KeepalivedModule::onNotify(const NotifyEvent& e)
{
    if (e.kind == NotifyEvent::Kind::RealServer) {
        m_rsHealth[e.realServer.raw + " " + e.virtualServer.raw] = e.state;
        m_context->publisher.event(Json(proto::RealServerHealthEvent{
            m_context->config.nodeName, e.realServer.raw, e.virtualServer.raw, e.state, unixNow()}));
        return;
    }
    if (e.kind != NotifyEvent::Kind::Instance) {
        return;
    }
    // With keepalived on the bus the same transition arrives as a DBus signal: one source
    // only. Not even a dump request from here: keepalived sends its DBus signals from
    // another thread, a little after the FIFO line, and a dump requested now could
    // report the transition first.
    if (busActive()) {
        return;
    }
    auto st = proto::vrrpStateFromString(e.state);
    if (st) {
        // Apply the transition now; the dump it triggers fills in the rest.
        auto fresh = m_instances;
        for (auto& v : fresh) {
            if (v.name == e.name) {
                v.state = *st;
                v.effectivePriority = e.priority;
            }
        }
        m_pushed[e.name] = PushedTransition{*st, unixNow()};
        publishChanges(std::move(fresh), "fifo");
    }
    requestDump();
}

void KeepalivedModule::startRtnl()
{
    m_rtnl = nl_socket_alloc();
    if (m_rtnl == nullptr) {
        return;
    }
    nl_socket_disable_seq_check(m_rtnl);
    nl_socket_modify_cb(m_rtnl, NL_CB_VALID, NL_CB_CUSTOM, noSeqCheck, nullptr);
    if (nl_connect(m_rtnl, NETLINK_ROUTE) < 0 ||
        nl_socket_add_memberships(m_rtnl, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0) < 0) {
        agent::logWarning("keepalived: cannot follow address changes (rtnetlink); VIP ownership updates per sample");
        nl_socket_free(m_rtnl);
        m_rtnl = nullptr;
        return;
    }
    nl_socket_set_nonblocking(m_rtnl);
    auto src = m_context->loop.addIo(nl_socket_get_fd(m_rtnl), EPOLLIN, [this](std::uint32_t) {
        while (nl_recvmsgs_default(m_rtnl) >= 0) {
        }
        refreshAddresses();
    });
    if (src) {
        m_rtnlSource = std::move(*src);
    }
}

void KeepalivedModule::refreshAddresses()
{
    auto snap = readDrSnapshot();
    if (!snap) {
        return;
    }
    std::set<std::string> now;
    for (const auto& a : snap->addresses) {
        now.insert(a.address);
    }
    if (now == m_localAddresses) {
        return;
    }
    m_localAddresses = std::move(now);
    auto fresh = m_instances;
    for (auto& v : fresh) {
        applyLocalFacts(v);
    }
    publishChanges(std::move(fresh), "rtnl");
}

proto::KeepalivedConfigResult KeepalivedModule::configDocument() const
{
    const auto& c = *m_config;
    proto::KeepalivedConfigResult doc;
    doc.path = m_context->config.keepalived.config.string();
    doc.files = c.tree.files;
    doc.routerId = c.global.routerId;
    for (const auto& d : c.diagnostics) {
        doc.diagnostics.push_back(proto::KaConfDiagnostic{d.file, d.line, d.message});
    }
    for (const auto& i : c.instances) {
        proto::KaConfInstance out;
        out.name = i.name;
        out.state = i.state;
        out.interface = i.interface;
        out.vrid = i.vrid;
        out.priority = i.priority;
        out.advertIntMs = i.advertIntMs;
        out.nopreempt = i.nopreempt;
        out.vips = i.virtualIpAddresses;
        out.syncGroup = i.syncGroup;
        for (const auto& t : i.trackFiles) {
            out.trackFiles.push_back(proto::KaConfTrackFile{t.name, t.weight});
        }
        out.where = i.where;
        doc.instances.push_back(std::move(out));
    }
    for (const auto& vs : c.virtualServers) {
        proto::KaConfVirtualServer out;
        out.address = vs.address;
        out.port = vs.port;
        out.fwmark = vs.fwmark;
        out.lvsName = vs.lvsName();
        // The IPVS services keepalived makes of it, keyed as ipvs.list keys them ("TCP 198.18.0.100:80",
        // "FWM 7"): a group-based one stands for several; a fwmark one has its real servers' family.
        for (const auto& svc : vs.ipvsServices()) {
            proto::VirtualService key;
            const std::string& familyOf =
                svc.fwmark != 0 && !vs.realServers.empty() ? vs.realServers.front().address : svc.address;
            key.af = familyOf.find(':') != std::string::npos ? 6 : 4;
            key.address = svc.address.empty() ? std::string() : canonicalAddress(svc.address);
            key.port = svc.port;
            key.fwmark = svc.fwmark;
            key.protocol = svc.protocol;
            out.ipvsServices.push_back(key.key());
        }
        out.group = vs.group;
        out.lbAlgo = vs.lbAlgo;
        out.lbKind = vs.lbKind;
        out.protocol = vs.protocol;
        out.persistenceTimeout = vs.persistenceTimeout;
        for (const auto& rs : vs.realServers) {
            proto::KaConfRealServer r;
            r.address = rs.address;
            r.port = rs.port;
            r.weight = rs.weight;
            r.inhibitOnFailure = rs.inhibitOnFailure;
            for (const auto& ch : rs.checks) {
                r.checks.push_back(ch.type);
            }
            // Keyed as keepalived names them in its FIFO lines: "[198.18.0.21]:tcp:80 [198.18.0.100]:tcp:80",
            // "[198.18.0.21]:none:0 FWM 7", "[198.18.0.21]:tcp:80 [GROUP]:0".
            const auto h = m_rsHealth.find(vs.lvsName(rs) + " " + vs.lvsName());
            if (h != m_rsHealth.end()) {
                r.health = h->second;
            }
            r.where = rs.where;
            out.realServers.push_back(std::move(r));
        }
        out.where = vs.where;
        doc.virtualServers.push_back(std::move(out));
    }
    return doc;
}

} // namespace hadeck::probes
