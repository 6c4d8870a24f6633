// hadeckctl end to end: real sshd, real agents, the built binary; argument errors of the action commands.

#include "sshtestenv.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QTest>

#include <csignal>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

using namespace hadeck::test;

class TestHadeckctl : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    using Result = ProcessResult;

    // @p viaTerminal: hadeckctl gets a terminal of its own (script(1)) that @p input is typed
    // into; otherwise it runs without a controlling terminal (setsid), as from cron or a pipe.
    Result run(const QStringList& args, const QByteArray& input = {}, const QString& lang = QStringLiteral("en"),
               bool viaTerminal = false)
    {
        // English unless a test asks otherwise, whatever the machine's locale.
        const ProcessOptions options{
            .timeoutMs = 60000, .input = input, .environment = {{QStringLiteral("HADECK_LANG"), lang}}};
        if (viaTerminal) {
            QString command = QStringLiteral("'%1'").arg(hadeckctlBinary());
            for (const QString& a : args)
                command += QStringLiteral(" '%1'").arg(a);
            return runProgram(QStringLiteral("script"), {QStringLiteral("-qec"), command, QStringLiteral("/dev/null")},
                              options);
        }
        return runProgram(QStringLiteral("setsid"), QStringList{QStringLiteral("-w"), hadeckctlBinary()} + args,
                          options);
    }

    QString writeFile(const QString& name, const QByteArray& text)
    {
        QFile f(m_dir.filePath(name));
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return f.fileName();
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral("/usr/sbin/sshd")))
            QSKIP("OpenSSH server is not installed");
        if (!QFile::exists(agentBinary()) || !QFile::exists(hadeckctlBinary()))
            QSKIP("hadeck-agent or hadeckctl is not built");
        qunsetenv("SSH_AUTH_SOCK");
    }

    void usageErrors()
    {
        QCOMPARE(run({QStringLiteral("--help")}).code, 0);
        QVERIFY(run({QStringLiteral("--help")}).out.contains("Exit codes"));
        QCOMPARE(run({QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(run({QStringLiteral("--cluster"), m_dir.filePath(QStringLiteral("absent.json")), QStringLiteral("status")}).code, 2);
        const QString bad = writeFile(QStringLiteral("bad.json"), "{\n\"name\": \"x\",\n\"nodes\": [,]\n}\n");
        const Result r = run({QStringLiteral("--cluster"), bad, QStringLiteral("status")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("bad.json:3:"), r.err.constData());
        QCOMPARE(run({QStringLiteral("--timeout"), QStringLiteral("x"), QStringLiteral("--cluster"), bad,
                      QStringLiteral("status")}).code,
                 2);
    }

    void actionUsageErrors_data()
    {
        // Refused before any connection is tried: the inventory's node is never reached.
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("on-timeout unknown") << QStringList{"--on-timeout", "later", "drain", "web1", "--wait"}
                                            << QByteArray("--on-timeout");
        QTest::newRow("on-timeout empty") << QStringList{"--on-timeout=", "drain", "web1"} << QByteArray("--on-timeout");
        QTest::newRow("drain-timeout zero") << QStringList{"--drain-timeout", "0", "drain", "web1"}
                                            << QByteArray("--drain-timeout");
        QTest::newRow("drain-timeout text") << QStringList{"--drain-timeout", "soon", "drain", "web1"}
                                            << QByteArray("--drain-timeout");
        QTest::newRow("add-track without instance") << QStringList{"add-track", "dir2"} << QByteArray("usage");
        QTest::newRow("add-track too many") << QStringList{"add-track", "dir2", "VI_1", "x"} << QByteArray("usage");
        QTest::newRow("drain no node") << QStringList{"drain"} << QByteArray("--on-timeout");
        QTest::newRow("maintenance bad word") << QStringList{"maintenance", "dir1", "maybe", "VI_1"}
                                              << QByteArray("on|off");
    }

    void actionUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, says);
        const QString inv = writeFile(
            QStringLiteral("unreached.json"),
            R"({"name":"u","nodes":[{"name":"dir1","address":"127.0.0.1","port":1,"user":"root","roles":["director"]}]})");
        const Result r = run(QStringList{QStringLiteral("--cluster"), inv, QStringLiteral("--batch")} + args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(says), r.err.constData());
    }

    // The CLI speaks the catalog's language: by --lang, else HADECK_LANG; an unknown one falls back to English.
    void speaksChinese()
    {
        const Result byOption = run({QStringLiteral("--lang"), QStringLiteral("zh_CN"), QStringLiteral("frobnicate")});
        QCOMPARE(byOption.code, 2);
        QVERIFY2(QString::fromUtf8(byOption.err).contains(QStringLiteral("未知命令")), byOption.err.constData());
        const Result help = run({QStringLiteral("--help")}, {}, QStringLiteral("zh_CN"));
        QCOMPARE(help.code, 0);
        QVERIFY2(QString::fromUtf8(help.out).contains(QStringLiteral("退出码")), help.out.constData());
        QVERIFY2(QString::fromUtf8(help.out).contains(QStringLiteral("跟踪文件")), help.out.constData());
        const Result unknown = run({QStringLiteral("--lang=xx"), QStringLiteral("frobnicate")});
        QCOMPARE(unknown.code, 2);
        QVERIFY2(unknown.err.contains("no catalog for language \"xx\""), unknown.err.constData());
        QVERIFY2(unknown.err.contains("unknown command"), unknown.err.constData());
    }

    // The SSH transport's errors are in the catalog too: they come out in Chinese under zh_CN.
    void sshErrorsSpeakChinese()
    {
        const QString inv = writeFile(
            QStringLiteral("closed.json"),
            R"({"name":"c","nodes":[{"name":"dir1","address":"127.0.0.1","port":1,"user":"root","roles":["director"]}]})");
        const Result r = run({QStringLiteral("--cluster"), inv, QStringLiteral("--batch"), QStringLiteral("status")}, {},
                             QStringLiteral("zh_CN"));
        QCOMPARE(r.code, 1);
        QVERIFY2(QString::fromUtf8(r.out + r.err).contains(QStringLiteral("无法连接到 root@127.0.0.1:1")),
                 (r.out + r.err).constData());
    }

    // hadeckctl looks for clusters where the GUI saves them: <config>/HaDeck/hadeck/clusters.
    void clustersWhereTheGuiKeepsThem()
    {
        const ProcessResult r = runProgram(hadeckctlBinary(), {QStringLiteral("--help")},
                                           {.timeoutMs = 60000,
                                            .environment = {{QStringLiteral("HADECK_LANG"), QStringLiteral("en")},
                                                            {QStringLiteral("XDG_CONFIG_HOME"), m_dir.path()}}});
        QVERIFY(r.ok());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(m_dir.path() + QStringLiteral("/HaDeck/hadeck/clusters")), qPrintable(out));
    }

    void helpListsActionOptions()
    {
        const Result r = run({QStringLiteral("--help")});
        for (const char* s : {"add-track", "--on-timeout", "--drain-timeout", "keepalived -t"}) {
            QVERIFY2(r.out.contains(s), s);
        }
    }

    void statusEndToEnd()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        Agent a1(m_dir.filePath(QStringLiteral("a1.sock")));
        Agent a2(m_dir.filePath(QStringLiteral("a2.sock")));
        QVERIFY2(a1.start(&error), qPrintable(error));
        QVERIFY2(a2.start(&error), qPrintable(error));
        const QString kh = writeFile(QStringLiteral("known_hosts"), sshd.knownHostsLine().toUtf8());
        auto node = [&](const QString& name, const QString& socket) {
            return QStringLiteral(R"({"name":"%1","address":"127.0.0.1","port":%2,"user":"root","key":"%3","jump":"","roles":["director"],"socket":"%4"})")
                .arg(name)
                .arg(sshd.port())
                .arg(sshd.userKey(), socket);
        };
        const QString good = writeFile(
            QStringLiteral("good.json"),
            QStringLiteral(R"({"name":"t","knownHosts":"%1","nodes":[%2,%3]})")
                .arg(kh, node(QStringLiteral("dir1"), a1.socketPath()), node(QStringLiteral("dir2"), a2.socketPath()))
                .toUtf8());
        Result r = run({QStringLiteral("--cluster"), good, QStringLiteral("--json"), QStringLiteral("--batch"),
                        QStringLiteral("status")});
        QVERIFY2(r.code == 0, r.out.constData());
        auto doc = QJsonDocument::fromJson(r.out);
        QVERIFY2(doc.isObject(), r.out.constData());
        QCOMPARE(doc[QStringLiteral("cluster")].toString(), QStringLiteral("t"));
        const auto nodes = doc[QStringLiteral("nodes")].toArray();
        QCOMPARE(nodes.size(), 2);
        for (const auto& n : nodes) {
            QCOMPARE(n[QStringLiteral("state")].toString(), QStringLiteral("online"));
            QCOMPARE(n[QStringLiteral("user")].toString(), QStringLiteral("root"));
            QCOMPARE(n[QStringLiteral("permission")].toString(), QStringLiteral("admin"));
        }
        // The table names the same things.
        r = run({QStringLiteral("--cluster"), good, QStringLiteral("--batch"), QStringLiteral("status")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("dir1") && r.out.contains("Online") && r.out.contains("admin"));

        // One agent down: exit 1, the other still reported.
        a2.stop();
        r = run({QStringLiteral("--cluster"), good, QStringLiteral("--json"), QStringLiteral("--batch"),
                 QStringLiteral("--timeout"), QStringLiteral("5"), QStringLiteral("status")});
        QCOMPARE(r.code, 1);
        doc = QJsonDocument::fromJson(r.out);
        QCOMPARE(doc[QStringLiteral("nodes")][0][QStringLiteral("state")].toString(), QStringLiteral("online"));
        // With its socket gone, the console falls back to the node's installed agent, and this
        // host has none under /usr/sbin: that is the state it reports, not a bare "unreachable".
        QCOMPARE(doc[QStringLiteral("nodes")][1][QStringLiteral("state")].toString(),
                 QStringLiteral("agent-not-installed"));
        QVERIFY(!doc[QStringLiteral("nodes")][1][QStringLiteral("error")].toString().isEmpty());
        // The status lists the alarms. This host has no agent under /usr/sbin, so the stopped
        // agent's node reads as one without an agent: an alarm of its own, not a lost director
        // (the lab's alarm test covers check's critical exit for a dead keepalived).
        const auto alarmIds = [](const QJsonDocument& d) {
            QStringList ids;
            for (const auto& a : d[QStringLiteral("alarms")].toArray())
                ids << a[QStringLiteral("id")].toString();
            return ids;
        };
        QVERIFY2(alarmIds(doc).contains(QStringLiteral("not-installed/dir2")), r.out.constData());
        r = run({QStringLiteral("--cluster"), good, QStringLiteral("--batch"), QStringLiteral("--timeout"),
                 QStringLiteral("5"), QStringLiteral("status")});
        QVERIFY2(r.out.contains("ALARMS") && r.out.contains("not installed on dir2"), r.out.constData());
        r = run({QStringLiteral("--cluster"), good, QStringLiteral("--json"), QStringLiteral("--batch"),
                 QStringLiteral("--timeout"), QStringLiteral("5"), QStringLiteral("alarms")});
        QCOMPARE(r.code, 1);
        doc = QJsonDocument::fromJson(r.out);
        QVERIFY2(alarmIds(doc).contains(QStringLiteral("not-installed/dir2")), r.out.constData());
        QCOMPARE(run({QStringLiteral("--cluster"), good, QStringLiteral("check"), QStringLiteral("extra")}).code, 2);

        // Both back: whatever the agents themselves raise, check's exit code follows its verdict.
        QVERIFY2(a2.start(&error), qPrintable(error));
        r = run({QStringLiteral("--cluster"), good, QStringLiteral("--json"), QStringLiteral("--batch"),
                 QStringLiteral("check")});
        doc = QJsonDocument::fromJson(r.out);
        QVERIFY2(!alarmIds(doc).contains(QStringLiteral("not-installed/dir2")), r.out.constData());
        const QString verdict = doc[QStringLiteral("result")].toString();
        QCOMPARE(r.code, verdict == QLatin1String("critical") ? 8 : verdict == QLatin1String("warning") ? 7 : 0);
        int worst = 0;
        for (const auto& a : doc[QStringLiteral("alarms")].toArray()) {
            const QString s = a[QStringLiteral("severity")].toString();
            worst = std::max(worst, s == QLatin1String("critical") ? 2 : s == QLatin1String("warning") ? 1 : 0);
        }
        QCOMPARE(r.code, worst == 2 ? 8 : worst == 1 ? 7 : 0);
        // Every agent listed its alarms: alarms exits 0.
        r = run({QStringLiteral("--cluster"), good, QStringLiteral("--json"), QStringLiteral("--batch"),
                 QStringLiteral("alarms")});
        QVERIFY2(r.code == 0, r.out.constData());
        QVERIFY2(QJsonDocument::fromJson(r.out)[QStringLiteral("unanswered")].toArray().isEmpty(), r.out.constData());
    }

    void drainWithSilentDirectors()
    {
        // The directors' agents do not answer (SSH logs in, the agent socket is not there):
        // the drain must say they did not answer, never that web1 is in no virtual service.
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        const QString kh = writeFile(QStringLiteral("known_hosts2"), sshd.knownHostsLine().toUtf8());
        auto node = [&](const QString& name, const QString& address, const QString& role) {
            return QStringLiteral(R"({"name":"%1","address":"%2","port":%3,"user":"root","key":"%4","jump":"","roles":["%5"],"socket":"%6"})")
                .arg(name, address)
                .arg(sshd.port())
                .arg(sshd.userKey(), role, m_dir.filePath(name + QStringLiteral("-absent.sock")));
        };
        const QString inv = writeFile(
            QStringLiteral("silent.json"),
            QStringLiteral(R"({"name":"t","knownHosts":"%1","nodes":[%2,%3,%4]})")
                .arg(kh, node(QStringLiteral("dir1"), QStringLiteral("127.0.0.1"), QStringLiteral("director")),
                     node(QStringLiteral("dir2"), QStringLiteral("127.0.0.1"), QStringLiteral("director")),
                     node(QStringLiteral("web1"), QStringLiteral("127.0.0.1"), QStringLiteral("realserver")))
                .toUtf8());
        const Result r = run({QStringLiteral("--cluster"), inv, QStringLiteral("--batch"), QStringLiteral("--timeout"),
                              QStringLiteral("5"), QStringLiteral("drain"), QStringLiteral("198.18.0.21")});
        const QByteArray all = r.out + r.err;
        QVERIFY2(r.code != 0, all.constData());
        QVERIFY2(!all.contains("No virtual service"), all.constData());
        QVERIFY2(all.contains("did not answer") || all.contains("no director in this cluster answered"), all.constData());
        QVERIFY2(all.contains("dir1") || all.contains("no director"), all.constData());
    }

    void unknownHostKeyBatchAndPrompt()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        Agent a1(m_dir.filePath(QStringLiteral("b1.sock")));
        QVERIFY2(a1.start(&error), qPrintable(error));
        const QString kh = m_dir.filePath(QStringLiteral("kh-prompt"));
        const QString inv = writeFile(
            QStringLiteral("prompt.json"),
            QStringLiteral(R"({"name":"p","knownHosts":"%1","nodes":[{"name":"n","address":"127.0.0.1","port":%2,"user":"root","key":"%3","socket":"%4"}]})")
                .arg(kh)
                .arg(sshd.port())
                .arg(sshd.userKey(), a1.socketPath())
                .toUtf8());
        // --batch refuses: exit 3, nothing recorded.
        Result r = run({QStringLiteral("--cluster"), inv, QStringLiteral("--batch"), QStringLiteral("status")});
        QCOMPARE(r.code, 3);
        QVERIFY(!QFile::exists(kh));
        // Interactive "n": refused too, after showing the fingerprint.
        r = run({QStringLiteral("--cluster"), inv, QStringLiteral("status")}, "n\n", QStringLiteral("en"), true);
        QCOMPARE(r.code, 3);
        QVERIFY2((r.out + r.err).contains(sshd.hostFingerprint().toUtf8()), (r.out + r.err).constData());
        // A "y" piped into stdin is no answer: the question is read from the terminal (issue 18).
        r = run({QStringLiteral("--cluster"), inv, QStringLiteral("status")}, "y\n");
        QCOMPARE(r.code, 3);
        QVERIFY(!QFile::exists(kh));
        // "y" typed on the terminal: accepted and recorded; the next --batch run needs no question.
        r = run({QStringLiteral("--cluster"), inv, QStringLiteral("status")}, "y\n", QStringLiteral("en"), true);
        QCOMPARE(r.code, 0);
        QVERIFY(QFile::exists(kh));
        r = run({QStringLiteral("--cluster"), inv, QStringLiteral("--batch"), QStringLiteral("status")});
        QCOMPARE(r.code, 0);
    }

    // ^C at the passphrase prompt, where echo is off, leaves the terminal echoing again (issue 18):
    // hadeckctl on a terminal of its own, an encrypted key, the real sshd and agent.
    void interruptedPassphraseRestoresEcho()
    {
        Sshd sshd;
        QString error;
        QVERIFY2(sshd.start({}, &error), qPrintable(error));
        Agent a1(m_dir.filePath(QStringLiteral("b2.sock")));
        QVERIFY2(a1.start(&error), qPrintable(error));
        const QString key = m_dir.filePath(QStringLiteral("id_locked"));
        QFile::remove(key);
        QVERIFY(QFile::copy(sshd.userKey(), key));
        QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(runProgram(QStringLiteral("ssh-keygen"),
                            {QStringLiteral("-q"), QStringLiteral("-p"), QStringLiteral("-f"), key,
                             QStringLiteral("-P"), QString(), QStringLiteral("-N"), QStringLiteral("exam-day")},
                            {.mergeChannels = true})
                     .code,
                 0);
        const QString kh = writeFile(QStringLiteral("kh-echo"), sshd.knownHostsLine().toUtf8());
        const QString inv = writeFile(
            QStringLiteral("echo.json"),
            QStringLiteral(
                R"({"name":"e","knownHosts":"%1","nodes":[{"name":"n","address":"127.0.0.1","port":%2,"user":"root","key":"%3","socket":"%4"}]})")
                .arg(kh)
                .arg(sshd.port())
                .arg(key, a1.socketPath())
                .toUtf8());
        // Everything the child needs is made before the fork: it only calls async-signal-safe functions.
        const QByteArray binary = hadeckctlBinary().toLocal8Bit();
        const QByteArray invPath = inv.toLocal8Bit();
        std::vector<QByteArray> args{"hadeckctl", "--cluster", invPath, "status"};
        std::vector<QByteArray> env{"HADECK_LANG=en"};
        for (char** e = environ; *e != nullptr; ++e) {
            if (std::strncmp(*e, "HADECK_LANG=", 12) != 0) {
                env.emplace_back(*e);
            }
        }
        std::vector<char*> argv;
        std::vector<char*> envp;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        for (auto& e : env) {
            envp.push_back(e.data());
        }
        argv.push_back(nullptr);
        envp.push_back(nullptr);
        int master = -1;
        const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
        QVERIFY(pid >= 0);
        if (pid == 0) {
            sigset_t none;
            ::sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::signal(SIGINT, SIG_DFL);
            ::execve(binary.constData(), argv.data(), envp.data());
            ::_exit(127);
        }
        ::fcntl(master, F_SETFD, FD_CLOEXEC);
        bool reaped = false;
        int status = 0;
        const auto cleanup = qScopeGuard([&] {
            if (!reaped) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &status, 0);
            }
            ::close(master);
        });
        const auto echoing = [master] {
            termios t{};
            return ::tcgetattr(master, &t) == 0 && (t.c_lflag & ECHO) != 0;
        };
        // What hadeckctl writes; false once it closed the terminal (it ended).
        QByteArray seen;
        const auto readSome = [&](int waitMs) {
            pollfd p{master, POLLIN, 0};
            if (::poll(&p, 1, waitMs) <= 0) {
                return true;
            }
            char buf[512];
            const ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0) {
                return false;
            }
            seen.append(buf, int(n));
            return true;
        };
        // Until the prompt is out and echo is off (the prompt comes first, then the terminal goes quiet).
        QElapsedTimer waited;
        waited.start();
        while (!(seen.contains("Passphrase for") && !echoing()) && waited.elapsed() < 30000 && readSome(100)) {
        }
        QVERIFY2(seen.contains("Passphrase for") && !echoing(), seen.constData());
        // A wrong passphrase longer than the reader's first buffer (it grows, wiping the old one):
        // read whole, refused, and asked again with echo off.
        const QByteArray wrong = QByteArray(3000, 'w') + "\n";
        QCOMPARE(::write(master, wrong.constData(), std::size_t(wrong.size())), ssize_t(wrong.size()));
        waited.restart();
        while (!(seen.contains("Wrong passphrase") && !echoing()) && waited.elapsed() < 30000 && readSome(100)) {
        }
        QVERIFY2(seen.contains("Wrong passphrase") && !echoing(), seen.constData());
        QCOMPARE(::write(master, "\x03", 1), ssize_t(1)); // the terminal's interrupt character
        waited.restart();
        pid_t gone = 0;
        while ((gone = ::waitpid(pid, &status, WNOHANG)) == 0 && waited.elapsed() < 30000) {
            if (!readSome(50)) {
                gone = ::waitpid(pid, &status, 0);
                break;
            }
        }
        reaped = gone == pid;
        const bool echoAfter = echoing();
        QVERIFY2(gone == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, seen.constData());
        QVERIFY2(echoAfter, "the terminal was left without echo");
    }
};

QTEST_GUILESS_MAIN(TestHadeckctl)
#include "tst_hadeckctl.moc"
