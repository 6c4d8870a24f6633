// The console's decoding of state.delta and of replies refuses what an agent
// must not send: out-of-range or float integers, wrong types, non-object
// services, removals of the wrong shape. Each case is refused with an error that
// names the field, and never becomes a narrowed value or a phantom row.

#include "hadeck/console/model/clusteractions.h"
#include "hadeck/console/model/statedelta.h"

#include <hadeck/protocol/methods.h>
#include <hadeck/protocol/payloads.h>

#include <QTest>

using hadeck::console::decodeStateDelta;
using hadeck::console::StateDelta;
namespace proto = hadeck::proto;
using Json = hadeck::rpc::Json;

namespace {

Json realServer(Json weight, Json port = 80)
{
    return Json{{"af", 4}, {"address", "198.18.1.11"}, {"port", std::move(port)}, {"forward", "route"},
                {"weight", std::move(weight)}};
}

Json service(Json realServers, Json port = 80)
{
    return Json{{"af", 4}, {"protocol", "tcp"}, {"address", "198.18.0.100"}, {"port", std::move(port)},
                {"scheduler", "wlc"}, {"realServers", std::move(realServers)}};
}

Json ipvsSnapshot(Json services)
{
    return Json{{"topic", "ipvs"}, {"snapshot", true}, {"services", std::move(services)}};
}

} // namespace

class TestStateDeltaDecoding : public QObject {
    Q_OBJECT

private slots:
    void validSnapshotDecodes()
    {
        const auto d = decodeStateDelta(ipvsSnapshot(Json::array({service(Json::array({realServer(65535)}))})));
        QVERIFY2(d, d ? "" : d.error().message.c_str());
        QCOMPARE(d->topic, StateDelta::Topic::Ipvs);
        QCOMPARE(d->services.size(), std::size_t{1});
        QCOMPARE(d->services[0].key(), std::string("TCP 198.18.0.100:80"));
        QCOMPARE(d->services[0].realServers.at(0).weight, 65535u);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        const auto add = [](const char* name, const Json& j, const char* field) {
            QTest::newRow(name) << QByteArray::fromStdString(j.dump()) << QString::fromLatin1(field);
        };
        add("weight -1", ipvsSnapshot(Json::array({service(Json::array({realServer(-1)}))})), "weight");
        add("weight 2^40", ipvsSnapshot(Json::array({service(Json::array({realServer(std::uint64_t{1} << 40)}))})),
            "weight");
        add("weight 65536", ipvsSnapshot(Json::array({service(Json::array({realServer(65536)}))})), "weight");
        add("weight 1e300", ipvsSnapshot(Json::array({service(Json::array({realServer(1e300)}))})), "weight");
        add("weight 1.5", ipvsSnapshot(Json::array({service(Json::array({realServer(1.5)}))})), "weight");
        add("weight as a string", ipvsSnapshot(Json::array({service(Json::array({realServer("7")}))})), "weight");
        add("real server port 70000", ipvsSnapshot(Json::array({service(Json::array({realServer(1, 70000)}))})),
            "port");
        add("service port 70000", ipvsSnapshot(Json::array({service(Json::array(), 70000)})), "port");
        add("service port 1e300", ipvsSnapshot(Json::array({service(Json::array(), 1e300)})), "port");
        add("service port 0, not persistent", ipvsSnapshot(Json::array({service(Json::array(), 0)})), "port");
        add("non-object service", ipvsSnapshot(Json::array({42})), "virtual service");
        add("service as a string", ipvsSnapshot(Json::array({"TCP 198.18.0.100:80"})), "virtual service");
        add("empty service object", ipvsSnapshot(Json::array({Json::object()})), "protocol");
        add("services as an object", ipvsSnapshot(Json::object({{"a", 1}})), "services");
        add("removedServices as a string",
            Json({{"topic", "ipvs"}, {"removedServices", "TCP 198.18.0.100:80"}}), "removedServices");
        add("removedServices with a number", Json({{"topic", "ipvs"}, {"removedServices", Json::array({1})}}),
            "removedServices");
        add("removedDests as strings",
            Json({{"topic", "ipvs"}, {"removedDests", Json::array({"TCP 198.18.0.100:80"})}}), "removedDests");
        add("snapshot as a string", Json({{"topic", "ipvs"}, {"snapshot", "yes"}, {"services", Json::array()}}),
            "snapshot");
        add("vrrp instances as an object", Json({{"topic", "vrrp"}, {"instances", Json::object()}}), "instances");
        add("vrrp vrid 70000",
            Json({{"topic", "vrrp"}, {"instances", Json::array({Json{{"name", "VI_1"}, {"vrid", 70000}}})}}),
            "vrid");
        add("vrrp state unknown",
            Json({{"topic", "vrrp"}, {"instances", Json::array({Json{{"name", "VI_1"}, {"state", 3}}})}}), "state");
    }

