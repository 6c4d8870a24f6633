#include "hadeck/console/actions/deploy_job.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

#include <condition_variable>
#include <mutex>

namespace hadeck::console {

namespace {
constexpr int kQuickCommandMs = 30000;

/// The last lines of a command's error output, for a message.
QString tail(const QByteArray& text, int lines = 6)
{
    QStringList l = QString::fromUtf8(text).trimmed().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (l.size() > lines)
        l = l.mid(l.size() - lines);
    return l.join(QStringLiteral(" | "));
}

QString commandError(const RemoteCommandResult& r)
{
    if (!r.ran())
        return r.failure;
    const QString err = tail(r.err);
    return err.isEmpty() ? DeployJob::tr("exit status %1").arg(r.exitStatus)
                         : DeployJob::tr("exit status %1: %2").arg(r.exitStatus).arg(err);
}

// Only what the node needs to say about itself, one key=value per line; nothing is changed
// except the private temporary directory for the upload.
const QByteArray kProbeCommand =
    "printf 'uid=%s\\n' \"$(id -u)\"; "
    "printf 'arch=%s\\n' \"$(dpkg --print-architecture 2>/dev/null)\"; "
    "printf 'installed=%s\\n' \"$(dpkg-query -W -f='${Status} ${Version}' hadeck-agent 2>/dev/null)\"; "
    "command -v apt-get >/dev/null 2>&1 && echo apt=1; "
    "command -v sudo >/dev/null 2>&1 && echo sudo=1; "
    "[ -d /run/systemd/system ] && echo systemd=1; "
    "printf 'tmp=%s\\n' \"$(mktemp -d /tmp/hadeck-deploy.XXXXXXXX)\"";

// The default start: systemd where it runs, else start-stop-daemon; in both cases only when
// policy-rc.d allows it (exit 101 there means "do not start services here").
const QByteArray kDefaultStart =
    "if [ -x /usr/sbin/policy-rc.d ]; then /usr/sbin/policy-rc.d hadeck-agent.service start; rc=$?; "
    "if [ \"$rc\" = 101 ]; then echo 'policy-rc.d forbids starting services on this node' >&2; exit 101; fi; fi; "
    "if [ -d /run/systemd/system ]; then "
    "systemctl enable hadeck-agent.service >/dev/null 2>&1; "
    "if [ \"$UPGRADED\" = 1 ]; then systemctl restart hadeck-agent.service; else systemctl start hadeck-agent.service; fi; "
    "else "
    "if [ \"$UPGRADED\" = 1 ]; then start-stop-daemon --stop --quiet --pidfile /run/hadeck-agent.pid --name hadeck-agent "
    "--retry 10 || true; fi; "
    "start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile /run/hadeck-agent.pid "
    "--output /var/log/hadeck-agent.log --exec /usr/sbin/hadeck-agent -- --foreground --config /etc/hadeck/agent.toml; "
    "fi";
} // namespace

Expected<DeployProbe> parseDeployProbe(const QByteArray& output)
{
    DeployProbe p;
    bool sawUid = false;
    for (const QByteArray& raw : output.split('\n')) {
        const QByteArray line = raw.trimmed();
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray key = line.left(eq);
        const QString value = QString::fromUtf8(line.mid(eq + 1)).trimmed();
        if (key == "uid") {
            bool ok = false;
            const int uid = value.toInt(&ok);
            if (!ok)
                return fail(DeployJob::tr("the node's user id is not a number: \"%1\"").arg(value).toStdString());
            p.root = uid == 0;
            sawUid = true;
        } else if (key == "arch") {
            p.architecture = value;
        } else if (key == "installed") {
            // "install ok installed 0.1.0" when installed; "deinstall ok config-files 0.1.0" after a removal.
            const QStringList f = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (f.size() == 4 && f[2] == QLatin1String("installed"))
                p.installedVersion = f[3];
        } else if (key == "apt") {
            p.hasApt = value == QLatin1String("1");
        } else if (key == "sudo") {
            p.hasSudo = value == QLatin1String("1");
        } else if (key == "systemd") {
            p.systemd = value == QLatin1String("1");
        } else if (key == "tmp") {
            p.tempDir = value;
        }
    }
    if (!sawUid)
        return fail(DeployJob::tr("the node did not answer the check (no shell?)").toStdString());
    if (p.architecture.isEmpty())
        return fail(DeployJob::tr("dpkg is missing: the agent's package needs Debian or a derivative").toStdString());
    if (!p.tempDir.startsWith(QLatin1String("/tmp/hadeck-deploy.")))
        return fail(DeployJob::tr("cannot make a temporary directory in /tmp for the upload").toStdString());
    return p;
}

Expected<DebFields> parseDebFields(const QByteArray& output)
{
    DebFields d;
    for (const QByteArray& raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            continue;
        const QString key = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (key == QLatin1String("Package"))
            d.package = value;
        else if (key == QLatin1String("Version"))
            d.version = value;
        else if (key == QLatin1String("Architecture"))
            d.architecture = value;
    }
    if (d.package.isEmpty() || d.version.isEmpty() || d.architecture.isEmpty())
        return fail(DeployJob::tr("the file is not a Debian package (no Package, Version or Architecture field)")
                        .toStdString());
    return d;
}

QStringList deployGroups()
{
    return {QStringLiteral("hadeck"), QStringLiteral("hadeck-operator"), QStringLiteral("hadeck-admin")};
}

QString newestAgentPackage(const QStringList& dirs)
{
    for (const auto& d : dirs) {
        const QFileInfoList found =
            QDir(d).entryInfoList({QStringLiteral("hadeck-agent_*.deb")}, QDir::Files | QDir::Readable, QDir::Time);
        if (!found.isEmpty())
            return found.first().absoluteFilePath();
    }
    return {};
}

QStringList defaultPackageDirs()
{
    return {QDir::currentPath(), QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../packages"))};
}

struct DeployJob::Worker {
    NodeSpec spec;
    std::unique_ptr<RemoteHost> remote;
    QThread* thread = nullptr;
    // The sudo password handed from the asking thread to this worker.
    std::mutex mutex;
    std::condition_variable answered;
    bool hasAnswer = false;
    std::optional<QByteArray> password;
};

DeployJob::DeployJob(ConnectionPool* pool, DeployRequest request, QObject* parent)
    : QObject(parent)
    , m_pool(pool)
    , m_request(std::move(request))
{
    const ClusterInventory inventory = pool ? pool->inventory() : ClusterInventory{};
    // The agent's connection's way in: the same jump host, known_hosts and prompter. The prompter
    // is asked on this object's thread (the GUI's dialogs, hadeckctl's terminal), not the worker's.
    CredentialPrompter* const prompter = pool ? pool->prompter() : nullptr;
    QPointer<QObject> context(this);
    const auto cancelled = m_cancelled;
    m_factory = [inventory, prompter, context, cancelled](const NodeSpec& spec) -> std::unique_ptr<RemoteHost> {
        SshRemoteConfig cfg;
        cfg.endpoint = sshEndpointFor(spec);
        cfg.jump = sshJumpFor(inventory, spec);
        cfg.knownHostsFile = inventory.knownHosts;
        cfg.prompter = prompter;
        cfg.prompterContext = context;
        cfg.cancelled = cancelled;
        return makeSshRemoteHost(cfg);
    };
}

DeployJob::~DeployJob()
{
    m_cancelled->store(true);
    for (auto& w : m_workers) {
        {
            std::lock_guard lock(w->mutex);
            w->hasAnswer = true;
        }
        w->answered.notify_all();
    }
    for (auto& w : m_workers) {
        if (w->thread) {
            w->thread->wait();
            delete w->thread;
            w->thread = nullptr;
        }
    }
    for (auto& c : m_helloWatch)
        disconnect(c);
}

QString DeployJob::stepName(Step step)
{
    switch (step) {
    case Step::Queued: return tr("Waiting");
    case Step::Connecting: return tr("Connecting");
    case Step::Checking: return tr("Checking the node");
    case Step::Uploading: return tr("Uploading the package");
    case Step::Installing: return tr("Installing");
    case Step::JoiningGroup: return tr("Adding the user to the group");
    case Step::Starting: return tr("Starting the agent");
    case Step::WaitingForHello: return tr("Waiting for the agent's hello");
    case Step::Done: return tr("Done");
    case Step::Failed: return tr("Failed");
    }
    return {};
}

QList<DeployJob::NodeProgress> DeployJob::progress() const
{
    QList<NodeProgress> out;
    for (const auto& n : m_request.nodes)
        out.push_back(m_progress.value(n));
    return out;
}

QString DeployJob::summary() const
{
    int done = 0;
    QStringList failures;
    for (const auto& n : m_request.nodes) {
        const auto p = m_progress.value(n);
        if (p.step == Step::Done)
            ++done;
        else if (p.step == Step::Failed)
            failures << QStringLiteral("%1: %2").arg(n, p.error);
    }
    QString s = tr("%1 of %2 nodes deployed").arg(done).arg(m_request.nodes.size());
    if (!failures.isEmpty())
        s += QStringLiteral("; ") + failures.join(QStringLiteral("; "));
    return s;
}

void DeployJob::update(const QString& node, const std::function<void(NodeProgress&)>& change)
{
    auto it = m_progress.find(node);
    if (it == m_progress.end())
        return;
    if (it->step == Step::Done || it->step == Step::Failed)
        return;
    change(*it);
    emit nodeChanged(node);
}

Status DeployJob::start()
{
    if (m_started)
        return fail(tr("this deployment has already started").toStdString());
    if (!m_pool)
        return fail(tr("no cluster is open").toStdString());
    if (m_request.nodes.isEmpty())
        return fail(tr("no node to deploy to").toStdString());
    if (!deployGroups().contains(m_request.group))
        return fail(tr("the group must be one of %1 (got \"%2\")")
                        .arg(deployGroups().join(QStringLiteral(", ")), m_request.group)
                        .toStdString());
    for (const auto& n : m_request.nodes) {
        const NodeSpec* spec = m_pool->inventory().node(n);
        if (!spec)
            return fail(tr("no node \"%1\" in the cluster %2").arg(n, m_pool->inventory().name).toStdString());
        if (m_sshFactory && spec->transport != NodeSpec::TransportKind::Ssh)
            return fail(tr("%1 is reached through a local socket, not SSH: install the package on it directly")
                            .arg(n)
                            .toStdString());
    }
    QFile pkg(m_request.packagePath);
    if (!pkg.open(QIODevice::ReadOnly))
        return fail(tr("cannot read the package %1: %2").arg(m_request.packagePath, pkg.errorString()).toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&pkg))
        return fail(tr("cannot read the package %1").arg(m_request.packagePath).toStdString());
    m_packageSha256 = hash.result().toHex();
    const qint64 size = pkg.size();
    pkg.close();

    m_started = true;
    m_request.nodes.removeDuplicates();
    for (const auto& n : m_request.nodes) {
        NodeProgress p;
        p.node = n;
        p.uploadTotal = size;
        p.detail = stepName(Step::Queued);
        m_progress.insert(n, p);
        m_clocks[n].start();
    }
    for (const auto& n : m_request.nodes) {
        auto w = std::make_shared<Worker>();
        w->spec = *m_pool->inventory().node(n);
        w->remote = m_factory(w->spec);
        m_workers.insert(n, w);
        QPointer<DeployJob> self(this);
        const DeployRequest req = m_request;
        const QByteArray sha = m_packageSha256;
        const auto cancelled = m_cancelled;
        // Everything the worker reports goes through queued calls to this object's thread.
        const auto post = [self](std::function<void(DeployJob*)> fn) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, fn = std::move(fn)] {
                    if (self)
                        fn(self.data());
                },
                Qt::QueuedConnection);
        };
        w->thread = QThread::create([w, req, sha, cancelled, post, n] {
            RemoteHost& remote = *w->remote;
            const auto setStep = [&](Step s, const QString& detail = {}) {
                post([n, s, detail](DeployJob* job) {
                    job->update(n, [&](NodeProgress& p) {
                        p.step = s;
                        p.detail = detail.isEmpty() ? stepName(s) : detail;
                    });
                });
            };
            // The outcome is reported once the upload directory is gone (end of body()).
            QString failure;
            bool succeeded = false;
            const auto failWith = [&](const QString& error) { failure = error; };
            const auto stopped = [&] {
                if (!cancelled->load())
                    return false;
                failWith(tr("cancelled"));
                return true;
            };

            const auto body = [&] {
                setStep(Step::Connecting);
                if (auto st = remote.open(); !st) {
                    failWith(QString::fromStdString(st.error().message));
                    return;
                }
                if (stopped())
                    return;
                setStep(Step::Checking);
                const auto probeRun = remote.run(kProbeCommand, {}, kQuickCommandMs);
                if (!probeRun.succeeded()) {
                    failWith(tr("checking the node failed: %1").arg(commandError(probeRun)));
                    return;
                }
                auto probe = parseDeployProbe(probeRun.out);
                if (!probe) {
                    failWith(QString::fromStdString(probe.error().message));
                    return;
                }
                post([n, v = probe->installedVersion](DeployJob* job) {
                    job->update(n, [&](NodeProgress& p) { p.versionBefore = v; });
                });
                const QByteArray tmp = probe->tempDir.toUtf8();
                const QString remoteDeb = probe->tempDir + QStringLiteral("/hadeck-agent.deb");
                // Whatever happens from here on, the temporary directory goes.
                struct Cleanup {
                    RemoteHost& r;
                    QByteArray dir;
                    ~Cleanup() { r.run("rm -rf " + shellQuoted(QString::fromUtf8(dir)), {}, kQuickCommandMs); }
                } cleanup{remote, tmp};

                // sudo: none for root; without a password when the node allows it; else asked once
                // for this node, checked at once, kept only until this node is done, then wiped.
                enum class Sudo { None, NoPassword, Password } sudo = Sudo::None;
                QByteArray password;
                struct Wipe {
                    QByteArray& b;
                    ~Wipe()
                    {
                        b.fill('\0');
                        b.clear();
                    }
                } wipe{password};
                const QString user = remote.user();
                if (!probe->root) {
                    if (!probe->hasSudo) {
                        failWith(tr("%1 is not root on %2 and sudo is not installed there").arg(user, n));
                        return;
                    }
                    if (remote.run("sudo -n true", {}, kQuickCommandMs).succeeded()) {
                        sudo = Sudo::NoPassword;
                    } else {
                        post([n, user, w](DeployJob* job) { job->askPassword(n, user, w); });
                        std::optional<QByteArray> answer;
                        {
                            std::unique_lock lock(w->mutex);
                            w->answered.wait(lock, [&] { return w->hasAnswer; });
                            answer = std::move(w->password);
                            w->password.reset();
                        }
                        if (stopped()) {
                            if (answer)
                                answer->fill('\0');
                            return;
                        }
                        if (!answer) {
                            failWith(tr("no sudo password given for %1 on %2").arg(user, n));
                            return;
                        }
                        password = std::move(*answer);
                        answer.reset();
                        sudo = Sudo::Password;
                        QByteArray input = password + '\n';
                        const auto check = remote.run("sudo -S -p '' true", input, kQuickCommandMs);
                        input.fill('\0');
                        if (!check.succeeded()) {
                            const QString err = QString::fromUtf8(check.err);
                            if (err.contains(QLatin1String("not in the sudoers")) ||
                                err.contains(QLatin1String("not allowed")))
                                failWith(tr("%1 may not use sudo on %2").arg(user, n));
                            else
                                failWith(tr("sudo refused the password of %1 on %2").arg(user, n));
                            return;
                        }
                    }
                }
                const auto priv = [&](const QByteArray& script, int timeoutMs) {
                    const QByteArray quoted = shellQuoted(QString::fromUtf8(script));
                    switch (sudo) {
                    case Sudo::None: return remote.run("sh -c " + quoted, {}, timeoutMs);
                    case Sudo::NoPassword: return remote.run("sudo -n sh -c " + quoted, {}, timeoutMs);
                    case Sudo::Password: {
                        QByteArray input = password + '\n';
                        auto r = remote.run("sudo -S -p '' sh -c " + quoted, input, timeoutMs);
                        input.fill('\0');
                        return r;
                    }
                    }
                    return RemoteCommandResult{};
                };
                if (stopped())
                    return;

                setStep(Step::Uploading);
                auto up = remote.upload(req.packagePath, remoteDeb, [&](qint64 sent, qint64 total) {
                    post([n, sent, total](DeployJob* job) {
                        job->update(n, [&](NodeProgress& p) {
                            p.uploaded = sent;
                            p.uploadTotal = total;
                            p.detail = tr("Uploading the package (%1 of %2 KiB)").arg(sent / 1024).arg(total / 1024);
                        });
                    });
                    return !cancelled->load();
                });
                if (!up) {
                    failWith(tr("uploading the package failed: %1").arg(QString::fromStdString(up.error().message)));
                    return;
                }
                const QByteArray debQ = shellQuoted(remoteDeb);
                const auto sum = remote.run("sha256sum " + debQ, {}, kQuickCommandMs);
                if (!sum.succeeded() || !sum.out.startsWith(sha)) {
                    failWith(sum.succeeded() ? tr("the uploaded package differs from %1 (SHA-256 on the node: %2)")
                                                   .arg(req.packagePath, QString::fromLatin1(sum.out.left(64)))
                                             : tr("cannot check the uploaded package: %1").arg(commandError(sum)));
                    return;
                }
                const auto fields =
                    remote.run("dpkg-deb -f " + debQ + " Package Version Architecture", {}, kQuickCommandMs);
                if (!fields.succeeded()) {
                    failWith(tr("the file is not a Debian package: %1").arg(commandError(fields)));
                    return;
                }
                auto deb = parseDebFields(fields.out);
                if (!deb) {
                    failWith(QString::fromStdString(deb.error().message));
                    return;
                }
                if (deb->package != QLatin1String("hadeck-agent")) {
                    failWith(tr("the package is %1, not hadeck-agent").arg(deb->package));
                    return;
                }
                if (deb->architecture != QLatin1String("all") && deb->architecture != probe->architecture) {
                    failWith(
                        tr("the package is built for %1, the node is %2").arg(deb->architecture, probe->architecture));
                    return;
                }
                if (stopped())
                    return;

                setStep(Step::Installing,
                        probe->installedVersion.isEmpty()
                            ? tr("Installing hadeck-agent %1").arg(deb->version)
                            : tr("Installing hadeck-agent %1 (was %2)").arg(deb->version, probe->installedVersion));
                // The admin's configuration is kept (confold); apt resolves the dependencies.
                const QByteArray install =
                    probe->hasApt
                        ? QByteArray("DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o "
                                     "Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ") +
                              debQ
                        : QByteArray("DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold -i ") + debQ;
                const auto inst = priv(install, req.commandTimeoutMs);
                if (!inst.succeeded()) {
                    failWith(tr("installing failed: %1").arg(commandError(inst)));
                    return;
                }
                const auto after =
                    remote.run("dpkg-query -W -f='${Status} ${Version}' hadeck-agent", {}, kQuickCommandMs);
                const QStringList st = QString::fromUtf8(after.out).split(QLatin1Char(' '), Qt::SkipEmptyParts);
                if (!after.succeeded() || st.size() != 4 || st[2] != QLatin1String("installed") ||
                    st[3] != deb->version) {
                    failWith(tr("after the installation dpkg reports \"%1\", not hadeck-agent %2 installed")
                                 .arg(QString::fromUtf8(after.out).trimmed(), deb->version));
                    return;
                }
                const bool upgraded = !probe->installedVersion.isEmpty() && probe->installedVersion != deb->version;
                post([n, v = deb->version](DeployJob* job) {
                    job->update(n, [&](NodeProgress& p) { p.versionAfter = v; });
                });

                setStep(Step::JoiningGroup);
                if (probe->root) {
                    setStep(Step::JoiningGroup, tr("root needs no group: it may do everything"));
                } else {
                    // The socket is group hadeck: operators and admins need it as well.
                    QStringList groups{QStringLiteral("hadeck")};
                    if (req.group != groups.first())
                        groups << req.group;
                    QByteArray script = "set -e; ";
                    const QByteArray userQ = shellQuoted(user);
                    for (const auto& g : groups) {
                        const QByteArray gq = shellQuoted(g);
                        script += "getent group " + gq + " >/dev/null || { echo 'the group '" + gq +
                                  "' is missing after the installation' >&2; exit 1; }; ";
                        script += "id -nG " + userQ + " | tr ' ' '\\n' | grep -qx " + gq + " || usermod -a -G " + gq +
                                  " " + userQ + "; ";
                    }
                    const auto joined = priv(script, kQuickCommandMs);
                    if (!joined.succeeded()) {
                        failWith(tr("adding %1 to %2 failed: %3")
                                     .arg(user, groups.join(QStringLiteral(", ")), commandError(joined)));
                        return;
                    }
                }
                if (stopped())
                    return;

                setStep(Step::Starting);
                const QByteArray start =
                    (upgraded ? "UPGRADED=1; export UPGRADED; " : "UPGRADED=0; export UPGRADED; ") +
                    (req.startCommand.isEmpty() ? kDefaultStart : req.startCommand.toUtf8());
                const auto started = priv(start, kQuickCommandMs * 2);
                if (!started.succeeded()) {
                    failWith(started.exitStatus == 101
                                 ? tr("installed, but not started: policy-rc.d forbids starting services on %1").arg(n)
                                 : tr("starting the agent failed: %1").arg(commandError(started)));
                    return;
                }
                succeeded = true;
            };
            body();
            if (succeeded)
                post([n](DeployJob* job) { job->remoteDone(n, true); });
            else
                post([n, failure](DeployJob* job) { job->finishNode(n, false, failure); });
        });
        w->thread->setObjectName(QStringLiteral("hadeck-deploy"));
        w->thread->start();
    }
    return {};
}

void DeployJob::askPassword(const QString& node, const QString& user, const std::shared_ptr<Worker>& worker)
{
    std::weak_ptr<Worker> weak = worker;
    auto reply = [weak](std::optional<QByteArray> password) {
        auto w = weak.lock();
        if (!w) {
            if (password)
                password->fill('\0');
            return;
        }
        {
            std::lock_guard lock(w->mutex);
            if (w->hasAnswer) {
                if (password)
                    password->fill('\0');
                return;
            }
            w->password = std::move(password);
            w->hasAnswer = true;
        }
        w->answered.notify_all();
    };
    update(node, [&](NodeProgress& p) { p.detail = tr("Waiting for the sudo password of %1").arg(user); });
    if (!m_asker) {
        reply(std::nullopt);
        return;
    }
    m_asker(node, user, reply);
}

void DeployJob::remoteDone(const QString& node, bool ok)
{
    if (!ok)
        return;
    waitForHello(node);
}

void DeployJob::waitForHello(const QString& node)
{
    update(node, [](NodeProgress& p) {
        p.step = Step::WaitingForHello;
        p.detail = stepName(Step::WaitingForHello);
    });
    AgentClient* client = m_pool->client(node);
    if (!client) {
        finishNode(node, false, tr("the node is not in the connection pool"));
        return;
    }
    // A fresh connection: a new SSH login also picks up the groups just added.
    m_helloWatch[node] = connect(client, &AgentClient::stateChanged, this,
                                 [this, node](NodeState, const QString&) { checkHello(node); });
    client->retry();
    const int timeout = m_request.helloTimeoutMs;
    QTimer::singleShot(timeout, this, [this, node, timeout] {
        if (m_progress.value(node).step != Step::WaitingForHello)
            return;
        const AgentClient* c = m_pool->client(node);
        finishNode(node, false,
                   tr("the agent did not answer hello within %1 s (%2: %3)")
                       .arg(timeout / 1000)
                       .arg(c ? displayName(c->state()) : QString(), c ? c->lastError() : QString()));
    });
}

void DeployJob::checkHello(const QString& node)
{
    if (m_progress.value(node).step != Step::WaitingForHello)
        return;
    AgentClient* client = m_pool->client(node);
    switch (client->state()) {
    case NodeState::Online:
    case NodeState::Degraded: finishNode(node, true); return;
    case NodeState::VersionMismatch:
    case NodeState::Refused: finishNode(node, false, client->lastError()); return;
    case NodeState::NotInstalled:
    case NodeState::Unreachable:
    case NodeState::ProtocolError:
        // The agent may still be opening its socket: ask again soon, until the timeout.
        QTimer::singleShot(500, this, [this, node] {
            if (m_progress.value(node).step == Step::WaitingForHello && !m_cancelled->load())
                m_pool->client(node)->retry();
        });
        return;
    case NodeState::Connecting: return;
    }
}

void DeployJob::finishNode(const QString& node, bool ok, const QString& error)
{
    auto it = m_progress.find(node);
    if (it == m_progress.end() || it->step == Step::Done || it->step == Step::Failed)
        return;
    if (auto c = m_helloWatch.take(node))
        disconnect(c);
    it->seconds = m_clocks.value(node).elapsed() / 1000.0;
    if (ok) {
        const AgentClient* client = m_pool->client(node);
        const QString agent =
            client && client->hello() ? QString::fromStdString(client->hello()->agentVersion) : QString();
        it->step = Step::Done;
        it->detail = it->versionBefore.isEmpty() ? tr("hadeck-agent %1 installed and online").arg(agent)
                     : it->versionBefore == it->versionAfter
                         ? tr("hadeck-agent %1 was already installed; online").arg(agent)
                         : tr("hadeck-agent upgraded from %1 to %2; online").arg(it->versionBefore, it->versionAfter);
    } else {
        it->step = Step::Failed;
        it->error = error;
        it->detail = error;
    }
    emit nodeChanged(node);
    bool allDone = true;
    bool allOk = true;
    for (const auto& p : std::as_const(m_progress)) {
        allDone &= p.step == Step::Done || p.step == Step::Failed;
        allOk &= p.step == Step::Done;
    }
    if (allDone && !m_finished) {
        m_finished = true;
        emit finished(allOk);
    }
}

void DeployJob::cancel()
{
    m_cancelled->store(true);
    for (auto it = m_workers.begin(); it != m_workers.end(); ++it) {
        {
            std::lock_guard lock(it.value()->mutex);
            it.value()->hasAnswer = true;
        }
        it.value()->answered.notify_all();
    }
    for (const auto& n : m_request.nodes) {
        if (m_progress.value(n).step == Step::WaitingForHello)
            finishNode(n, false, tr("cancelled"));
    }
}

} // namespace hadeck::console
