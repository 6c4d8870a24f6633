#pragma once

// Method table and dispatcher. Every method declares the permission level it
// needs; the dispatcher refuses callers below it before the handler runs.
//
// Methods that need Operate or Admin change the node, so the dispatcher writes
// every call of them to the audit log (user, method, params and the result or
// error) when the handler answers, refusals included. Handlers do not audit
// themselves. While the audit log cannot be written, such calls are refused.

#include "hadeck/agent/client_sink.h"
#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/method.h"
#include "hadeck/protocol/types.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace hadeck::agent {

using rpc::Json;

class AuditLog;
class EventLoop;

/// Who is calling, from SO_PEERCRED and the unix groups.
struct CallContext {
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    std::string user;
    proto::PermissionLevel level = proto::PermissionLevel::None;
    int clientId = -1;
};

/// Answers one request, now or later (after offload() or a timer). Move-only.
/// Answering twice is ignored. A Responder destroyed without an answer sends
/// InternalError so a caller never waits forever. Answers to a client that has
/// gone away are dropped; to a notification (no id) nothing is sent.
class Responder {
public:
    using Completion = std::function<void(const rpc::Response&)>;

    Responder() = default;
    Responder(std::weak_ptr<ClientSink> sink, Json id, bool expectsReply, std::string method);
    ~Responder();
    Responder(Responder&& other) noexcept;
    Responder& operator=(Responder&& other) noexcept;
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;

    void result(Json value);
    void error(int code, std::string message, Json data = nullptr);
    /// Failure::code 0 becomes InternalError.
    void error(const Failure& failure);

    [[nodiscard]] bool answered() const { return m_answered; }
    /// False once the client disconnected: long work may stop early.
    [[nodiscard]] bool connected() const { return !m_sink.expired(); }
    [[nodiscard]] const Json& id() const { return m_id; }
    [[nodiscard]] const std::string& method() const { return m_method; }

    /// Called with the response just before it is sent (the dispatcher audits here).
    void setCompletion(Completion completion) { m_completion = std::move(completion); }

private:
    void finish(rpc::Response response);

    std::weak_ptr<ClientSink> m_sink;
    Json m_id;
    std::string m_method;
    Completion m_completion;
    bool m_expectsReply = false;
    bool m_answered = true; // a default-constructed Responder has nothing to answer
};

template <typename R>
class TypedResponder;

using Handler = std::function<void(const CallContext&, const Json& params, Responder)>;

struct MethodInfo {
    std::string name;
    proto::PermissionLevel needed = proto::PermissionLevel::Read;
    std::string description;
    Handler handler;
};

class MethodRegistry {
public:
    /// Registers @p method. A second registration of the same name replaces the
    /// first and logs a warning (modules must not collide).
    void add(std::string method, proto::PermissionLevel needed, Handler handler, std::string description);

    /// Registers a handler for a declared method (protocol/methods.h). The params
    /// are decoded with the declaration's checked from_json before @p handler runs
    /// (InvalidParams otherwise); @p handler answers through a TypedResponder.
    /// @p handler: void(const CallContext&, P params, TypedResponder<R>).
    template <typename P, typename R, typename F>
    void add(const proto::MethodSpec<P, R>& spec, F handler);

    /// Same, for a module's member function: add(methods::DrainApply, this, &DrainModule::apply).
    template <typename P, typename R, typename C>
    void add(const proto::MethodSpec<P, R>& spec, C* self,
             void (C::*member)(const CallContext&, P, TypedResponder<R>))
    {
        add(spec, [self, member](const CallContext& caller, P params, TypedResponder<R> r) {
            (self->*member)(caller, std::move(params), std::move(r));
        });
    }

    [[nodiscard]] const MethodInfo* find(std::string_view method) const;
    /// All methods, sorted by name.
    [[nodiscard]] std::vector<const MethodInfo*> methods() const;
    /// Names of the methods a caller at @p level may call, sorted.
    [[nodiscard]] std::vector<std::string> callableAt(proto::PermissionLevel level) const;

    /// Audits Operate/Admin calls here when set: the intent (with params) before the handler
    /// runs, the outcome after it; refusals without params and rate-limited per uid. With a
    /// loop, the intent is written off the loop thread before the handler runs on it.
    void setAuditLog(AuditLog* audit, EventLoop* loop = nullptr)
    {
        m_audit = audit;
        m_loop = loop;
    }

    /// Looks the method up, checks the caller's level and runs the handler.
    /// Unknown methods get MethodNotFound; callers below the level get
    /// PermissionDenied naming the missing unix group, with data
    /// {"required": level, "group": name}. A handler that throws gets InternalError.
    void dispatch(const CallContext& caller, const rpc::Request& request, Responder responder) const;

private:
    void auditRefusal(const CallContext& caller, const std::string& method, const rpc::Response& refusal) const;
    void runAudited(const CallContext& caller, const rpc::Request& request, Responder responder) const;

    /// Refusals audited per uid: a burst, then a steady rate; the rest are counted.
    struct RefusalBudget {
        double tokens = 0;
        std::chrono::steady_clock::time_point last;
        std::uint64_t suppressed = 0;
    };
    std::map<std::string, MethodInfo, std::less<>> m_methods;
    AuditLog* m_audit = nullptr;
    EventLoop* m_loop = nullptr;
    mutable std::map<uid_t, RefusalBudget> m_refusals;
};

/// Decodes @p params (null counts as {}) into T, or answers InvalidParams naming
/// the problem and returns nullopt.
template <typename T>
std::optional<T> decodeParams(const Json& params, Responder& responder)
{
    auto decoded = proto::fromJson<T>(params.is_null() ? Json::object() : params);
    if (!decoded) {
        responder.error(rpc::InvalidParams, decoded.error().message);
        return std::nullopt;
    }
    return std::move(*decoded);
}

/// A Responder that answers with the declared result type.
template <typename R>
class TypedResponder {
public:
    explicit TypedResponder(Responder responder) : m_r(std::move(responder)) {}
    void result(const R& value) { m_r.result(Json(value)); }
    void error(int code, std::string message, Json data = nullptr) { m_r.error(code, std::move(message), std::move(data)); }
    void error(const Failure& failure) { m_r.error(failure); }
    [[nodiscard]] bool answered() const { return m_r.answered(); }
    [[nodiscard]] bool connected() const { return m_r.connected(); }
    /// The untyped responder, for code shared with untyped paths.
    Responder& raw() { return m_r; }

private:
    Responder m_r;
};

template <typename P, typename R, typename F>
void MethodRegistry::add(const proto::MethodSpec<P, R>& spec, F handler)
{
    add(
        std::string(spec.name), spec.permission,
        [h = std::move(handler)](const CallContext& caller, const Json& params, Responder r) {
            auto decoded = decodeParams<P>(params, r);
            if (!decoded) {
                return;
            }
            h(caller, std::move(*decoded), TypedResponder<R>(std::move(r)));
        },
        std::string(spec.summary));
}

} // namespace hadeck::agent
