// The agent's keepalived DBus connection (probes/modules/keepalived_bus.h) on a private system
// bus, a real dbus-daemon: while nobody owns org.keepalived.Vrrp1 (keepalived sends its first
// VrrpStatusChange before it does), a signal is believed only from a sender the bus says runs as
// root; a local user's is ignored (issue 18, item 8). The case where keepalived owns its name is
// tst_vrrp_events_lab's. Needs root and dbus-daemon.

#include "privatebus.h"
#include "processutil.h"

#include "hadeck/agent/event_loop.h"
#include "hadeck/probes/modules/keepalived_bus.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

using namespace hadeck;
using namespace hadeck::test;

class TestKeepalivedBus : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void beforeTheNameIsOwnedOnlyRootIsBelieved();
    void aThrowingHandlerDoesNotEndTheAgent();

private:
    QTemporaryDir m_dir;
    QProcess m_bus;
};

namespace {

const QString kPath = QStringLiteral("/org/keepalived/Vrrp1/Instance/eth0/51/IPv4");

/// A sender that stays on the bus (as keepalived does) until it is let go: a
/// VrrpStatusChange for kPath claiming @p status, as uid 65534 when @p asNobody.
class Sender {
public:
    /// The sender's program: a copy where uid 65534 may run it (the build tree may be closed to it).
    static QString& program()
    {
        static QString path = QStringLiteral(HADECK_BUS_SENDER);
        return path;
    }

    Sender(unsigned status, bool asNobody)
    {
        const QStringList args{kPath, QString::number(status)};
        if (asNobody) {
            m_process.start(QStringLiteral("setpriv"),
                            QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                        QStringLiteral("--clear-groups"), program()} +
                                args);
        } else {
            m_process.start(program(), args);
        }
    }
    ~Sender()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;
    /// True once the signal is out (it printed "sent").
    bool sent()
    {
        while (!m_out.contains("sent") && m_process.waitForReadyRead(10000)) {
            m_out += m_process.readAllStandardOutput();
        }
        m_out += m_process.readAllStandardOutput();
        return m_out.contains("sent");
    }
    QByteArray errors() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QByteArray m_out;
};

} // namespace

void TestKeepalivedBus::initTestCase()
{
    if (::geteuid() != 0) {
        QSKIP("needs root: the bus tells the sender's uid, and one sender must be root");
    }
    QVERIFY(m_dir.isValid());
    const QString socket = m_dir.filePath(QStringLiteral("system_bus_socket"));
    QFile conf(m_dir.filePath(QStringLiteral("bus.conf")));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write(privateSystemBusConf(socket).toUtf8());
    conf.close();
    const QString sender = m_dir.filePath(QStringLiteral("bus_signal_sender"));
    QVERIFY(QFile::copy(QStringLiteral(HADECK_BUS_SENDER), sender));
    QVERIFY(::chmod(sender.toLocal8Bit().constData(), 0755) == 0);
    Sender::program() = sender;
    // Gone with the test, however it ends.
    m_bus.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_bus.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--config-file=") + conf.fileName(),
                                                QStringLiteral("--nofork"), QStringLiteral("--nopidfile")});
    QVERIFY2(m_bus.waitForStarted(5000), "cannot run dbus-daemon (package dbus-daemon)");
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket), 10000);
    // The other user reaches the socket through the test's directory.
    QVERIFY(QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                    QFile::ExeGroup | QFile::ExeOther));
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", QByteArray("unix:path=") + socket.toLocal8Bit());
}

void TestKeepalivedBus::cleanupTestCase()
{
    if (m_bus.state() != QProcess::NotRunning) {
        m_bus.kill();
        m_bus.waitForFinished(5000);
    }
}

