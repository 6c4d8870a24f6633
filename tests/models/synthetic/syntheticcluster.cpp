#include "syntheticcluster.h"

#include <map>
#include <set>

namespace hadeck::testing {

using proto::Role;

proto::HelloResult makeHello(const QString& node, std::vector<Role> roles, proto::PermissionLevel level)
{
    proto::HelloResult h;
    h.agentVersion = "0.1.0";
    h.node = node.toStdString();
    h.roles = std::move(roles);
    h.user = "ops";
    h.permission = level;
    return h;
}

QString SyntheticCluster::realServerAddress(int i)
{
    // 198.18.1.0/24 onwards: the lab's range, wide enough for the 300-node benchmark.
    return QStringLiteral("198.18.%1.%2").arg(1 + (i + 11) / 250).arg(((i + 11) % 250) + 1);
}

SyntheticCluster::SyntheticCluster(SyntheticOptions options) : m_options(options), m_rng(options.seed)
{
    const int vipCount = std::max(1, (m_options.services + 1) / 2);
    for (int d = 0; d < m_options.directors; ++d) {
        std::vector<proto::VirtualService> table;
        for (int s = 0; s < m_options.services; ++s) {
            proto::VirtualService vs;
            vs.protocol = "tcp";
            vs.address = "198.18.0." + std::to_string(100 + s / 2);
            vs.port = (s % 2 == 0) ? 80 : 443;
            vs.scheduler = "wlc";
            for (int r = 0; r < m_options.realServers; ++r) {
                proto::RealServer rs;
                rs.address = realServerAddress(r).toStdString();
                rs.port = vs.port;
                rs.weight = 100;
                vs.realServers.push_back(rs);
            }
            table.push_back(std::move(vs));
        }
        m_ipvs.push_back(std::move(table));

        std::vector<proto::VrrpInstance> instances;
        for (int v = 0; v < std::min(vipCount, 4); ++v) {
            proto::VrrpInstance i;
            i.name = "VI_" + std::to_string(v + 1);
            i.vrid = 51 + v;
            i.interface = "eth0";
            i.state = d == 0 ? proto::VrrpState::Master : proto::VrrpState::Backup;
            i.wantState = i.state;
            i.basePriority = d == 0 ? 150 : 100 - d;
            i.effectivePriority = i.basePriority;
            i.masterPriority = 150;
            i.vips = {"198.18.0." + std::to_string(100 + v) + "/32"};
            i.holdsVips = d == 0;
            i.lastTransition = 1718000000.0 + d * 3;
            i.syncGroup = "VG_WEB";
            instances.push_back(std::move(i));
        }
        m_vrrp.push_back(std::move(instances));
    }
}

quint32 SyntheticCluster::next()
{
    // xorshift: deterministic per seed, so failures reproduce.
    m_rng ^= m_rng << 13;
    m_rng ^= m_rng >> 17;
    m_rng ^= m_rng << 5;
    return m_rng;
}

void SyntheticCluster::open(console::ClusterModel& model)
{
    using console::NodeState;
    for (int d = 0; d < m_options.directors; ++d) {
        const auto name = directorName(d);
        model.addNode(name, QStringLiteral("198.18.0.%1").arg(11 + d), {Role::Director});
        model.setLink(name, NodeState::Online);
        model.setHello(name, makeHello(name, {Role::Director}));
    }
    for (int r = 0; r < m_options.realServers; ++r) {
        const auto name = realServerName(r);
        model.addNode(name, realServerAddress(r), {Role::RealServer});
        model.setLink(name, NodeState::Online);
        model.setHello(name, makeHello(name, {Role::RealServer}));
        model.setDrCheck(name, console::DrCheck{true, {{QStringLiteral("arp_ignore"), true, QStringLiteral("1")}}});
    }
    for (int i = 0; i <= m_options.dbReplicas; ++i) {
        const auto name = QStringLiteral("db%1").arg(i + 1);
        model.addNode(name, QStringLiteral("198.18.2.%1").arg(21 + i), {Role::Db});
        model.setLink(name, NodeState::Online);
        model.setHello(name, makeHello(name, {Role::Db}));
    }
    if (m_options.chunkservers > 0) {
        model.addNode(QStringLiteral("mfsmaster"), QStringLiteral("198.18.2.31"), {Role::MfsMaster});
        model.setLink(QStringLiteral("mfsmaster"), NodeState::Online);
        model.setHello(QStringLiteral("mfsmaster"), makeHello(QStringLiteral("mfsmaster"), {Role::MfsMaster}));
        for (int c = 0; c < m_options.chunkservers; ++c) {
            const auto name = QStringLiteral("chunk%1").arg(c + 1);
            model.addNode(name, QStringLiteral("198.18.2.%1").arg(41 + c), {Role::MfsChunkserver});
            model.setLink(name, NodeState::Online);
            model.setHello(name, makeHello(name, {Role::MfsChunkserver}));
        }
    }
    if (m_options.gateway) {
        model.addNode(QStringLiteral("gw1"), QStringLiteral("198.18.0.1"), {Role::Gateway});
        model.setLink(QStringLiteral("gw1"), NodeState::Online);
        model.setHello(QStringLiteral("gw1"), makeHello(QStringLiteral("gw1"), {Role::Gateway}));
    }
    push(model);
}

void SyntheticCluster::advance(console::ClusterModel& model)
{
    ++m_tick;
    for (auto& table : m_ipvs) {
        for (auto& vs : table) {
            std::uint64_t total = 0;
            for (auto& rs : vs.realServers) {
                const quint32 r = next();
                rs.activeConns = rs.weight == 0 ? rs.activeConns / 2 : 20 + r % 180;
                rs.inactiveConns = 50 + (r >> 8) % 400;
                rs.stats.cps = rs.weight == 0 ? 0 : 5 + (r >> 16) % 40;
                rs.stats.inBps = rs.stats.cps * 1200;
                rs.stats.conns += rs.stats.cps;
                total += rs.stats.cps;
            }
            vs.stats.cps = total;
        }
    }
    for (auto& instances : m_vrrp) {
        for (auto& i : instances) {
            if (i.state == proto::VrrpState::Master) {
                ++i.advertSent;
            } else {
                ++i.advertRcvd;
            }
        }
    }
    push(model);
}

void SyntheticCluster::moveCounters(proto::RealServer& rs)
{
    const quint32 r = next();
    rs.activeConns = rs.weight == 0 ? rs.activeConns / 2 : 20 + r % 180;
    rs.inactiveConns = 50 + (r >> 8) % 400;
    rs.stats.cps = rs.weight == 0 ? 0 : 5 + (r >> 16) % 40;
    rs.stats.inBps = rs.stats.cps * 1200;
    rs.stats.conns += rs.stats.cps + 1;
}

std::vector<std::string> SyntheticCluster::ipvsDeltaLines(double fraction)
{
    std::vector<std::string> lines;
    const std::size_t rows = static_cast<std::size_t>(m_options.services) * static_cast<std::size_t>(m_options.realServers);
    const auto changes = std::max<std::size_t>(1, static_cast<std::size_t>(fraction * static_cast<double>(rows)));
    for (auto& table : m_ipvs) {
        // Which real servers moved, grouped by service as the agent's ipvs_delta does.
        std::map<std::size_t, std::set<std::size_t>> moved;
        for (std::size_t i = 0; i < changes; ++i) {
            const auto row = next() % rows;
            moved[row / static_cast<std::size_t>(m_options.realServers)].insert(
                row % static_cast<std::size_t>(m_options.realServers));
        }
        rpc::Json services = rpc::Json::array();
        for (const auto& [si, dests] : moved) {
            auto& vs = table[si];
            proto::VirtualService changed = vs;
            changed.realServers.clear();
            for (const auto ri : dests) {
                moveCounters(vs.realServers[ri]);
                changed.realServers.push_back(vs.realServers[ri]);
            }
            services.push_back(changed);
        }
        rpc::Json params{{"topic", "ipvs"}, {"services", std::move(services)}};
        lines.push_back(rpc::encode(rpc::Notification{std::string(proto::notify::StateDelta), std::move(params)}));
    }
    return lines;
}

std::vector<std::string> SyntheticCluster::ipvsSnapshotLines()
{
    std::vector<std::string> lines;
    for (auto& table : m_ipvs) {
        for (auto& vs : table) {
            for (auto& rs : vs.realServers) {
                moveCounters(rs);
            }
        }
        rpc::Json params{{"topic", "ipvs"}, {"snapshot", true}, {"services", table}};
        lines.push_back(rpc::encode(rpc::Notification{std::string(proto::notify::StateDelta), std::move(params)}));
    }
    return lines;
}

void SyntheticCluster::push(console::ClusterModel& model)
{
    for (int d = 0; d < m_options.directors; ++d) {
        model.setIpvs(directorName(d), m_ipvs[d]);
        model.setVrrp(directorName(d), m_vrrp[d]);
    }
}

void SyntheticCluster::setVrrpState(console::ClusterModel& model, int director, proto::VrrpState state)
{
    for (auto& i : m_vrrp.at(director)) {
        i.state = state;
        i.wantState = state;
        i.holdsVips = state == proto::VrrpState::Master;
        i.lastTransition += 60;
        if (state == proto::VrrpState::Master) {
            ++i.becomeMaster;
        }
    }
    push(model);
}

void SyntheticCluster::setWeight(console::ClusterModel& model, int director, int service, int realServer,
                                 std::uint32_t weight)
{
    m_ipvs.at(director).at(service).realServers.at(realServer).weight = weight;
    push(model);
}

} // namespace hadeck::testing
