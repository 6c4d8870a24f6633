#pragma once

// What the director lab tests ask the directors' agents in the same way.

#include "labtestutil.h"
#include "processutil.h"

#include "hadeck/console/actions/cluster_rpc.h"

#include <hadeck/protocol/methods.h>

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <vector>

namespace hadeck::directorlab {

/// The lab's virtual IP that the directors share.
inline const QString kVip = QStringLiteral("198.18.0.100");

/// hadeck-loadgen (HADECK_LOADGEN) on the lab's client: 6 keep-alive connections to the VIP's
/// port 80 for @p seconds, @p thinkMs between a connection's requests.
class Traffic {
public:
    explicit Traffic(double seconds, int thinkMs = 50) : m_out(m_dir.filePath(QStringLiteral("load.json")))
    {
        m_proc.start(qEnvironmentVariable("HADECK_LAB"),
                     {QStringLiteral("exec"), QStringLiteral("client"), qEnvironmentVariable("HADECK_LOADGEN"),
                      QStringLiteral("--target"), kVip + QStringLiteral(":80"), QStringLiteral("--connections"),
                      QStringLiteral("6"), QStringLiteral("--think-ms"), QString::number(thinkMs),
                      QStringLiteral("--duration"), QString::number(seconds), QStringLiteral("--out"), m_out});
    }
    ~Traffic() { m_proc.waitForFinished(-1); }
    Traffic(const Traffic&) = delete;
    Traffic& operator=(const Traffic&) = delete;

    /// Waits for hadeck-loadgen's "flowing": as many good answers as connections.
    [[nodiscard]] bool waitFlowing(int timeoutMs = 20000)
    {
        return QTest::qWaitFor(
                   [&] {
                       m_said += m_proc.readAllStandardOutput();
                       return m_said.contains("flowing\n") || m_proc.state() == QProcess::NotRunning;
                   },
                   timeoutMs) &&
               m_said.contains("flowing\n");
    }

    /// Waits for the end and returns hadeck-loadgen's summary (empty when it wrote none).
    QJsonObject finish()
    {
        m_proc.waitForFinished(-1);
        QFile f(m_out);
        if (!f.open(QIODevice::ReadOnly)) {
            return {};
        }
        return QJsonDocument::fromJson(f.readAll()).object();
    }

private:
    QTemporaryDir m_dir{QStringLiteral(HADECK_BINARY_DIR "/load-XXXXXX")};
    QString m_out;
    QProcess m_proc;
    QByteArray m_said;
};

/// What hadeckctl printed and how it exited.
struct CtlRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    [[nodiscard]] QByteArray all() const { return out + "\n--- stderr ---\n" + err; }
};

/// The built hadeckctl (HADECKCTL) against the lab's inventory, never asking.
inline CtlRun hadeckctl(const QStringList& args, int timeoutMs = 120000)
{
    const auto p =
        test::runProgram(qEnvironmentVariable("HADECKCTL"),
                         QStringList{QStringLiteral("--cluster"), labtest::labDir() + QStringLiteral("/inventory.json"),
                                     QStringLiteral("--batch")} +
                             args,
                         {.timeoutMs = timeoutMs});
    const CtlRun r{p.code, p.out, p.err};
    qInfo("hadeckctl %s -> %d", qPrintable(args.join(QLatin1Char(' '))), r.code);
    return r;
}

/// @p instance's VRRP state on @p director as its agent reports it (vrrp.list); nullopt when the
/// agent did not answer within 15 s or has no such instance.
inline std::optional<proto::VrrpState> vrrpStateOn(console::ClusterRpc& rpc, const QString& director,
                                                   const QString& instance)
{
    std::optional<proto::VrrpState> state;
    bool done = false;
    console::invoke(rpc, director, proto::methods::VrrpList, {}, [&](const console::Reply<proto::VrrpListResult>& r) {
        for (const auto& i : r ? r->instances : std::vector<proto::VrrpInstance>{}) {
            if (QString::fromStdString(i.name) == instance) {
                state = i.state;
            }
        }
        done = true;
    });
    (void)QTest::qWaitFor([&] { return done; }, 15000);
    return state;
}

/// How often @p line appears in @p director's keepalived.log (-1: no log). keepalived 2.2.7 logs
/// "Reload complete" once its checker process has re-read the configuration and IPVS, and
/// "VRRP sockpool" each time its VRRP process (re)starts its instances, reloads included.
inline qsizetype keepalivedLogCount(const QString& director, const char* line)
{
    QFile log(labtest::labDir() + QStringLiteral("/nodes/%1/log/keepalived.log").arg(director));
    return log.open(QIODevice::ReadOnly) ? log.readAll().count(line) : -1;
}

} // namespace hadeck::directorlab
