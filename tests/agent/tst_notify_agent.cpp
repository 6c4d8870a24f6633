// Notification channels of the real hadeck-agent, delivering to receivers this
// test runs on loopback: DingTalk (signed URL), WeCom and Feishu webhooks, a
// generic webhook answering 500 (retries with backoff, then the alarm
// notify.channelFailing), an SMTP sink, and an exec hook given the alarm on stdin.
// Also the pure parts: payload formats, DingTalk's signature, answers, email.

#include "agenttestutil.h"

#include "hadeck/agent/actions/notify.h"
#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/methods.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QtTest>

#include <csignal>

using namespace hadeck;
using namespace hadeck::agent;
using namespace hadeck::test;
namespace m = hadeck::proto::methods;

namespace {

struct Received {
    QByteArray requestLine;
    QByteArray body;
    qint64 atMs = 0;
};

/// HTTP/1.1 receiver: records each POST, answers @c code with @c answer.
class Receiver : public QObject {
public:
    explicit Receiver(int c = 200, QByteArray a = QByteArrayLiteral("{\"errcode\":0,\"errmsg\":\"ok\"}")) : code(c), answer(std::move(a))
    {
        m_server.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                auto buf = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [this, s, buf] {
                    *buf += s->readAll();
                    const auto end = buf->indexOf("\r\n\r\n");
                    if (end < 0) {
                        return;
                    }
                    const auto head = buf->left(end);
                    qsizetype len = 0;
                    for (const auto& line : head.split('\n')) {
                        if (line.toLower().startsWith("content-length:")) {
                            len = line.mid(15).trimmed().toLongLong();
                        }
                    }
                    if (buf->size() < end + 4 + len) {
                        return;
                    }
                    got.push_back({head.left(head.indexOf("\r\n")), buf->mid(end + 4, len), clock.elapsed()});
                    s->write("HTTP/1.1 " + QByteArray::number(code) + " X\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer);
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        clock.start();
    }
    QString url(const QString& path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }
    int code;
    QByteArray answer;
    std::vector<Received> got;
    QElapsedTimer clock;

private:
    QTcpServer m_server;
};

/// A tiny SMTP sink: no STARTTLS offered, records the DATA of each message.
class SmtpSink : public QObject {
public:
    SmtpSink()
    {
        m_server.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                auto buf = std::make_shared<QByteArray>();
                auto inData = std::make_shared<bool>(false);
                s->write("220 sink ESMTP\r\n");
                connect(s, &QTcpSocket::readyRead, s, [this, s, buf, inData] {
                    *buf += s->readAll();
                    for (;;) {
                        if (*inData) {
                            const auto end = buf->indexOf("\r\n.\r\n");
                            if (end < 0) {
                                return;
                            }
                            messages.push_back(buf->left(end));
                            buf->remove(0, end + 5);
                            *inData = false;
                            s->write("250 queued\r\n");
                            continue;
                        }
                        const auto nl = buf->indexOf("\r\n");
                        if (nl < 0) {
                            return;
                        }
                        const QByteArray cmd = buf->left(nl);
                        buf->remove(0, nl + 2);
                        commands.push_back(cmd);
                        const QByteArray verb = cmd.left(4).toUpper();
                        if (verb == "EHLO") {
                            s->write("250-sink\r\n250 8BITMIME\r\n");
                        } else if (verb == "DATA") {
                            *inData = true;
                            s->write("354 go\r\n");
                        } else if (verb == "QUIT") {
                            s->write("221 bye\r\n");
                            s->disconnectFromHost();
                            return;
                        } else {
                            s->write("250 ok\r\n");
                        }
                    }
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    std::vector<QByteArray> messages;
    std::vector<QByteArray> commands;

private:
    QTcpServer m_server;
};

proto::AlarmEvent sampleEvent()
{
    proto::Alarm a;
    a.id = 4;
    a.key = "vrrp.fault:VI_1";
    a.rule = "vrrp.fault";
    a.severity = proto::AlarmSeverity::Critical;
    a.node = "lb1";
    a.subject = "VI_1";
    a.message = "VRRP instance VI_1 is in FAULT";
    a.raisedAt = 1'700'000'000;
    return proto::AlarmEvent{"lb1", "raised", a};
}

std::optional<proto::AlarmsListResult> alarmsList(LineClient& c)
{
    auto r = c.call(std::string(m::AlarmsList.name), rpc::Json::object());
    if (!r || !r->contains("result")) {
        return std::nullopt;
    }
    auto v = proto::fromJson<proto::AlarmsListResult>((*r)["result"]);
    return v ? std::optional(*v) : std::nullopt;
}

} // namespace

// The cases live outside the QObject: moc loses its way in some of their raw strings.
class NotifyCases {
public:
    void deliveryLatency();
    void formats()
    {
        const auto ev = sampleEvent();
        const auto text = alarmText(ev);
        QVERIFY(text.find("lb1") != std::string::npos);
        QVERIFY(text.find("critical") != std::string::npos);
        QVERIFY(text.find("告警") != std::string::npos);
        QVERIFY(text.find("VI_1 is in FAULT") != std::string::npos);
        const auto ding = webhookPayload(ChannelType::DingTalk, ev);
        QCOMPARE(ding["msgtype"].get<std::string>(), std::string("text"));
        QCOMPARE(ding["text"]["content"].get<std::string>(), text);
        const auto wecom = webhookPayload(ChannelType::WeCom, ev);
        QCOMPARE(wecom["text"]["content"].get<std::string>(), text);
        const auto feishu = webhookPayload(ChannelType::Feishu, ev);
        QCOMPARE(feishu["msg_type"].get<std::string>(), std::string("text"));
        QCOMPARE(feishu["content"]["text"].get<std::string>(), text);
        const auto generic = webhookPayload(ChannelType::Webhook, ev);
        QVERIFY(proto::fromJson<proto::AlarmEvent>(generic));
    }

    void dingtalkSignature()
    {
        // Checked against Qt's HMAC, base64 and percent-encoding: an independent implementation.
        const std::string secret = "SECexample+/=";
        const auto url = dingtalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=t", secret, 1700000000123);
        const QUrl u(QString::fromStdString(url));
        const QUrlQuery q(u);
        QCOMPARE(q.queryItemValue(QStringLiteral("timestamp")), QStringLiteral("1700000000123"));
        const QByteArray expected = QMessageAuthenticationCode::hash("1700000000123\n" + QByteArray::fromStdString(secret),
                                                                     QByteArray::fromStdString(secret),
                                                                     QCryptographicHash::Sha256)
                                        .toBase64();
        QCOMPARE(QByteArray::fromPercentEncoding(q.queryItemValue(QStringLiteral("sign"), QUrl::FullyEncoded).toLatin1()),
                 expected);
        QVERIFY(url.find("access_token=t&timestamp=") != std::string::npos);
        QCOMPARE(dingtalkSignedUrl("http://x/", "", 1), std::string("http://x/"));
    }

    void answers()
    {
        std::string why;
        QVERIFY(webhookAccepted(ChannelType::DingTalk, 200, R"({"errcode":0,"errmsg":"ok"})", why));
        QVERIFY(!webhookAccepted(ChannelType::DingTalk, 200, R"({"errcode":310000,"errmsg":"sign not match"})", why));
        QVERIFY(why.find("310000") != std::string::npos);
        QVERIFY(!webhookAccepted(ChannelType::Feishu, 200, R"({"code":19021,"msg":"sign match fail"})", why));
        QVERIFY(webhookAccepted(ChannelType::Feishu, 200, R"({"StatusCode":0})", why));
        QVERIFY(!webhookAccepted(ChannelType::WeCom, 500, "", why));
        QCOMPARE(why, std::string("HTTP 500"));
        QVERIFY(webhookAccepted(ChannelType::Webhook, 204, "", why));
        // A receiver's answer is outside input: a message that is not a string is left out, never
        // thrown over (the fuzz target found "errmsg":1 ending the process).
        QVERIFY(!webhookAccepted(ChannelType::DingTalk, 200, R"({"errcode":1,"errmsg":1})", why));
        QCOMPARE(why, std::string("refused: code 1"));
        QVERIFY(!webhookAccepted(ChannelType::Feishu, 200, R"({"code":2,"msg":{"a":1}})", why));
        QCOMPARE(why, std::string("refused: code 2"));
        QVERIFY(!webhookAccepted(ChannelType::WeCom, 200, R"({"errcode":3,"errmsg":null,"msg":"busy"})", why));
        QCOMPARE(why, std::string("refused: code 3 busy"));
        // A long message is cut, and control characters do not reach the log as they came.
        QVERIFY(!webhookAccepted(ChannelType::DingTalk, 200,
                                 R"({"errcode":4,"errmsg":"\n\u001b[2J)" + std::string(1000, 'x') + R"("})", why));
        QVERIFY2(why.size() <= 240, why.c_str());
        QVERIFY(why.find('\n') == std::string::npos && why.find('\x1b') == std::string::npos);
    }

    void channelConfig()
    {
        std::vector<std::string> w;
        auto ok = parseNotifyChannels(rpc::Json::parse(R"({"channels": {
            "d": {"type": "dingtalk", "url": "http://127.0.0.1/x", "secret": "s", "retries": 2, "colour": 1},
            "h": {"type": "exec", "command": ["/bin/true"], "min_severity": "critical"}}})"),
                                      w);
        QVERIFY(ok);
        QCOMPARE(ok->size(), std::size_t{2});
        QCOMPARE(w.size(), std::size_t{1});
        for (const char* bad : {R"({"channels": {"x": {"type": "pager", "url": "u"}}})",
                                R"({"channels": {"x": {"type": "exec"}}})",
                                R"({"channels": {"x": {"type": "smtp", "url": "smtp://h"}}})",
                                R"({"channels": {"x": {"type": "wecom", "url": "u", "retries": -1}}})",
                                R"({"channels": {"x": {"type": "wecom", "url": "u", "changes": ["opened"]}}})"}) {
            std::vector<std::string> w2;
            auto r = parseNotifyChannels(rpc::Json::parse(bad), w2);
            QVERIFY2(!r, bad);
            QVERIFY(r.error().message.find("[modules.notify.channels.x]") != std::string::npos);
        }
        NotifyChannel crit;
        crit.minSeverity = proto::AlarmSeverity::Critical;
        auto ev = sampleEvent();
        QVERIFY(channelWants(crit, ev));
        ev.alarm.severity = proto::AlarmSeverity::Warning;
        QVERIFY(!channelWants(crit, ev));
        ev.change = "acknowledged";
        crit.minSeverity = proto::AlarmSeverity::Info;
        QVERIFY(!channelWants(crit, ev));
    }

    void emailFormat()
    {
        NotifyChannel ch;
        ch.from = "hadeck@example.test";
        ch.to = {"ops@example.test", "dba@example.test"};
        auto ev = sampleEvent();
        ev.alarm.message = "line\n.dot";
        const auto msg = emailMessage(ch, ev, 1700000000);
        QVERIFY(msg.find("To: ops@example.test, dba@example.test\r\n") != std::string::npos);
        QVERIFY(msg.find("Subject: =?UTF-8?B?") != std::string::npos);
        QVERIFY(msg.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n") != std::string::npos);
        QVERIFY(msg.find("\r\n..dot") != std::string::npos); // dot-stuffed
        QVERIFY(msg.find("\n.dot") == std::string::npos || msg.find("\r\n.dot") == std::string::npos);
    }

    void deliverToLocalReceivers()
    {
        Receiver ding;
        Receiver wecom;
        Receiver feishu(200, R"({"code":0,"msg":"success"})");
        Receiver broken(500, "oops");
        Receiver limited;
        SmtpSink smtp;
        AgentProcess agent;
        const QString hookOut = agent.dir() + QStringLiteral("/hook.json");
        const QString hook = agent.dir() + QStringLiteral("/hook.sh");
        {
            QFile f(hook);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(("#!/bin/sh\ncat >> '" + hookOut + "'\n").toUtf8());
        }
        QFile::setPermissions(hook, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString channels =
            QStringLiteral("[modules.notify.channels.ding]\ntype = \"dingtalk\"\nurl = \"%1\"\nsecret = \"SECtest\"\n"
                           "[modules.notify.channels.wecom]\ntype = \"wecom\"\nurl = \"%2\"\n"
                           "[modules.notify.channels.feishu]\ntype = \"feishu\"\nurl = \"%3\"\n"
                           "[modules.notify.channels.broken]\ntype = \"webhook\"\nurl = \"%4\"\nretries = 2\nbackoff_ms = 100\n"
                           "changes = [\"raised\"]\n"
                           "[modules.notify.channels.mail]\ntype = \"smtp\"\nurl = \"smtp://127.0.0.1:%5\"\n"
                           "from = \"hadeck@example.test\"\nto = [\"ops@example.test\"]\n"
                           "[modules.notify.channels.limited]\ntype = \"wecom\"\nurl = \"%7\"\nrate_per_minute = 1\n"
                           "[modules.notify.channels.hook]\ntype = \"exec\"\ncommand = [\"%6\"]\n")
                .arg(ding.url(QStringLiteral("/robot/send?access_token=abc")), wecom.url(QStringLiteral("/cgi-bin/webhook/send?key=k")),
                     feishu.url(QStringLiteral("/open-apis/bot/v2/hook/x")), broken.url(QStringLiteral("/hook")))
                .arg(smtp.port())
                .arg(hook)
                .arg(limited.url(QStringLiteral("/limited")));
        agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 200\n"
                                         "[modules.apache]\nstatus_url = \"http://127.0.0.1:1/server-status?auto\"\n"
                                         "[modules.mysql]\nsocket = \"/nonexistent/mysqld.sock\"\n"
                                         "[modules.moosefs]\nport = 1\n"
                                         "[modules.alarms.rules.\"host.disk\"]\nthreshold = 0\nduration_s = 0\n") +
                          channels);
        QString error;
        QVERIFY2(agent.start(&error), qPrintable(error));
        LineClient c = LineClient::connectTo(agent.socketPath());
        QVERIFY(c.valid());

        // Each format reaches its receiver.
        QTRY_VERIFY_WITH_TIMEOUT(!ding.got.empty() && !wecom.got.empty() && !feishu.got.empty(), 10000);
        const auto dj = rpc::Json::parse(ding.got[0].body.toStdString());
        QCOMPARE(dj["msgtype"].get<std::string>(), std::string("text"));
        QVERIFY(dj["text"]["content"].get<std::string>().find("host.disk") != std::string::npos);
        QVERIFY(ding.got[0].requestLine.contains("access_token=abc&timestamp="));
        QVERIFY(ding.got[0].requestLine.contains("&sign="));
        const auto wj = rpc::Json::parse(wecom.got[0].body.toStdString());
        QVERIFY(wj["text"]["content"].get<std::string>().find("host.disk") != std::string::npos);
        const auto fj = rpc::Json::parse(feishu.got[0].body.toStdString());
        QCOMPARE(fj["msg_type"].get<std::string>(), std::string("text"));
        QVERIFY(fj["content"]["text"].get<std::string>().find("host.disk") != std::string::npos);

        // The mail reaches the sink.
        QTRY_VERIFY_WITH_TIMEOUT(!smtp.messages.empty(), 10000);
        QVERIFY(smtp.messages[0].contains("From: hadeck@example.test"));
        QVERIFY(smtp.messages[0].contains("host.disk"));
        QVERIFY(std::any_of(smtp.commands.begin(), smtp.commands.end(),
                            [](const QByteArray& cmd) { return cmd.startsWith("RCPT TO:<ops@example.test>"); }));

        // The hook got the alarm event as JSON on stdin.
        QTRY_VERIFY_WITH_TIMEOUT(QFile(hookOut).size() > 0, 10000);
        {
            QFile f(hookOut);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const auto first = f.readLine();
            auto ev = proto::fromJson<proto::AlarmEvent>(rpc::Json::parse(first.toStdString()));
            QVERIFY(ev);
            QCOMPARE(ev->alarm.rule, std::string("host.disk"));
        }

        // The 500 receiver: 1 attempt + 2 retries with backoff, then the channel-failing alarm.
        std::optional<proto::AlarmsListResult> lr;
        QTRY_VERIFY_WITH_TIMEOUT((lr = alarmsList(c)) &&
                                     std::any_of(lr->active.begin(), lr->active.end(),
                                                 [](const proto::Alarm& a) {
                                                     return a.rule == "notify.channelFailing" && a.subject == "broken";
                                                 }),
                                 15000);
        QVERIFY(broken.got.size() >= 3);
        QVERIFY2(broken.got[1].atMs - broken.got[0].atMs >= 90, "first retry after the backoff");
        QVERIFY2(broken.got[2].atMs - broken.got[1].atMs >= 190, "second retry after twice the backoff");
        for (const auto& a : lr->active) {
            if (a.rule == "notify.channelFailing") {
                QVERIFY(a.message.find("HTTP 500") != std::string::npos);
            }
        }
        // And the failing channel is announced through the working ones.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(wecom.got.begin(), wecom.got.end(),
                                             [](const Received& r) { return r.body.contains("notify.channelFailing"); }),
                                 10000);
        // The broken receiver recovers: the next alarm goes through and clears the channel alarm.
        broken.code = 200;
        broken.answer = "{}";
        agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 200\n"
                                         "[modules.apache]\nstatus_url = \"http://127.0.0.1:1/server-status?auto\"\n"
                                         "[modules.mysql]\nsocket = \"/nonexistent/mysqld.sock\"\n"
                                         "[modules.moosefs]\nport = 1\n"
                                         "[modules.alarms.rules.\"host.disk\"]\nthreshold = 0\nduration_s = 0\n"
                                         "[modules.alarms.rules.\"host.load\"]\nthreshold = 0\nduration_s = 0\n") +
                          channels);
        ::kill(agent.pid(), SIGHUP);
        QTRY_VERIFY_WITH_TIMEOUT((lr = alarmsList(c)) &&
                                     std::none_of(lr->active.begin(), lr->active.end(),
                                                  [](const proto::Alarm& a) { return a.subject == "broken"; }),
                                 15000);
        // The rate-limited channel delivered one in this minute; the rest wait in its queue.
        QVERIFY(wecom.got.size() >= 2);
        QCOMPARE(limited.got.size(), std::size_t{1});
        QString why;
        QVERIFY2(agent.stopCleanly(&why), qPrintable(why));
    }
};

