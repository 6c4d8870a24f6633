// The alarm engine, pure: rules with threshold and duration, raise/clear,
// de-duplication, one-off events with a hold time, acknowledgement, the bounded
// history, [modules.alarms] parsing, and the wire types of alarms.list/ack.

#include "hadeck/agent/alarm_engine.h"
#include "hadeck/protocol/methods.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::agent;
using proto::Alarm;
using proto::AlarmState;
namespace R = hadeck::agent::alarm_rules;

namespace {

proto::HostStatus hostWithDisk(double usedPct)
{
    proto::HostStatus h;
    proto::FilesystemUsage fs;
    fs.mountPoint = "/var";
    fs.usedBytes = static_cast<std::uint64_t>(usedPct * 10);
    fs.availBytes = 1000 - fs.usedBytes;
    fs.totalBytes = 1000;
    h.filesystems.push_back(fs);
    return h;
}

proto::VrrpInstance vrrp(proto::VrrpState s, bool holds)
{
    proto::VrrpInstance v;
    v.name = "VI_1";
    v.vrid = 51;
    v.state = s;
    v.vips = {"198.18.0.100/32"};
    v.holdsVips = holds;
    return v;
}

std::vector<std::string> rulesOf(const std::vector<Alarm>& v)
{
    std::vector<std::string> out;
    for (const auto& a : v) {
        out.push_back(a.rule);
    }
    return out;
}

} // namespace

class TestAlarmEngine : public QObject {
    Q_OBJECT
private slots:
    void defaultsCoverEveryRule()
    {
        const auto r = AlarmRules::defaults();
        for (auto name :
             {R::kVrrpStateChange, R::kVrrpFault, R::kVrrpMasterWithoutVip, R::kVrrpBackupWithVip, R::kRealServerDown,
              R::kServiceNoHealthy, R::kReplicationStopped, R::kReplicationLag, R::kChunkserverDisconnected,
              R::kMissingChunks, R::kUndergoalChunks, R::kDiskFull, R::kLoad, R::kMemoryPressure, R::kApacheBusy,
              R::kFirewallRollback, R::kDrainHeld, R::kKeepalivedDown}) {
            QVERIFY2(r.find(name) != nullptr, std::string(name).c_str());
        }
        QCOMPARE(r.find(R::kDiskFull)->threshold, 90.0);
        QCOMPARE(r.find(R::kLoad)->threshold, 2.0);
        QCOMPARE(r.find(R::kApacheBusy)->threshold, 90.0);
        QCOMPARE(r.rules.size(), std::size_t{18});
    }

    void diskRaisesAfterDurationOnceAndClears()
    {
        AlarmEngine e(AlarmRules::defaults(), "web1");
        AlarmInputs in;
        in.host = hostWithDisk(95);
        QVERIFY(e.evaluate(in, 1000).empty());
        QVERIFY(e.evaluate(in, 1059).empty()); // 59 s < 60 s
        auto ch = e.evaluate(in, 1060);
        QCOMPARE(ch.size(), std::size_t{1});
        QCOMPARE(ch[0].rule, std::string(R::kDiskFull));
        QCOMPARE(ch[0].subject, std::string("/var"));
        QCOMPARE(ch[0].node, std::string("web1"));
        QVERIFY(ch[0].state == AlarmState::Raised);
        QCOMPARE(ch[0].raisedAt, 1060);
        QVERIFY(ch[0].value > 94.9 && ch[0].value < 95.1);
        // De-duplicated: the same condition does not raise again.
        QVERIFY(e.evaluate(in, 1061).empty());
        QVERIFY(e.evaluate(in, 2000).empty());
        QCOMPARE(e.active().size(), std::size_t{1});
        QCOMPARE(e.active()[0].lastSeen, 2000);
        // Below the threshold: cleared at once, kept in the history.
        in.host = hostWithDisk(80);
        ch = e.evaluate(in, 2001);
        QCOMPARE(ch.size(), std::size_t{1});
        QVERIFY(ch[0].state == AlarmState::Cleared);
        QCOMPARE(ch[0].clearedAt, 2001);
        QVERIFY(e.active().empty());
        QCOMPARE(e.history(10).size(), std::size_t{1});
    }

