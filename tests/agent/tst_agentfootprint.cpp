// The agent's resident memory (issues 14 and 21, P5): the libraries that only some nodes or some
// moments need are not mapped at start, and what replaced libcrypto computes the same digests.

#include "agenttestutil.h"

#include "hadeck/agent/lazy_lib.h"
#include "hadeck/agent/sha256.h"

#include <QtTest>

#include <string>

using namespace hadeck;
using namespace hadeck::test;

class TestAgentFootprint : public QObject {
    Q_OBJECT

private slots:
    void optionalLibrariesNotMappedAtStart();
    void lazyOpenReportsAMissingLibrary();
    void sha256Vectors();
    void hmacSha256Vectors();
};

namespace {

QString hex(const agent::Sha256Digest& d)
{
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(d.data()), static_cast<int>(d.size())).toHex());
}

} // namespace

// A web node's agent never sends mail, edits nftables or queries MariaDB until asked to: libcurl
// (with gnutls, krb5, ldap...), libnftables, libmariadb and libcrypto used to be mapped at start
// on every node, 6.5 MiB of its 17 MiB.
void TestAgentFootprint::optionalLibrariesNotMappedAtStart()
{
    AgentProcess agent;
    agent.writeConfig(QStringLiteral("[node]\nroles = [\"realserver\"]\n"));
    QString error;
    QVERIFY2(agent.start(&error), qPrintable(error));
    QFile maps(QStringLiteral("/proc/%1/maps").arg(agent.pid()));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray text = maps.readAll();
    QVERIFY(text.contains("libstdc++")); // the file is what it should be
    for (const char* lib : {"libcurl", "libnftables", "libmariadb", "libcrypto", "libssl", "libgnutls", "libkrb5"}) {
        QVERIFY2(!text.contains(lib), lib);
    }
    QVERIFY2(agent.stopCleanly(&error), qPrintable(error));
}

void TestAgentFootprint::lazyOpenReportsAMissingLibrary()
{
    std::string why;
    QVERIFY(agent::lazy::open("libhadeck-no-such-library.so.0", why) == nullptr);
    QVERIFY2(why.find("cannot load libhadeck-no-such-library.so.0") == 0, why.c_str());
    why.clear();
    void* c = agent::lazy::open("libc.so.6", why);
    QVERIFY2(c != nullptr, why.c_str());
    std::size_t (*strlenFn)(const char*) = nullptr;
    QVERIFY(agent::lazy::resolve(c, "libc.so.6", "strlen", strlenFn, why));
    QCOMPARE(strlenFn("four"), std::size_t{4});
    QVERIFY(!agent::lazy::resolve(c, "libc.so.6", "hadeck_no_such_symbol", strlenFn, why));
    QCOMPARE(QString::fromStdString(why), QStringLiteral("libc.so.6 has no hadeck_no_such_symbol"));
}

// FIPS 180-2 examples.
void TestAgentFootprint::sha256Vectors()
{
    QCOMPARE(QString::fromStdString(agent::sha256Hex("")),
             QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(QString::fromStdString(agent::sha256Hex("abc")),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(hex(agent::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
             QStringLiteral("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

// RFC 4231 test cases 2 and 6 (a key shorter and one longer than the block).
void TestAgentFootprint::hmacSha256Vectors()
{
    const auto two = agent::hmacSha256("Jefe", "what do ya want for nothing?");
    QVERIFY(two.has_value());
    QCOMPARE(hex(*two), QStringLiteral("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    const std::string key(131, '\xaa');
    const auto six = agent::hmacSha256(key, "Test Using Larger Than Block-Size Key - Hash Key First");
    QVERIFY(six.has_value());
    QCOMPARE(hex(*six), QStringLiteral("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
}

QTEST_GUILESS_MAIN(TestAgentFootprint)
#include "tst_agentfootprint.moc"