    void refused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const auto d = decodeStateDelta(Json::parse(json.toStdString()));
        QVERIFY2(!d, "accepted");
        const QString message = QString::fromStdString(d.error().message);
        QVERIFY2(message.contains(field), qPrintable(message));
        QCOMPARE(d.error().code, int(hadeck::rpc::InvalidParams));
    }

    // Replies decode through the same checked types (AgentClient::call(spec, ...)).
    void repliesRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("what");
        const Json hello{{"protocolVersion", 1}, {"agentVersion", "0.1"}, {"node", "dir1"}, {"roles", "director"},
                         {"capabilities", Json::array()}, {"user", "ops"}, {"permission", "read"}};
        QTest::newRow("hello roles as a string") << QByteArray::fromStdString(hello.dump()) << QStringLiteral("hello");
        QTest::newRow("ipvs.list weight -1")
            << QByteArray::fromStdString(
                   Json({{"services", Json::array({service(Json::array({realServer(-1)}))})}}).dump())
            << QStringLiteral("ipvs.list");
        QTest::newRow("ipvs.list services as a string")
            << QByteArray::fromStdString(Json({{"services", "none"}}).dump()) << QStringLiteral("ipvs.list");
        QTest::newRow("drain.list drain port 70000")
            << QByteArray::fromStdString(Json({{"drains", Json::array({Json{{"id", "x"}, {"port", 70000}}})}}).dump())
            << QStringLiteral("drain.list");
        QTest::newRow("vrrp.release without written")
            << QByteArray::fromStdString(Json({{"time", 1.0}}).dump()) << QStringLiteral("vrrp.release");
        QTest::newRow("failoverStatus instances as an array")
            << QByteArray::fromStdString(Json({{"instances", Json::array()}}).dump())
            << QStringLiteral("vrrp.failoverStatus");
        QTest::newRow("drain.restore weight 2^40")
            << QByteArray::fromStdString(
                   Json({{"id", "x"},
                         {"restored", Json::array({Json{{"dest", "a"}, {"weight", std::uint64_t{1} << 40}}})}})
                       .dump())
            << QStringLiteral("drain.restore");
    }

    void repliesRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, what);
        const Json j = Json::parse(json.toStdString());
        bool ok = true;
        std::string message;
        const auto check = [&](const auto& decoded) {
            ok = static_cast<bool>(decoded);
            message = ok ? std::string() : decoded.error().message;
        };
        if (what == QLatin1String("hello")) {
            check(proto::fromJson<proto::HelloResult>(j));
        } else if (what == QLatin1String("ipvs.list")) {
            check(proto::fromJson<decltype(proto::methods::IpvsList)::Result>(j));
        } else if (what == QLatin1String("drain.list")) {
            check(proto::fromJson<decltype(proto::methods::DrainList)::Result>(j));
        } else if (what == QLatin1String("vrrp.release")) {
            check(proto::fromJson<decltype(proto::methods::VrrpRelease)::Result>(j));
        } else if (what == QLatin1String("vrrp.failoverStatus")) {
            check(proto::fromJson<decltype(proto::methods::VrrpFailoverStatus)::Result>(j));
        } else if (what == QLatin1String("drain.restore")) {
            check(proto::fromJson<decltype(proto::methods::DrainRestore)::Result>(j));
        } else {
            QFAIL("unknown case");
        }
        QVERIFY2(!ok, "accepted");
        QVERIFY2(message.starts_with("invalid payload: ") && message.find('\'') != std::string::npos, message.c_str());
    }

    // The permission a GUI action needs is the one its method declares.
    void actionPermissionsFromTheDeclarations()
    {
        using hadeck::console::NodeAction;
        using hadeck::console::requiredPermission;
        QVERIFY(requiredPermission(NodeAction::Drain) == proto::methods::DrainApply.permission);
        QVERIFY(requiredPermission(NodeAction::Restore) == proto::methods::DrainRestore.permission);
        QVERIFY(requiredPermission(NodeAction::SetWeight) == proto::methods::IpvsSetWeight.permission);
        QVERIFY(requiredPermission(NodeAction::Failover) == proto::methods::VrrpRelease.permission);
    }

    // Params the agent decodes: ports and weights range-checked, no float to integer.
    void paramsRefused()
    {
        const auto weight = [](Json w) {
            return proto::fromJson<proto::SetWeightParams>(
                Json{{"service", "TCP 198.18.0.100:80"}, {"address", "198.18.1.11"}, {"weight", std::move(w)}});
        };
        QVERIFY(weight(0));
        QVERIFY(weight(65535));
        QVERIFY(!weight(65536));
        QVERIFY(!weight(-1));
        QVERIFY(!weight(1e300));
        QVERIFY(!weight(2.0));
        QVERIFY(!weight(std::uint64_t{1} << 40));
        QVERIFY(!proto::fromJson<proto::DrainTarget>(Json{{"address", "198.18.1.11"}, {"port", 65616}}));
        QVERIFY(!proto::fromJson<proto::DrainTarget>(Json{{"address", "198.18.1.11"}, {"port", 0}}));
        QVERIFY(proto::fromJson<proto::DrainTarget>(Json{{"address", "198.18.1.11"}, {"port", 80}}));
        QVERIFY(!proto::fromJson<proto::DrainLocalParams>(Json{{"vip", "198.18.0.100"}, {"port", 70000}}));
        // The kernel takes a port-0 TCP/UDP service when it is persistent (all its ports go to one
        // real server): a director's table with one must still be read.
        Json allPorts = service(Json::array({realServer(1, 0)}), 0);
        allPorts["persistent"] = true;
        allPorts["timeout"] = 300;
        QVERIFY(proto::fromJson<proto::VirtualService>(allPorts));
        QVERIFY(!proto::fromJson<proto::RealServerCheckParams>(Json{{"ports", Json::array({80, 65616})}}));
        // A real-server check works on addresses x ports: a viewer's one frame named 1,000
        // addresses and 400,000 ports (4e8 findings). Both lists and each address are bounded.
        Json ports = Json::array();
        Json vips = Json::array();
        for (int i = 0; i < 64; ++i) {
            ports.push_back(80 + i);
            vips.push_back("198.18.0." + std::to_string(i + 1));
        }
        QVERIFY(proto::fromJson<proto::RealServerCheckParams>(Json{{"vips", vips}, {"ports", ports}}));
        ports.push_back(8080);
        QVERIFY(!proto::fromJson<proto::RealServerCheckParams>(Json{{"ports", ports}}));
        vips.push_back("198.18.0.100");
        QVERIFY(!proto::fromJson<proto::RealServerCheckParams>(Json{{"vips", vips}}));
        QVERIFY(!proto::fromJson<proto::RealServerApplyParams>(Json{{"vips", vips}}));
        QVERIFY(!proto::fromJson<proto::RealServerCheckParams>(Json{{"vips", Json::array({std::string(65, '1')})}}));
        QVERIFY(!proto::fromJson<proto::RealServerCheckParams>(Json{{"vips", Json::array({""})}}));
        QVERIFY(!proto::fromJson<proto::FailoverTarget>(Json{{"instance", "VI_1"}, {"group", "G"}}));
        QVERIFY(!proto::fromJson<proto::FailoverTarget>(Json::object()));
        QVERIFY(!proto::fromJson<proto::SetLogLevelParams>(Json{{"level", "loud"}}));
    }
};

QTEST_GUILESS_MAIN(TestStateDeltaDecoding)
#include "tst_statedelta_decoding.moc"
