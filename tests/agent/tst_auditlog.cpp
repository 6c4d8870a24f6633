#include "hadeck/agent/audit_log.h"

#include <QtTest>

#include <atomic>
#include <thread>

#include <sys/mount.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::agent;

class TestAuditLog : public QObject {
    Q_OBJECT
private slots:
    void sha256KnownVector();
    void chainAcrossReopen();
    void tamper_data();
    void tamper();
    void tornTailIsCutAndRecorded();
    void shortWriteLeavesNoTornBytes();
    void rotationCarriesTheChain();
    void groupCommitFromManyThreads();
    void verifyWhileWritingSeesAnIntactChain_data();
    void verifyWhileWritingSeesAnIntactChain();
    void headCatchesTailChanges_data();
    void headCatchesTailChanges();
    void headLagOfOneEntryIsACrashNotATamper();
    void mismatchAtOpenIsRecordedInTheChain();
    void tailFiltersByUserMethodAndTime();
};

namespace {
QByteArray readAll(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

// Three entries written by the real AuditLog.
QByteArray makeLog(const QString& path)
{
    {
        AuditLog log(path.toStdString());
        if (!log.open()) {
            return {};
        }
        log.append("alice", "drain.apply", rpc::Json{{"server", "198.18.1.11:80"}}, rpc::Json{{"ok", true}});
        log.append("bob", "vrrp.release", rpc::Json{{"instance", "VI_1"}}, rpc::Json{{"ok", true}});
    }
    AuditLog again(path.toStdString());
    if (!again.open()) {
        return {};
    }
    again.append("carol", "drain.restore", rpc::Json{{"server", "198.18.1.11:80"}}, rpc::Json{{"error", "x"}});
    return readAll(path);
}
} // namespace

void TestAuditLog::sha256KnownVector()
{
    QCOMPARE(AuditLog::sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

void TestAuditLog::chainAcrossReopen()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/sub/audit.log");
    const QByteArray text = makeLog(path);
    QCOMPARE(text.count('\n'), 3);
    const auto lines = text.split('\n');
    const auto first = rpc::Json::parse(lines[0].toStdString());
    QCOMPARE(first["prev"].get<std::string>(), std::string(AuditLog::kGenesis));
    QCOMPARE(first["user"].get<std::string>(), std::string("alice"));
    QCOMPARE(first["params"]["server"].get<std::string>(), std::string("198.18.1.11:80"));
    QVERIFY(first["time"].get<std::string>().size() == 24); // 2024-01-01T00:00:00.000Z
    // The entry written after reopening chains to the one before.
    QCOMPARE(rpc::Json::parse(lines[2].toStdString())["prev"].get<std::string>(),
             AuditLog::sha256Hex(lines[1].toStdString()));
    auto v = AuditLog::verify(path.toStdString());
    QVERIFY(v);
    QVERIFY(v->ok);
    QCOMPARE(v->lines, std::size_t(3));
    QVERIFY(AuditLog::verifyText("").ok);
}

void TestAuditLog::tamper_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("brokenLine");
    QTest::newRow("edit line 1") << 0 << 1;
    QTest::newRow("edit line 2") << 1 << 2;
    QTest::newRow("remove line 2") << 2 << 1;
    QTest::newRow("remove line 1") << 3 << 1;
    QTest::newRow("garbage line") << 4 << 2;
    QTest::newRow("cut off tail") << 5 << 3;
    QTest::newRow("swap lines 2 and 3") << 6 << 1;
}

void TestAuditLog::tamper()
{
    QFETCH(int, kind);
    QFETCH(int, brokenLine);
    QTemporaryDir dir;
    QByteArray text = makeLog(dir.path() + QStringLiteral("/audit.log"));
    QList<QByteArray> lines = text.split('\n');
    lines.removeLast();
    switch (kind) {
    case 0: lines[0].replace("alice", "mallory"); break;
    case 1: lines[1].replace("VI_1", "VI_2"); break;
    case 2: lines.removeAt(1); break;
    case 3: lines.removeAt(0); break;
    case 4: lines[1] = "not json"; break;
    default: break;
    }
    if (kind == 6) {
        std::swap(lines[1], lines[2]);
    }
    QByteArray out = lines.join('\n') + '\n';
    if (kind == 5) {
        out.chop(10);
    }
    const auto v = AuditLog::verifyText(out.toStdString());
    QVERIFY(!v.ok);
    QCOMPARE(int(v.brokenLine), brokenLine);
    QVERIFY(!v.reason.empty());
}

void TestAuditLog::tornTailIsCutAndRecorded()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.log");
    const QByteArray intact = makeLog(path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write("{\"time\":");
    f.close();
    // A restart on a torn tail carries on: the tear is cut off and recorded, changes are not refused.
    AuditLog log(path.toStdString());
    auto opened = log.open();
    QVERIFY2(opened.hasValue(), opened ? "" : opened.error().message.c_str());
    QVERIFY(QString::fromStdString(log.openWarning()).contains(QStringLiteral("torn")));
    QVERIFY(log.append("x", "y", nullptr, nullptr));
    const QByteArray now = readAll(path);
    QVERIFY(now.startsWith(intact));
    const QList<QByteArray> added = now.mid(intact.size()).split('\n');
    QVERIFY(added[0].contains("audit.tornTail") && added[0].contains("\"bytes\":8"));
    QVERIFY(added[1].contains("\"user\":\"x\""));
    auto v = AuditLog::verify(path.toStdString());
    QVERIFY(v && v->ok);
    QCOMPARE(v->lines, std::size_t(5));
}

void TestAuditLog::shortWriteLeavesNoTornBytes()
{
    if (::geteuid() != 0) {
        QSKIP("needs root to mount a small tmpfs");
    }
    QTemporaryDir dir;
    const QString mnt = dir.path() + QStringLiteral("/full");
    QVERIFY(QDir().mkpath(mnt));
    QVERIFY(::mount("tmpfs", mnt.toLocal8Bit().constData(), "tmpfs", 0, "size=256k") == 0);
    const auto unmount = qScopeGuard([&] { ::umount2(mnt.toLocal8Bit().constData(), MNT_DETACH); });
    const std::string path = (mnt + QStringLiteral("/audit.log")).toStdString();
    AuditLog log(path);
    log.setHeadroom(0, 0); // no reserve: let the write itself hit the full disk
    QVERIFY(log.open());
    QVERIFY(log.append("a", "m", rpc::Json{{"n", 1}}, nullptr));
    const auto before = std::filesystem::file_size(path);
    // Bigger than what is left: the write is short or fails, and nothing of it stays.
    const std::string big(400 * 1024, 'b');
    QVERIFY(!log.append("a", "m", rpc::Json{{"pad", big}}, nullptr));
    QCOMPARE(std::filesystem::file_size(path), before);
    QVERIFY(log.append("a", "m", rpc::Json{{"n", 2}}, nullptr));
    auto v = AuditLog::verify(path);
    QVERIFY2(v && v->ok, v ? v->reason.c_str() : "");
    QCOMPARE(v->lines, std::size_t(2));
}

void TestAuditLog::rotationCarriesTheChain()
{
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/audit.log")).toStdString();
    {
        AuditLog log(path);
        log.setRotation(600, 2);
        QVERIFY(log.open());
        for (int i = 0; i < 20; ++i) {
            QVERIFY(log.append("u", "drain.apply", rpc::Json{{"i", i}}, rpc::Json{{"ok", true}}));
        }
    }
    QVERIFY(std::filesystem::exists(path + ".1"));
    QVERIFY(std::filesystem::exists(path + ".2"));
    QVERIFY(!std::filesystem::exists(path + ".3")); // pruned beyond keep
    auto v = AuditLog::verify(path);
    QVERIFY2(v && v->ok, v ? v->reason.c_str() : "");
    // Cutting an entry out of a rotated file breaks the chain there.
    const QString rotated = QString::fromStdString(path + ".1");
    QList<QByteArray> lines = readAll(rotated).split('\n');
    QVERIFY(lines.size() > 3);
    lines.removeAt(1);
    QFile f(rotated);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(lines.join('\n'));
    f.close();
    v = AuditLog::verify(path);
    QVERIFY(v && !v->ok);
    QCOMPARE(QString::fromStdString(v->file), rotated);
}

void TestAuditLog::groupCommitFromManyThreads()
{
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/audit.log")).toStdString();
    AuditLog log(path);
    QVERIFY(log.open());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                if (!log.append("u" + std::to_string(t), "m", rpc::Json{{"i", i}}, nullptr)) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    QCOMPARE(failures.load(), 0);
    auto v = AuditLog::verify(path);
    QVERIFY(v && v->ok);
    QCOMPARE(v->lines, std::size_t(400));
}

void TestAuditLog::verifyWhileWritingSeesAnIntactChain_data()
{
    QTest::addColumn<bool>("live");
    QTest::addColumn<int>("writers");
    QTest::addColumn<int>("pauseMs");
    // agent.auditVerify: the agent's own log, written as fast as two threads can.
    QTest::newRow("agent.auditVerify") << true << 2 << 0;
    // hadeck-agent --verify-audit beside the running agent: another process's log, written at a
    // pace (a verdict stands only once the log held still while read).
    QTest::newRow("--verify-audit") << false << 1 << 20;
}

/// audit.verify runs while the writer appends and rotates: every verification must see an intact
/// chain (a log read before a batch and a head read after it is no tamper, nor is a file renamed
/// by a rotation between two reads).
void TestAuditLog::verifyWhileWritingSeesAnIntactChain()
{
    QFETCH(bool, live);
    QFETCH(int, writers);
    QFETCH(int, pauseMs);
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/audit.log")).toStdString();
    AuditLog log(path);
    log.setRotation(live ? 6000 : 3000, 3);
    QVERIFY(log.open());
    std::atomic<bool> stop{false};
    std::atomic<int> appended{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < writers; ++t) {
        threads.emplace_back([&, t] {
            while (!stop) {
                if (log.append("u" + std::to_string(t), "drain.apply", rpc::Json{{"i", appended.load()}}, nullptr)) {
                    ++appended;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
            }
        });
    }
    int verified = 0;
    QString firstFailure;
    int failures = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(60); // appends that fail
    while ((std::chrono::steady_clock::now() < deadline || appended < 100) &&
           std::chrono::steady_clock::now() < giveUp) {
        const auto v = live ? log.verifyLive() : AuditLog::verify(path);
        ++verified;
        if (!v || !v->ok) {
            ++failures;
            if (firstFailure.isEmpty()) {
                firstFailure = QString::fromStdString(v ? v->reason : v.error().message);
            }
        }
    }
    stop = true;
    for (auto& w : threads) {
        w.join();
    }
    qInfo("%d verifications during %d appends", verified, appended.load());
    QVERIFY(appended >= 100);
    QVERIFY2(failures == 0,
             qPrintable(QStringLiteral("%1 of %2 failed, first: %3").arg(failures).arg(verified).arg(firstFailure)));
    QVERIFY(std::filesystem::exists(path + ".3")); // it rotated, more than once
    const auto after = log.verifyLive();
    QVERIFY(after && after->ok);
}

namespace {
void writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(data);
}
} // namespace

// What the chain alone cannot see: the last entries removed, the last line altered, the head removed.
void TestAuditLog::headCatchesTailChanges_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("last entry removed") << 0 << QStringLiteral("last entries were removed");
    QTest::newRow("last two entries removed") << 1 << QStringLiteral("last entries were removed");
    QTest::newRow("last entry altered") << 2 << QStringLiteral("last entry was altered");
    QTest::newRow("head deleted") << 3 << QStringLiteral("head record is missing");
    // One chained entry after the head is what a crash leaves (next test); two are not.
    QTest::newRow("two chained entries appended by hand") << 4 << QStringLiteral("not one entry chained");
}

