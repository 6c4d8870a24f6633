// The fast reader of state.delta lines (rpc::FastReader, decodeStateDelta(reader))
// against the generic path (rpc::decode, decodeStateDelta(params)): what the fast
// reader accepts decodes to exactly what the generic path makes of it, and
// nothing the generic path refuses is accepted by the fast one.

#include "hadeck/console/model/fastdelta.h"
#include "hadeck/console/model/statedelta.h"
#include "synthetic/syntheticcluster.h"
#include "tst_fastdelta_lines.h"

#include <hadeck/protocol/fastwire.h>
#include <hadeck/protocol/methods.h>
#include <hadeck/protocol/payloads.h>

#include <QTest>

using hadeck::console::StateDelta;
namespace proto = hadeck::proto;
namespace rpc = hadeck::rpc;
using Json = hadeck::rpc::Json;

namespace {

Json realServer(Json weight, Json port = 80)
{
    return Json{{"af", 4},
                {"address", "198.18.1.11"},
                {"port", std::move(port)},
                {"forward", "route"},
                {"weight", std::move(weight)},
                {"stats", Json{{"conns", 7}, {"inbps", 1234}}}};
}

Json service(Json realServers, Json port = 80)
{
    return Json{{"af", 4},
                {"protocol", "tcp"},
                {"address", "198.18.0.100"},
                {"port", std::move(port)},
                {"scheduler", "wlc"},
                {"realServers", std::move(realServers)}};
}

Json with(Json j, const Json& extra)
{
    j.update(extra);
    return j;
}

std::string line(const Json& params)
{
    return rpc::encode(rpc::Notification{std::string(proto::notify::StateDelta), params});
}

Json ipvs(Json services, bool snapshot = true)
{
    Json p{{"topic", "ipvs"}, {"services", std::move(services)}};
    if (snapshot) {
        p["snapshot"] = true;
    }
    return p;
}

/// The generic path's verdict on a line: the delta, or nullopt when it refuses it.
std::optional<StateDelta> generic(const std::string& text)
{
    auto msg = rpc::decode(text);
    if (!msg) {
        return std::nullopt;
    }
    const auto* note = std::get_if<rpc::Notification>(&*msg);
    if (note == nullptr) {
        return std::nullopt;
    }
    auto d = hadeck::console::decodeStateDelta(note->params);
    if (!d) {
        return std::nullopt;
    }
    return std::move(*d);
}

std::optional<StateDelta> fast(const std::string& text)
{
    rpc::FastReader reader;
    if (!reader.readStateDelta(text)) {
        return std::nullopt;
    }
    return hadeck::console::decodeStateDelta(reader);
}

bool same(const StateDelta& a, const StateDelta& b)
{
    return a.topic == b.topic && a.snapshot == b.snapshot && a.services == b.services &&
           a.removedServices == b.removedServices && a.removedDests == b.removedDests;
}

} // namespace

