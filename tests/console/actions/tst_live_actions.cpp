// The console's direct actions (LiveActions: restore, set weight) against a bad agent whose
// replies are well-formed JSON of the wrong shape: each ends with a message naming what came
// back, never with a half-read reply or the end of the process (issue 18, item 15).

#include "hadeck/console/actions/live_actions.h"
#include "hadeck/console/model/clustermodel.h"

#include <hadeck/protocol/methods.h>

#include <QTimer>
#include <QtTest>

#include <optional>

using namespace hadeck;
using namespace hadeck::console;

namespace {

class MalformedRpc final : public ClusterRpc {
public:
    QStringList called;

    [[nodiscard]] QStringList directors() const override { return {QStringLiteral("dir1"), QStringLiteral("dir2")}; }
    [[nodiscard]] QString nodeForAddress(const QString&) const override { return {}; }
    [[nodiscard]] bool isOnline(const QString&) const override { return true; }
    [[nodiscard]] QString userOn(const QString&) const override { return QStringLiteral("root"); }

    void call(const QString& node, const QString& method, rpc::Json, Handler handler, int) override
    {
        called << node + QLatin1Char(' ') + method;
        // Every field a reply might have, of the wrong type.
        const RpcResult answer = rpc::Json{{"restored", 3},     {"address", 5}, {"port", "eighty"},
                                           {"weight", "heavy"}, {"id", false},  {"matched", rpc::Json::array()}};
        QTimer::singleShot(5, &m_context, [handler = std::move(handler), answer] { handler(answer); });
    }

private:
    QObject m_context;
};

} // namespace

class TestLiveActions : public QObject {
    Q_OBJECT
private slots:
    void restoreSaysWhatCameBack();
    void setWeightSaysWhatCameBack();
};

void TestLiveActions::restoreSaysWhatCameBack()
{
    MalformedRpc rpc;
    ClusterModel model(QStringLiteral("t"));
    LiveActions actions(rpc, model);
    std::optional<std::pair<bool, QString>> result;
    actions.restore(QStringLiteral("web1"), [&](bool ok, const QString& message) { result = {ok, message}; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(!result->first);
    QVERIFY2(result->second.contains(QLatin1String("dir1: ")) && result->second.contains(QLatin1String("dir2: ")) &&
                 result->second.contains(QLatin1String("invalid payload")),
             qPrintable(result->second));
    QCOMPARE(rpc.called.size(), 2);
}

void TestLiveActions::setWeightSaysWhatCameBack()
{
    MalformedRpc rpc;
    ClusterModel model(QStringLiteral("t"));
    LiveActions actions(rpc, model);
    std::optional<std::pair<bool, QString>> result;
    actions.setWeight(QStringLiteral("dir1"), QStringLiteral("TCP 198.18.0.100:80"), QStringLiteral("198.18.0.21:80"),
                      50, [&](bool ok, const QString& message) {
                          result = {ok, message};
                      });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(!result->first);
    QVERIFY2(result->second.contains(QLatin1String("invalid payload")), qPrintable(result->second));
    QCOMPARE(rpc.called, QStringList{QStringLiteral("dir1 ") + methodName(proto::methods::IpvsSetWeight)});
}

QTEST_GUILESS_MAIN(TestLiveActions)
#include "tst_live_actions.moc"
