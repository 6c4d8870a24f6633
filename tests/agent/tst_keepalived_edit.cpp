// keepalived.addFailoverTrack on the real agent and the real `keepalived -t`:
// a full filesystem, the file's mode, backups, and a stale pid file.
// Needs root (a tmpfs is mounted for the full-disk case); skips otherwise.

#include "agenttestutil.h"
#include "hadeck/protocol/methods.h"

#include <QtTest>

#include <csignal>
#include <cstring>

#include <sys/mount.h>
#include <sys/xattr.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hadeck;
using namespace hadeck::test;

namespace {

// A director's configuration as keepalived -t accepts it apart from the
// loopback interface, which it warns about both before and after the edit.
const QByteArray kConfig = R"(global_defs {
  router_id hdk_edit
}
vrrp_instance VI_1 {
  state BACKUP
  interface lo
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass s3cret
  }
  virtual_ipaddress {
    198.18.0.100/24
  }
}
vrrp_instance VI_2 {
  state BACKUP
  interface lo
  virtual_router_id 52
  priority 100
  virtual_ipaddress {
    198.18.0.101/32
  }
}
)";

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& data, mode_t mode)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        return false;
    }
    f.close();
    return ::chmod(path.toLocal8Bit().constData(), mode) == 0;
}

mode_t modeOf(const QString& path)
{
    struct stat st{};
    return ::stat(path.toLocal8Bit().constData(), &st) == 0 ? (st.st_mode & 07777) : mode_t(-1);
}

/// Fills the filesystem holding @p dir until a write fails with ENOSPC.
bool fillUp(const QString& dir)
{
    QFile filler(dir + QStringLiteral("/filler"));
    if (!filler.open(QIODevice::WriteOnly)) {
        return false;
    }
    const QByteArray block(512, 'x');
    while (filler.write(block) == block.size() && filler.flush()) {
    }
    // Byte by byte for the last partial block.
    while (filler.write("x", 1) == 1 && filler.flush()) {
    }
    return true;
}

} // namespace

class TestKeepalivedEdit : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void fullDiskKeepsConfig();
    void keepsModeAndBacksUp();
    void keepsOwnerAndAcl();
    void failedBackupChangesNothing();
    void shellCharactersInThePathAreNotRun();
    void stalePidFileSignalsNothing();
    void reloadsKeepalivedByPidFile();
    void keepalivedOfAnotherUserIsNotSignalled();
    void releaseMovesNothingItDidNotName();

private:
    /// Mounts a tmpfs of @p kib KiB at a fresh directory and starts an agent whose
    /// keepalived.conf (@p config, "%1" standing for the directory) and pid file live there.
    bool setUp(int kib, QString* error, const QByteArray& config = kConfig);
    QString m_mount;
    std::unique_ptr<AgentProcess> m_agent;
};

