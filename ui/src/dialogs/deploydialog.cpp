#include "dialogs/deploydialog.h"
#include "style/plaintext.h"
#include "dialogs/modal.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hadeck::ui {

using console::DeployJob;
using console::NodeState;

DeployDialog::DeployDialog(console::ConnectionPool* pool, const QString& node, QWidget* parent)
    : QDialog(parent)
    , m_pool(pool)
{
    setWindowTitle(tr("Install or upgrade the HaDeck agent"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The package is copied to each node over SFTP and installed with apt; the SSH user is "
                                "added to the group chosen below; then the agent is started and the console waits "
                                "for its hello. Nodes are deployed in parallel. Deploying the same package again "
                                "changes nothing; a newer one upgrades."),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_nodes = new QListWidget(this);
    m_nodes->setMaximumHeight(140);
    for (const auto& spec : pool->inventory().nodes) {
        const NodeState state = pool->state(spec.name);
        auto* item = new QListWidgetItem(tr("%1 (%2)").arg(spec.name, console::displayName(state)), m_nodes);
        item->setData(Qt::UserRole, spec.name);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(spec.name == node ? Qt::Checked : Qt::Unchecked);
    }
    form->addRow(tr("Nodes:"), m_nodes);
    auto* pkgRow = new QHBoxLayout;
    m_package = new QLineEdit(this);
    m_package->setPlaceholderText(tr("hadeck-agent_VERSION_ARCH.deb"));
    m_package->setText(console::newestAgentPackage(console::defaultPackageDirs()));
    auto* browseButton = new QPushButton(tr("Browse…"), this);
    connect(browseButton, &QPushButton::clicked, this, &DeployDialog::browse);
    pkgRow->addWidget(m_package, 1);
    pkgRow->addWidget(browseButton);
    form->addRow(tr("Package:"), pkgRow);
    m_group = new QComboBox(this);
    m_group->addItem(tr("hadeck: read"), QStringLiteral("hadeck"));
    m_group->addItem(tr("hadeck-operator: read, drain and fail over"), QStringLiteral("hadeck-operator"));
    m_group->addItem(tr("hadeck-admin: everything, firewalls and configuration too"), QStringLiteral("hadeck-admin"));
    form->addRow(tr("Group for the SSH user:"), m_group);
    layout->addLayout(form);

    m_progress = new QTreeWidget(this);
    m_progress->setRootIsDecorated(false);
    m_progress->setHeaderLabels({tr("Node"), tr("Step"), tr("Progress"), tr("Details")});
    m_progress->header()->setStretchLastSection(true);
    m_progress->setMinimumHeight(160);
    layout->addWidget(m_progress, 1);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_start = m_buttons->addButton(tr("Deploy"), QDialogButtonBox::AcceptRole);
    connect(m_start, &QPushButton::clicked, this, [this] { startDeploy(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        if (m_job && !m_job->isFinished())
            m_job->cancel();
        reject();
    });
    layout->addWidget(m_buttons);
    resize(760, 520);
}

DeployDialog::~DeployDialog()
{
    if (m_passwordPrompt)
        m_passwordPrompt->setTextValue(QString());
}

QInputDialog* DeployDialog::passwordPrompt() const { return m_passwordPrompt.data(); }

void DeployDialog::setPackagePath(const QString& path) { m_package->setText(path); }

void DeployDialog::browse()
{
    const QString path = Modal::openFileName(this, tr("The hadeck-agent package"), m_package->text(),
                                             tr("Debian packages (*.deb);;All files (*)"));
    if (!path.isEmpty())
        m_package->setText(path);
}

bool DeployDialog::startDeploy()
{
    if (m_job && !m_job->isFinished())
        return false;
    console::DeployRequest req;
    for (int i = 0; i < m_nodes->count(); ++i) {
        if (m_nodes->item(i)->checkState() == Qt::Checked)
            req.nodes << m_nodes->item(i)->data(Qt::UserRole).toString();
    }
    req.packagePath = m_package->text().trimmed();
    req.group = m_group->currentData().toString();
    req.startCommand = m_startCommand;
    m_job = std::make_unique<DeployJob>(m_pool, req);
    if (m_factory)
        m_job->setRemoteFactory(m_factory);
    m_job->setPasswordAsker(
        [this](const QString& node, const QString& user, auto reply) { askPassword(node, user, std::move(reply)); });
    connect(m_job.get(), &DeployJob::nodeChanged, this, &DeployDialog::onNodeChanged);
    connect(m_job.get(), &DeployJob::finished, this, &DeployDialog::onFinished);
    if (auto st = m_job->start(); !st) {
        m_summary->setText(QString::fromStdString(st.error().message));
        m_job.reset();
        return false;
    }
    m_progress->clear();
    for (const auto& p : m_job->progress()) {
        auto* item = new QTreeWidgetItem(m_progress, {p.node, DeployJob::stepName(p.step), QString(), p.detail});
        auto* bar = new QProgressBar(m_progress);
        bar->setRange(0, static_cast<int>(DeployJob::Step::Done));
        bar->setValue(0);
        bar->setTextVisible(false);
        m_progress->setItemWidget(item, 2, bar);
    }
    m_start->setEnabled(false);
    m_nodes->setEnabled(false);
    m_summary->setText(tr("Deploying to %1…").arg(req.nodes.join(QStringLiteral(", "))));
    return true;
}

void DeployDialog::onNodeChanged(const QString& node)
{
    const auto p = m_job->progress(node);
    for (int i = 0; i < m_progress->topLevelItemCount(); ++i) {
        auto* item = m_progress->topLevelItem(i);
        if (item->text(0) != node)
            continue;
        item->setText(1, DeployJob::stepName(p.step));
        item->setText(3, p.detail);
        item->setToolTip(3, plainToolTip(p.detail));
        if (auto* bar = qobject_cast<QProgressBar*>(m_progress->itemWidget(item, 2))) {
            if (p.step == DeployJob::Step::Failed) {
                bar->setEnabled(false);
            } else {
                bar->setValue(static_cast<int>(p.step));
            }
        }
    }
}

void DeployDialog::onFinished(bool ok)
{
    m_summary->setText(m_job->summary());
    m_start->setEnabled(true);
    m_start->setText(ok ? tr("Deploy again") : tr("Retry"));
    m_nodes->setEnabled(true);
}

void DeployDialog::askPassword(const QString& node, const QString& user,
                               std::function<void(std::optional<QByteArray>)> reply)
{
    // The console's own prompt, one node at a time; the text is cleared from the widget as
    // soon as it is read, and the job wipes its copy after use.
    auto* prompt = new QInputDialog(this);
    m_passwordPrompt = prompt;
    prompt->setWindowTitle(tr("sudo password"));
    prompt->setLabelText(tr("The password of %1 for sudo on %2:").arg(user, node));
    prompt->setTextEchoMode(QLineEdit::Password);
    prompt->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    auto answered = std::make_shared<bool>(false);
    connect(prompt, &QInputDialog::finished, this, [prompt, reply, answered](int result) {
        if (*answered)
            return;
        *answered = true;
        QString text = prompt->textValue();
        prompt->setTextValue(QString());
        if (result == QDialog::Accepted) {
            QByteArray bytes = text.toUtf8();
            text.fill(QChar(0));
            reply(std::move(bytes));
        } else {
            text.fill(QChar(0));
            reply(std::nullopt);
        }
    });
    prompt->open();
}

} // namespace hadeck::ui
