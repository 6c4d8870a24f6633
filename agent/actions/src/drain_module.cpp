#include "hadeck/agent/actions/drain_module.h"

#include "action_util.h"

#include "hadeck/agent/actions/realserver_load.h"
#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"

namespace hadeck::agent {

namespace {

Json changeJson(const WeightChange& c)
{
    return Json{{"service", c.service.key()}, {"dest", c.dest.endpoint()}, {"from", c.dest.weight},
                {"to", c.newWeight}};
}

struct DrainParams {
    std::string address;
    std::optional<std::uint16_t> port;
    std::string service;
    std::string id;
    bool force = false;
};

std::optional<DrainParams> readParams(const Json& params, Responder& responder, bool idAllowed)
{
    if (!params.is_null() && !params.is_object()) {
        responder.error(rpc::InvalidParams, "params must be an object");
        return std::nullopt;
    }
    DrainParams p;
    try {
        const Json& j = params.is_null() ? Json::object() : params;
        p.address = j.value("address", std::string());
        p.service = j.value("service", std::string());
        p.force = j.value("force", false);
        p.id = j.value("id", std::string());
        if (const auto port = j.find("port"); port != j.end() && !port->is_null()) {
            p.port = port->get<std::uint16_t>();
        }
    } catch (const std::exception& e) {
        responder.error(rpc::InvalidParams, std::string("bad params: ") + e.what());
        return std::nullopt;
    }
    if (p.address.empty() && !(idAllowed && !p.id.empty())) {
        responder.error(rpc::InvalidParams, idAllowed ? "give \"id\" or the real server's \"address\""
                                                      : "\"address\" (the real server) is required");
        return std::nullopt;
    }
    return p;
}

} // namespace

DrainModule::DrainModule(std::unique_ptr<IpvsAccess> ipvs, std::unique_ptr<KeepalivedFactsSource> keepalived)
    : m_ipvs(std::move(ipvs))
    , m_keepalived(std::move(keepalived))
{
}

DrainModule::~DrainModule() = default;

void DrainModule::start(AgentContext& context)
{
    m_context = &context;
    auto& reg = context.registry;
    reg.add("drain.local", proto::PermissionLevel::Read,
            [this](const CallContext&, const Json& params, Responder r) { local(params, std::move(r)); },
            "Established connections to VIP:port on this node and Apache's busy workers (drain progress as "
            "the real server sees it)");
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
    reg.add("drain.apply", proto::PermissionLevel::Operate,
            [this](const CallContext& c, const Json& p, Responder r) { apply(c, p, std::move(r)); },
            "Set weight 0 on every matching real server of this director and hold it");
    reg.add("drain.restore", proto::PermissionLevel::Operate,
            [this](const CallContext& c, const Json& p, Responder r) { restore(c, p, std::move(r)); },
            "Release a held drain and give back the real server's weight");
    reg.add("drain.list", proto::PermissionLevel::Read,
            [this](const CallContext&, const Json&, Responder r) { list(std::move(r)); }, "Drains held here");
    context.publisher.setSnapshot("drain", [this] { return bookJson(); });

    reassertNow(); // after an agent restart, at once
    if (auto t = context.loop.addTimer(kReassertInterval, true, [this] { reassertNow(); })) {
        m_timer = std::move(*t);
    } else {
        logError("drain: cannot start the re-assert timer: " + t.error().message);
    }
}

std::size_t DrainModule::reassertNow()
{
    if (!m_ipvs || m_book.drains().empty()) {
        return 0;
    }
    auto table = m_ipvs->services();
    if (!table) {
        return 0;
    }
    const auto changes = m_book.reassert(*table);
    std::size_t done = 0;
    for (const auto& c : changes) {
        const auto st = m_ipvs->setWeight(c.service, c.dest, 0);
        Json what = changeJson(c);
        if (!st) {
            logError("drain: cannot re-assert weight 0 on " + c.dest.endpoint() + ": " + st.error().message);
            continue;
        }
        ++done;
        logInfo("drain: re-asserted weight 0 on " + c.service.key() + " " + c.dest.endpoint() + " (was " +
                std::to_string(c.dest.weight) + ")");
        if (m_context) {
            m_context->publisher.event(Json{{"type", "drain.reasserted"}, {"time", detail::unixNow()}, {"detail", what}});
            (void)m_context->audit.append("hadeck-agent", "drain.reassert", what, Json{{"ok", true}});
        }
    }
    if (done > 0) {
        persistAndPublish(); // weightBefore may have learned new dests
    }
    return done;
}

void DrainModule::apply(const CallContext& caller, const Json& params, Responder responder)
{
    auto p = readParams(params, responder, false);
    if (!p) {
        return;
    }
    if (m_bookBroken) {
        responder.error(rpc::PreconditionFailed, m_bookPath.string() +
                                                     " could not be read at start; fix it before new drains");
        return;
    }
    auto table = m_ipvs->services();
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
    Json applied = Json::array();
    Json errors = Json::array();
    for (const auto& c : changes) {
        const auto st = m_ipvs->setWeight(c.service, c.dest, 0);
        if (st) {
            applied.push_back(changeJson(c));
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
    responder.result(Json{{"id", id}, {"matched", matched}, {"applied", applied}, {"forced", drain.forced}});
}

void DrainModule::restore(const CallContext&, const Json& params, Responder responder)
{
    auto p = readParams(params, responder, true);
    if (!p) {
        return;
    }
    const std::string id = p->id.empty() ? drainId(p->service, p->address, p->port) : p->id;
    auto table = m_ipvs->services();
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
        if (const auto st = m_ipvs->setWeight(c.service, c.dest, c.newWeight); !st) {
            errors.push_back(Json{{"dest", c.dest.endpoint()}, {"error", st.error().message}});
        }
    }
    Json restored = Json::array();
    for (const auto& [key, d] : plan->details) {
        Json one{{"dest", key}, {"weight", d.weight}, {"source", toString(d.source)}};
        if (d.configured) {
            one["configured"] = *d.configured;
        }
        if (d.beforeDrain) {
            one["beforeDrain"] = *d.beforeDrain;
        }
        restored.push_back(std::move(one));
    }
    persistAndPublish();
    Json result{{"id", id}, {"restored", restored}};
    if (!configNote.empty()) {
        result["keepalivedConfig"] = configNote;
    }
    if (!errors.empty()) {
        result["errors"] = errors;
        responder.error(rpc::ActionFailed, "the drain is released but some weights could not be set", result);
        return;
    }
    responder.result(result);
}

Json DrainModule::bookJson() const
{
    Json drains = Json::array();
    for (const auto& d : m_book.drains()) {
        Json j{{"id", d.id}, {"service", d.serviceKey}, {"address", d.address}, {"user", d.user},
               {"since", d.since}, {"forced", d.forced}};
        if (d.port) {
            j["port"] = *d.port;
        }
        drains.push_back(std::move(j));
    }
    const std::string enc = detail::readTextFile("/proc/sys/net/ipv4/vs/expire_nodest_conn");
    const std::string eqt = detail::readTextFile("/proc/sys/net/ipv4/vs/expire_quiescent_template");
    return Json{{"drains", drains}, {"expireQuiescentTemplate", !eqt.empty() && eqt[0] == '1'},
                {"expireNodestConn", !enc.empty() && enc[0] != '0'},
                {"bookError", m_bookBroken}};
}

void DrainModule::list(Responder responder)
{
    responder.result(bookJson());
}

void DrainModule::persistAndPublish()
{
    if (const auto saved = m_book.save(m_bookPath); !saved) {
        logError("drain: " + saved.error().message);
    }
    if (m_context) {
        m_context->publisher.publish("drain", bookJson());
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

void DrainModule::local(const Json& params, Responder responder)
{
    std::string vip;
    std::uint16_t port = 80;
    // Where mod_status answers is the host's business, not the caller's: a caller
    // choosing the port could aim the agent at any local service.
    const std::uint16_t statusPort = apacheStatusPort(m_context->config);
    try {
        vip = params.at("vip").get<std::string>();
        port = params.value("port", std::uint16_t{80});
    } catch (const std::exception& e) {
        responder.error(rpc::InvalidParams, std::string("need {\"vip\": address, \"port\"?}: ") + e.what());
        return;
    }
    // /proc reads are quick; the HTTP call to mod_status is not, so all of it runs off the loop.
    auto& loop = m_context->loop;
    auto shared = std::make_shared<Responder>(std::move(responder));
    loop.offload(
        [vip, port, statusPort]() -> Json {
            const bool v6 = vip.find(':') != std::string::npos;
            auto established = countEstablished(detail::readTextFile(v6 ? "/proc/net/tcp6" : "/proc/net/tcp"), vip, port);
            if (!established) {
                return Json{{"error", established.error().message}};
            }
            Json out{{"vip", vip}, {"port", port}, {"established", *established}};
            auto body = httpGet("127.0.0.1", statusPort, "/server-status?auto", kStatusDeadlineMs);
            if (body) {
                if (auto st = parseApacheStatus(*body)) {
                    out["apache"] = Json{{"busyWorkers", st->busyWorkers}, {"idleWorkers", st->idleWorkers},
                                         {"activeSlots", st->activeSlots()}, {"mpm", st->mpm}};
                } else {
                    out["apacheError"] = st.error().message;
                }
            } else {
                out["apacheError"] = body.error().message;
            }
            return out;
        },
        [shared](Json result) {
            if (result.contains("error")) {
                shared->error(rpc::InternalError, result["error"].get<std::string>());
            } else {
                shared->result(std::move(result));
            }
        });
}

} // namespace hadeck::agent