void TestAuditLog::headCatchesTailChanges()
{
    QFETCH(int, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.log");
    const QByteArray text = makeLog(path);
    QVERIFY(QFile::exists(path + QStringLiteral(".head")));
    auto intact = AuditLog::verify(path.toStdString());
    QVERIFY(intact && intact->ok);

    QList<QByteArray> lines = text.split('\n');
    lines.removeLast();
    switch (kind) {
    case 0: lines.removeLast(); break;
    case 1: lines.removeLast(); lines.removeLast(); break;
    case 2: lines.last().replace("carol", "mallo"); break;
    case 3: QFile::remove(path + QStringLiteral(".head")); break;
    case 4:
        for (const char* user : {"mallory", "trudy"}) {
            const std::string prev = AuditLog::sha256Hex(lines.last().toStdString());
            lines << QByteArray::fromStdString(
                rpc::Json{{"time", "2026-01-01T00:00:00.000Z"}, {"user", user}, {"method", "drain.apply"},
                          {"params", rpc::Json::object()}, {"result", rpc::Json::object()}, {"prev", prev}}
                    .dump());
        }
        break;
    default: break;
    }
    const QByteArray out = lines.join('\n') + '\n';
    writeFile(path, out);
    // Each of these still forms a valid chain...
    QVERIFY(AuditLog::verifyText(out.toStdString()).ok);
    // ...and the head shows it.
    auto v = AuditLog::verify(path.toStdString());
    QVERIFY(v);
    QVERIFY(!v->ok);
    QVERIFY2(QString::fromStdString(v->reason).contains(reason), v->reason.c_str());
}

void TestAuditLog::headLagOfOneEntryIsACrashNotATamper()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.log");
    const QString head = path + QStringLiteral(".head");
    makeLog(path);
    const QByteArray headAfter3 = readAll(head);
    {
        AuditLog log(path.toStdString());
        QVERIFY(log.open());
        QVERIFY(log.openWarning().empty());
        QVERIFY(log.append("dave", "drain.apply", rpc::Json::object(), rpc::Json::object()));
    }
    // The agent died after writing entry 4 and before renaming the new head.
    writeFile(head, headAfter3);
    auto v = AuditLog::verify(path.toStdString());
    QVERIFY(v);
    QVERIFY2(v->ok, v->reason.c_str());
    QCOMPARE(v->lines, std::size_t(4));
    AuditLog log(path.toStdString());
    QVERIFY(log.open());
    QVERIFY2(log.openWarning().empty(), log.openWarning().c_str());
    QVERIFY(readAll(head) != headAfter3); // caught up
}

