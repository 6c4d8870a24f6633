#include "hadeck/protocol/jsonrpc.h"
#include "hadeck/protocol/types.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::rpc;

class TestJsonRpc : public QObject {
    Q_OBJECT
private slots:
    void decodeRequest();
    void decodeBad_data();
    void decodeBad();
    void roundTrip();
    void framerSplitsLines();
    void framerEnforcesLimit();
    void framerLimitOnPartialLine();
    void helloRoundTrip();
    void helloMissingField();
    void permissionOrder();
};

void TestJsonRpc::decodeRequest()
{
    auto m = decode(R"({"jsonrpc":"2.0","id":7,"method":"agent.hello","params":{"client":"t"}})");
    QVERIFY(m.hasValue());
    const auto* req = std::get_if<Request>(&*m);
    QVERIFY(req);
    QCOMPARE(req->id.get<int>(), 7);
    QCOMPARE(QString::fromStdString(req->method), QStringLiteral("agent.hello"));
    QCOMPARE(QString::fromStdString(req->params["client"].get<std::string>()), QStringLiteral("t"));

    auto n = decode(R"({"jsonrpc":"2.0","method":"state.delta","params":[1]})");
    QVERIFY(n.hasValue());
    QVERIFY(std::holds_alternative<Notification>(*n));

    auto r = decode(R"({"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"no"}})");
    QVERIFY(r.hasValue());
    const auto* resp = std::get_if<Response>(&*r);
    QVERIFY(resp && resp->error);
    QCOMPARE(resp->error->code, -32601);
}

void TestJsonRpc::decodeBad_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("keepsId");
    QTest::newRow("not json") << QByteArray("{nope") << int(ParseError) << false;
    QTest::newRow("truncated") << QByteArray(R"({"jsonrpc":"2.0","id":1,"meth)") << int(ParseError) << false;
    QTest::newRow("array batch") << QByteArray("[]") << int(InvalidRequest) << false;
    QTest::newRow("scalar") << QByteArray("42") << int(InvalidRequest) << false;
    QTest::newRow("no version") << QByteArray(R"({"id":3,"method":"x"})") << int(InvalidRequest) << true;
    QTest::newRow("method number") << QByteArray(R"({"jsonrpc":"2.0","id":3,"method":5})") << int(InvalidRequest) << true;
    QTest::newRow("params string") << QByteArray(R"({"jsonrpc":"2.0","id":3,"method":"a","params":"x"})")
                                   << int(InvalidRequest) << true;
    QTest::newRow("id object") << QByteArray(R"({"jsonrpc":"2.0","id":{},"method":"a"})") << int(InvalidRequest) << false;
    QTest::newRow("both result and error")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1}})") << int(InvalidRequest) << true;
    QTest::newRow("deep nesting") << QByteArray(100000, '[') << int(ParseError) << false;
    QTest::newRow("bad utf8") << QByteArray("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}") << int(ParseError)
                              << false;
}

void TestJsonRpc::decodeBad()
{
    QFETCH(QByteArray, line);
    QFETCH(int, code);
    QFETCH(bool, keepsId);
    auto m = decode(std::string_view(line.constData(), static_cast<std::size_t>(line.size())));
    QVERIFY(!m.hasValue());
    QCOMPARE(m.error().error.code, code);
    QVERIFY(!m.error().error.message.empty());
    QCOMPARE(m.error().id.is_null(), !keepsId);
}

void TestJsonRpc::roundTrip()
{
    const Response r = makeError(Json("x"), PermissionDenied, "needs group hadeck-operator", Json{{"group", "hadeck-operator"}});
    auto back = decode(encode(r));
    QVERIFY(back.hasValue());
    const auto& got = std::get<Response>(*back);
    QCOMPARE(got.id.get<std::string>(), std::string("x"));
    QCOMPARE(got.error->code, int(PermissionDenied));
    QCOMPARE(got.error->data["group"].get<std::string>(), std::string("hadeck-operator"));
    // Encoded messages are single lines, whatever the payload holds.
    const std::string line = encode(Notification{"event", Json{{"text", "a\nb"}}});
    QVERIFY(line.find('\n') == std::string::npos);
}

void TestJsonRpc::framerSplitsLines()
{
    LineFramer f(64);
    std::vector<std::string> out;
    QVERIFY(f.feed("{\"a\":1}\r\n{\"b\"", out));
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out[0], std::string("{\"a\":1}"));
    QVERIFY(f.feed(":2}\n\n", out));
    QCOMPARE(out.size(), std::size_t(2));
    QCOMPARE(out[1], std::string("{\"b\":2}"));
    QCOMPARE(f.buffered(), std::size_t(0));
}

void TestJsonRpc::framerEnforcesLimit()
{
    LineFramer f(16);
    std::vector<std::string> out;
    QVERIFY(!f.feed(std::string(17, 'x') + "\n", out));
    QVERIFY(f.overflowed());
    QVERIFY(out.empty());
    QVERIFY(!f.feed("{}\n", out)); // stays closed
}

void TestJsonRpc::framerLimitOnPartialLine()
{
    LineFramer f(16);
    std::vector<std::string> out;
    QVERIFY(f.feed(std::string(16, 'x'), out));
    QVERIFY(!f.feed("y", out));
    QVERIFY(f.overflowed());
}

void TestJsonRpc::helloRoundTrip()
{
    proto::HelloResult h;
    h.agentVersion = "0.1.0";
    h.node = "dir1";
    h.roles = {proto::Role::Director, proto::Role::Gateway};
    h.capabilities = {"agent.hello"};
    h.user = "alice";
    h.permission = proto::PermissionLevel::Operate;
    const auto back = proto::fromJson<proto::HelloResult>(Json(h));
    QVERIFY(back.hasValue());
    QCOMPARE(back->node, std::string("dir1"));
    QCOMPARE(back->roles.size(), std::size_t(2));
    QVERIFY(back->permission == proto::PermissionLevel::Operate);
}

void TestJsonRpc::helloMissingField()
{
    const auto back = proto::fromJson<proto::HelloResult>(Json{{"node", "x"}});
    QVERIFY(!back.hasValue());
    QCOMPARE(back.error().code, int(InvalidParams));
}

void TestJsonRpc::permissionOrder()
{
    QVERIFY(proto::PermissionLevel::Admin > proto::PermissionLevel::Operate);
    QCOMPARE(QString::fromUtf8(proto::groupFor(proto::PermissionLevel::Operate).data()),
             QStringLiteral("hadeck-operator"));
    QVERIFY(proto::permissionFromString("admin") == proto::PermissionLevel::Admin);
    QVERIFY(!proto::permissionFromString("root"));
}

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "tst_jsonrpc.moc"
