#pragma once

// A scripted pair of directors for the failover's tests (console and GUI): dir1 MASTER and dir2
// BACKUP of VI_CACHE, answering as their agents do, with the faults a test asks for.

#include "hadeck/console/actions/failover_job.h"

#include <hadeck/protocol/methods.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace hadeck::test {

using console::ClusterRpc;
using console::FailoverRequest;
using console::methodName;
using console::RpcResult;

/// dir1 MASTER, dir2 BACKUP of VI_CACHE. After vrrp.release on dir1, dir1 is in FAULT without
/// the VIP and the VIP is on dir2 at once; dir2's agent reports its state as MASTER only after
/// @c agentLagMs (the late DBus signal or dump the issue measured).
class ScriptedPair final : public ClusterRpc {
public:
    int agentLagMs = 60000;
    QElapsedTimer sinceRelease;
    /// dir2's advert counter as its agent reports it moves once every this many vrrp.list
    /// answers (a loaded director whose keepalived dump comes late); 1: every answer.
    int dumpEvery = 1;
    /// Instances that share VI_CACHE's track file on dir1 (vrrp.failoverStatus, vrrp.release).
    std::vector<std::string> sharingTrackFile;
    /// A method whose every answer is well-formed JSON of the wrong shape (a bad agent).
    QString malformed;
    /// The params of the last vrrp.release dir1 was asked for.
    rpc::Json releaseParams;

    [[nodiscard]] QStringList directors() const override { return {QStringLiteral("dir1"), QStringLiteral("dir2")}; }
    [[nodiscard]] QString nodeForAddress(const QString&) const override { return {}; }
    [[nodiscard]] bool isOnline(const QString&) const override { return true; }
    [[nodiscard]] QString userOn(const QString&) const override { return QStringLiteral("root"); }

    void call(const QString& node, const QString& method, rpc::Json params, Handler handler, int) override
    {
        RpcResult answer = Unexpected<rpc::Error>{rpc::Error{rpc::MethodNotFound, "not scripted", nullptr}};
        if (method == methodName(proto::methods::VrrpList)) {
            proto::VrrpListResult r;
            r.source = "dump";
            r.running = true;
            r.instances.push_back(instance(node));
            if (node == QLatin1String("dir2")) {
                r.instances.back().advertRcvd = std::uint64_t(m_dir2Lists++ / dumpEvery);
            }
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::VrrpRelease) && node == QLatin1String("dir1")) {
            sinceRelease.start();
            releaseParams = params;
            proto::FailoverWriteResult r;
            r.affected = {"VI_CACHE"};
            r.affected.insert(r.affected.end(), sharingTrackFile.begin(), sharingTrackFile.end());
            r.time = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
            answer = proto::toJson(r);
        } else if (method == methodName(proto::methods::VrrpRestore)) {
            answer = proto::toJson(proto::FailoverWriteResult{});
        } else if (method == methodName(proto::methods::VrrpFailoverStatus)) {
            proto::FailoverStatusResult r;
            r.instances["VI_CACHE"] = {"/var/lib/hadeck/failover", 0,
                                       node == QLatin1String("dir1") ? sharingTrackFile : std::vector<std::string>{}};
            answer = proto::toJson(r);
        }
        if (method == malformed) {
            // Every field of the wrong type, and instances that are not objects.
            answer = rpc::Json{{"instances", rpc::Json::array({1, "x", nullptr})},
                               {"written", "x"},
                               {"affected", 5},
                               {"time", "soon"},
                               {"services", rpc::Json::object({{"a", 1}})}};
        }
        QTimer::singleShot(5, &m_context, [handler = std::move(handler), answer] { handler(answer); });
    }

private:
    proto::VrrpInstance instance(const QString& node) const
    {
        const bool released = sinceRelease.isValid();
        proto::VrrpInstance i;
        i.name = "VI_CACHE";
        i.vrid = 51;
        i.vips = {"198.18.0.100/32"};
        i.advertIntMs = 100;
        if (node == QLatin1String("dir1")) {
            i.basePriority = i.effectivePriority = 180;
            i.state = released ? proto::VrrpState::Fault : proto::VrrpState::Master;
            i.holdsVips = !released;
        } else {
            i.basePriority = i.effectivePriority = 170;
            i.holdsVips = released;
            i.state =
                released && sinceRelease.elapsed() >= agentLagMs ? proto::VrrpState::Master : proto::VrrpState::Backup;
        }
        return i;
    }
    int m_dir2Lists = 0;
    QObject m_context;
};

/// A forced failover of VI_CACHE (the scripted pairs do not answer every preflight question),
/// verified for @p verifyTimeoutMs.
inline FailoverRequest forcedCacheFailover(int verifyTimeoutMs)
{
    FailoverRequest req;
    req.instance = QStringLiteral("VI_CACHE");
    req.force = true;
    req.verifyTimeoutMs = verifyTimeoutMs;
    return req;
}

} // namespace hadeck::test
