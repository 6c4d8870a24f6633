#pragma once

// Helpers for the tests that drive the lab (tests/lab/lab) from the host: the lab script
// (start/stop a daemon, run a command inside a node), an agent.toml addition put on a node's
// agent and taken back, and an HTTP webhook receiver on the host's lab address. Qt only; the
// lab tests get HADECK_LAB (the lab script) and HADECK_LAB_DIR (its state, default
// /run/hadeck-lab) from their ctest environment.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTcpServer>

#include <utility>

namespace hadeck::labtest {

/// The host on the lab bridge: the only address the tests' receivers listen on.
inline const QString kHostAddress = QStringLiteral("198.18.0.254");

/// The lab's state directory (inventory.json, nodes/<node>/pids/...).
QString labDir();

/// `lab ARGS...`: its exit code, -1 when it crashed or did not end within 120 s (then it is
/// killed with its children: the lab script runs in a process group of its own).
int lab(const QStringList& args);

/// `lab exec NODE sh -c SCRIPT`: its standard output; empty (and a warning) when it failed or
/// did not end within 120 s (killed with its children, as lab()).
QByteArray labExec(const QString& node, const QString& script);

/// `lab exec NODE ARGV...` (no shell): its standard output; empty (and a warning) when it failed
/// or did not end within @p timeoutMs (killed with its children, as lab()).
QByteArray labExecArgv(const QString& node, const QStringList& argv, int timeoutMs = 60000);

/// Lines added to nodes' /etc/hadeck/agent.toml for one test, each agent restarted to read them.
/// The original file is kept beside it (agent.toml.<tag>-orig) and put back by restore(), which
/// restarts those agents again; the destructor restores what restore() has not.
class AgentTomlEdit {
public:
    explicit AgentTomlEdit(QString tag) : m_tag(std::move(tag)) {}
    ~AgentTomlEdit() { restore(); }
    AgentTomlEdit(const AgentTomlEdit&) = delete;
    AgentTomlEdit& operator=(const AgentTomlEdit&) = delete;

    /// Appends @p text to @p node's agent.toml and restarts its agent. False when a step failed.
    bool append(const QString& node, const QString& text);
    /// Puts every edited node's agent.toml back and restarts those agents.
    void restore();
    const QStringList& nodes() const { return m_nodes; }

private:
    QString saved() const;
    QString m_tag;
    QStringList m_nodes;
};

/// Webhook receiver on the lab network: one HTTP POST per connection, answered 200 with what
/// DingTalk, WeCom (errcode) and Feishu (code, StatusCode) answer on success. Each request is
/// kept with the host's time of its complete arrival.
class WebhookReceiver : public QObject {
public:
    struct Hit {
        qint64 atMs = 0; ///< QDateTime::currentMSecsSinceEpoch() when the body was complete
        QByteArray path;
        QByteArray body;
    };
    WebhookReceiver();
    bool listen(const QHostAddress& address = QHostAddress(kHostAddress)) { return m_server.listen(address, 0); }
    quint16 port() const { return m_server.serverPort(); }
    const QList<Hit>& hits() const { return m_hits; }

private:
    QTcpServer m_server;
    QList<Hit> m_hits;
};

/// Median, 99th percentile (nearest rank) and maximum of @p values (empty: all 0), for the
/// benchmarks' summaries.
struct Spread {
    double median = 0;
    double p99 = 0;
    double max = 0;
};
Spread spreadOf(QList<double> values);

} // namespace hadeck::labtest
