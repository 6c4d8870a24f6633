#pragma once

// What the director lab tests ask the directors' agents in the same way.

#include "labtestutil.h"
#include "processutil.h"

#include "hadeck/console/actions/cluster_rpc.h"

#include <hadeck/protocol/methods.h>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include <optional>
#include <vector>

namespace hadeck::directorlab {

/// What hadeckctl printed and how it exited.
struct CtlRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    [[nodiscard]] QByteArray all() const { return out + "\n--- stderr ---\n" + err; }
};

/// The built hadeckctl (HADECKCTL) against the lab's inventory, never asking.
inline CtlRun hadeckctl(const QStringList& args, int timeoutMs = 120000)
{
    const auto p =
        test::runProgram(qEnvironmentVariable("HADECKCTL"),
                         QStringList{QStringLiteral("--cluster"), labtest::labDir() + QStringLiteral("/inventory.json"),
                                     QStringLiteral("--batch")} +
                             args,
                         {.timeoutMs = timeoutMs});
    const CtlRun r{p.code, p.out, p.err};
    qInfo("hadeckctl %s -> %d", qPrintable(args.join(QLatin1Char(' '))), r.code);
    return r;
}

/// @p instance's VRRP state on @p director as its agent reports it (vrrp.list); nullopt when the
/// agent did not answer within 15 s or has no such instance.
inline std::optional<proto::VrrpState> vrrpStateOn(console::ClusterRpc& rpc, const QString& director,
                                                   const QString& instance)
{
    std::optional<proto::VrrpState> state;
    bool done = false;
    console::invoke(rpc, director, proto::methods::VrrpList, {}, [&](const console::Reply<proto::VrrpListResult>& r) {
        for (const auto& i : r ? r->instances : std::vector<proto::VrrpInstance>{}) {
            if (QString::fromStdString(i.name) == instance) {
                state = i.state;
            }
        }
        done = true;
    });
    (void)QTest::qWaitFor([&] { return done; }, 15000);
    return state;
}

} // namespace hadeck::directorlab
