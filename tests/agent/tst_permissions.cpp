// Permission mapping and the dispatcher's refusals, without a socket.

#include "hadeck/agent/audit_log.h"
#include "hadeck/agent/permissions.h"
#include "hadeck/agent/registry.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::agent;
using proto::PermissionLevel;

Q_DECLARE_METATYPE(PermissionLevel)

namespace {
// Collects what the dispatcher sends to one client.
class CollectingSink final : public ClientSink {
public:
    void sendLine(std::string_view line) override { lines.emplace_back(line); }
    [[nodiscard]] int clientId() const override { return 7; }
    std::vector<std::string> lines;
};
} // namespace

class TestPermissions : public QObject {
    Q_OBJECT
private slots:
    void levelFor_data();
    void levelFor();
    void identifyRoot();
    void dispatch_data();
    void dispatch();
    void lateAndMissingAnswers();
    void auditsChanges();
};

void TestPermissions::levelFor_data()
{
    QTest::addColumn<int>("uid");
    QTest::addColumn<QStringList>("groups");
    QTest::addColumn<PermissionLevel>("level");
    QTest::newRow("root without groups") << 0 << QStringList{} << PermissionLevel::Admin;
    QTest::newRow("nobody") << 1000 << QStringList{QStringLiteral("users")} << PermissionLevel::None;
    QTest::newRow("reader") << 1000 << QStringList{QStringLiteral("users"), QStringLiteral("hadeck")}
                            << PermissionLevel::Read;
    QTest::newRow("operator only") << 1000 << QStringList{QStringLiteral("hadeck-operator")}
                                   << PermissionLevel::Operate;
    QTest::newRow("admin beats reader") << 1000
                                        << QStringList{QStringLiteral("hadeck"), QStringLiteral("hadeck-admin")}
                                        << PermissionLevel::Admin;
    QTest::newRow("look-alike group") << 1000 << QStringList{QStringLiteral("hadeck-admins")}
                                      << PermissionLevel::None;
}

void TestPermissions::levelFor()
{
    QFETCH(int, uid);
    QFETCH(QStringList, groups);
    QFETCH(PermissionLevel, level);
    std::vector<std::string> g;
    for (const auto& s : groups) {
        g.push_back(s.toStdString());
    }
    QCOMPARE(int(agent::levelFor(static_cast<uid_t>(uid), g)), int(level));
}

void TestPermissions::identifyRoot()
{
    const PeerIdentity id = identify(0, 0);
    QCOMPARE(id.user, std::string("root"));
    QCOMPARE(int(id.level), int(PermissionLevel::Admin));
    QVERIFY(std::find(id.groups.begin(), id.groups.end(), "root") != id.groups.end());
    const PeerIdentity ghost = identify(4000000, 4000000);
    QCOMPARE(ghost.user, std::string("uid 4000000"));
    QCOMPARE(int(ghost.level), int(PermissionLevel::None));
}

void TestPermissions::dispatch_data()
{
    QTest::addColumn<PermissionLevel>("caller");
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("group");
    QTest::newRow("reader reads") << PermissionLevel::Read << QStringLiteral("t.read") << 0 << QString();
    QTest::newRow("none refused read") << PermissionLevel::None << QStringLiteral("t.read")
                                       << int(rpc::PermissionDenied) << QStringLiteral("hadeck");
    QTest::newRow("reader refused operate") << PermissionLevel::Read << QStringLiteral("t.operate")
                                            << int(rpc::PermissionDenied) << QStringLiteral("hadeck-operator");
    QTest::newRow("operator operates") << PermissionLevel::Operate << QStringLiteral("t.operate") << 0 << QString();
    QTest::newRow("operator refused admin") << PermissionLevel::Operate << QStringLiteral("t.admin")
                                            << int(rpc::PermissionDenied) << QStringLiteral("hadeck-admin");
    QTest::newRow("admin administers") << PermissionLevel::Admin << QStringLiteral("t.admin") << 0 << QString();
    QTest::newRow("unknown") << PermissionLevel::Admin << QStringLiteral("t.nope") << int(rpc::MethodNotFound)
                             << QString();
    QTest::newRow("handler throws") << PermissionLevel::Admin << QStringLiteral("t.throws") << int(rpc::InternalError)
                                    << QString();
    QTest::newRow("handler forgets to answer")
        << PermissionLevel::Admin << QStringLiteral("t.silent") << int(rpc::InternalError) << QString();
}