void TestAuditLog::mismatchAtOpenIsRecordedInTheChain()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.log");
    QByteArray text = makeLog(path);
    QList<QByteArray> lines = text.split('\n');
    lines.removeLast();
    lines.removeLast(); // carol's entry is gone
    writeFile(path, lines.join('\n') + '\n');
    {
        // Restarting the agent must not launder the cut: the mismatch goes into the chain.
        AuditLog log(path.toStdString());
        QVERIFY(log.open());
        QVERIFY2(QString::fromStdString(log.openWarning()).contains(QStringLiteral("removed")),
                 log.openWarning().c_str());
        QVERIFY(log.append("erin", "drain.restore", rpc::Json::object(), rpc::Json::object()));
    }
    const QByteArray now = readAll(path);
    QCOMPARE(now.count('\n'), 4);
    const auto entry = rpc::Json::parse(now.split('\n')[2].toStdString());
    QCOMPARE(entry["method"].get<std::string>(), std::string(AuditLog::kHeadMismatchMethod));
    QCOMPARE(entry["user"].get<std::string>(), std::string("hadeck-agent"));
    auto v = AuditLog::verify(path.toStdString());
    QVERIFY(v);
    QVERIFY(!v->ok);
    QCOMPARE(int(v->brokenLine), 3);
    QVERIFY2(QString::fromStdString(v->reason).contains(QStringLiteral("did not match its head")), v->reason.c_str());
}