    void flappingConditionRestartsTheDuration()
    {
        AlarmEngine e(AlarmRules::defaults(), "web1");
        AlarmInputs high;
        high.host = hostWithDisk(95);
        AlarmInputs low;
        low.host = hostWithDisk(50);
        e.evaluate(high, 0);
        e.evaluate(low, 30);
        QVERIFY(e.evaluate(high, 40).empty());
        QVERIFY(e.evaluate(high, 99).empty()); // 59 s since it came back
        QCOMPARE(e.evaluate(high, 100).size(), std::size_t{1});
    }

    void vrrpStates()
    {
        AlarmEngine e(AlarmRules::defaults(), "lb1");
        AlarmInputs in;
        in.vrrp = std::vector{vrrp(proto::VrrpState::Master, false)};
        e.evaluate(in, 0);
        QCOMPARE(rulesOf(e.evaluate(in, 3)), std::vector<std::string>{std::string(R::kVrrpMasterWithoutVip)});
        in.vrrp = std::vector{vrrp(proto::VrrpState::Master, true)};
        auto ch = e.evaluate(in, 4);
        QCOMPARE(ch.size(), std::size_t{1});
        QVERIFY(ch[0].state == AlarmState::Cleared);
        in.vrrp = std::vector{vrrp(proto::VrrpState::Backup, true)};
        e.evaluate(in, 10);
        QCOMPARE(rulesOf(e.evaluate(in, 13)), std::vector<std::string>{std::string(R::kVrrpBackupWithVip)});
        in.vrrp = std::vector{vrrp(proto::VrrpState::Fault, false)};
        auto fault = e.evaluate(in, 14); // backup-with-VIP clears, FAULT pending
        QCOMPARE(fault.size(), std::size_t{1});
        QVERIFY(fault[0].state == AlarmState::Cleared);
        fault = e.evaluate(in, 16);
        QCOMPARE(rulesOf(fault), std::vector<std::string>{std::string(R::kVrrpFault)});
        QVERIFY(fault[0].severity == proto::AlarmSeverity::Critical);
        // A healthy BACKUP without the VIP raises nothing.
        AlarmEngine quiet(AlarmRules::defaults(), "lb2");
        AlarmInputs ok;
        ok.vrrp = std::vector{vrrp(proto::VrrpState::Backup, false)};
        quiet.evaluate(ok, 0);
        QVERIFY(quiet.evaluate(ok, 100).empty());
    }

    // keepalived killed on a director: an alarm of its own, sent at once, even while an earlier
    // VRRP state change (held 300 s, de-duplicated) is still active. Nothing where keepalived has
    // no instance to run.
    void keepalivedDownIsItsOwnAlarm()
    {
        AlarmEngine e(AlarmRules::defaults(), "dir1");
        QCOMPARE(
            e.onEvent(
                 rpc::Json{{"type", "vrrp.transition"}, {"instance", "VI_1"}, {"from", "BACKUP"}, {"to", "MASTER"}}, 0)
                .size(),
            std::size_t{1});
        AlarmInputs in;
        proto::VrrpInstance v;
        v.name = "VI_1";
        v.vrid = 51;
        v.state = proto::VrrpState::Stop;
        in.vrrp = std::vector<proto::VrrpInstance>{v};
        in.keepalivedRunning = true;
        QVERIFY(e.evaluate(in, 10).empty());
        in.keepalivedRunning = false;
        auto ch = e.evaluate(in, 11);
        QCOMPARE(ch.size(), std::size_t{1});
        QCOMPARE(ch[0].rule, std::string("keepalived.down"));
        QVERIFY(ch[0].severity == proto::AlarmSeverity::Critical);
        QVERIFY(ch[0].message.find("keepalived is not running") != std::string::npos);
        in.keepalivedRunning = true;
        ch = e.evaluate(in, 20);
        QCOMPARE(ch.size(), std::size_t{1});
        QVERIFY(ch[0].state == AlarmState::Cleared);
        // A web node: no instance, keepalived not expected.
        AlarmEngine web(AlarmRules::defaults(), "web1");
        AlarmInputs none;
        none.vrrp = std::vector<proto::VrrpInstance>{};
        none.keepalivedRunning = false;
        QVERIFY(web.evaluate(none, 10).empty());
    }

