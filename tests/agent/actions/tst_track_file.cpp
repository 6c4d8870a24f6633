#include "processutil.h"
#include "hadeck/agent/actions/failover.h"
#include "hadeck/agent/actions/failover_module.h"

#include <QProcess>
#include <QStandardPaths>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace hadeck::agent;

class TestTrackFile : public QObject {
    Q_OBJECT
private slots:
    void writeThenRead();
    void missingReadsAsNothing();
    void garbageReadsAsZero();
    void unwritableDirIsAnError();
    void snippetIsValidKeepalivedConfig();
    void addTrackToConfig();
    void addTrackRefusals();
    void releaseNamesEveryInstanceSharingTheFile();
};

namespace {
const char* kConfig = R"(! Configuration File for keepalived
global_defs {
   router_id LVS_DEVEL
}
# a comment with a { brace
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass "1}11"
    }
    virtual_ipaddress {
        198.18.0.100
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 90
    virtual_ipaddress {
        198.18.0.101
    }
}
)";
} // namespace

void TestTrackFile::addTrackToConfig()
{
    const auto out = addFailoverTrack(kConfig, "VI_1", "/var/lib/hadeck/failover");
    QVERIFY2(out.hasValue(), out ? "" : out.error().message.c_str());
    const std::string& t = *out;
    const auto def = t.find("track_file hadeck_failover {");
    const auto vi1 = t.find("vrrp_instance VI_1");
    const auto ref = t.find("hadeck_failover weight 0");
    const auto vi2 = t.find("vrrp_instance VI_2");
    QVERIFY(def != std::string::npos && def < vi1);
    QVERIFY(ref > vi1 && ref < vi2); // inside VI_1, not VI_2
    // The quoted brace and the commented brace did not confuse the block search.
    QVERIFY(t.find("auth_pass \"1}11\"") != std::string::npos);
    // A second instance reuses the definition.
    const auto both = addFailoverTrack(t, "VI_2", "/var/lib/hadeck/failover");
    QVERIFY(both.hasValue());
    QCOMPARE(std::count(both->begin(), both->end(), '\n') - std::count(t.begin(), t.end(), '\n'), 3L);
}

void TestTrackFile::addTrackRefusals()
{
    QVERIFY(!addFailoverTrack(kConfig, "VI_9", "/f").hasValue());
    const auto once = addFailoverTrack(kConfig, "VI_1", "/f");
    const auto twice = addFailoverTrack(*once, "VI_1", "/f");
    QVERIFY(!twice.hasValue());
    QVERIFY(QString::fromStdString(twice.error().message).contains("already"));
}

void TestTrackFile::writeThenRead()
{
    QTemporaryDir dir;
    const std::filesystem::path p = dir.filePath("sub/failover").toStdString();
    QVERIFY(writeTrackFile(p, 1).hasValue());
    QCOMPARE(readTrackFile(p)->value(), 1);
    QVERIFY(writeTrackFile(p, 0).hasValue());
    QCOMPARE(readTrackFile(p)->value(), 0);
    QVERIFY(!std::filesystem::exists(p.string() + ".hadeck-tmp"));
}

void TestTrackFile::missingReadsAsNothing()
{
    QTemporaryDir dir;
    const auto r = readTrackFile(dir.filePath("none").toStdString());
    QVERIFY(r.hasValue());
    QVERIFY(!r->has_value());
}

void TestTrackFile::garbageReadsAsZero()
{
    QTemporaryDir dir;
    const std::filesystem::path p = dir.filePath("f").toStdString();
    std::ofstream(p) << "abc\n";
    QCOMPARE(readTrackFile(p)->value(), 0);
}

void TestTrackFile::unwritableDirIsAnError()
{
    QTemporaryDir dir;
    const std::filesystem::path blocker = dir.filePath("file").toStdString();
    std::ofstream(blocker) << "x";
    const auto r = writeTrackFile(blocker / "failover", 1);
    QVERIFY(!r.hasValue());
    QVERIFY(!r.error().message.empty());
}

void TestTrackFile::snippetIsValidKeepalivedConfig()
{
    const QString keepalived = QStandardPaths::findExecutable(QStringLiteral("keepalived"), {"/usr/sbin", "/sbin"});
    if (keepalived.isEmpty()) {
        QSKIP("keepalived is not installed");
    }
    // keepalived refuses VRRP on lo and on an interface without multicast (an ifb device,
    // seen on a fresh machine): the first other one with IFF_MULTICAST (0x1000) will do.
    QString iface;
    for (const auto& e : std::filesystem::directory_iterator("/sys/class/net")) {
        if (e.path().filename() == "lo") {
            continue;
        }
        QFile flagsFile(QString::fromStdString((e.path() / "flags").string()));
        bool ok = false;
        const uint flags = flagsFile.open(QIODevice::ReadOnly) ? flagsFile.readAll().trimmed().toUInt(&ok, 16) : 0;
        if (ok && (flags & 0x1000U) != 0) {
            iface = QString::fromStdString(e.path().filename().string());
            break;
        }
    }
    if (iface.isEmpty()) {
        QSKIP("no network interface with multicast other than lo");
    }
    QTemporaryDir dir;
    const std::string snippet = failoverTrackSnippet(dir.filePath("failover").toStdString(), "VI_1");
    QVERIFY(snippet.find("overwrite") == std::string::npos);
    // Complete the elided instance so keepalived's own checker judges the lines.
    std::string conf = snippet;
    conf.replace(conf.find("    # ... existing settings ...\n"),
                 std::string("    # ... existing settings ...\n").size(),
                 "    state BACKUP\n    interface " + iface.toStdString() +
                     "\n    virtual_router_id 51\n    priority 100\n"
                     "    virtual_ipaddress {\n        198.18.0.100/32\n    }\n");
    const QString path = dir.filePath("keepalived.conf");
    std::ofstream(path.toStdString()) << conf;
    const auto r = hadeck::test::runProgram(keepalived, {"-t", "-f", path}, {.timeoutMs = 20000});
    QVERIFY2(r.ok(), qPrintable(QString::fromUtf8(r.err + r.out)));
}

void TestTrackFile::releaseNamesEveryInstanceSharingTheFile()
{
    // VI_1 and VI_2 share the default file; VI_3 has its own; VI_4 has none.
    const std::map<std::string, std::filesystem::path> files{{"VI_1", "/var/lib/hadeck/failover"},
                                                             {"VI_2", "/var/lib/hadeck/./failover"},
                                                             {"VI_3", "/var/lib/hadeck/failover-3"}};
    using V = std::vector<std::string>;
    QCOMPARE(hadeck::agent::affectedInstances(files, {"VI_1"}), V({"VI_1", "VI_2"}));
    QCOMPARE(hadeck::agent::affectedInstances(files, {"VI_2"}), V({"VI_1", "VI_2"}));
    QCOMPARE(hadeck::agent::affectedInstances(files, {"VI_3"}), V({"VI_3"}));
    QCOMPARE(hadeck::agent::affectedInstances(files, {"VI_3", "VI_1"}), V({"VI_1", "VI_2", "VI_3"}));
    QCOMPARE(hadeck::agent::affectedInstances(files, {"VI_4"}), V({"VI_4"}));
}

QTEST_GUILESS_MAIN(TestTrackFile)
#include "tst_track_file.moc"