/// agent.auditTail on a log written by the real AuditLog: newest entries, filtered by user,
/// method (substring) and time; a garbage line is counted, not fatal; long params are cut.
void TestAuditLog::tailFiltersByUserMethodAndTime()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.log");
    QByteArray text = makeLog(path);
    QVERIFY(!text.isEmpty());
    proto::AuditTailParams p;
    auto all = AuditLog::tail(path.toStdString(), p);
    QVERIFY(all);
    QCOMPARE(all->entries.size(), std::size_t(3));
    QCOMPARE(all->entries[0].user, std::string("alice"));
    QCOMPARE(all->entries[0].method, std::string("drain.apply"));
    QVERIFY(all->entries[0].params.find("198.18.1.11:80") != std::string::npos);
    QVERIFY(all->entries[0].time > 1700000000);
    QCOMPARE(all->entries[2].user, std::string("carol"));
    QCOMPARE(all->path, path.toStdString());
    QVERIFY(!all->truncated);

    p.user = "bob";
    auto bob = AuditLog::tailText(text.toStdString(), p);
    QCOMPARE(bob.entries.size(), std::size_t(1));
    QCOMPARE(bob.entries[0].method, std::string("vrrp.release"));

    p.user.clear();
    p.method = "drain";
    auto drains = AuditLog::tailText(text.toStdString(), p);
    QCOMPARE(drains.entries.size(), std::size_t(2));

    p.method.clear();
    p.since = all->entries[2].time + 3600;
    QVERIFY(AuditLog::tailText(text.toStdString(), p).entries.empty());

    // The newest maxEntries; garbage counted; a long value cut.
    p = {};
    p.maxEntries = 2;
    const std::string longParams(5000, 'x');
    const std::string extra =
        "not json\n{\"time\":\"2026-12-02T10:00:00.000Z\",\"user\":\"dave\",\"method\":\"fw.apply\","
        "\"params\":{\"rules\":\"" +
        longParams + "\"},\"result\":null,\"prev\":\"0\"}\n";
    auto last = AuditLog::tailText(text.toStdString() + extra, p);
    QCOMPARE(last.unreadable, std::uint64_t(1));
    QVERIFY(last.truncated);
    QCOMPARE(last.entries.size(), std::size_t(2));
    QCOMPARE(last.entries[1].user, std::string("dave"));
    QCOMPARE(last.entries[1].time, std::int64_t(1796205600)); // 2026-12-02T10:00:00Z
    QVERIFY(last.entries[1].params.size() < 1100);
    QVERIFY(last.entries[1].result.empty());
    // The wire form round-trips.
    const auto back = proto::fromJson<proto::AuditTailResult>(proto::toJson(last));
    QVERIFY(back);
    QCOMPARE(back->entries.size(), std::size_t(2));
    QCOMPARE(back->entries[1].method, std::string("fw.apply"));
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
