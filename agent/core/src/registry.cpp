#include "hadeck/agent/registry.h"

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/permissions.h"

#include <algorithm>
#include <utility>

namespace hadeck::agent {

namespace {
/// The offload lane of a caller's work: viewers' reads apart from everyone else's.
OffloadLane laneOf(const CallContext& caller)
{
    return caller.level >= proto::PermissionLevel::Operate ? OffloadLane::Change : OffloadLane::Read;
}
} // namespace

// ------------------------------------------------------------------ Responder

Responder::Responder(std::weak_ptr<ClientSink> sink, Json id, bool expectsReply, std::string method)
    : m_sink(std::move(sink))
    , m_id(std::move(id))
    , m_method(std::move(method))
    , m_expectsReply(expectsReply)
    , m_answered(false)
{
    if (m_expectsReply) {
        if (auto s = m_sink.lock()) {
            s->replyOwed();
        }
    }
}

Responder::~Responder()
{
    if (!m_answered) {
        error(rpc::InternalError, "method " + m_method + " finished without an answer");
    }
}

Responder::Responder(Responder&& other) noexcept
    : m_sink(std::move(other.m_sink))
    , m_id(std::move(other.m_id))
    , m_method(std::move(other.m_method))
    , m_completion(std::move(other.m_completion))
    , m_expectsReply(other.m_expectsReply)
    , m_answered(std::exchange(other.m_answered, true))
{
}

Responder& Responder::operator=(Responder&& other) noexcept
{
    if (this != &other) {
        if (!m_answered) {
            error(rpc::InternalError, "method " + m_method + " finished without an answer");
        }
        m_sink = std::move(other.m_sink);
        m_id = std::move(other.m_id);
        m_method = std::move(other.m_method);
        m_completion = std::move(other.m_completion);
        m_expectsReply = other.m_expectsReply;
        m_answered = std::exchange(other.m_answered, true);
    }
    return *this;
}

void Responder::result(Json value) { finish(rpc::makeResult(m_id, std::move(value))); }

void Responder::error(int code, std::string message, Json data)
{
    finish(rpc::makeError(m_id, code, std::move(message), std::move(data)));
}

void Responder::error(const Failure& failure)
{
    error(failure.code == 0 ? rpc::InternalError : failure.code, failure.message);
}

void Responder::finish(rpc::Response response)
{
    if (m_answered) {
        return;
    }
    m_answered = true;
    if (m_completion) {
        try {
            m_completion(response);
        } catch (const std::exception& e) {
            logError(std::string("completion of ") + m_method + " failed: " + e.what());
        }
    }
    if (!m_expectsReply) {
        return;
    }
    if (auto sink = m_sink.lock()) {
        sink->sendLine(rpc::encode(response));
        sink->replyPaid();
    }
}

// ------------------------------------------------------------- MethodRegistry

void MethodRegistry::add(std::string method, proto::PermissionLevel needed, Handler handler, std::string description)
{
    if (m_methods.count(method) != 0) {
        logWarning("method " + method + " registered twice; the later registration wins");
    }
    MethodInfo info{method, needed, std::move(description), std::move(handler)};
    m_methods.insert_or_assign(std::move(method), std::move(info));
}

const MethodInfo* MethodRegistry::find(std::string_view method) const
{
    const auto it = m_methods.find(method);
    return it == m_methods.end() ? nullptr : &it->second;
}

std::vector<const MethodInfo*> MethodRegistry::methods() const
{
    std::vector<const MethodInfo*> out;
    out.reserve(m_methods.size());
    for (const auto& [name, info] : m_methods) {
        out.push_back(&info);
    }
    return out;
}

std::vector<std::string> MethodRegistry::callableAt(proto::PermissionLevel level) const
{
    std::vector<std::string> out;
    for (const auto& [name, info] : m_methods) {
        if (info.needed <= level) {
            out.push_back(name);
        }
    }
    return out;
}

void MethodRegistry::dispatch(const CallContext& caller, const rpc::Request& request, Responder responder) const
{
    const MethodInfo* info = find(request.method);
    if (info == nullptr) {
        responder.error(rpc::MethodNotFound, "unknown method \"" + request.method + "\"");
        return;
    }
    const bool audited = m_audit != nullptr && info->needed >= proto::PermissionLevel::Operate;
    if (audited && caller.level >= info->needed && !m_audit->isOpen()) {
        // A change nobody can trace afterwards is worse than no change.
        responder.error(rpc::PreconditionFailed, "the audit log " + m_audit->path().string() +
                                                     " cannot be written, so changes are refused; see the agent's log");
        return;
    }
    if (caller.level < info->needed) {
        if (audited) {
            responder.setCompletion([this, caller, method = request.method](const rpc::Response& r) {
                auditRefusal(caller, method, r);
            });
        }
        const std::string group(proto::groupFor(info->needed));
        responder.error(rpc::PermissionDenied, refusalMessage(info->needed, caller.level, caller.user) + " (method " +
                                                   request.method + ")",
                        Json{{"required", proto::toString(info->needed)}, {"group", group}});
        return;
    }
    // Offloaded work of operate and admin callers gets workers of its own.
    const OffloadLaneScope lane(laneOf(caller));
    if (audited) {
        runAudited(caller, request, std::move(responder));
        return;
    }
    try {
        info->handler(caller, request.params, std::move(responder));
    } catch (const std::exception& e) {
        // The responder was moved into the handler; its destructor already
        // answered InternalError if the handler had not answered.
        logError("method " + request.method + " threw: " + e.what());
    }
}

namespace {
constexpr double kRefusalBurst = 20;    // refusals audited at once per uid
constexpr double kRefusalsPerSecond = 1; // then this many a second

Json outcomeOf(const rpc::Response& r)
{
    return r.ok() ? Json{{"ok", r.result.value_or(Json(nullptr))}}
                  : Json{{"error", {{"code", r.error->code}, {"message", r.error->message}}}};
}
} // namespace

void MethodRegistry::auditRefusal(const CallContext& caller, const std::string& method,
                                  const rpc::Response& refusal) const
{
    // Without params: a viewer must not be able to fill the disk with what it sends.
    const auto now = std::chrono::steady_clock::now();
    auto [it, fresh] = m_refusals.try_emplace(caller.uid);
    RefusalBudget& b = it->second;
    if (fresh) {
        b.tokens = kRefusalBurst;
    } else {
        b.tokens = std::min(kRefusalBurst,
                            b.tokens + std::chrono::duration<double>(now - b.last).count() * kRefusalsPerSecond);
    }
    b.last = now;
    if (b.tokens < 1) {
        ++b.suppressed;
        return;
    }
    b.tokens -= 1;
    Json result = outcomeOf(refusal);
    if (b.suppressed > 0) {
        result["suppressedBefore"] = b.suppressed; // refusals of this uid not written since the last one
        b.suppressed = 0;
    }
    m_audit->appendAsync(AuditEntry{caller.user, method, nullptr, std::move(result), "refused", true});
    if (m_refusals.size() > 4096) {
        m_refusals.clear(); // bounded; a cleared uid starts with a fresh burst
    }
}

void MethodRegistry::runAudited(const CallContext& caller, const rpc::Request& request, Responder responder) const
{
    // The outcome after the handler answers (queued; the writer thread writes it).
    responder.setCompletion([audit = m_audit, user = caller.user, method = request.method](const rpc::Response& r) {
        audit->appendAsync(AuditEntry{user, method, nullptr, outcomeOf(r), "outcome", false},
                           [method](const Status& s) {
                               if (!s) {
                                   logError("audit log: the outcome of " + method + ": " + s.error().message);
                               }
                           });
    });
    AuditEntry intent{caller.user, request.method, request.params, nullptr, "intent", false};
    auto run = [this, caller, request](Responder r, const Status& written) {
        if (!written) {
            logError("audit log: " + written.error().message);
            r.error(rpc::PreconditionFailed, "the audit log cannot be written (" + written.error().message +
                                                 "), so the change was not made");
            return;
        }
        const MethodInfo* info = find(request.method);
        if (info == nullptr) {
            r.error(rpc::MethodNotFound, "unknown method \"" + request.method + "\"");
            return;
        }
        try {
            // The handler runs from the intent's completion, outside the dispatcher's scope.
            const OffloadLaneScope lane(laneOf(caller));
            info->handler(caller, request.params, std::move(r));
        } catch (const std::exception& e) {
            logError("method " + request.method + " threw: " + e.what());
        }
    };
    if (m_loop == nullptr) {
        auto written = m_audit->append(std::move(intent));
        run(std::move(responder), written);
        return;
    }
    // The intent is written (and synced) off the loop; the handler then runs on the loop.
    auto shared = std::make_shared<Responder>(std::move(responder));
    m_loop->offload(
        [audit = m_audit, intent = std::move(intent)]() mutable -> Status { return audit->append(std::move(intent)); },
        [shared, run](Status written) { run(std::move(*shared), written); });
}
} // namespace hadeck::agent