void TestKeepalivedEdit::initTestCase()
{
    QVERIFY2(QFileInfo(AgentProcess::binary()).isExecutable(), qPrintable(AgentProcess::binary()));
    if (::geteuid() != 0) {
        QSKIP("needs root: mounts a tmpfs and edits as the admin level");
    }
    if (QStandardPaths::findExecutable(QStringLiteral("keepalived"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")})
            .isEmpty()) {
        QSKIP("keepalived is not installed");
    }
}

bool TestKeepalivedEdit::setUp(int kib, QString* error, const QByteArray& config)
{
    m_agent = std::make_unique<AgentProcess>();
    m_mount = m_agent->dir() + QStringLiteral("/etc-keepalived");
    QDir().mkpath(m_mount);
    const QByteArray opts = "size=" + QByteArray::number(kib) + "k,mode=0755";
    if (::mount("tmpfs", m_mount.toLocal8Bit().constData(), "tmpfs", 0, opts.constData()) != 0) {
        *error = QStringLiteral("mount tmpfs: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        m_mount.clear();
        return false;
    }
    if (!writeFile(m_mount + QStringLiteral("/keepalived.conf"), QByteArray(config).replace("%1", m_mount.toUtf8()),
                   0600)) {
        *error = QStringLiteral("cannot write keepalived.conf");
        return false;
    }
    m_agent->writeConfig(QStringLiteral("[keepalived]\nconfig = \"%1/keepalived.conf\"\npid_file = \"%1/keepalived.pid\"\n")
                             .arg(m_mount));
    return m_agent->start(error);
}

void TestKeepalivedEdit::cleanup()
{
    if (m_agent) {
        m_agent->terminate();
    }
    if (!m_mount.isEmpty()) {
        ::umount2(m_mount.toLocal8Bit().constData(), MNT_DETACH);
        m_mount.clear();
    }
    m_agent.reset();
}

void TestKeepalivedEdit::fullDiskKeepsConfig()
{
    QString error;
    QVERIFY2(setUp(64, &error), qPrintable(error));
    const QString conf = m_mount + QStringLiteral("/keepalived.conf");
    QVERIFY(fillUp(m_mount));

    LineClient root = LineClient::connectTo(m_agent->socketPath());
    QVERIFY(root.valid());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY(r.has_value());
    QVERIFY2(r->contains("error"), r->dump().c_str());
    QCOMPARE((*r)["error"]["code"].get<int>(), int(rpc::ActionFailed));
    QCOMPARE(readAll(conf), kConfig);
    QCOMPARE(modeOf(conf), mode_t(0600));
    // Nothing left behind: no candidate, no empty backup.
    const QStringList left = QDir(m_mount).entryList(QDir::Files);
    QCOMPARE(left, QStringList({QStringLiteral("filler"), QStringLiteral("keepalived.conf")}));

    // Room again: the same call succeeds.
    QVERIFY(QFile::remove(m_mount + QStringLiteral("/filler")));
    r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QVERIFY(readAll(conf).contains("hadeck_failover weight 0"));
}

void TestKeepalivedEdit::keepsModeAndBacksUp()
{
    QString error;
    QVERIFY2(setUp(1024, &error), qPrintable(error));
    const QString conf = m_mount + QStringLiteral("/keepalived.conf");
    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_2"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    const QByteArray edited = readAll(conf);
    QVERIFY(edited.startsWith("track_file hadeck_failover {"));
    QVERIFY(edited.size() > kConfig.size());
    QCOMPARE(modeOf(conf), mode_t(0600)); // it holds an auth_pass
    QCOMPARE((*r)["result"]["reloaded"].get<bool>(), false); // no keepalived pid file

    const QString backup = QString::fromStdString((*r)["result"]["backup"].get<std::string>());
    QVERIFY2(backup.startsWith(conf + QStringLiteral(".hadeck-bak-")), qPrintable(backup));
    QCOMPARE(readAll(backup), kConfig);
    QCOMPARE(modeOf(backup), mode_t(0600));

    // A second edit keeps the first backup and adds a newer one.
    r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    const QString second = QString::fromStdString((*r)["result"]["backup"].get<std::string>());
    QVERIFY(second != backup);
    QCOMPARE(readAll(second), edited);
    QVERIFY(QFileInfo::exists(backup));
    QVERIFY(readAll(conf).count("track_file hadeck_failover {") == 1);

    // Already there: refused, nothing changes.
    const QByteArray now = readAll(conf);
    r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY(r && r->contains("error"));
    QCOMPARE((*r)["error"]["code"].get<int>(), int(rpc::PreconditionFailed));
    QCOMPARE(readAll(conf), now);
}

/// The owner and the ACL of keepalived.conf stay as they were, on the file and on its backup.
void TestKeepalivedEdit::keepsOwnerAndAcl()
{
    QString error;
    QVERIFY2(setUp(1024, &error), qPrintable(error));
    const QString conf = m_mount + QStringLiteral("/keepalived.conf");
    const QByteArray path = conf.toLocal8Bit();
    QVERIFY(::chown(path.constData(), 65534, 65534) == 0);
    QVERIFY(::chmod(path.constData(), 0640) == 0);
    // An access ACL (the kernel's xattr form): owner rw, user 65533 r, group r, mask r, other none.
    const auto entry = [](std::uint16_t tag, std::uint16_t perm, std::uint32_t id) {
        QByteArray e(8, '\0');
        std::memcpy(e.data(), &tag, 2);
        std::memcpy(e.data() + 2, &perm, 2);
        std::memcpy(e.data() + 4, &id, 4);
        return e;
    };
    const std::uint32_t version = 2;
    const std::uint32_t none = 0xFFFFFFFFU;
    QByteArray acl(reinterpret_cast<const char*>(&version), 4);
    acl += entry(0x01, 6, none) + entry(0x02, 4, 65533) + entry(0x04, 4, none) + entry(0x10, 4, none) +
           entry(0x20, 0, none);
    const char* const kAcl = "system.posix_acl_access";
    const bool aclSet = ::setxattr(path.constData(), kAcl, acl.constData(), std::size_t(acl.size()), 0) == 0;
    const auto aclOf = [kAcl](const QString& file) {
        QByteArray out(256, '\0');
        const ssize_t n = ::getxattr(file.toLocal8Bit().constData(), kAcl, out.data(), std::size_t(out.size()));
        return n < 0 ? QByteArray() : out.left(int(n));
    };
    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_2"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QVERIFY(readAll(conf).contains("hadeck_failover weight 0"));
    const QString backup = QString::fromStdString((*r)["result"]["backup"].get<std::string>());
    for (const QString& f : {conf, backup}) {
        struct stat st {};
        QVERIFY(::stat(f.toLocal8Bit().constData(), &st) == 0);
        QCOMPARE(st.st_uid, uid_t(65534));
        QCOMPARE(st.st_gid, gid_t(65534));
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
        if (aclSet) {
            QCOMPARE(aclOf(f), acl);
        }
    }
    if (!aclSet) {
        QSKIP("this filesystem takes no POSIX ACL: the owner and mode were checked, the ACL was not");
    }
}

/// The backup cannot be written (the filesystem has room for the new file only): the edit
/// stops before the rename, says why, and leaves nothing behind.
void TestKeepalivedEdit::failedBackupChangesNothing()
{
    QString error;
    QVERIFY2(setUp(64, &error), qPrintable(error));
    const QString conf = m_mount + QStringLiteral("/keepalived.conf");
    QVERIFY(fillUp(m_mount));
    // One page free again: the candidate (under a page, as the original) fits, its backup not.
    const QString filler = m_mount + QStringLiteral("/filler");
    const qint64 page = ::sysconf(_SC_PAGESIZE);
    QVERIFY(QFileInfo(filler).size() >= page);
    QVERIFY(QFile::resize(filler, (QFileInfo(filler).size() / page - 1) * page));
    QVERIFY(kConfig.size() + 200 < page);

    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY(r.has_value());
    QVERIFY2(r->contains("error"), r->dump().c_str());
    QCOMPARE((*r)["error"]["code"].get<int>(), int(rpc::ActionFailed));
    const std::string message = (*r)["error"]["message"].get<std::string>();
    QVERIFY2(message.find("cannot back up") != std::string::npos, message.c_str());
    QCOMPARE(readAll(conf), kConfig);
    QCOMPARE(QDir(m_mount).entryList(QDir::Files),
             QStringList({QStringLiteral("filler"), QStringLiteral("keepalived.conf")}));
}

/// keepalived -t gets the path as an argument, never through a shell: a directory named with
/// quotes, $(...) and backquotes is only a name.
void TestKeepalivedEdit::shellCharactersInThePathAreNotRun()
{
    m_agent = std::make_unique<AgentProcess>();
    const QString marker = m_agent->dir() + QStringLiteral("/ran");
    const QString dir = m_agent->dir() + QStringLiteral("/it's $(touch %1) `touch %1`; touch %1").arg(marker);
    QVERIFY(QDir().mkpath(dir));
    const QString conf = dir + QStringLiteral("/keepalived.conf");
    QVERIFY(writeFile(conf, kConfig, 0600));
    m_agent->writeConfig(
        QStringLiteral("[keepalived]\nconfig = \"%1\"\npid_file = \"%2/keepalived.pid\"\n").arg(conf, m_agent->dir()));
    QString error;
    QVERIFY2(m_agent->start(&error), qPrintable(error));
    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QVERIFY(readAll(conf).contains("hadeck_failover weight 0"));
    QVERIFY2(!QFile::exists(marker), "a shell ran a command from the path");
}

void TestKeepalivedEdit::stalePidFileSignalsNothing()
{
    QString error;
    QVERIFY2(setUp(1024, &error), qPrintable(error));
    // A stale pid file that names a root process which is not keepalived.
    QProcess sleeper;
    sleeper.start(QStringLiteral("sleep"), {QStringLiteral("300")});
    QVERIFY(sleeper.waitForStarted());
    QVERIFY(writeFile(m_mount + QStringLiteral("/keepalived.pid"), QByteArray::number(sleeper.processId()) + "\n", 0644));

    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QCOMPARE((*r)["result"]["reloaded"].get<bool>(), false);
    QVERIFY((*r)["result"]["reloadError"].get<std::string>().find("not keepalived") != std::string::npos);
    // The sleep is still running: a signal would have ended it (SIGHUP's default action).
    QVERIFY(!sleeper.waitForFinished(300));
    QCOMPARE(sleeper.state(), QProcess::Running);
    sleeper.kill();
    sleeper.waitForFinished();
}

void TestKeepalivedEdit::reloadsKeepalivedByPidFile()
{
    QString error;
    QVERIFY2(setUp(1024, &error), qPrintable(error));
    // A process whose comm is "keepalived": a copy of sleep under that name.
    const QString fake = m_mount + QStringLiteral("/keepalived");
    QVERIFY(QFile::copy(QStandardPaths::findExecutable(QStringLiteral("sleep")), fake));
    QVERIFY(::chmod(fake.toLocal8Bit().constData(), 0755) == 0);
    QProcess keepalived;
    keepalived.start(fake, {QStringLiteral("300")});
    QVERIFY(keepalived.waitForStarted());
    QVERIFY(writeFile(m_mount + QStringLiteral("/keepalived.pid"), QByteArray::number(keepalived.processId()) + "\n",
                      0644));
    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QCOMPARE((*r)["result"]["reloaded"].get<bool>(), true);
    QVERIFY(keepalived.waitForFinished(10000)); // SIGHUP ends a sleep
    QCOMPARE(keepalived.exitStatus(), QProcess::CrashExit);
}

void TestKeepalivedEdit::keepalivedOfAnotherUserIsNotSignalled()
{
    // keepalived runs as root. A user's process named keepalived at the pid a stale pid file
    // names (pids are reused) is not it: the agent neither signals it nor reports a reload.
    QString error;
    QVERIFY2(setUp(1024, &error), qPrintable(error));
    QTemporaryDir binDir;
    QVERIFY(binDir.isValid() && ::chmod(binDir.path().toLocal8Bit().constData(), 0755) == 0);
    const QString fake = binDir.filePath(QStringLiteral("keepalived"));
    QVERIFY(QFile::copy(QStandardPaths::findExecutable(QStringLiteral("sleep")), fake));
    QVERIFY(::chmod(fake.toLocal8Bit().constData(), 0755) == 0);
    QProcess keepalived;
    // setpriv executes the command in its own process: the pid is the fake keepalived's.
    keepalived.start(QStringLiteral("setpriv"), {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                                 QStringLiteral("--clear-groups"), fake, QStringLiteral("300")});
    QVERIFY(keepalived.waitForStarted());
    QTRY_COMPARE(QFileInfo(QStringLiteral("/proc/%1/exe").arg(keepalived.processId())).symLinkTarget(), fake);
    QVERIFY(writeFile(m_mount + QStringLiteral("/keepalived.pid"), QByteArray::number(keepalived.processId()) + "\n",
                      0644));
    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::KeepalivedAddFailoverTrack, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QCOMPARE((*r)["result"]["reloaded"].get<bool>(), false);
    const std::string why = (*r)["result"]["reloadError"].get<std::string>();
    QVERIFY2(why.find("not run by root") != std::string::npos, why.c_str());
    QVERIFY(!keepalived.waitForFinished(300));
    QCOMPARE(keepalived.state(), QProcess::Running);
    keepalived.kill();
    keepalived.waitForFinished();
}

void TestKeepalivedEdit::releaseMovesNothingItDidNotName()
{
    // VI_1 and VI_2 share the hadeck track file: releasing VI_1 faults both. A console whose
    // preflight saw VI_1 alone (the configuration changed since) names only VI_1, and the
    // agent writes nothing; naming both, it writes.
    // kConfig with both instances tracking one file.
    const QByteArray shared =
        QByteArray("track_file hadeck_failover {\n  file \"%1/failover\"\n  weight 0\n  init_file 0\n}\n") +
        QByteArray(kConfig).replace("  virtual_router_id 5", "  track_file {\n    hadeck_failover weight 0\n  }\n"
                                                             "  virtual_router_id 5");
    QString error;
    QVERIFY2(setUp(1024, &error, shared), qPrintable(error));
    const QString trackFile = m_mount + QStringLiteral("/failover");
    LineClient root = LineClient::connectTo(m_agent->socketPath());
    auto r = root.call(proto::methods::VrrpRelease,
                       rpc::Json{{"instance", "VI_1"}, {"affected", rpc::Json::array({"VI_1"})}}, 30000);
    QVERIFY2(r && r->contains("error"), r ? r->dump().c_str() : "no reply");
    QCOMPARE((*r)["error"]["code"].get<int>(), int(rpc::PreconditionFailed));
    const std::string why = (*r)["error"]["message"].get<std::string>();
    QVERIFY2(why.find("VI_1, VI_2") != std::string::npos && why.find("nothing was written") != std::string::npos,
             why.c_str());
    QVERIFY2(!QFile::exists(trackFile), readAll(trackFile).constData());

    r = root.call(proto::methods::VrrpRelease,
                  rpc::Json{{"instance", "VI_1"}, {"affected", rpc::Json::array({"VI_2", "VI_1"})}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QCOMPARE(readAll(trackFile).trimmed(), QByteArray("1"));
    QCOMPARE((*r)["result"]["affected"], rpc::Json::array({"VI_1", "VI_2"}));
    // Restore without naming anything (an older console): as before.
    r = root.call(proto::methods::VrrpRestore, rpc::Json{{"instance", "VI_1"}}, 30000);
    QVERIFY2(r && r->contains("result"), r ? r->dump().c_str() : "no reply");
    QCOMPARE(readAll(trackFile).trimmed(), QByteArray("0"));
}

QTEST_GUILESS_MAIN(TestKeepalivedEdit)
#include "tst_keepalived_edit.moc"