    void vrrpTransitionIsOneOffWithHold()
    {
        AlarmEngine e(AlarmRules::defaults(), "lb1");
        const rpc::Json ev{{"type", "vrrp.transition"}, {"instance", "VI_1"}, {"from", "BACKUP"}, {"to", "MASTER"}};
        auto ch = e.onEvent(ev, 100);
        QCOMPARE(ch.size(), std::size_t{1});
        QCOMPARE(ch[0].rule, std::string(R::kVrrpStateChange));
        QVERIFY(ch[0].message.find("BACKUP to MASTER") != std::string::npos);
        // The second transition is the same alarm (de-duplicated), with newer facts and a longer hold.
        const rpc::Json back{{"type", "vrrp.transition"}, {"instance", "VI_1"}, {"from", "MASTER"}, {"to", "BACKUP"}};
        QVERIFY(e.onEvent(back, 200).empty());
        QCOMPARE(e.active().size(), std::size_t{1});
        QVERIFY(e.active()[0].message.find("MASTER to BACKUP") != std::string::npos);
        QVERIFY(e.evaluate({}, 450).empty());     // 250 s after the last one
        ch = e.evaluate({}, 500);                 // 300 s hold
        QCOMPARE(ch.size(), std::size_t{1});
        QVERIFY(ch[0].state == AlarmState::Cleared);
        // Unrelated events raise nothing.
        QVERIFY(e.onEvent(rpc::Json{{"type", "agent.reloaded"}}, 600).empty());
        QVERIFY(e.onEvent(rpc::Json::array(), 600).empty());
    }

