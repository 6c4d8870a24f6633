#include "hadeck/agent/actions/drain_module.h"

#include "action_util.h"

#include "hadeck/probes/appdata/apache_status.h"
#include "hadeck/probes/realserver_load.h"
#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"

namespace hadeck::agent {

namespace {

constexpr const char* kNoIpvs = "no IPVS on this node: drains are held by directors";

proto::WeightChangeItem changeItem(const WeightChange& c)
{
    return proto::WeightChangeItem{c.service.key(), c.dest.endpoint(), c.dest.weight, c.newWeight};
}

/// drain.apply needs the real server's address; drain.restore takes the id instead.
template <typename R>
bool targetGiven(const proto::DrainTarget& p, TypedResponder<R>& responder, bool idAllowed)
{
    if (p.address.empty() && !(idAllowed && !p.id.empty())) {
        responder.error(rpc::InvalidParams, idAllowed ? "give \"id\" or the real server's \"address\""
                                                      : "\"address\" (the real server) is required");
        return false;
    }
    return true;
}

} // namespace

DrainModule::DrainModule(std::unique_ptr<probes::IpvsBackend> ipvs, std::unique_ptr<KeepalivedFactsSource> keepalived)
    : m_ipvs(std::move(ipvs))
    , m_keepalived(std::move(keepalived))
{
}

DrainModule::~DrainModule() = default;

void DrainModule::start(AgentContext& context)
{
    m_context = &context;
    auto& reg = context.registry;
    // Every declared method is served; without IPVS here, the director ones answer Unavailable.
    reg.add(proto::methods::DrainLocal, this, &DrainModule::local);
    reg.add(proto::methods::DrainApply, this, &DrainModule::apply);
    reg.add(proto::methods::DrainRestore, this, &DrainModule::restore);
    reg.add(proto::methods::DrainList, this, &DrainModule::list);
    if (!m_ipvs) {
        return;
    }
    m_bookPath = context.stateDir / "drains.json";
    auto loaded = DrainBook::load(m_bookPath);
    if (loaded) {
        m_book = std::move(*loaded);
    } else {
        // Never overwrite a book we could not read: the drains in it would be lost.
        m_bookBroken = true;
        logError(loaded.error().message);
    }
    context.publisher.setSnapshot(std::string(proto::topic::Drain), [this] { return bookJson(); });

    reassertNow(); // after an agent restart, at once
    // keepalived's checker puts a real server back at its configured weight when it comes UP.
    context.publisher.addEventObserver([this](const Json& e) { onEvent(e); });
    if (auto t = context.loop.addTimer(kReassertInterval, true, [this] { reassertNow(); })) {
        m_timer = std::move(*t);
        armHold();
    } else {
        logError("drain: cannot start the re-assert timer: " + t.error().message);
    }
}

void DrainModule::onEvent(const Json& event)
{
    if (m_book.drains().empty() || !event.is_object()) {
        return;
    }
    const auto head = proto::fromJson<proto::EventHead>(event);
    if (!head || head->type != proto::event::RealServerHealth) {
        return;
    }
    const auto health = proto::fromJson<proto::RealServerHealthEvent>(event);
    if (!health || health->state != "UP") {
        return;
    }
    const std::size_t now = reassertNow();
    logDebug("drain: checker marked " + health->realServer + " UP; re-asserted " + std::to_string(now) + " dest(s)");
    if (m_context == nullptr || m_followUpPending) {
        return;
    }
    // The source is replaced at the next arming, never freed from its own callback.
    if (auto t = m_context->loop.addTimer(kCheckerFollowUp, false, [this] {
            m_followUpPending = false;
            reassertNow();
        })) {
        m_followUp = std::move(*t);
        m_followUpPending = true;
    }
}

std::size_t DrainModule::reassertNow()
{
    if (!m_ipvs || m_book.drains().empty()) {
        return 0;
    }
    auto table = m_ipvs->list();
    if (!table) {
        return 0;
    }
    const auto changes = m_book.reassert(*table);
    std::size_t done = 0;
    for (const auto& c : changes) {
        const auto st = m_ipvs->setWeight(c.service, c.dest.address, c.dest.port, 0);
        const proto::WeightChangeItem item = changeItem(c);
        if (!st) {
            logError("drain: cannot re-assert weight 0 on " + c.dest.endpoint() + ": " + st.error().message);
            continue;
        }
        ++done;
        logInfo("drain: re-asserted weight 0 on " + c.service.key() + " " + c.dest.endpoint() + " (was " +
                std::to_string(c.dest.weight) + ")");
        if (m_context) {
            m_context->publisher.event(Json(proto::DrainReassertedEvent{detail::unixNow(), item}));
            (void)m_context->audit.append("hadeck-agent", "drain.reassert", Json(item), Json{{"ok", true}});
        }
    }
    if (done > 0) {
        persistAndPublish(); // weightBefore may have learned new dests
    }
    return done;
}

void DrainModule::apply(const CallContext& caller, proto::DrainTarget params,
                        TypedResponder<proto::DrainApplyResult> responder)
{
    if (!m_ipvs) {
        responder.error(rpc::Unavailable, kNoIpvs);
        return;
    }
    const proto::DrainTarget* p = &params;
    if (!targetGiven(params, responder, false)) {
        return;
    }
    if (m_bookBroken) {
        responder.error(rpc::PreconditionFailed, m_bookPath.string() +
                                                     " could not be read at start; fix it before new drains");
        return;
    }
    auto table = m_ipvs->list();
    if (!table) {
        responder.error(rpc::Unavailable, "cannot read the IPVS table: " + table.error().message);
        return;
    }
    HeldDrain drain;
    drain.address = p->address;
    drain.port = p->port;
    drain.serviceKey = p->service;
    drain.user = caller.user;
    drain.since = detail::unixNow();
    drain.forced = p->force;

    // This director's own last-line check; the console checks all directors first.
    if (!p->force) {
        for (const auto& vs : *table) {
            bool here = false;
            int others = 0;
            for (const auto& rs : vs.realServers) {
                if (drain.matches(vs, rs)) {
                    here = true;
                } else if (rs.weight > 0) {
                    ++others;
                }
            }
            if (here && others == 0) {
                responder.error(rpc::PreconditionFailed,
                                p->address + " is the last real server with a non-zero weight in " + vs.key() +
                                    " on this director; pass force to drain it anyway",
                                Json{{"check", "last-healthy"}, {"service", vs.key()}});
                return;
            }
        }
    }

    const auto changes = m_book.hold(drain, *table);
    // Persist before touching IPVS: if the agent dies half-way, the hold is re-asserted at start.
    const auto saved = m_book.save(m_bookPath);
    if (!saved) {
        responder.error(rpc::ActionFailed, "cannot persist the drain: " + saved.error().message);
        return;
    }
    std::vector<proto::WeightChangeItem> applied;
    Json errors = Json::array();
    for (const auto& c : changes) {
        const auto st = m_ipvs->setWeight(c.service, c.dest.address, c.dest.port, 0);
        if (st) {
            applied.push_back(changeItem(c));
        } else {
            errors.push_back(Json{{"dest", c.dest.endpoint()}, {"error", st.error().message}});
        }
    }
    std::size_t matched = 0;
    for (const auto& vs : *table) {
        for (const auto& rs : vs.realServers) {
            matched += drain.matches(vs, rs) ? 1 : 0;
        }
    }
    persistAndPublish();
    const std::string id = drainId(drain.serviceKey, drain.address, drain.port);
    if (!errors.empty()) {
        responder.error(rpc::ActionFailed, "the drain is held but some weights could not be set; it is retried",
                        Json{{"id", id}, {"applied", applied}, {"errors", errors}});
        return;
    }
    responder.result(proto::DrainApplyResult{id, matched, std::move(applied), drain.forced});
}

void DrainModule::restore(const CallContext&, proto::DrainTarget params,
                          TypedResponder<proto::DrainRestoreResult> responder)
{
    if (!m_ipvs) {
        responder.error(rpc::Unavailable, kNoIpvs);
        return;
    }
    const proto::DrainTarget* p = &params;
    if (!targetGiven(params, responder, true)) {
        return;
    }
    const std::string id = p->id.empty() ? drainId(p->service, p->address, p->port) : p->id;
    auto table = m_ipvs->list();
    if (!table) {
        responder.error(rpc::Unavailable, "cannot read the IPVS table: " + table.error().message);
        return;
    }
    std::map<std::string, std::uint32_t> configured;
    std::string configNote;
    if (m_keepalived) {
        if (auto facts = m_keepalived->facts(m_context->config.keepalived.config)) {
            configured = facts->weights;
        } else {
            configNote = facts.error().message;
        }
    }
    auto plan = m_book.release(id, *table, configured);
    if (!plan) {
        responder.error(rpc::PreconditionFailed, "no drain " + id + " is held on this director",
                        Json{{"held", bookJson()["drains"]}});
        return;
    }
    const auto saved = m_book.save(m_bookPath);
    if (!saved) {
        responder.error(rpc::ActionFailed, "cannot persist the restore: " + saved.error().message);
        return;
    }
    Json errors = Json::array();
    for (const auto& c : plan->changes) {
        if (const auto st = m_ipvs->setWeight(c.service, c.dest.address, c.dest.port, c.newWeight); !st) {
            errors.push_back(Json{{"dest", c.dest.endpoint()}, {"error", st.error().message}});
        }
    }
    proto::DrainRestoreResult result{id, {}, configNote};
    for (const auto& [key, d] : plan->details) {
        result.restored.push_back(proto::RestoredWeight{key, d.weight, std::string(toString(d.source)), d.configured,
                                                        d.beforeDrain});
    }
    persistAndPublish();
    if (!errors.empty()) {
        Json data = proto::toJson(result);
        data["errors"] = errors;
        responder.error(rpc::ActionFailed, "the drain is released but some weights could not be set", data);
        return;
    }
    responder.result(result);
}

proto::DrainBookState DrainModule::book() const
{
    proto::DrainBookState out;
    for (const auto& d : m_book.drains()) {
        out.drains.push_back(proto::HeldDrainItem{d.id, d.serviceKey, d.address, d.port, d.user, d.since, d.forced});
    }
    const std::string enc = detail::readTextFile("/proc/sys/net/ipv4/vs/expire_nodest_conn");
    const std::string eqt = detail::readTextFile("/proc/sys/net/ipv4/vs/expire_quiescent_template");
    out.expireQuiescentTemplate = !eqt.empty() && eqt[0] == '1';
    out.expireNodestConn = !enc.empty() && enc[0] != '0';
    out.bookError = m_bookBroken;
    return out;
}

Json DrainModule::bookJson() const { return proto::toJson(book()); }

void DrainModule::list(const CallContext&, proto::Empty, TypedResponder<proto::DrainBookState> responder)
{
    if (!m_ipvs) {
        responder.error(rpc::Unavailable, kNoIpvs);
        return;
    }
    responder.result(book());
}

void DrainModule::armHold()
{
    // The timer wakes the agent four times a second: only while there is a hold to keep.
    if (m_timer.valid()) {
        if (const auto on = m_timer.setEnabled(!m_book.drains().empty()); !on) {
            logError("drain: cannot switch the re-assert timer: " + on.error().message);
        }
    }
}

void DrainModule::persistAndPublish()
{
    armHold();
    if (const auto saved = m_book.save(m_bookPath); !saved) {
        logError("drain: " + saved.error().message);
    }
    if (m_context) {
        m_context->publisher.publish(proto::topic::Drain, bookJson());
    }
}

namespace {
// The whole mod_status exchange, connect to last byte.
constexpr int kStatusDeadlineMs = 1500;

// [modules.drain] status_port in agent.toml; 80 by default.
std::uint16_t apacheStatusPort(const AgentConfig& config)
{
    const auto& m = config.modules;
    if (m.contains("drain") && m["drain"].is_object() && m["drain"].contains("status_port")) {
        const auto& v = m["drain"]["status_port"];
        if (v.is_number_integer() && v.get<std::int64_t>() >= 1 && v.get<std::int64_t>() <= 65535) {
            return static_cast<std::uint16_t>(v.get<std::int64_t>());
        }
        logWarning("modules.drain.status_port must be a port number (1-65535); using 80");
    }
    return 80;
}
} // namespace

void DrainModule::local(const CallContext&, proto::DrainLocalParams params,
                        TypedResponder<proto::DrainLocalResult> responder)
{
    // Checked by the declaration: vip given, port 1..65535.
    const std::string vip = params.vip;
    const std::uint16_t port = params.port;
    // Where mod_status answers is the host's business, not the caller's: a caller
    // choosing the port could aim the agent at any local service.
    const std::uint16_t statusPort = apacheStatusPort(m_context->config);
    // /proc reads are quick; the HTTP call to mod_status is not, so all of it runs off the loop.
    auto& loop = m_context->loop;
    auto shared = std::make_shared<TypedResponder<proto::DrainLocalResult>>(std::move(responder));
    loop.offload(
        [vip, port, statusPort]() -> Expected<proto::DrainLocalResult> {
            // Both tables: a server on `::` (Apache's default) has IPv4 clients in tcp6.
            auto established = probes::countEstablished(detail::readTextFile("/proc/net/tcp"),
                                                        detail::readTextFile("/proc/net/tcp6"), vip, port);
            if (!established) {
                return Unexpected<Failure>{established.error()};
            }
            proto::DrainLocalResult out;
            out.vip = vip;
            out.port = port;
            out.established = *established;
            auto body = probes::httpGet("127.0.0.1", statusPort, "/server-status?auto", kStatusDeadlineMs);
            if (body) {
                if (auto st = probes::parseApacheStatus(*body)) {
                    out.apache =
                        proto::ApacheWorkers{st->busyWorkers, st->idleWorkers, probes::activeWorkerSlots(*st), st->mpm};
                } else {
                    out.apacheError = st.error().message;
                }
            } else {
                out.apacheError = body.error().message;
            }
            return out;
        },
        [shared](Expected<proto::DrainLocalResult> result) {
            if (result) {
                shared->result(*result);
            } else {
                shared->error(rpc::InternalError, result.error().message);
            }
        });
}

} // namespace hadeck::agent