void TestPermissions::dispatch()
{
    QFETCH(PermissionLevel, caller);
    QFETCH(QString, method);
    QFETCH(int, code);
    QFETCH(QString, group);
    MethodRegistry registry;
    const auto ok = [](const CallContext& c, const Json&, Responder r) { r.result(Json{{"user", c.user}}); };
    registry.add("t.read", PermissionLevel::Read, ok, "");
    registry.add("t.operate", PermissionLevel::Operate, ok, "");
    registry.add("t.admin", PermissionLevel::Admin, ok, "");
    registry.add("t.throws", PermissionLevel::Read, [](const CallContext&, const Json&, Responder) {
        throw std::runtime_error("boom");
    }, "");
    registry.add("t.silent", PermissionLevel::Read, [](const CallContext&, const Json&, Responder) {}, "");

    auto sink = std::make_shared<CollectingSink>();
    CallContext ctx;
    ctx.user = "alice";
    ctx.level = caller;
    ctx.clientId = 7;
    registry.dispatch(ctx, rpc::Request{42, method.toStdString(), nullptr}, Responder(sink, 42, true, method.toStdString()));
    QCOMPARE(sink->lines.size(), std::size_t(1));
    const auto j = Json::parse(sink->lines[0]);
    QCOMPARE(j["id"].get<int>(), 42);
    if (code == 0) {
        QCOMPARE(QString::fromStdString(j["result"]["user"].get<std::string>()), QStringLiteral("alice"));
        return;
    }
    QCOMPARE(j["error"]["code"].get<int>(), code);
    if (!group.isEmpty()) {
        const QString message = QString::fromStdString(j["error"]["message"].get<std::string>());
        QVERIFY2(message.contains(QStringLiteral("\"%1\"").arg(group)), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("alice")));
        QCOMPARE(QString::fromStdString(j["error"]["data"]["group"].get<std::string>()), group);
    }
}

void TestPermissions::lateAndMissingAnswers()
{
    MethodRegistry registry;
    std::optional<Responder> parked;
    registry.add("t.later", PermissionLevel::Read, [&](const CallContext&, const Json&, Responder r) {
        parked.emplace(std::move(r));
    }, "");
    auto sink = std::make_shared<CollectingSink>();
    CallContext ctx;
    ctx.level = PermissionLevel::Read;
    registry.dispatch(ctx, rpc::Request{1, "t.later", nullptr}, Responder(sink, 1, true, "t.later"));
    QVERIFY(sink->lines.empty());
    parked->result(5);
    parked->result(6); // a second answer is ignored
    QCOMPARE(sink->lines.size(), std::size_t(1));
    QCOMPARE(Json::parse(sink->lines[0])["result"].get<int>(), 5);

    // A client gone before the answer: nothing is sent, nothing crashes.
    std::weak_ptr<CollectingSink> weak;
    {
        auto gone = std::make_shared<CollectingSink>();
        weak = gone;
        registry.dispatch(ctx, rpc::Request{2, "t.later", nullptr}, Responder(gone, 2, true, "t.later"));
    }
    QVERIFY(!parked->connected());
    parked->result(1);

    // Notifications get no answer, even an error.
    registry.dispatch(ctx, rpc::Request{nullptr, "t.nope", nullptr}, Responder(sink, nullptr, false, "t.nope"));
    QCOMPARE(sink->lines.size(), std::size_t(1));
}

void TestPermissions::auditsChanges()
{
    QTemporaryDir dir;
    AuditLog audit((dir.path() + QStringLiteral("/audit.log")).toStdString());
    MethodRegistry registry;
    registry.setAuditLog(&audit);
    registry.add("t.read", PermissionLevel::Read, [](const CallContext&, const Json&, Responder r) { r.result(1); }, "");
    registry.add("t.operate", PermissionLevel::Operate,
                 [](const CallContext&, const Json&, Responder r) { r.result(2); }, "");
    auto sink = std::make_shared<CollectingSink>();
    CallContext ctx;
    ctx.user = "bob";
    ctx.level = PermissionLevel::Operate;

    // Not open yet: changes are refused, reads still work.
    registry.dispatch(ctx, rpc::Request{1, "t.operate", nullptr}, Responder(sink, 1, true, "t.operate"));
    QCOMPARE(Json::parse(sink->lines.back())["error"]["code"].get<int>(), int(rpc::PreconditionFailed));
    registry.dispatch(ctx, rpc::Request{2, "t.read", nullptr}, Responder(sink, 2, true, "t.read"));
    QVERIFY(Json::parse(sink->lines.back()).contains("result"));

    QVERIFY(audit.open());
    registry.dispatch(ctx, rpc::Request{3, "t.operate", Json{{"w", 0}}}, Responder(sink, 3, true, "t.operate"));
    registry.dispatch(ctx, rpc::Request{4, "t.read", nullptr}, Responder(sink, 4, true, "t.read"));
    ctx.level = PermissionLevel::Read;
    registry.dispatch(ctx, rpc::Request{5, "t.operate", nullptr}, Responder(sink, 5, true, "t.operate"));
    // Refusals are written by the log's writer thread: wait for them, then nothing more comes.
    const auto lines = [&] {
        auto v = AuditLog::verify(audit.path());
        return v && v->ok ? v->lines : std::size_t(0);
    };
    // The change's intent and outcome, and the refused change; reads are not audited.
    QTRY_COMPARE_WITH_TIMEOUT(lines(), std::size_t(3), 5000);
    QFile log(QString::fromStdString(audit.path().string()));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QCOMPARE(text.count("\"intent\""), 1);
    QCOMPARE(text.count("\"outcome\""), 1);
    QCOMPARE(text.count("\"refused\""), 1);
    QCOMPARE(AuditLog::verify(audit.path())->ok, true);
}

QTEST_GUILESS_MAIN(TestPermissions)
#include "tst_permissions.moc"