class TestFastDelta : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!rpc::FastReader::available()) {
            QSKIP("built without simdjson: the generic path takes every line");
        }
    }

    void sameAsGeneric_data()
    {
        QTest::addColumn<QByteArray>("text");
        const auto add = [](const char* name, const std::string& text) {
            QTest::newRow(name) << QByteArray::fromStdString(text);
        };
        add("one row", line(ipvs(Json::array({service(Json::array({realServer(65535)}))}))));
        add("delta with removals",
            line(Json{{"topic", "ipvs"},
                      {"services", Json::array({service(Json::array({realServer(3)}))})},
                      {"removedServices", Json::array({"TCP 198.18.0.101:80"})},
                      {"removedDests",
                       Json::array({Json{{"service", "TCP 198.18.0.100:80"}, {"endpoint", "198.18.1.12:80"}}})}}));
        Json fwm = Json{{"af", 6},
                        {"fwmark", 7},
                        {"scheduler", "rr"},
                        {"persistent", true},
                        {"timeout", 300},
                        {"netmask", "128"},
                        {"pe", "sip"},
                        {"flags", 3},
                        {"realServers", Json::array({Json{{"af", 6},
                                                          {"address", "2001:db8::1"},
                                                          {"port", 0},
                                                          {"forward", "masq"},
                                                          {"uthreshold", 9},
                                                          {"lthreshold", 2},
                                                          {"active", 1},
                                                          {"inactive", 2},
                                                          {"persistent", 3}}})}};
        add("fwmark v6 service", line(ipvs(Json::array({fwm}))));
        add("unknown keys",
            line(with(ipvs(Json::array({service(Json::array({realServer(1)}))})),
                      Json{{"backend", "netlink"}, {"future", Json{{"a", Json::array({1, 2.5, nullptr})}}}})));
        add("escapes in strings", fastdelta_lines::kLine0);
        add("duplicate keys, the last one wins", fastdelta_lines::kLine1);
        add("key order of the envelope", fastdelta_lines::kLine2);
        add("weight 0 and uint32 counters at their top",
            line(ipvs(Json::array({service(Json::array({Json{{"address", "198.18.1.11"},
                                                             {"port", 65535},
                                                             {"weight", 0},
                                                             {"active", 4294967295U},
                                                             {"stats", Json{{"inbytes", std::uint64_t(-1)}}}}}))}))));
        hadeck::testing::SyntheticOptions o;
        o.directors = 1;
        o.realServers = 40;
        o.services = 5;
        hadeck::testing::SyntheticCluster source{o};
        add("synthetic snapshot", source.ipvsSnapshotLines().at(0));
        add("synthetic delta", source.ipvsDeltaLines(0.2).at(0));
    }

    void sameAsGeneric()
    {
        QFETCH(QByteArray, text);
        const auto g = generic(text.toStdString());
        QVERIFY2(g, "the generic path refuses the line");
        const auto f = fast(text.toStdString());
        QVERIFY2(f, "the fast reader leaves the line to the generic path");
        QVERIFY(same(*f, *g));
    }

    // Whatever the generic path refuses, the fast reader does not accept (it leaves the
    // line to the generic path, which says what is wrong).
    void neverAcceptsWhatGenericRefuses_data()
    {
        QTest::addColumn<QByteArray>("text");
        const auto add = [](const char* name, const std::string& text) {
            QTest::newRow(name) << QByteArray::fromStdString(text);
        };
        const auto snap = [](const Json& rs) { return line(ipvs(Json::array({service(Json::array({rs}))}))); };
        add("weight -1", snap(realServer(-1)));
        add("weight 2^40", snap(realServer(std::uint64_t{1} << 40)));
        add("weight 65536", snap(realServer(65536)));
        add("weight 1e300", snap(realServer(1e300)));
        add("weight 1.5", snap(realServer(1.5)));
        add("weight 1.0", fastdelta_lines::kLine3);
        add("weight as a string", snap(realServer("7")));
        add("port 70000", snap(realServer(1, 70000)));
        add("counter 2^64", fastdelta_lines::kLine4);
        add("active -1", snap(Json{{"address", "b"}, {"port", 80}, {"active", -1}}));
        add("af 5", snap(Json{{"address", "b"}, {"port", 80}, {"af", 5}}));
        add("forward unknown", snap(Json{{"address", "b"}, {"port", 80}, {"forward", "nat"}}));
        add("real server without address", snap(Json{{"port", 80}}));
        add("real server without port", snap(Json{{"address", "b"}}));
        add("service port 0", line(ipvs(Json::array({service(Json::array(), 0)}))));
        add("service protocol icmp",
            line(ipvs(Json::array({with(service(Json::array()), Json{{"protocol", "icmp"}})}))));
        add("non-object service", line(ipvs(Json::array({42}))));
        add("services as an object", line(ipvs(Json::object({{"a", 1}}))));
        add("snapshot without services", line(Json{{"topic", "ipvs"}, {"snapshot", true}}));
        add("snapshot as a string", line(Json{{"topic", "ipvs"}, {"snapshot", "yes"}, {"services", Json::array()}}));
        add("removedServices as a string", line(Json{{"topic", "ipvs"}, {"removedServices", "TCP 198.18.0.100:80"}}));
        add("removedDests as strings", line(Json{{"topic", "ipvs"}, {"removedDests", Json::array({"x"})}}));
        add("removedDests without endpoint",
            line(Json{{"topic", "ipvs"}, {"removedDests", Json::array({Json{{"service", "x"}}})}}));
        add("a request, not a notification", fastdelta_lines::kLine5);
        add("jsonrpc 1.0", fastdelta_lines::kLine6);
        add("params an array", fastdelta_lines::kLine7);
        add("topic a number", fastdelta_lines::kLine8);
        add("trailing garbage", fastdelta_lines::kLine9);
        add("truncated", fastdelta_lines::kLine10);
        add("invalid UTF-8",
            "{\"jsonrpc\":\"2.0\",\"method\":\"state.delta\",\"params\":{\"topic\":\"ipvs\",\"backend\":\"\xff\xfe\",\"services\":[]}}");
        add("lone surrogate escape", fastdelta_lines::kLine11);
        add("control character in a string",
            "{\"jsonrpc\":\"2.0\",\"method\":\"state.delta\",\"params\":{\"topic\":\"ipvs\",\"backend\":\"a\x01\",\"services\":[]}}");
        std::string deep = fastdelta_lines::kLine12;
        deep += std::string(63, '[') + std::string(63, ']') + "}}"; // 65 levels with the envelope's two
        add("nested 65 deep", deep);
    }

    void neverAcceptsWhatGenericRefuses()
    {
        QFETCH(QByteArray, text);
        QVERIFY2(!generic(text.toStdString()), "the generic path accepts the line: the case tests nothing");
        QVERIFY(!fast(text.toStdString()));
    }

    // Nesting right at rpc::decode's limit (64) is read by both.
    void nestingAtTheLimit()
    {
        std::string deep = fastdelta_lines::kLine13;
        deep += std::string(62, '[') + std::string(62, ']') + "}}"; // 64 levels
        QVERIFY(generic(deep));
        QVERIFY(fast(deep));
    }

    // Other topics are left to the generic path; the head is still read.
    void otherTopicsHeadOnly()
    {
        rpc::FastReader reader;
        QVERIFY(reader.readStateDelta(line(Json{{"topic", "vrrp"}, {"snapshot", true}, {"instances", Json::array()}})));
        QCOMPARE(reader.head().topic, std::string("vrrp"));
        QVERIFY(reader.head().snapshot);
        QVERIFY(!hadeck::console::decodeStateDelta(reader));
    }
};

QTEST_GUILESS_MAIN(TestFastDelta)
#include "tst_fastdelta.moc"
