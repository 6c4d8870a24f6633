// Alarms inside the real hadeck-agent: a rule from agent.toml raises an alarm
// on the host's real filesystems, subscribers get the "alarm" event and the
// "alarms" topic, alarms.list shows it, alarms.ack needs Operate and marks it,
// and a reload with a new threshold clears it into the history.

#include "agenttestutil.h"

#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/methods.h"

#include <QFileInfo>
#include <QtTest>

#include <csignal>

using namespace hadeck;
using namespace hadeck::test;
namespace m = hadeck::proto::methods;

namespace {

QString config(int diskThreshold)
{
    return QStringLiteral("[sample]\ninterval_ms = 200\n"
                          "[modules.apache]\nstatus_url = \"http://127.0.0.1:1/server-status?auto\"\n"
                          "[modules.mysql]\nsocket = \"/nonexistent/mysqld.sock\"\n"
                          "[modules.moosefs]\nport = 1\n"
                          "[modules.alarms]\nhistory = 50\n"
                          "[modules.alarms.rules.\"host.disk\"]\nthreshold = %1\nduration_s = 0\nseverity = \"critical\"\n")
        .arg(diskThreshold);
}

/// Reads notifications until an "alarm" event with @p change (and @p rule) arrives.
std::optional<proto::AlarmEvent> waitAlarmEvent(LineClient& c, std::string_view change, std::string_view rule,
                                                int timeoutMs = 10000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto line = c.readLine(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
        if (!line) {
            return std::nullopt;
        }
        const auto j = rpc::Json::parse(*line, nullptr, false);
        if (!j.is_object() || j.value("method", std::string()) != "event" || !j.contains("params")) {
            continue;
        }
        if (j["params"].value("type", std::string()) != proto::alarm_events::kAlarm) {
            continue;
        }
        auto ev = proto::fromJson<proto::AlarmEvent>(j["params"]);
        if (!ev) {
            qWarning("bad alarm event: %s", ev.error().message.c_str());
            return std::nullopt;
        }
        if (ev->change == change && ev->alarm.rule == rule) {
            return *ev;
        }
    }
    return std::nullopt;
}

} // namespace

