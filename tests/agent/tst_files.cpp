// The agent's file utility (hadeck/agent/files.h): ranged and tail reads, the checked
// in-place write for /proc/sys, and atomic replacement with two writers at once.

#include "hadeck/agent/files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/stat.h>

using namespace hadeck::agent;

namespace {

std::string slurp(const std::filesystem::path& p)
{
    auto t = files::readFile(p);
    return t ? *t : std::string("<unreadable>");
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

} // namespace

class TestFiles : public QObject {
    Q_OBJECT
private slots:
    void readAtAndTail();
    void readErrorsNameThePath();
    void writeExistingChecksEveryStep();
    void atomicModes();
    void twoWritersNeverTear();

private:
    QTemporaryDir m_dir;
    std::filesystem::path path(const char* name) const
    {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }
};

void TestFiles::readAtAndTail()
{
    const auto p = path("ten");
    QVERIFY(files::writeFileAtomically(p, "0123456789"));
    QCOMPARE(*files::readAt(p, 3, 4), std::string("3456"));
    QCOMPARE(*files::readAt(p, 8, 100), std::string("89"));
    QCOMPARE(*files::readAt(p, 10, 5), std::string());
    QCOMPARE(*files::readAt(p, 1000, 5), std::string());
    // The bound is a bound, not a buffer size: a huge one on a small file reads the file.
    QCOMPARE(*files::readAt(p, 0, std::size_t{1} << 62U), std::string("0123456789"));
    QCOMPARE(files::readTail(p, std::size_t{1} << 62U)->text, std::string("0123456789"));

    auto whole = files::readTail(p, 100);
    QVERIFY(whole.hasValue());
    QCOMPARE(whole->text, std::string("0123456789"));
    QCOMPARE(whole->from, std::uint64_t{0});
    auto last = files::readTail(p, 4);
    QVERIFY(last.hasValue());
    QCOMPARE(last->text, std::string("6789"));
    QCOMPARE(last->from, std::uint64_t{6});
}

void TestFiles::readErrorsNameThePath()
{
    const auto missing = path("missing");
    for (const auto& message :
         {files::readAt(missing, 0, 10).error().message, files::readTail(missing, 10).error().message,
          files::readFile(missing).error().message}) {
        QVERIFY2(contains(message, missing.string()) && contains(message, std::strerror(ENOENT)), message.c_str());
    }
    auto none = files::readFileIfExists(missing);
    QVERIFY(none.hasValue() && !none->has_value());
    // A directory is an error, not an empty file.
    auto dir = files::readFile(m_dir.path().toStdString());
    QVERIFY(!dir.hasValue());
    QVERIFY2(contains(dir.error().message, std::strerror(EISDIR)), dir.error().message.c_str());
}

void TestFiles::writeExistingChecksEveryStep()
{
    const auto p = path("setting");
    QVERIFY(files::writeFileAtomically(p, "0\n"));
    QVERIFY(files::writeExisting(p, "1\n"));
    QCOMPARE(slurp(p), std::string("1\n"));

    // Never creates: a /proc/sys entry that is absent is an error.
    const auto absent = path("absent");
    auto st = files::writeExisting(absent, "1\n");
    QVERIFY(!st.hasValue());
    QVERIFY2(contains(st.error().message, absent.string()) && contains(st.error().message, std::strerror(ENOENT)),
             st.error().message.c_str());
    QVERIFY(!std::filesystem::exists(absent));

    // A failing write() is reported with its cause.
    const auto full = path("full");
    std::filesystem::create_symlink("/dev/full", full);
    st = files::writeExisting(full, "1\n");
    QVERIFY(!st.hasValue());
    QVERIFY2(contains(st.error().message, full.string()) && contains(st.error().message, std::strerror(ENOSPC)),
             st.error().message.c_str());
}

void TestFiles::atomicModes()
{
    // A new file gets the asked mode whatever the umask; an existing one keeps its own.
    const mode_t old = ::umask(0);
    const auto p = path("private");
    QVERIFY(files::writeFileAtomically(p, "secret", files::WriteOptions{.mode = 0600}));
    ::umask(old);
    struct stat st {};
    QCOMPARE(::stat(p.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t{0600});
    QCOMPARE(::chmod(p.c_str(), 0640), 0);
    QVERIFY(files::writeFileAtomically(p, "secret 2", files::WriteOptions{.mode = 0644}));
    QCOMPARE(::stat(p.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t{0640});
    QCOMPARE(slurp(p), std::string("secret 2"));

    // A stale "<file>.tmp" (a crash of an older writer) is neither followed nor in the way.
    const auto victim = path("victim");
    QVERIFY(files::writeFileAtomically(victim, "untouched"));
    std::filesystem::create_symlink(victim, p.string() + ".tmp");
    QVERIFY(files::writeFileAtomically(p, "secret 3"));
    QCOMPARE(slurp(victim), std::string("untouched"));
    QCOMPARE(slurp(p), std::string("secret 3"));
}

void TestFiles::twoWritersNeverTear()
{
    // Two threads replace the same file; a reader sees one whole version or the other, never a
    // mix, and no temporary file is left behind.
    QTemporaryDir own;
    QVERIFY(own.isValid());
    const auto p = std::filesystem::path(own.path().toStdString()) / "shared";
    const std::string a(100000, 'a');
    const std::string b(70000, 'b');
    QVERIFY(files::writeFileAtomically(p, a));
    std::atomic<int> failures{0};
    const auto writer = [&](const std::string& text) {
        for (int i = 0; i < 100; ++i) {
            if (!files::writeFileAtomically(p, text)) {
                ++failures;
            }
        }
    };
    std::thread ta(writer, a);
    std::thread tb(writer, b);
    int reads = 0;
    int torn = 0;
    while (reads < 200) {
        const std::string got = slurp(p);
        if (got != a && got != b) {
            ++torn;
        }
        ++reads;
    }
    ta.join();
    tb.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(torn, 0);
    int entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(p.parent_path())) {
        ++entries;
    }
    QCOMPARE(entries, 1);
}

QTEST_GUILESS_MAIN(TestFiles)
#include "tst_files.moc"
