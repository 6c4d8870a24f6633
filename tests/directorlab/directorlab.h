#pragma once

// What the director lab tests ask the directors' agents in the same way.

#include "hadeck/console/actions/cluster_rpc.h"

#include <hadeck/protocol/methods.h>

#include <QString>
#include <QTest>

#include <optional>
#include <vector>

namespace hadeck::directorlab {

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
