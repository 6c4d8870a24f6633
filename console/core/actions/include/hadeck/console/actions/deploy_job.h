#pragma once

// Installs or upgrades hadeck-agent on nodes over SSH, in parallel, one worker
// thread per node: check the node, copy the .deb over SFTP, install it with apt
// (sudo when the SSH user is not root), add the user to the chosen group, start
// the agent and wait for its hello through the connection pool. Idempotent:
// deploying the same package again changes nothing; a newer one upgrades. The
// same job for the GUI and `hadeckctl deploy`.

#include "hadeck/console/connectionpool.h"
#include "hadeck/console/remotehost.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace hadeck::console {

struct DeployRequest {
    QStringList nodes;
    QString packagePath;                      ///< the hadeck-agent .deb on this machine
    QString group = QStringLiteral("hadeck"); ///< hadeck, hadeck-operator or hadeck-admin
    /// How to start the agent. Empty: systemd where it runs, else start-stop-daemon; in both
    /// cases only when policy-rc.d allows it. Runs as root with UPGRADED=1 after an upgrade.
    QString startCommand;
    int helloTimeoutMs = 60000;
    int commandTimeoutMs = 600000; ///< apt may resolve dependencies from the node's mirror
};

/// What the node told about itself before anything changed (pure parse, tested on text).
struct DeployProbe {
    bool root = false;
    QString architecture;     ///< dpkg --print-architecture; empty: no dpkg
    QString installedVersion; ///< hadeck-agent's version, empty when not installed
    bool hasApt = false;
    bool hasSudo = false;
    bool systemd = false;
    QString tempDir; ///< made by mktemp for the upload
};
Expected<DeployProbe> parseDeployProbe(const QByteArray& output);

/// The package's control fields (dpkg-deb -f), checked before installing.
struct DebFields {
    QString package;
    QString version;
    QString architecture;
};
Expected<DebFields> parseDebFields(const QByteArray& output);

/// The groups that may be chosen, from least to most permission.
QStringList deployGroups();

/// The newest hadeck-agent_*.deb in the first of @p dirs that has one; empty when none has.
QString newestAgentPackage(const QStringList& dirs);
/// Where the console looks without being told: the current directory, then beside the
/// program's build (<program dir>/../packages, where cpack writes).
QStringList defaultPackageDirs();

class DeployJob : public QObject {
    Q_OBJECT
public:
    enum class Step {
        Queued,
        Connecting,
        Checking,
        Uploading,
        Installing,
        JoiningGroup,
        Starting,
        WaitingForHello,
        Done,
        Failed,
    };
    Q_ENUM(Step)

    struct NodeProgress {
        QString node;
        Step step = Step::Queued;
        QString detail;        ///< what is happening now, or what was done (translated)
        QString error;         ///< why it failed (translated)
        QString versionBefore; ///< empty: not installed before
        QString versionAfter;
        qint64 uploaded = 0;
        qint64 uploadTotal = 0;
        double seconds = 0; ///< from start until Done or Failed
    };

    using RemoteFactory = std::function<std::unique_ptr<RemoteHost>(const NodeSpec& node)>;
    /// Asks the sudo password of @p user on @p node; reply once, std::nullopt to give up. The
    /// reply's bytes are wiped by the job after use and never kept beyond the node's deployment.
    using PasswordAsker = std::function<void(const QString& node, const QString& user,
                                             std::function<void(std::optional<QByteArray>)> reply)>;

    /// @p pool is not owned; it must outlive the job. Its clients are (re)started to wait for hello.
    DeployJob(ConnectionPool* pool, DeployRequest request, QObject* parent = nullptr);
    ~DeployJob() override;

    /// Default: SSH to the node as the inventory says, with the pool's known_hosts.
    void setRemoteFactory(RemoteFactory factory)
    {
        m_factory = std::move(factory);
        m_sshFactory = false;
    }
    /// Default: none, so a node whose sudo needs a password fails with a clear message.
    void setPasswordAsker(PasswordAsker asker) { m_asker = std::move(asker); }

    /// Checks the request (nodes known, package readable, group valid) and starts every node.
    Status start();
    /// Stops waiting; a command already running on a node runs to its end.
    void cancel();

    [[nodiscard]] const DeployRequest& request() const { return m_request; }
    [[nodiscard]] QList<NodeProgress> progress() const;
    [[nodiscard]] NodeProgress progress(const QString& node) const { return m_progress.value(node); }
    [[nodiscard]] bool isFinished() const { return m_finished; }
    /// "3 of 4 nodes deployed; web2: ..."
    [[nodiscard]] QString summary() const;
    [[nodiscard]] static QString stepName(Step step);

signals:
    void nodeChanged(const QString& node);
    /// Once, when every node is Done or Failed.
    void finished(bool allOk);

private:
    struct Worker;
    void update(const QString& node, const std::function<void(NodeProgress&)>& change);
    void remoteDone(const QString& node, bool ok);
    void waitForHello(const QString& node);
    void checkHello(const QString& node);
    void finishNode(const QString& node, bool ok, const QString& error = {});
    void askPassword(const QString& node, const QString& user, const std::shared_ptr<Worker>& worker);

    ConnectionPool* m_pool;
    DeployRequest m_request;
    RemoteFactory m_factory;
    PasswordAsker m_asker;
    QHash<QString, NodeProgress> m_progress;
    QHash<QString, std::shared_ptr<Worker>> m_workers;
    QHash<QString, QElapsedTimer> m_clocks;
    QHash<QString, QMetaObject::Connection> m_helloWatch;
    QByteArray m_packageSha256;
    std::shared_ptr<std::atomic<bool>> m_cancelled = std::make_shared<std::atomic<bool>>(false);
    bool m_finished = false;
    bool m_started = false;
    bool m_sshFactory = true;
};

} // namespace hadeck::console