class TestAlarmsAgent : public QObject {
    Q_OBJECT
private slots:
    void raiseListAckClear()
    {
        AgentProcess agent;
        agent.writeConfig(config(0)); // every mounted filesystem with data is "over 0 %"
        QString error;
        QVERIFY2(agent.start(&error), qPrintable(error));
        LineClient c = LineClient::connectTo(agent.socketPath());
        QVERIFY(c.valid());
        auto sub = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events"}}});
        QVERIFY(sub && sub->contains("result"));

        const auto raised = waitAlarmEvent(c, "raised", "host.disk");
        QVERIFY(raised);
        QVERIFY(raised->alarm.state == proto::AlarmState::Raised);
        QVERIFY(raised->alarm.severity == proto::AlarmSeverity::Critical);
        QVERIFY(!raised->alarm.subject.empty());
        QVERIFY(raised->alarm.message.find("% full") != std::string::npos);
        const auto id = raised->alarm.id;

        // alarms.list has it (once: de-duplicated across evaluations at 200 ms).
        auto list = c.call(std::string(m::AlarmsList.name), rpc::Json::object());
        QVERIFY(list && list->contains("result"));
        auto lr = proto::fromJson<proto::AlarmsListResult>((*list)["result"]);
        QVERIFY(lr);
        const auto same = std::count_if(lr->active.begin(), lr->active.end(),
                                        [&](const proto::Alarm& a) { return a.key == raised->alarm.key; });
        QCOMPARE(same, 1);

        // The "alarms" topic gives the active list at once.
        auto topic = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {std::string(proto::kAlarmsTopic)}}});
        QVERIFY(topic && topic->contains("result"));
        bool sawSnapshot = false;
        for (int i = 0; i < 50 && !sawSnapshot; ++i) {
            const auto line = c.readLine(5000);
            QVERIFY(line);
            const auto j = rpc::Json::parse(*line);
            if (j.value("method", std::string()) == proto::notify::StateDelta &&
                j["params"].value("topic", std::string()) == "alarms") {
                auto t = proto::fromJson<proto::AlarmsTopic>(j["params"]);
                QVERIFY(t);
                QVERIFY(!t->active.empty());
                sawSnapshot = true;
            }
        }
        QVERIFY(sawSnapshot);

        // A reader may not acknowledge (when the test users can be made).
        QString usersError;
        if (ensureTestUsers(&usersError)) {
            LineClient reader = LineClient::connectAs(agent.socketPath(), "hadeck-t-read");
            QVERIFY(reader.valid());
            auto denied = reader.call(std::string(m::AlarmsAck.name), rpc::Json{{"id", id}});
            QVERIFY(denied && denied->contains("error"));
            QCOMPARE((*denied)["error"]["code"].get<int>(), int(rpc::PermissionDenied));
        } else {
            qInfo("permission part skipped: %s", qPrintable(usersError));
        }

        // Acknowledge (root is Admin): answered with the alarm, then an event.
        auto ack = c.call(std::string(m::AlarmsAck.name), rpc::Json(proto::AlarmAckParams{id, "on it"}));
        QVERIFY(ack && ack->contains("result"));
        auto acked = proto::fromJson<proto::Alarm>((*ack)["result"]);
        QVERIFY(acked);
        QVERIFY(acked->acknowledged);
        QCOMPARE(acked->ackComment, std::string("on it"));
        QCOMPARE(acked->ackBy, std::string("root"));
        QVERIFY(waitAlarmEvent(c, "acknowledged", "host.disk"));

        auto unknown = c.call(std::string(m::AlarmsAck.name), rpc::Json{{"id", 999999}});
        QVERIFY(unknown && unknown->contains("error"));
        QCOMPARE((*unknown)["error"]["code"].get<int>(), int(rpc::InvalidParams));
        auto badParams = c.call(std::string(m::AlarmsAck.name), rpc::Json{{"id", "1"}});
        QVERIFY(badParams && badParams->contains("error"));
        QCOMPARE((*badParams)["error"]["code"].get<int>(), int(rpc::InvalidParams));

        // Reload with a threshold no filesystem reaches: the alarm clears into the history.
        agent.writeConfig(config(100));
        ::kill(agent.pid(), SIGHUP);
        const auto cleared = waitAlarmEvent(c, "cleared", "host.disk");
        QVERIFY(cleared);
        QTRY_VERIFY_WITH_TIMEOUT(
            (lr = proto::fromJson<proto::AlarmsListResult>(
                 (*c.call(std::string(m::AlarmsList.name), rpc::Json::object()))["result"])) &&
                std::none_of(lr->active.begin(), lr->active.end(),
                             [](const proto::Alarm& a) { return a.rule == "host.disk"; }),
            10000);
        const auto inHistory = std::find_if(lr->history.begin(), lr->history.end(),
                                            [&](const proto::Alarm& a) { return a.id == id; });
        QVERIFY(inHistory != lr->history.end());
        QVERIFY(inHistory->state == proto::AlarmState::Cleared);
        QVERIFY(inHistory->acknowledged);
        QVERIFY(inHistory->clearedAt >= inHistory->raisedAt);
        QCOMPARE(agent.terminate(), 0);
    }

    void activeAlarmsSurviveARestart()
    {
        AgentProcess agent;
        agent.writeConfig(config(0));
        QString error;
        QVERIFY2(agent.start(&error), qPrintable(error));
        std::optional<proto::Alarm> first;
        {
            LineClient c = LineClient::connectTo(agent.socketPath());
            QVERIFY(c.valid());
            auto sub = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events"}}});
            QVERIFY(sub && sub->contains("result"));
            const auto raised = waitAlarmEvent(c, "raised", "host.disk");
            QVERIFY(raised);
            auto ack = c.call(std::string(m::AlarmsAck.name), rpc::Json(proto::AlarmAckParams{raised->alarm.id, "seen"}));
            QVERIFY(ack && ack->contains("result"));
            first = raised->alarm;
        }
        const QString statePath = agent.dir() + QStringLiteral("/state/alarms.json");
        QTRY_VERIFY_WITH_TIMEOUT([&] {
                                         QFile f(statePath);
                                         return f.open(QIODevice::ReadOnly) && f.readAll().contains("\"seen\"");
                                     }(),
                                 10000);
        QCOMPARE(agent.terminate(), 0);
        QVERIFY2(QFileInfo(statePath).permissions() == (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser |
                                                         QFile::WriteUser | QFile::ReadGroup),
                 qPrintable(statePath));

        // Restarted: the same alarm (same id, still acknowledged), not a new one.
        QVERIFY2(agent.start(&error), qPrintable(error));
        LineClient c = LineClient::connectTo(agent.socketPath());
        QVERIFY(c.valid());
        auto list = c.call(std::string(m::AlarmsList.name), rpc::Json::object());
        QVERIFY(list && list->contains("result"));
        auto lr = proto::fromJson<proto::AlarmsListResult>((*list)["result"]);
        QVERIFY(lr);
        const auto same = std::find_if(lr->active.begin(), lr->active.end(),
                                       [&](const proto::Alarm& a) { return a.key == first->key; });
        QVERIFY(same != lr->active.end());
        QCOMPARE(same->id, first->id);
        QVERIFY(same->acknowledged);
        QCOMPARE(same->ackComment, std::string("seen"));
        QCOMPARE(same->raisedAt, first->raisedAt);
        // After evaluations (200 ms each) it is still that one alarm: not raised again.
        auto sub = c.call(proto::methods::Subscribe, rpc::Json{{"topics", {"events"}}});
        QVERIFY(sub && sub->contains("result"));
        QVERIFY(!waitAlarmEvent(c, "raised", "host.disk", 1500));
        list = c.call(std::string(m::AlarmsList.name), rpc::Json::object());
        lr = proto::fromJson<proto::AlarmsListResult>((*list)["result"]);
        QVERIFY(lr);
        QCOMPARE(std::count_if(lr->active.begin(), lr->active.end(),
                               [&](const proto::Alarm& a) { return a.key == first->key && a.id == first->id; }),
                 std::ptrdiff_t{1});
        QCOMPARE(agent.terminate(), 0);

        // A state file that cannot be read is moved aside, and the agent starts without it.
        {
            QFile f(statePath);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("{\"version\": 1, \"nextId\": \"x\"");
        }
        QVERIFY2(agent.start(&error), qPrintable(error));
        QVERIFY(QFile::exists(statePath + QStringLiteral(".bad")));
        QVERIFY(agent.stderrText().contains("cannot be read"));
        QCOMPARE(agent.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlarmsAgent)
#include "tst_alarms_agent.moc"
