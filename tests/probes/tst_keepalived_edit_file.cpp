// The keepalived.conf editor (probes/keepalived_edit.h) and the file utility
// (agent/files.h) on a real directory: concurrent edits, shrinking edits,
// placement by the parser's lines, and what writeFileAtomically keeps.

#include "hadeck/agent/files.h"
#include "hadeck/probes/keepalived_edit.h"
#include "hadeck/protocol/jsonrpc.h"

#include <QtTest>

#include <sys/stat.h>

using namespace hadeck;
namespace files = hadeck::agent::files;

namespace {

const std::string kConfig = "vrrp_instance VI_1 {\n  state BACKUP\n  interface lo\n  virtual_router_id 51\n"
                            "  virtual_ipaddress {\n    198.18.0.100/24\n  }\n}\n";

mode_t modeOf(const std::filesystem::path& p)
{
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 07777) : mode_t(-1);
}

std::string read(const std::filesystem::path& p) { return files::readFile(p).value(); }

} // namespace

class TestKeepalivedEditFile : public QObject {
    Q_OBJECT
private slots:
    void placesByParserLines();
    void oneLineBlock();
    void concurrentEditIsNotLost();
    void shrinkingEditRefused();
    void writeAtomicallyKeepsMode();
    void readFileIfExists();
};

void TestKeepalivedEditFile::placesByParserLines()
{
    // A brace inside a quoted string and a comment must not fool the placement.
    const std::string text = "vrrp_instance VI_1 {\n  notify \"/bin/echo }\" # }\n  interface lo\n}\n"
                             "vrrp_instance VI_10 {\n  interface lo\n}\n";
    auto out = probes::addTrackFileToInstance(text, "k.conf", "VI_1", "hadeck_failover", "/var/lib/hadeck/failover");
    QVERIFY2(out.hasValue(), out ? "" : out.error().message.c_str());
    const auto ref = out->find("hadeck_failover weight 0");
    QVERIFY(ref != std::string::npos);
    QVERIFY(ref < out->find("vrrp_instance VI_10"));
    QVERIFY(ref > out->find("interface lo"));
    QVERIFY(!probes::addTrackFileToInstance(*out, "k.conf", "VI_1", "hadeck_failover", "/f").hasValue());
    QVERIFY(!probes::addTrackFileToInstance(text, "k.conf", "VI_9", "hadeck_failover", "/f").hasValue());
}

void TestKeepalivedEditFile::oneLineBlock()
{
    const std::string text = "vrrp_instance VI_1 { interface lo }\n";
    auto out = probes::addTrackFileToInstance(text, "k.conf", "VI_1", "hadeck_failover", "/f");
    QVERIFY2(out.hasValue(), out ? "" : out.error().message.c_str());
    QVERIFY(out->find("track_file {\n        hadeck_failover weight 0\n    }\n}") != std::string::npos);
}

void TestKeepalivedEditFile::concurrentEditIsNotLost()
{
    QTemporaryDir dir;
    const std::filesystem::path conf = dir.filePath(QStringLiteral("keepalived.conf")).toStdString();
    QVERIFY(files::writeFileAtomically(conf, kConfig, {.mode = 0600}).hasValue());
    const std::string theirs = kConfig + "# added by someone else meanwhile\n";
    probes::ConfigEditOptions options;
    options.beforeReplace = [&] { QVERIFY(files::writeFileAtomically(conf, theirs).hasValue()); };
    auto r = probes::editKeepalivedConfig(
        conf, [](const std::string& t) -> Expected<std::string> { return t + "# ours\n"; }, options);
    QVERIFY(!r.hasValue());
    QCOMPARE(r.error().code, int(rpc::PreconditionFailed));
    QVERIFY(r.error().message.find("changed while") != std::string::npos);
    QCOMPARE(read(conf), theirs);
    // No candidate left behind; the backup is the original.
    int backups = 0;
    for (const auto& e : std::filesystem::directory_iterator(conf.parent_path())) {
        const std::string name = e.path().filename().string();
        QVERIFY2(name.find("hadeck-new") == std::string::npos, name.c_str());
        if (name.find(".hadeck-bak-") != std::string::npos) {
            ++backups;
            QCOMPARE(read(e.path()), kConfig);
        }
    }
    QCOMPARE(backups, 1);
}

void TestKeepalivedEditFile::shrinkingEditRefused()
{
    QTemporaryDir dir;
    const std::filesystem::path conf = dir.filePath(QStringLiteral("keepalived.conf")).toStdString();
    QVERIFY(files::writeFileAtomically(conf, kConfig).hasValue());
    for (const std::string& bad : {std::string(), kConfig.substr(0, 20)}) {
        auto r = probes::editKeepalivedConfig(conf, [&](const std::string&) -> Expected<std::string> { return bad; });
        QVERIFY(!r.hasValue());
        QVERIFY(r.error().message.find("empty or shorter") != std::string::npos);
        QCOMPARE(read(conf), kConfig);
    }
}

void TestKeepalivedEditFile::writeAtomicallyKeepsMode()
{
    QTemporaryDir dir;
    const std::filesystem::path f = dir.filePath(QStringLiteral("sub/state.json")).toStdString();
    QVERIFY(!files::writeFileAtomically(f, "x").hasValue()); // no parent, not asked to create it
    QVERIFY(files::writeFileAtomically(f, "one", {.mode = 0640, .createParents = true}).hasValue());
    QCOMPARE(modeOf(f), mode_t(0640));
    QVERIFY(::chmod(f.c_str(), 0600) == 0);
    QVERIFY(files::writeFileAtomically(f, "two", {.mode = 0644}).hasValue());
    QCOMPARE(modeOf(f), mode_t(0600)); // the existing file's mode wins
    QCOMPARE(read(f), std::string("two"));
    QCOMPARE(std::distance(std::filesystem::directory_iterator(f.parent_path()), {}), 1L); // no temporaries
}

void TestKeepalivedEditFile::readFileIfExists()
{
    QTemporaryDir dir;
    const std::filesystem::path f = dir.filePath(QStringLiteral("nothing")).toStdString();
    auto r = files::readFileIfExists(f);
    QVERIFY(r.hasValue() && !r->has_value());
    QVERIFY(!files::readFile(f).hasValue());
    QVERIFY(files::writeFileAtomically(f, std::string(100, 'a')).hasValue());
    QVERIFY(!files::readFile(f, 99).hasValue()); // over the limit: refused, not truncated
    QCOMPARE(files::readFile(f, 100).value().size(), std::size_t(100));
}

QTEST_GUILESS_MAIN(TestKeepalivedEditFile)
#include "tst_keepalived_edit_file.moc"