namespace {

/// Runs @p loop once (an sd-event loop runs once), through three steps:
/// 1. The connection's match is installed as the loop runs: root's signal (status 2), sent
///    again every 2 s until @p believed has it (one sent before the match was in place
///    reaches nobody). A probe judged late may still add a 2 afterwards.
/// 2. @p act, once, with @p believed cleared; a text it returns is a failure that ends the run.
/// 3. The loop runs until @p done, or 30 s in all.
/// @return what failed, empty when nothing did.
QString runScenario(agent::EventLoop& loop, std::vector<std::uint32_t>& believed, const std::function<QString()>& act,
                    const std::function<bool()>& done)
{
    enum class Step { Probing, Waiting } step = Step::Probing;
    // Kept on the bus to the end: a probe judged late is still root's, and still believed.
    std::vector<std::unique_ptr<Sender>> probes;
    QString failure;
    QElapsedTimer waited;
    waited.start();
    QElapsedTimer sinceProbe;
    auto tick = loop.addTimer(std::chrono::milliseconds(10), true, [&] {
        if (waited.elapsed() > 30000) {
            failure = step == Step::Probing ? QStringLiteral("root's first signal was never believed")
                                            : QStringLiteral("the scenario did not end in 30 s");
        } else if (step == Step::Probing && believed.empty()) {
            if (probes.empty() || sinceProbe.elapsed() > 2000) {
                probes.push_back(std::make_unique<Sender>(2, false));
                if (!probes.back()->sent()) {
                    failure = QString::fromUtf8(probes.back()->errors());
                }
                sinceProbe.start();
            }
        } else if (step == Step::Probing) {
            believed.clear();
            failure = act();
            step = Step::Waiting;
        }
        if (!failure.isEmpty() || (step == Step::Waiting && done())) {
            loop.exit(0);
        }
    });
    if (!tick) {
        return QString::fromStdString(tick.error().message);
    }
    loop.run();
    return failure;
}

/// @p statuses without the probes' 2s.
std::vector<std::uint32_t> withoutProbes(std::vector<std::uint32_t> statuses)
{
    statuses.erase(std::remove(statuses.begin(), statuses.end(), 2U), statuses.end());
    return statuses;
}

} // namespace

void TestKeepalivedBus::beforeTheNameIsOwnedOnlyRootIsBelieved()
{
    auto loop = agent::EventLoop::create(1);
    QVERIFY(loop.hasValue());
    std::vector<std::uint32_t> believed;
    auto bus = probes::KeepalivedBus::connect(
        **loop, [&](const std::string&, std::uint32_t status) { believed.push_back(status); }, [](bool) {});
    QVERIFY2(bus.hasValue(), bus ? "" : bus.error().message.c_str());
    QVERIFY(!(*bus)->keepalivedPresent());
    // A local user's claim, then root's: the bus delivers them in that order and they are
    // judged in order, so once root's is believed the user's has been judged.
    std::uint64_t refusedBefore = 0;
    std::unique_ptr<Sender> nobody;
    std::unique_ptr<Sender> root;
    const QString failure = runScenario(
        **loop, believed,
        [&] {
            refusedBefore = (*bus)->refusedSignals();
            nobody = std::make_unique<Sender>(1, true);
            if (!nobody->sent()) {
                return QString::fromUtf8(nobody->errors());
            }
            root = std::make_unique<Sender>(3, false); // only once the user's signal is out
            return root->sent() ? QString() : QString::fromUtf8(root->errors());
        },
        [&] { return std::find(believed.begin(), believed.end(), 3U) != believed.end(); });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(withoutProbes(believed), std::vector<std::uint32_t>{3}); // never the user's 1
    QCOMPARE((*bus)->refusedSignals(), refusedBefore + 1);
}

void TestKeepalivedBus::aThrowingHandlerDoesNotEndTheAgent()
{
    // sd-bus calls back through C: an exception from the handler (the module's, on a bad day)
    // is caught at the boundary, and the next signal is handled as usual.
    auto loop = agent::EventLoop::create(1);
    QVERIFY(loop.hasValue());
    std::vector<std::uint32_t> believed;
    auto bus = probes::KeepalivedBus::connect(
        **loop,
        [&](const std::string&, std::uint32_t status) {
            believed.push_back(status);
            if (status == 4) {
                throw std::runtime_error("a handler that throws");
            }
        },
        [](bool) {});
    QVERIFY2(bus.hasValue(), bus ? "" : bus.error().message.c_str());
    std::unique_ptr<Sender> first;
    std::unique_ptr<Sender> second;
    const QString failure = runScenario(
        **loop, believed,
        [&] {
            first = std::make_unique<Sender>(4, false);
            if (!first->sent()) {
                return QString::fromUtf8(first->errors());
            }
            second = std::make_unique<Sender>(5, false);
            return second->sent() ? QString() : QString::fromUtf8(second->errors());
        },
        [&] { return std::find(believed.begin(), believed.end(), 5U) != believed.end(); });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(withoutProbes(believed), (std::vector<std::uint32_t>{4, 5}));
}

QTEST_GUILESS_MAIN(TestKeepalivedBus)
#include "tst_keepalived_bus.moc"
