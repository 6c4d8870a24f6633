// The typed event bodies and topic payloads the agent publishes (agent/protocol):
// their JSON is the one the agent wrote by hand before (so older consoles read it),
// they decode back to the same values, and bad input is refused. Also the one
// enum-name table helper that every wire enum uses. keepalived.config's document
// too: its typed levels keep the shape the agent wrote by hand.
#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/enum_names.h"
#include "hadeck/protocol/firewall.h"
#include "hadeck/protocol/payloads.h"
#include "hadeck/protocol/wire.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::proto;
using rpc::Json;

namespace {
QByteArray dumped(const Json& j) { return QByteArray::fromStdString(j.dump()); }

enum class Colour { Red, Green, Blue };
constexpr EnumNames<Colour, 2> kColours{{{Colour::Red, "red"}, {Colour::Green, "green"}}};
static_assert(enumName(kColours, Colour::Green, "?") == "green");
static_assert(enumName(kColours, Colour::Blue, "?") == "?");
static_assert(enumValue(kColours, "red") == Colour::Red);
static_assert(!enumValue(kColours, "Red").has_value());
} // namespace

class TestEventPayloads : public QObject {
    Q_OBJECT
private slots:
    void eventsKeepTheirWireShape()
    {
        QCOMPARE(dumped(Json(VrrpTransitionEvent{"d1", "VI_1", 51, VrrpState::Backup, VrrpState::Master, 10.5, 11.0,
                                                 "dbus"})),
                 dumped(Json::parse(R"({"type":"vrrp.transition","node":"d1","instance":"VI_1","vrid":51,
                     "from":"BACKUP","to":"MASTER","lastTransition":10.5,"observedAt":11.0,"source":"dbus"})")));
        QCOMPARE(dumped(Json(VrrpVipsEvent{"d1", "VI_1", true, 3.0})),
                 dumped(Json::parse(
                     R"({"type":"vrrp.vips","node":"d1","instance":"VI_1","holdsVips":true,"observedAt":3.0})")));
        QCOMPARE(dumped(Json(KeepalivedRunningEvent{"d1", true, 4242, 5.0})),
                 dumped(Json::parse(
                     R"({"type":"keepalived.running","node":"d1","running":true,"pid":4242,"observedAt":5.0})")));
        QCOMPARE(dumped(Json(RealServerHealthEvent{"d1", "[198.18.0.21]:80", "[198.18.0.10]:80", "DOWN", 6.0})),
                 dumped(Json::parse(R"({"type":"realserver.health","node":"d1","realServer":"[198.18.0.21]:80",
                     "virtualServer":"[198.18.0.10]:80","state":"DOWN","observedAt":6.0})")));
        QCOMPARE(dumped(Json(DrainReassertedEvent{7.0, WeightChangeItem{"TCP 198.18.0.10:80", "198.18.0.21:80", 5, 0}})),
                 dumped(Json::parse(R"({"type":"drain.reasserted","time":7.0,"detail":{
                     "service":"TCP 198.18.0.10:80","dest":"198.18.0.21:80","from":5,"to":0}})")));
        const Json released = Json(FailoverEvent{true, {TrackFileWrite{"VI_1", "/var/lib/hadeck/failover", 1}},
                                                 {"VI_1", "VI_2"}, 8.0});
        QCOMPARE(released["type"].get<std::string>(), std::string(event::VrrpReleased));
        QCOMPARE(released["affected"].size(), std::size_t(2));
        QCOMPARE(Json(FailoverEvent{false, {}, {}, 0})["type"].get<std::string>(), std::string(event::VrrpRestored));
    }

    void eventsDecodeBack()
    {
        const VrrpTransitionEvent t{"d1", "VI_1", 51, VrrpState::Fault, VrrpState::Backup, 1, 2, "fifo"};
        auto t2 = fromJson<VrrpTransitionEvent>(Json(t));
        QVERIFY(t2);
        QVERIFY(t2->from == VrrpState::Fault);
        QVERIFY(t2->to == VrrpState::Backup);
        QCOMPARE(t2->vrid, 51);
        QCOMPARE(t2->source, std::string("fifo"));

        auto f = fromJson<FailoverEvent>(Json(FailoverEvent{false, {TrackFileWrite{"VI_2", "/f", 0}}, {"VI_2"}, 9}));
        QVERIFY(f);
        QVERIFY(!f->released);
        QCOMPARE(f->affected, std::vector<std::string>{"VI_2"});
        QCOMPARE(f->instances.size(), std::size_t(1));

        auto d = fromJson<DrainReassertedEvent>(Json(DrainReassertedEvent{3, WeightChangeItem{"s", "d", 4, 0}}));
        QVERIFY(d);
        QCOMPARE(d->detail.from, 4u);

        auto k = fromJson<KeepalivedRunningEvent>(Json(KeepalivedRunningEvent{"n", false, 0, 1}));
        QVERIFY(k);
        QVERIFY(!k->running);
    }

    void badEventsAreRefused()
    {
        // A vrrp.transition to a state no keepalived has.
        QVERIFY(!fromJson<VrrpTransitionEvent>(Json::parse(R"({"type":"vrrp.transition","instance":"VI_1",
            "from":"BACKUP","to":"SLEEPING"})")));
        QVERIFY(!fromJson<VrrpTransitionEvent>(Json::parse(R"({"instance":"VI_1","from":"BACKUP","to":"MASTER",
            "vrid":300})")));
        QVERIFY(!fromJson<FailoverEvent>(Json::parse(R"({"type":"drain.reasserted","instances":[]})")));
        QVERIFY(!fromJson<DrainReassertedEvent>(Json::parse(R"({"type":"drain.reasserted","detail":"x"})")));
        QVERIFY(!fromJson<VrrpVipsEvent>(Json::parse(R"({"instance":"VI_1","holdsVips":"yes"})")));
        QVERIFY(!fromJson<RealServerHealthEvent>(Json::array()));
    }

    void stateDeltaHead()
    {
        const Json p = stateDeltaParams(StateDeltaHead{std::string(topic::Drain), true}, Json{{"drains", Json::array()}});
        QCOMPARE(dumped(p), dumped(Json::parse(R"({"drains":[],"topic":"drain","snapshot":true})")));
        QCOMPARE(dumped(stateDeltaParams(StateDeltaHead{"x", false}, Json(3))),
                 dumped(Json::parse(R"({"value":3,"topic":"x"})")));
        auto h = fromJson<StateDeltaHead>(p);
        QVERIFY(h);
        QCOMPARE(h->topic, std::string(topic::Drain));
        QVERIFY(h->snapshot);
        QVERIFY(fromJson<StateDeltaHead>(Json::parse(R"({"topic":"ipvs","snapshot":null})")));
        QVERIFY(!fromJson<StateDeltaHead>(Json::parse(R"({"topic":7})")));
        QVERIFY(!fromJson<StateDeltaHead>(Json::parse(R"({"snapshot":true})")));
        QVERIFY(!fromJson<StateDeltaHead>(Json::parse(R"({"topic":"ipvs","snapshot":"yes"})")));
    }

    void firewallPayloads()
    {
        fw::TopicDelta counters;
        counters.hash = "h1";
        counters.counters.push_back(fw::CounterSample{"inet", "filter", "input", 7, fw::Counter{10, 2000}});
        const Json wire = stateDeltaParams(StateDeltaHead{std::string(fw::kTopic), false}, Json(counters));
        QCOMPARE(dumped(wire["counters"]), dumped(Json::parse(R"([["inet","filter","input",7,10,2000]])")));
        const auto back = fw::topicDelta(wire);
        QVERIFY(back);
        QCOMPARE(back->hash, std::string("h1"));
        QCOMPARE(back->counters.size(), std::size_t(1));
        QCOMPARE(back->counters[0].counter.bytes, std::uint64_t(2000));
        QVERIFY(!back->ruleset);

        fw::TopicDelta snapshot{"h2", std::nullopt, {}, fw::Pending{}};
        const auto snap = fw::topicDelta(stateDeltaParams(StateDeltaHead{std::string(fw::kTopic), true}, Json(snapshot)));
        QVERIFY(snap && snap->pending && !snap->pending->pending);

        const Json rolled = Json(fw::RolledBack{"d1", "c1", true, "not confirmed", {}, "h3", {"- rule"}});
        const auto e = fw::rolledBackEvent(rolled);
        QVERIFY(e);
        QVERIFY(e->ok);
        QCOMPARE(e->diff, std::vector<std::string>{"- rule"});
        QVERIFY(!rolled.contains("error"));
        const Json failed = Json(fw::RolledBack{"d1", "c1", false, "r", "nft failed", {}, {}});
        QCOMPARE(fw::rolledBackEvent(failed)->error, std::string("nft failed"));
        QVERIFY(!failed.contains("hash"));

        fw::Pending pending;
        pending.pending = true;
        pending.id = "c2";
        auto applied = fromJson<fw::AppliedEvent>(Json(fw::AppliedEvent{"d1", pending}));
        QVERIFY(applied);
        QCOMPARE(applied->pending.id, std::string("c2"));
        QCOMPARE(Json(fw::AppliedEvent{})["type"].get<std::string>(), std::string(fw::kEventApplied));
        auto confirmed = fromJson<fw::ConfirmedEvent>(Json(fw::ConfirmedEvent{"d1", "c2", true}));
        QVERIFY(confirmed && confirmed->persisted);
        QVERIFY(!fw::rolledBackEvent(Json(fw::ConfirmedEvent{"d1", "c2", true})));
        // The console's decoders of the events, each only for its own type.
        QCOMPARE(fw::appliedEvent(Json(fw::AppliedEvent{"d1", pending}))->pending.id, std::string("c2"));
        QVERIFY(!fw::appliedEvent(Json(fw::ConfirmedEvent{"d1", "c2", true})));
        QVERIFY(!fw::appliedEvent(Json::array()));
        QCOMPARE(fw::confirmedEvent(Json(fw::ConfirmedEvent{"d1", "c2", true}))->id, std::string("c2"));
        QVERIFY(!fw::confirmedEvent(Json(fw::AppliedEvent{"d1", pending})));
        // A bad payload of the right type is refused with a DecodeError, which the console catches.
        QVERIFY_THROWS_EXCEPTION(wire::DecodeError,
                                 fw::appliedEvent(Json{{"type", fw::kEventApplied}, {"pending", "soon"}}));
        QVERIFY_THROWS_EXCEPTION(wire::DecodeError, fw::confirmedEvent(Json{{"type", fw::kEventConfirmed}, {"id", 7}}));
    }

    void logTopicPayload()
    {
        QCOMPARE(logTopic("apache-error"), std::string("log.apache-error"));
        const LogTopic t{"keepalived", {LogLine{12, "VRRP_Instance(VI_1) Entering MASTER STATE"}}};
        auto back = fromJson<LogTopic>(stateDeltaParams(StateDeltaHead{logTopic("keepalived"), false}, Json(t)));
        QVERIFY(back);
        QCOMPARE(back->lines.size(), std::size_t(1));
        QCOMPARE(back->lines[0].time, std::int64_t(12));
        QVERIFY(!fromJson<LogTopic>(Json::parse(R"({"source":"x","lines":[{"time":"noon","text":"a"}]})")));
    }

    void keepalivedConfigKeepsItsWireShape()
    {
        // The document as the agent wrote it by hand before it was typed: a track file with and
        // without a weight, a fwmark service (no persistence: null) and a group one, keepalived -t.
        const Json before = Json::parse(R"({
            "path":"/etc/keepalived/keepalived.conf",
            "files":["/etc/keepalived/keepalived.conf","/etc/keepalived/conf.d/web.conf"],
            "routerId":"d1",
            "diagnostics":[{"file":"/etc/keepalived/conf.d/web.conf","line":12,"message":"Unknown keyword 'lb_agl'"}],
            "instances":[{"name":"VI_1","state":"MASTER","interface":"eth0","vrid":51,"priority":150,
                "advertIntMs":1000,"nopreempt":false,"vips":["198.18.0.100/24 dev eth0"],"syncGroup":"G1",
                "trackFiles":[{"name":"hadeck_failover","weight":null},{"name":"maint","weight":-20}],
                "where":"/etc/keepalived/keepalived.conf:10"},
              {"name":"VI_2","state":"","interface":"eth1","vrid":52,"priority":100,"advertIntMs":250,
                "nopreempt":true,"vips":[],"syncGroup":"","trackFiles":[],"where":"/etc/keepalived/keepalived.conf:30"}],
            "virtualServers":[{"address":"","port":0,"fwmark":21,"lvsName":"FWM 21","ipvsServices":["FWM 21"],
                "group":"","lbAlgo":"wlc","lbKind":"DR","protocol":"","persistenceTimeout":null,
                "realServers":[{"address":"198.18.0.21","port":0,"weight":3,"inhibitOnFailure":true,
                    "checks":["TCP_CHECK"],"health":"DOWN","where":"/etc/keepalived/conf.d/web.conf:20"}],
                "where":"/etc/keepalived/conf.d/web.conf:15"},
              {"address":"","port":0,"fwmark":0,"lvsName":"[WEBG]:0",
                "ipvsServices":["TCP 198.18.0.100:8080","FWM 22"],"group":"WEBG","lbAlgo":"rr","lbKind":"NAT",
                "protocol":"TCP","persistenceTimeout":300,
                "realServers":[{"address":"198.18.0.22","port":8080,"weight":1,"inhibitOnFailure":false,
                    "checks":[],"health":"unknown","where":"/etc/keepalived/conf.d/web.conf:40"}],
                "where":"/etc/keepalived/conf.d/web.conf:35"}],
            "validation":{"ran":true,"valid":false,"exitCode":1,"messages":["Unknown keyword 'lb_agl'"]}})");
        auto doc = fromJson<KeepalivedConfigResult>(before);
        QVERIFY2(doc, doc ? "" : doc.error().message.c_str());
        QCOMPARE(dumped(Json(*doc)), dumped(before));

        // The fields, as the console reads them.
        QCOMPARE(doc->instances.size(), std::size_t(2));
        QVERIFY(!doc->instances[0].trackFiles[0].weight);
        QCOMPARE(doc->instances[0].trackFiles[1].weight, std::optional<int>(-20));
        QCOMPARE(doc->virtualServers[1].ipvsServices, (std::vector<std::string>{"TCP 198.18.0.100:8080", "FWM 22"}));
        QCOMPARE(doc->virtualServers[1].persistenceTimeout, std::optional<std::uint32_t>(300));
        QVERIFY(!doc->virtualServers[0].persistenceTimeout);
        QCOMPARE(doc->virtualServers[0].realServers[0].health, std::string("DOWN"));
        QCOMPARE(doc->diagnostics[0].line, 12);
        QVERIFY(doc->validation && doc->validation->ran && !doc->validation->valid);

        // Without keepalived -t there is no "validation" key, as before.
        Json unvalidated = before;
        unvalidated.erase("validation");
        auto plain = fromJson<KeepalivedConfigResult>(unvalidated);
        QVERIFY(plain);
        QVERIFY(!plain->validation);
        QCOMPARE(dumped(Json(*plain)), dumped(unvalidated));
        // A real server whose health nobody reported yet reads "unknown".
        QCOMPARE(fromJson<KaConfRealServer>(Json{{"address", "198.18.0.23"}})->health, std::string("unknown"));
    }

    void badKeepalivedConfigIsRefused()
    {
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::array()));
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"instances":{}})")));
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"instances":[{"vrid":51}]})"))); // no name
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"instances":[{"name":"VI_1","vrid":"51"}]})")));
        QVERIFY(!fromJson<KeepalivedConfigResult>(
            Json::parse(R"({"instances":[{"name":"VI_1","trackFiles":[{"name":"t","weight":1.5}]}]})")));
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"virtualServers":[{"port":70000}]})")));
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"virtualServers":[{"persistenceTimeout":-1}]})")));
        QVERIFY(!fromJson<KeepalivedConfigResult>(
            Json::parse(R"({"virtualServers":[{"realServers":[{"address":"198.18.0.21","weight":"3"}]}]})")));
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"diagnostics":[{"line":1}]})")));  // no message
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"validation":{"valid":true}})"))); // ran?
        QVERIFY(!fromJson<KeepalivedConfigResult>(Json::parse(R"({"validation":"ok"})")));
    }

    void enumTablesRoundTrip()
    {
        for (auto l : {PermissionLevel::None, PermissionLevel::Read, PermissionLevel::Operate, PermissionLevel::Admin})
            QVERIFY(permissionFromString(toString(l)) == std::optional(l));
        for (auto r : {Role::Director, Role::RealServer, Role::Db, Role::MfsMaster, Role::MfsChunkserver,
                       Role::MfsMetalogger, Role::Gateway})
            QVERIFY(roleFromString(toString(r)) == std::optional(r));
        for (auto s : {VrrpState::Init, VrrpState::Backup, VrrpState::Master, VrrpState::Fault, VrrpState::Deleted,
                       VrrpState::Stop})
            QVERIFY(vrrpStateFromString(toString(s)) == std::optional(s));
        for (auto l : {LogLevelName::Debug, LogLevelName::Info, LogLevelName::Warning, LogLevelName::Error})
            QVERIFY(logLevelFromString(toString(l)) == std::optional(l));
        for (auto o : {fw::ChangeOp::AddRule, fw::ChangeOp::InsertRule, fw::ChangeOp::DeleteRule,
                       fw::ChangeOp::SetPolicy, fw::ChangeOp::AddElements, fw::ChangeOp::DeleteElements,
                       fw::ChangeOp::Raw})
            QVERIFY(fw::changeOpFromString(fw::toString(o)) == std::optional(o));
        for (auto a : {ApacheState::Ok, ApacheState::NotInstalled, ApacheState::NotRunning,
                       ApacheState::StatusDisabled, ApacheState::AccessDenied, ApacheState::NotApache,
                       ApacheState::Error})
            QVERIFY(apacheStateFromString(toString(a)) == std::optional(a));
        for (auto d : {DbState::Ok, DbState::NotInstalled, DbState::Unreachable, DbState::AccessDenied,
                       DbState::Timeout, DbState::Error})
            QVERIFY(dbStateFromString(toString(d)) == std::optional(d));
        QCOMPARE(toString(PermissionLevel::Operate), std::string_view("operate"));
        QCOMPARE(toString(VrrpState::Master), std::string("MASTER"));
        QVERIFY(!vrrpStateFromString("master"));
        for (auto m : {ForwardMethod::Masq, ForwardMethod::Local, ForwardMethod::Tunnel, ForwardMethod::Route}) {
            RealServer rs;
            rs.address = "198.18.0.21";
            rs.port = 80;
            rs.forward = m;
            auto back = fromJson<RealServer>(Json(rs));
            QVERIFY(back);
            QVERIFY(back->forward == m);
        }
        QCOMPARE(Json(RealServer{})["forward"].get<std::string>(), std::string("route"));
    }
};

QTEST_GUILESS_MAIN(TestEventPayloads)
#include "tst_event_payloads.moc"
