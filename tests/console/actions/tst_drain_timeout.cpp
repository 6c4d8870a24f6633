// hadeckctl's answers at a drain timeout (--on-timeout and the terminal prompt).

#include "hadeck/console/actions/drain_timeout.h"

#include <QtTest>

using namespace hadeck::console;

Q_DECLARE_METATYPE(std::optional<DrainTimeoutChoice>)

class TestDrainTimeout : public QObject {
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void namesRoundTrip();
};

void TestDrainTimeout::parse_data()
{
    using C = std::optional<DrainTimeoutChoice>;
    QTest::addColumn<QString>("text");
    QTest::addColumn<C>("expected");
    QTest::newRow("wait") << "wait" << C(DrainTimeoutChoice::Wait);
    QTest::newRow("w") << "w" << C(DrainTimeoutChoice::Wait);
    QTest::newRow("keep") << "keep" << C(DrainTimeoutChoice::Wait);
    QTest::newRow("upper, blanks") << "  WAIT \n" << C(DrainTimeoutChoice::Wait);
    QTest::newRow("force") << "force" << C(DrainTimeoutChoice::Force);
    QTest::newRow("F") << "F" << C(DrainTimeoutChoice::Force);
    QTest::newRow("cancel") << "cancel" << C(DrainTimeoutChoice::Cancel);
    QTest::newRow("restore") << "restore" << C(DrainTimeoutChoice::Cancel);
    QTest::newRow("c") << "c" << C(DrainTimeoutChoice::Cancel);
    QTest::newRow("fail") << "fail" << C(DrainTimeoutChoice::Fail);
    QTest::newRow("q") << "q" << C(DrainTimeoutChoice::Fail);
    QTest::newRow("empty") << "" << C();
    QTest::newRow("blank line") << "   " << C();
    QTest::newRow("unknown") << "yes" << C();
    QTest::newRow("prefix is not enough") << "wai" << C();
    QTest::newRow("two answers") << "w f" << C();
}

void TestDrainTimeout::parse()
{
    QFETCH(QString, text);
    QFETCH(std::optional<DrainTimeoutChoice>, expected);
    QCOMPARE(parseDrainTimeoutChoice(text), expected);
}

void TestDrainTimeout::namesRoundTrip()
{
    for (auto c :
         {DrainTimeoutChoice::Wait, DrainTimeoutChoice::Force, DrainTimeoutChoice::Cancel, DrainTimeoutChoice::Fail}) {
        QCOMPARE(parseDrainTimeoutChoice(drainTimeoutChoiceName(c)), std::optional<DrainTimeoutChoice>(c));
    }
}

QTEST_GUILESS_MAIN(TestDrainTimeout)
#include "tst_drain_timeout.moc"
