// P1 freshness: a change made on a director outside HaDeck until a console model fed by the
// agent's subscription shows it.
//  - ipvs: `ipvsadm -e ... -w W` typed into a root shell already open on the director (SSH with
//    the lab key, as an admin would), from the moment the line is sent until the model shows W.
//    The changes are spaced 1.0-1.6 s apart at random, so they fall anywhere in a sampling period.
//  - quick: a weight set and set back 0.3 s later; counted as missed when the model never showed it.
//  - vrrp: the director's track file written (keepalived puts the instance in FAULT), until the
//    model shows FAULT; written back, until the model shows it out of FAULT.
// Prints one JSON object on stdout. A report, not a test: no figure fails it.
//   freshness_bench --inventory FILE [--node dir1] [--runs N]

#include "hadeck/console/connectionpool.h"
#include "hadeck/console/credentialprompter.h"
#include "hadeck/console/inventory.h"
#include "hadeck/console/model/clustermodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace hadeck;
using namespace hadeck::console;

namespace {

const std::string kVip = "198.18.0.100";
const std::string kRealServer = "198.18.0.21";
const std::string kInstance = "VI_CACHE";

/// Runs the event loop until @p cond holds or @p timeoutMs passes.
bool waitFor(const std::function<bool()>& cond, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!cond()) {
        if (t.elapsed() > timeoutMs) {
            return false;
        }
        QEventLoop loop;
        QTimer::singleShot(2, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

std::optional<std::uint32_t> weightIn(const NodeSnapshot* n)
{
    if (n == nullptr) {
        return std::nullopt;
    }
    for (const auto& vs : n->ipvs) {
        if (vs.address != kVip || vs.port != 80) {
            continue;
        }
        for (const auto& rs : vs.realServers) {
            if (rs.address == kRealServer && rs.port == 80) {
                return rs.weight;
            }
        }
    }
    return std::nullopt;
}

std::optional<proto::VrrpState> stateIn(const NodeSnapshot* n)
{
    if (n == nullptr) {
        return std::nullopt;
    }
    for (const auto& i : n->vrrp) {
        if (i.name == kInstance) {
            return i.state;
        }
    }
    return std::nullopt;
}

double quantile(std::vector<double> v, double q)
{
    if (v.empty()) {
        return -1;
    }
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(q * static_cast<double>(v.size()) + 0.999999);
    i = std::clamp<std::size_t>(i, 1, v.size());
    return v[i - 1];
}

std::string stats(const std::vector<double>& v)
{
    char buf[256];
    std::snprintf(buf, sizeof buf, "\"n\":%zu,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f", v.size(),
                  quantile(v, 0.5), quantile(v, 0.9), quantile(v, 0.99), quantile(v, 1.0));
    return buf;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    qunsetenv("SSH_AUTH_SOCK");
    QString inventoryPath;
    QString node = QStringLiteral("dir1");
    int runs = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--inventory")) {
            inventoryPath = args[i + 1];
        } else if (args[i] == QLatin1String("--node")) {
            node = args[i + 1];
        } else if (args[i] == QLatin1String("--runs")) {
            runs = std::max(1, args[i + 1].toInt());
        }
    }
    auto inventory = loadInventory(inventoryPath);
    if (!inventory) {
        std::fprintf(stderr, "inventory: %s\n", inventory.error().message.c_str());
        return 2;
    }
    const NodeSpec* spec = inventory->node(node);
    if (spec == nullptr) {
        std::fprintf(stderr, "no node %s in the inventory\n", qPrintable(node));
        return 2;
    }
    RefusingPrompter refuse;
    ConnectionPool pool(*inventory, &refuse);
    pool.connectAll();
    if (!waitFor([&] { return pool.state(node) == NodeState::Online || pool.state(node) == NodeState::Degraded; },
                 60000)) {
        std::fprintf(stderr, "%s not online: %s\n", qPrintable(node), qPrintable(pool.lastError(node)));
        return 1;
    }
    ClusterModel model(inventory->name);
    model.setTickInterval(0);
    model.addNode(node, spec->address, {proto::Role::Director});
    QElapsedTimer clock;
    clock.start();
    std::function<void()> onChange;
    AgentClient* client = pool.client(node);
    const auto sub = client->subscribe({QStringLiteral("ipvs"), QStringLiteral("vrrp")},
                                       [&](const QString&, const rpc::Json& params) {
                                           if (model.applyStateDelta(node, params) && onChange) {
                                               onChange();
                                           }
                                       });
    if (!waitFor([&] { return weightIn(model.node(node)).has_value() && stateIn(model.node(node)).has_value(); },
                 30000)) {
        std::fprintf(stderr, "no ipvs/vrrp snapshot with %s and %s from %s\n", kRealServer.c_str(), kInstance.c_str(),
                     qPrintable(node));
        return 1;
    }

    // A root shell on the director, open for the whole run: each change is one line on it.
    QProcess shell;
    shell.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    shell.start(QStringLiteral("ssh"),
                {QStringLiteral("-T"), QStringLiteral("-i"), spec->key, QStringLiteral("-o"),
                 QStringLiteral("UserKnownHostsFile=") + inventory->knownHosts, QStringLiteral("-o"),
                 QStringLiteral("BatchMode=yes"), QStringLiteral("-p"), QString::number(spec->port),
                 spec->user + QLatin1Char('@') + spec->address, QStringLiteral("bash")});
    int acks = 0;
    QObject::connect(&shell, &QProcess::readyReadStandardOutput,
                     [&] { acks += int(shell.readAllStandardOutput().count('\n')); });
    auto send = [&](const std::string& line) {
        const int before = acks;
        shell.write((line + "; echo\n").c_str());
        return waitFor([&] { return acks > before; }, 30000);
    };
    if (!shell.waitForStarted(10000) || !send("true")) {
        std::fprintf(stderr, "no shell on %s\n", qPrintable(node));
        return 1;
    }
    auto setWeight = [&](std::uint32_t w) {
        return "ipvsadm -e -t " + kVip + ":80 -r " + kRealServer + ":80 -g -w " + std::to_string(w);
    };

    const std::uint32_t base = *weightIn(model.node(node));
    std::vector<double> ipvs;
    int timeouts = 0;
    for (int i = 0; i < runs; ++i) {
        pause(1000 + int(QRandomGenerator::global()->bounded(600)));
        const std::uint32_t w = (i % 2 == 0) ? base - 1 : base;
        std::optional<double> seenAt;
        onChange = [&] {
            if (!seenAt && weightIn(model.node(node)) == w) {
                seenAt = double(clock.nsecsElapsed()) / 1e6;
            }
        };
        const double t0 = double(clock.nsecsElapsed()) / 1e6;
        shell.write((setWeight(w) + "\n").c_str());
        if (waitFor([&] { return seenAt.has_value(); }, 10000)) {
            ipvs.push_back(*seenAt - t0);
        } else {
            ++timeouts;
        }
    }
    // Quick changes: set and set back within 0.3 s; missed when the model never showed it.
    int missed = 0;
    const int quickTries = std::max(5, runs / 2);
    const std::uint32_t quickWeight = base / 2;
    for (int i = 0; i < quickTries; ++i) {
        pause(1000 + int(QRandomGenerator::global()->bounded(600)));
        bool seen = false;
        onChange = [&] { seen = seen || weightIn(model.node(node)) == quickWeight; };
        send(setWeight(quickWeight) + "; sleep 0.3; " + setWeight(base));
        waitFor([&] { return seen; }, 2500); // a sample taken during the 0.3 s arrives within a period
        missed += seen ? 0 : 1;
    }
    onChange = nullptr;
    send(setWeight(base));

    // VRRP: keepalived's track file (weight 0: any non-zero value puts the instance in FAULT).
    const std::string track = "/var/lib/hadeck/failover-" + kInstance;
    auto writeTrack = [&](int v) {
        return "printf '" + std::to_string(v) + "\\n' > " + track + ".bench && mv " + track + ".bench " + track;
    };
    std::vector<double> toFault;
    std::vector<double> fromFault;
    const int vrrpRuns = std::max(3, runs / 3);
    for (int i = 0; i < vrrpRuns; ++i) {
        if (!waitFor([&] { return stateIn(model.node(node)) == proto::VrrpState::Master; }, 30000)) {
            break;
        }
        pause(1000 + int(QRandomGenerator::global()->bounded(600)));
        for (const bool into : {true, false}) {
            std::optional<double> seenAt;
            onChange = [&] {
                const auto s = stateIn(model.node(node));
                if (!seenAt && s && ((s == proto::VrrpState::Fault) == into)) {
                    seenAt = double(clock.nsecsElapsed()) / 1e6;
                }
            };
            const double t0 = double(clock.nsecsElapsed()) / 1e6;
            shell.write((writeTrack(into ? 1 : 0) + "\n").c_str());
            if (waitFor([&] { return seenAt.has_value(); }, 15000)) {
                (into ? toFault : fromFault).push_back(*seenAt - t0);
            } else {
                ++timeouts;
            }
            pause(500);
        }
    }
    onChange = nullptr;
    send(writeTrack(0));
    client->unsubscribe(sub);
    shell.closeWriteChannel();
    shell.waitForFinished(5000);

    std::printf("{\"ipvs\":{%s,\"quickTries\":%d,\"quickMissed\":%d,\"peer\":7500,"
                "\"peerName\":\"Prometheus 15 s scrape (p50 of the interval, not measured)\","
                "\"note\":\"%d of %d set-and-back-in-0.3-s changes never shown\"},"
                "\"vrrp\":{%s,\"toFault\":{%s},\"fromFault\":{%s},\"peer\":7500,"
                "\"peerName\":\"Prometheus 15 s scrape (p50 of the interval, not measured)\"},"
                "\"timeouts\":%d}\n",
                stats(ipvs).c_str(), quickTries, missed, missed, quickTries,
                stats([&] {
                    auto all = toFault;
                    all.insert(all.end(), fromFault.begin(), fromFault.end());
                    return all;
                }())
                    .c_str(),
                stats(toFault).c_str(), stats(fromFault).c_str(), timeouts);
    return 0;
}
