// The decode thread's pass over a batch of lines (detail::LineDecoder): newest
// first, a state.delta whose topic a later snapshot replaces is marked superseded
// and decoded by nobody; a kept ipvs line goes through the fast decoder, other
// topics through the generic NotificationDecoder; a malformed line stays an error;
// the batch keeps the lines' order.

#include "linedecoder.h"

#include <hadeck/protocol/fastwire.h>
#include <hadeck/protocol/methods.h>
#include <hadeck/protocol/payloads.h>

#include <QTest>

using namespace hadeck;
using console::detail::DecodedBatch;
using console::detail::LineDecoder;
using console::detail::LineInbox;

namespace {

QByteArray deltaLine(std::string_view topic, bool snapshot, rpc::Json payload)
{
    return QByteArray::fromStdString(rpc::encode(rpc::Notification{
        std::string(proto::notify::StateDelta),
        proto::stateDeltaParams(proto::StateDeltaHead{std::string(topic), snapshot}, std::move(payload))}));
}

QByteArray ipvsLine(bool snapshot, std::uint32_t weight)
{
    proto::IpvsTopic t;
    t.snapshot = snapshot;
    proto::VirtualService vs;
    vs.protocol = "tcp";
    vs.address = "198.18.0.100";
    vs.port = 80;
    proto::RealServer rs;
    rs.address = "198.18.1.11";
    rs.port = 80;
    rs.weight = weight;
    vs.realServers = {rs};
    t.services = {vs};
    return deltaLine(proto::topic::Ipvs, snapshot, proto::toJson(t));
}

} // namespace

class TestLineDecoder : public QObject {
    Q_OBJECT
private slots:
    void supersededFastAndGeneric()
    {
        if (!rpc::FastReader::available()) {
            QSKIP("built without simdjson: the generic path takes every line");
        }
        auto current = std::make_shared<std::atomic<quint64>>(1);
        auto inbox = std::make_shared<LineInbox>();
        inbox->generation = 1;
        int genericCalls = 0;
        int fastCalls = 0;
        std::vector<std::uint32_t> fastWeights;
        LineDecoder decoder(
            [&](const std::string&, rpc::Json&) -> std::any {
                ++genericCalls;
                return std::string("generic");
            },
            [&](const rpc::FastReader& reader) -> std::any {
                ++fastCalls;
                auto t = reader.ipvsTopic();
                if (!t) {
                    return {};
                }
                fastWeights.push_back(t->services.at(0).realServers.at(0).weight);
                return std::string("fast");
            },
            current, inbox);
        std::shared_ptr<DecodedBatch> got;
        connect(&decoder, &LineDecoder::decoded, this, [&](quint64 generation, std::shared_ptr<DecodedBatch> batch) {
            QCOMPARE(generation, quint64{1});
            got = std::move(batch);
        });
        proto::VrrpTopic vrrp;
        vrrp.snapshot = true;
        inbox->lines = {ipvsLine(false, 1),
                        ipvsLine(true, 2),
                        deltaLine(proto::topic::Vrrp, true, proto::toJson(vrrp)),
                        ipvsLine(true, 3),
                        QByteArrayLiteral("{\"jsonrpc\":\"2.0\",\"method\":"),
                        ipvsLine(false, 4)};
        decoder.decodeInbox();
        QVERIFY(got);
        QCOMPARE(got->size(), std::size_t{6});
        const auto& b = *got;
        QVERIFY(b[0]->superseded); // replaced by the snapshot at 3
        QVERIFY(b[1]->superseded);
        QVERIFY(!b[2]->superseded);
        QVERIFY(!b[3]->superseded);
        QVERIFY(!b[5]->superseded); // a delta after the snapshot is kept
        QVERIFY(!b[0]->decoded.has_value());
        QVERIFY(!b[1]->decoded.has_value());
        QCOMPARE(std::any_cast<std::string>(b[2]->decoded), std::string("generic"));
        QCOMPARE(std::any_cast<std::string>(b[3]->decoded), std::string("fast"));
        QCOMPARE(std::any_cast<std::string>(b[5]->decoded), std::string("fast"));
        QCOMPARE(b[3]->topic, std::string(proto::topic::Ipvs));
        QVERIFY(b[3]->snapshot);
        QVERIFY(b[2]->message);
        QVERIFY(!b[4]->message); // malformed: the client drops the connection with this error
        QCOMPARE(genericCalls, 1);
        QCOMPARE(fastCalls, 3); // the ipvs lines 5 and 3, and the vrrp line (left to the generic path)
        QCOMPARE(fastWeights, (std::vector<std::uint32_t>{4, 3}));
        for (std::size_t i = 0; i < b.size(); ++i) {
            QVERIFY(b[i]->size > 0);
        }
    }

    // Without a fast decoder every kept line takes the generic path, as before.
    void withoutFastDecoder()
    {
        auto current = std::make_shared<std::atomic<quint64>>(1);
        auto inbox = std::make_shared<LineInbox>();
        inbox->generation = 1;
        int genericCalls = 0;
        LineDecoder decoder(
            [&](const std::string&, rpc::Json& params) -> std::any {
                ++genericCalls;
                return params.size();
            },
            {}, current, inbox);
        std::shared_ptr<DecodedBatch> got;
        connect(&decoder, &LineDecoder::decoded, this,
                [&](quint64, std::shared_ptr<DecodedBatch> batch) { got = std::move(batch); });
        inbox->lines = {ipvsLine(true, 1), ipvsLine(true, 2)};
        decoder.decodeInbox();
        QVERIFY(got);
        QVERIFY((*got)[0]->superseded);
        QVERIFY(!(*got)[1]->superseded);
        QCOMPARE(genericCalls, 1);
        const auto* note = std::get_if<rpc::Notification>(&*(*got)[1]->message);
        QVERIFY(note != nullptr);
        QVERIFY(note->params.contains("services")); // the whole params for raw subscribers
    }
};

QTEST_GUILESS_MAIN(TestLineDecoder)
#include "tst_linedecoder.moc"