    void firewallRollback()
    {
        AlarmEngine e(AlarmRules::defaults(), "lb1");
        auto ch = e.onEvent(rpc::Json{{"type", proto::alarm_events::kFirewallRollback}, {"table", "inet hadeck"},
                                      {"reason", "not confirmed within 60 s"}},
                            10);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kFirewallRollback)});
        QVERIFY(ch[0].message.find("not confirmed") != std::string::npos);
        QVERIFY(e.evaluate({}, 3609).empty());
        QCOMPARE(e.evaluate({}, 3610).size(), std::size_t{1});
    }

    void ipvsRealServersAndServices()
    {
        AlarmEngine e(AlarmRules::defaults(), "lb1");
        AlarmInputs in;
        in.realServerHealth["198.18.1.11:80 198.18.0.100:80"] = "DOWN";
        in.realServerHealth["198.18.1.12:80 198.18.0.100:80"] = "UP";
        proto::VirtualService vs;
        vs.protocol = "tcp";
        vs.address = "198.18.0.100";
        vs.port = 80;
        proto::RealServer a;
        a.address = "198.18.1.11";
        a.port = 80;
        a.weight = 0;
        vs.realServers = {a};
        proto::VirtualService good = vs;
        good.port = 443;
        good.realServers[0].weight = 1;
        in.ipvs = std::vector{vs, good};
        auto ch = e.evaluate(in, 0);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kRealServerDown)});
        QCOMPARE(ch[0].subject, std::string("198.18.1.11:80 198.18.0.100:80"));
        ch = e.evaluate(in, 2);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kServiceNoHealthy)});
        QCOMPARE(ch[0].subject, vs.key());
    }

    void replication()
    {
        AlarmEngine e(AlarmRules::defaults(), "db2");
        AlarmInputs in;
        proto::DbStatus db;
        db.state = proto::DbState::Ok;
        proto::ReplicaStatus rep;
        rep.ioRunning = "Yes";
        rep.sqlRunning = "No";
        rep.masterHost = "198.18.2.11";
        rep.lastSqlError = "Duplicate entry";
        db.replica = rep;
        in.db = db;
        e.evaluate(in, 0);
        auto ch = e.evaluate(in, 10);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kReplicationStopped)});
        QVERIFY(ch[0].message.find("Duplicate entry") != std::string::npos);
        // Running again but 120 s behind: stopped clears, lag pending for 30 s.
        in.db->replica->sqlRunning = "Yes";
        in.db->replica->lagSeconds = 120;
        ch = e.evaluate(in, 11);
        QCOMPARE(ch.size(), std::size_t{1});
        QVERIFY(ch[0].state == AlarmState::Cleared);
        ch = e.evaluate(in, 41);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kReplicationLag)});
        QCOMPARE(ch[0].value, 120.0);
        QCOMPARE(ch[0].threshold, 60.0);
        // A server that is no replica, or unreachable, raises no replication alarm.
        in.db->replica.reset();
        QCOMPARE(e.evaluate(in, 42).size(), std::size_t{1}); // lag clears
        QVERIFY(e.evaluate(in, 100).empty());
    }

    void moosefs()
    {
        AlarmRules rules = AlarmRules::defaults();
        AlarmEngine e(rules, "mfsmaster");
        AlarmInputs in;
        proto::MfsStatus m;
        m.ok = true;
        proto::MfsMasterInfo info;
        info.missingChunks = 3;
        info.undergoalChunks = 10;
        m.master = info;
        proto::MfsChunkserver cs;
        cs.host = "198.18.3.12";
        cs.port = 9422;
        cs.connected = false;
        m.chunkservers = {cs};
        in.mfs = m;
        auto ch = e.evaluate(in, 0);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kMissingChunks)});
        QCOMPARE(ch[0].value, 3.0);
        QCOMPARE(rulesOf(e.evaluate(in, 30)), std::vector<std::string>{std::string(R::kChunkserverDisconnected)});
        QCOMPARE(e.active().back().subject, std::string("198.18.3.12:9422"));
        QCOMPARE(rulesOf(e.evaluate(in, 300)), std::vector<std::string>{std::string(R::kUndergoalChunks)});
    }

    void hostLoadPressureApacheDrain()
    {
        AlarmEngine e(AlarmRules::defaults(), "web1");
        AlarmInputs in;
        proto::HostStatus h;
        h.load5 = 8.5;
        proto::Pressure p;
        p.someAvg10 = 25;
        h.memoryPressure = p;
        in.host = h;
        in.cpuCount = 4; // 8.5 > 2 x 4
        proto::ApacheStatus ap;
        ap.state = proto::ApacheState::Ok;
        ap.busyWorkers = 240;
        ap.serverLimit = 256;
        in.apache = ap;
        in.drains.push_back(DrainHeldFact{"d1", "198.18.1.11:80", "TCP 198.18.0.100:80", 0});
        in.drains.push_back(DrainHeldFact{"d2", "198.18.1.12:80", "TCP 198.18.0.100:80", 1000});
        e.evaluate(in, 1000 + 5 * 3600);
        auto ch = e.evaluate(in, 1000 + 5 * 3600 + 300);
        auto rules = rulesOf(e.active());
        std::sort(rules.begin(), rules.end());
        QCOMPARE(rules, (std::vector<std::string>{std::string(R::kApacheBusy), std::string(R::kDrainHeld),
                                                  std::string(R::kLoad), std::string(R::kMemoryPressure)}));
        // The drain without a start time (since 0) is not taken for a 56-year one.
        for (const auto& a : e.active()) {
            if (a.rule == R::kDrainHeld) {
                QVERIFY(a.message.find("d2") != std::string::npos);
            }
        }
        // 4 cores at load 7.9: under 2 x cores, clears.
        in.host->load5 = 7.9;
        QCOMPARE(rulesOf(e.evaluate(in, 1000 + 6 * 3600)), std::vector<std::string>{std::string(R::kLoad)});
    }

    void acknowledgeActiveAndCleared()
    {
        AlarmEngine e(AlarmRules::defaults(), "lb1");
        auto raised = e.onEvent(rpc::Json{{"type", "vrrp.transition"}, {"instance", "VI_1"}}, 0);
        const auto id = raised.at(0).id;
        auto a = e.acknowledge(id, "alice", "looking", 5);
        QVERIFY(a);
        QVERIFY(a->acknowledged);
        QCOMPARE(a->ackBy, std::string("alice"));
        QCOMPARE(a->ackAt, 5);
        QVERIFY(a->state == AlarmState::Raised);
        QVERIFY(e.active().at(0).acknowledged);
        // Acknowledged alarms still clear when their condition ends, and keep the ack.
        e.evaluate({}, 300);
        QVERIFY(e.active().empty());
        QVERIFY(e.history(1).at(0).acknowledged);
        QVERIFY(e.acknowledge(id, "bob", "", 400)); // ack in the history too
        QCOMPARE(e.history(1).at(0).ackBy, std::string("bob"));
        auto missing = e.acknowledge(999, "bob", "", 400);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, int(rpc::InvalidParams));
        // A new occurrence after the clear is a new alarm, not acknowledged.
        auto again = e.onEvent(rpc::Json{{"type", "vrrp.transition"}, {"instance", "VI_1"}}, 500);
        QCOMPARE(again.size(), std::size_t{1});
        QVERIFY(again[0].id != id);
        QVERIFY(!again[0].acknowledged);
    }

    void historyIsBounded()
    {
        AlarmRules r = AlarmRules::defaults();
        r.historyLimit = 3;
        AlarmEngine e(r, "n");
        for (int i = 0; i < 10; ++i) {
            e.raiseExternal("channel.failing", "hook", "fails", proto::AlarmSeverity::Warning, i * 10);
            QVERIFY(e.clearExternal("channel.failing", "hook", i * 10 + 1));
        }
        const auto h = e.history(100);
        QCOMPARE(h.size(), std::size_t{3});
        QCOMPARE(h[0].raisedAt, 90); // newest first
        QCOMPARE(h[2].raisedAt, 70);
        QCOMPARE(e.history(1).size(), std::size_t{1});
    }

    void externalAlarmsStayUntilCleared()
    {
        AlarmEngine e(AlarmRules::defaults(), "n");
        QVERIFY(e.raiseExternal("channel.failing", "dingtalk", "HTTP 500", proto::AlarmSeverity::Warning, 1));
        QVERIFY(!e.raiseExternal("channel.failing", "dingtalk", "HTTP 500 again", proto::AlarmSeverity::Warning, 2));
        QVERIFY(e.evaluate({}, 100).empty());
        QCOMPARE(e.active().size(), std::size_t{1});
        QCOMPARE(e.active()[0].message, std::string("HTTP 500 again"));
        QVERIFY(e.clearExternal("channel.failing", "dingtalk", 101));
        QVERIFY(!e.clearExternal("channel.failing", "dingtalk", 102));
    }

    void restoredStateSurvivesARestart()
    {
        // Before the restart: a disk alarm (acknowledged), a VRRP change held, a failing channel, one cleared.
        AlarmRules rules = AlarmRules::defaults();
        rules.rules[std::string(R::kDiskFull)].durationSeconds = 0;
        AlarmEngine before(rules, "lb1");
        AlarmInputs full;
        full.host = hostWithDisk(95);
        QCOMPARE(before.evaluate(full, 1000).size(), std::size_t{1});
        const auto diskId = before.active()[0].id;
        QVERIFY(before.acknowledge(diskId, "ops", "disk ordered", 1001));
        QCOMPARE(before.onEvent(rpc::Json{{"type", "vrrp.transition"}, {"instance", "VI_1"}, {"from", "MASTER"},
                                          {"to", "STOP"}},
                                1002)
                     .size(),
                 std::size_t{1});
        QVERIFY(before.raiseExternal(std::string(R::kChannelFailing), "ops", "HTTP 500", proto::AlarmSeverity::Warning, 1003));
        QVERIFY(before.raiseExternal("x.gone", "s", "cleared one", proto::AlarmSeverity::Info, 1003));
        QVERIFY(before.clearExternal("x.gone", "s", 1004));
        const AlarmEngineState saved = before.state();
        QCOMPARE(saved.active.size(), std::size_t{3});
        QCOMPARE(saved.history.size(), std::size_t{1});

        // A new engine (the restarted agent) gets them back, ids and acks included.
        AlarmEngine after(rules, "lb1");
        after.restore(saved, 1100, 30);
        QCOMPARE(after.active(), before.active());
        QCOMPARE(after.history(10), before.history(10));
        // The disk is still full: the same alarm, not raised (nor sent) again.
        QVERIFY(after.evaluate(full, 1101).empty());
        QCOMPARE(after.active().size(), std::size_t{3});
        // New alarms never reuse an old id.
        QVERIFY(after.raiseExternal("x.new", "s", "new", proto::AlarmSeverity::Info, 1102));
        for (const auto& a : after.active()) {
            if (a.rule == "x.new") {
                QVERIFY(a.id >= saved.nextId);
            }
        }
        QVERIFY(after.clearExternal("x.new", "s", 1103));
        // The VRRP change keeps its hold from its last occurrence (1002 + 300 s), the channel stays.
        auto ch = after.evaluate(full, 1301);
        QVERIFY(ch.empty());
        ch = after.evaluate(full, 1302);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kVrrpStateChange)});
        QCOMPARE(after.active().size(), std::size_t{2});

        // A restored alarm whose condition is not seen clears, after the grace the probes need.
        AlarmEngine third(rules, "lb1");
        third.restore(after.state(), 2000, 30);
        AlarmInputs notYet; // no host sample yet
        QVERIFY(third.evaluate(notYet, 2001).empty());
        QVERIFY(third.evaluate(notYet, 2029).empty());
        ch = third.evaluate(notYet, 2030);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kDiskFull)});
        // Seen again within the grace: an ordinary alarm that clears as soon as its condition goes.
        AlarmEngine fourth(rules, "lb1");
        fourth.restore(after.state(), 3000, 30);
        QVERIFY(fourth.evaluate(full, 3001).empty());
        AlarmInputs fine;
        fine.host = hostWithDisk(10);
        ch = fourth.evaluate(fine, 3002);
        QCOMPARE(rulesOf(ch), std::vector<std::string>{std::string(R::kDiskFull)});
        // The channel alarm stays until its channel succeeds.
        QCOMPARE(rulesOf(fourth.active()), std::vector<std::string>{std::string(R::kChannelFailing)});
        QVERIFY(fourth.clearExternal(R::kChannelFailing, "ops", 3003));
    }

    void disabledRuleAndReload()
    {
        AlarmEngine e(AlarmRules::defaults(), "web1");
        AlarmInputs in;
        in.host = hostWithDisk(99);
        e.evaluate(in, 0);
        QCOMPARE(e.evaluate(in, 60).size(), std::size_t{1});
        AlarmRules r = AlarmRules::defaults();
        r.rules[std::string(R::kDiskFull)].enabled = false;
        e.setRules(r);
        auto ch = e.evaluate(in, 61);
        QCOMPARE(ch.size(), std::size_t{1});
        QVERIFY(ch[0].state == AlarmState::Cleared);
        QVERIFY(e.evaluate(in, 1000).empty());
    }

    void configTable()
    {
        std::vector<std::string> warnings;
        const auto j = rpc::Json::parse(R"({"history": 20, "rules": {
            "host.disk": {"threshold": 80, "duration_s": 5, "severity": "critical"},
            "apache.busy": {"enabled": false},
            "no.such": {"threshold": 1},
            "host.load": {"thresold": 3}},
            "extra": 1})");
        auto r = AlarmRules::fromConfig(j, warnings);
        QVERIFY(r);
        QCOMPARE(r->historyLimit, std::size_t{20});
        QCOMPARE(r->find(R::kDiskFull)->threshold, 80.0);
        QCOMPARE(r->find(R::kDiskFull)->durationSeconds, 5);
        QVERIFY(r->find(R::kDiskFull)->severity == proto::AlarmSeverity::Critical);
        QVERIFY(!r->find(R::kApacheBusy)->enabled);
        QCOMPARE(r->find(R::kLoad)->threshold, 2.0);
        QCOMPARE(warnings.size(), std::size_t{3});

        for (const char* bad : {R"({"history": 0})", R"({"history": 1.5})", R"({"rules": {"host.disk": {"threshold": "90"}}})",
                                R"({"rules": {"host.disk": {"threshold": -1}}})",
                                R"({"rules": {"host.disk": {"duration_s": -5}}})",
                                R"({"rules": {"host.disk": {"severity": "panic"}}})", R"({"rules": []})", R"([1])"}) {
            std::vector<std::string> w;
            const auto bad_ = AlarmRules::fromConfig(rpc::Json::parse(bad), w);
            QVERIFY2(!bad_, bad);
            QVERIFY(bad_.error().message.find("[modules.alarms]") != std::string::npos);
        }
        std::vector<std::string> none;
        QVERIFY(AlarmRules::fromConfig(rpc::Json(), none));
    }

    void wireTypes()
    {
        Alarm a;
        a.id = 7;
        a.key = "host.disk:/var";
        a.rule = "host.disk";
        a.severity = proto::AlarmSeverity::Critical;
        a.state = AlarmState::Cleared;
        a.raisedAt = 10;
        a.clearedAt = 20;
        a.acknowledged = true;
        a.ackBy = "alice";
        const auto back = proto::fromJson<Alarm>(rpc::Json(a));
        QVERIFY(back);
        QVERIFY(*back == a);
        rpc::Json bad = a;
        bad["state"] = "open";
        QVERIFY(!proto::fromJson<Alarm>(bad));
        QVERIFY(!proto::fromJson<proto::AlarmAckParams>(rpc::Json{{"id", 0}}));
        QVERIFY(!proto::fromJson<proto::AlarmAckParams>(rpc::Json{{"id", 1.5}}));
        QVERIFY(!proto::fromJson<proto::AlarmAckParams>(rpc::Json{{"id", -1}}));
        QVERIFY(!proto::fromJson<proto::AlarmAckParams>(rpc::Json::object()));
        QVERIFY(proto::fromJson<proto::AlarmAckParams>(rpc::Json{{"id", 3}, {"comment", "ok"}}));
        QVERIFY(!proto::fromJson<proto::AlarmsListParams>(rpc::Json{{"limit", 20000}}));
        const auto lp = proto::fromJson<proto::AlarmsListParams>(rpc::Json());
        QVERIFY(lp);
        QVERIFY(lp->includeHistory);
        const proto::AlarmEvent ev{"lb1", "raised", a};
        const rpc::Json evj = ev;
        QCOMPARE(evj["type"].get<std::string>(), std::string(proto::alarm_events::kAlarm));
        QVERIFY(proto::fromJson<proto::AlarmEvent>(evj));
        QVERIFY(proto::findMethod(proto::methods::AlarmsList.name));
        QVERIFY(proto::findMethod(proto::methods::AlarmsAck.name)->permission == proto::PermissionLevel::Operate);
    }
};

QTEST_APPLESS_MAIN(TestAlarmEngine)
#include "tst_alarm_engine.moc"
