// keepalived's JSON dump is believed only from a regular file that root owns and nobody
// else may write, opened without following a link (issue 18, item 9). Needs root (the
// files must be root's; one is given to another uid); skips otherwise.

#include "hadeck/probes/keepalived_dump_file.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>

#include <sys/stat.h>
#include <unistd.h>

using namespace hadeck;

class TestKeepalivedDumpFile : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void rootsFileIsRead();
    void refused_data();
    void refused();
    void missingIsENOENT();

private:
    QTemporaryDir m_dir;
    std::string write(const QString& name, mode_t mode);
};

namespace {
const QByteArray kDump = R"([{"data":{"iname":"VI_1","state":2}}])";
} // namespace

void TestKeepalivedDumpFile::initTestCase()
{
    if (::geteuid() != 0) {
        QSKIP("needs root: the dump must be root's");
    }
    QVERIFY(m_dir.isValid());
}

std::string TestKeepalivedDumpFile::write(const QString& name, mode_t mode)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(kDump);
    f.close();
    ::chmod(path.toLocal8Bit().constData(), mode);
    return path.toStdString();
}

void TestKeepalivedDumpFile::rootsFileIsRead()
{
    const std::string path = write(QStringLiteral("keepalived.json"), 0644);
    double mtime = 0;
    const auto r = probes::readKeepalivedDumpFile(path, &mtime);
    QVERIFY2(r.hasValue(), r ? "" : r.error().message.c_str());
    QCOMPARE(QByteArray::fromStdString(*r), kDump);
    struct stat st {};
    QVERIFY(::stat(path.c_str(), &st) == 0);
    QCOMPARE(qint64(mtime), qint64(st.st_mtim.tv_sec));
}

void TestKeepalivedDumpFile::refused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("why");
    QTest::newRow("a link to root's dump") << QStringLiteral("symlink") << QString(); // ELOOP
    QTest::newRow("group-writable") << QStringLiteral("0664") << QStringLiteral("writable by others");
    QTest::newRow("world-writable") << QStringLiteral("0646") << QStringLiteral("writable by others");
    QTest::newRow("another uid's") << QStringLiteral("uid") << QStringLiteral("owned by uid 65534");
    QTest::newRow("a FIFO") << QStringLiteral("fifo") << QStringLiteral("not a regular file");
    QTest::newRow("a directory") << QStringLiteral("dir") << QStringLiteral("not a regular file");
}

void TestKeepalivedDumpFile::refused()
{
    QFETCH(QString, kind);
    QFETCH(QString, why);
    const std::string good = write(QStringLiteral("good.json"), 0644);
    const std::string path = m_dir.filePath(kind + QStringLiteral(".json")).toStdString();
    if (kind == QLatin1String("symlink")) {
        QVERIFY(::symlink(good.c_str(), path.c_str()) == 0);
    } else if (kind == QLatin1String("uid")) {
        write(kind + QStringLiteral(".json"), 0644);
        QVERIFY(::chown(path.c_str(), 65534, 65534) == 0);
    } else if (kind == QLatin1String("fifo")) {
        QVERIFY(::mkfifo(path.c_str(), 0644) == 0);
    } else if (kind == QLatin1String("dir")) {
        QVERIFY(::mkdir(path.c_str(), 0755) == 0);
    } else {
        write(kind + QStringLiteral(".json"), mode_t(kind.toUInt(nullptr, 8)));
    }
    double mtime = -1;
    const auto r = probes::readKeepalivedDumpFile(path, &mtime);
    QVERIFY(!r.hasValue());
    if (why.isEmpty()) {
        QCOMPARE(r.error().code, ELOOP); // O_NOFOLLOW: not opened at all
    } else {
        QVERIFY2(QString::fromStdString(r.error().message).contains(why), r.error().message.c_str());
    }
    QCOMPARE(mtime, -1.0); // nothing taken from it
}

void TestKeepalivedDumpFile::missingIsENOENT()
{
    double mtime = 0;
    const auto r = probes::readKeepalivedDumpFile(m_dir.filePath(QStringLiteral("none.json")).toStdString(), &mtime);
    QVERIFY(!r.hasValue());
    QCOMPARE(r.error().code, ENOENT); // keepalived has not dumped yet: not worth a warning
}

QTEST_GUILESS_MAIN(TestKeepalivedDumpFile)
#include "tst_keepalived_dump_file.moc"
