// The drain's configured weights, as read from keepalived.conf, are keyed by the IPVS
// services keepalived makes: fwmark services with port-0 dests, group-based services
// once per address and fwmark of the group, a service without protocol as UDP.

#include "hadeck/agent/actions/director_access.h"

#include <QtTest>

using namespace hadeck;
using namespace hadeck::agent;

namespace {

std::map<std::string, std::uint32_t> weightsOf(const QString& oracleConf)
{
    const auto src = makeKeepalivedFactsSource();
    const auto f = src->facts(std::string(HADECK_TEST_DATA "/keepalived/oracle/") + oracleConf.toStdString());
    if (!f) {
        qFatal("%s", f.error().message.c_str());
    }
    return f->weights;
}

QString dump(const std::map<std::string, std::uint32_t>& w)
{
    QStringList out;
    for (const auto& [k, v] : w) {
        out << QString::fromStdString(k) + QLatin1Char('=') + QString::number(v);
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestDirectorFacts : public QObject {
    Q_OBJECT
private slots:
    void weights_data();
    void weights();
};

void TestDirectorFacts::weights_data()
{
    QTest::addColumn<QString>("conf");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("weight");
    QTest::newRow("fwmark: port cleared") << "35-fwmark-group-drain.conf"
                                          << "FWM 10|198.18.21.35:0" << 100;
    QTest::newRow("fwmark: no port") << "35-fwmark-group-drain.conf"
                                     << "FWM 10|198.18.21.36:0" << 25;
    QTest::newRow("group of fwmarks 1") << "35-fwmark-group-drain.conf"
                                        << "FWM 11|198.18.21.37:0" << 70;
    QTest::newRow("group of fwmarks 2") << "35-fwmark-group-drain.conf"
                                        << "FWM 12|198.18.21.37:0" << 70;
    QTest::newRow("group address") << "27-vs-group.conf"
                                   << "TCP 198.18.20.21:80|198.18.21.20:80" << 40;
    QTest::newRow("group range") << "27-vs-group.conf"
                                 << "TCP 198.18.20.31:8080|198.18.21.21:80" << 20;
    QTest::newRow("group fwmark") << "27-vs-group.conf"
                                  << "FWM 9|198.18.21.20:0" << 40;
    QTest::newRow("no protocol is UDP") << "21-protocol-missing.conf"
                                        << "UDP 198.18.20.8:53|198.18.21.8:53" << 1;
    QTest::newRow("fwmark with ports") << "23-fwmark-ports.conf"
                                       << "FWM 7|198.18.21.12:0" << 60;
}

void TestDirectorFacts::weights()
{
    QFETCH(QString, conf);
    QFETCH(QString, key);
    QFETCH(int, weight);
    const auto w = weightsOf(conf);
    const auto it = w.find(key.toStdString());
    QVERIFY2(it != w.end(), qPrintable(dump(w)));
    QCOMPARE(static_cast<int>(it->second), weight);
}

QTEST_GUILESS_MAIN(TestDirectorFacts)
#include "tst_director_facts.moc"
