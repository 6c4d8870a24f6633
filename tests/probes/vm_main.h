#pragma once

// main() for tests that need the real IPVS kernel. On a host without IPVS the
// binary re-runs itself inside the lab VM's dir1 node (`tests/lab/lab exec dir1`),
// which sees the host's filesystem; inside, it moves into a network namespace of
// its own so the lab's IPVS table is never touched.

#include <QtTest>

#include <sched.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <string>
#include <vector>

inline bool hostHasIpvs() { return access("/proc/net/ip_vs", F_OK) == 0; }

inline std::string selfPath()
{
    std::string buf(4096, '\0');
    const auto n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
}

/// The VM reads the host over 9p and was seen running a stale copy of a rebuilt binary;
/// a path named after the build's mtime is always fresh to it.
inline std::string vmCopyOfSelf()
{
    const std::string self = selfPath();
    struct stat st {};
    if (stat(self.c_str(), &st) != 0) {
        return self;
    }
    const std::string copy = self + ".vm-" + std::to_string(st.st_mtime);
    std::error_code ec;
    if (!std::filesystem::exists(copy, ec)) {
        std::filesystem::copy_file(self, copy, ec);
    }
    return ec ? self : copy;
}

#define HADECK_VM_TEST_MAIN(TestClass)                                                                                 \
    int main(int argc, char** argv)                                                                                    \
    {                                                                                                                  \
        if (!hostHasIpvs() && std::getenv("HADECK_VM_INNER") == nullptr) {                                             \
            const std::string lab = HADECK_SOURCE_DIR "/tests/lab/lab";                                                \
            std::vector<std::string> args{lab, "exec", "dir1", "env", "HADECK_VM_INNER=1"};                            \
            for (int i = 0; i < argc; ++i) {                                                                           \
                args.emplace_back(i == 0 ? vmCopyOfSelf() : std::string(argv[i]));                                    \
            }                                                                                                          \
            std::vector<char*> cargs;                                                                                  \
            for (auto& a : args) {                                                                                     \
                cargs.push_back(a.data());                                                                             \
            }                                                                                                          \
            cargs.push_back(nullptr);                                                                                  \
            execv(lab.c_str(), cargs.data());                                                                          \
            std::perror("cannot run the lab (tests/lab/lab)");                                                         \
            return 1;                                                                                                  \
        }                                                                                                              \
        if (unshare(CLONE_NEWNET) != 0) {                                                                              \
            std::perror("unshare(CLONE_NEWNET) (needs root)");                                                         \
            return 1;                                                                                                  \
        }                                                                                                              \
        QCoreApplication app(argc, argv);                                                                              \
        TestClass tc;                                                                                                  \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }
