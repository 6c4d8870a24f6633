#include "hadeck/agent/registry.h"

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/permissions.h"

#include <utility>

namespace hadeck::agent {

// ------------------------------------------------------------------ Responder

Responder::Responder(std::weak_ptr<ClientSink> sink, Json id, bool expectsReply, std::string method)
    : m_sink(std::move(sink))
    , m_id(std::move(id))
    , m_method(std::move(method))
    , m_expectsReply(expectsReply)
    , m_answered(false)
{
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
    if (m_audit != nullptr && info->needed >= proto::PermissionLevel::Operate && caller.level >= info->needed &&
        !m_audit->isOpen()) {
        // A change nobody can trace afterwards is worse than no change.
        responder.error(rpc::PreconditionFailed, "the audit log " + m_audit->path().string() +
                                                     " cannot be written, so changes are refused; see the agent's log");
        return;
    }
    if (m_audit != nullptr && info->needed >= proto::PermissionLevel::Operate) {
        responder.setCompletion([audit = m_audit, user = caller.user, method = request.method,
                                 params = request.params](const rpc::Response& r) {
            Json outcome = r.ok() ? Json{{"ok", r.result.value_or(Json(nullptr))}}
                                  : Json{{"error", {{"code", r.error->code}, {"message", r.error->message}}}};
            if (auto written = audit->append(user, method, params, outcome); !written) {
                logError("audit log: " + written.error().message);
            }
        });
    }
    if (caller.level < info->needed) {
        const std::string group(proto::groupFor(info->needed));
        responder.error(rpc::PermissionDenied, refusalMessage(info->needed, caller.level, caller.user) + " (method " +
                                                   request.method + ")",
                        Json{{"required", proto::toString(info->needed)}, {"group", group}});
        return;
    }
    try {
        // Offloaded work of operate and admin callers gets workers of its own.
        const OffloadLaneScope lane(caller.level >= proto::PermissionLevel::Operate);
        info->handler(caller, request.params, std::move(responder));
    } catch (const std::exception& e) {
        // The responder was moved into the handler; its destructor already
        // answered InternalError if the handler had not answered.
        logError("method " + request.method + " threw: " + e.what());
    }
}

} // namespace hadeck::agent