void NotifyCases::deliveryLatency()
{
    Receiver ding;
    AgentProcess agent;
    agent.writeConfig(QStringLiteral("[sample]\ninterval_ms = 200\n"
                                     "[modules.apache]\nstatus_url = \"http://127.0.0.1:1/server-status?auto\"\n"
                                     "[modules.mysql]\nsocket = \"/nonexistent/mysqld.sock\"\n"
                                     "[modules.moosefs]\nport = 1\n"
                                     "[modules.alarms.rules.\"host.disk\"]\nthreshold = 0\nduration_s = 0\n"
                                     "[modules.notify.channels.ding]\ntype = \"dingtalk\"\nurl = \"%1\"\n"
                                     "changes = [\"acknowledged\"]\nrate_per_minute = 100\n")
                          .arg(ding.url(QStringLiteral("/robot/send?access_token=abc"))));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    LineClient c = LineClient::connectTo(agent.socketPath());
    std::optional<proto::AlarmsListResult> lr;
    QTRY_VERIFY_WITH_TIMEOUT((lr = alarmsList(c)) && !lr->active.empty(), 10000);
    // From the alarms.ack request to the webhook POST at the receiver, 10 times.
    std::vector<qint64> ms;
    for (int i = 0; i < 10; ++i) {
        const auto before = ding.got.size();
        QElapsedTimer t;
        t.start();
        QVERIFY(c.call(std::string(m::AlarmsAck.name), rpc::Json{{"id", lr->active.front().id}}));
        QVERIFY(QTest::qWaitFor([&] { return ding.got.size() > before; }, 5000));
        ms.push_back(t.elapsed());
    }
    std::sort(ms.begin(), ms.end());
    qInfo("alarm delivery to a DingTalk receiver: median %lld ms, worst %lld ms (10 deliveries)",
          static_cast<long long>((ms[4] + ms[5]) / 2), static_cast<long long>(ms.back()));
    QVERIFY(ms.back() < 2000);
    QCOMPARE(agent.terminate(), 0);
}

class TestNotifyAgent : public QObject {
    Q_OBJECT
private slots:
    void formats() { NotifyCases().formats(); }
    void dingtalkSignature() { NotifyCases().dingtalkSignature(); }
    void answers() { NotifyCases().answers(); }
    void channelConfig() { NotifyCases().channelConfig(); }
    void emailFormat() { NotifyCases().emailFormat(); }
    void deliverToLocalReceivers() { NotifyCases().deliverToLocalReceivers(); }
    void deliveryLatency() { NotifyCases().deliveryLatency(); }
};

QTEST_GUILESS_MAIN(TestNotifyAgent)
#include "tst_notify_agent.moc"
