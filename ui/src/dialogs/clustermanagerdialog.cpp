#include "dialogs/clustermanagerdialog.h"
#include "dialogs/modal.h"

#include "hadeck/console/model/clustermodel.h"
#include "style/theme.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hadeck::ui {

ClusterManagerDialog::ClusterManagerDialog(const console::ClusterModel* live, QWidget* parent)
    : QDialog(parent), m_live(live)
{
    setWindowTitle(tr("Clusters"));
    resize(980, 560);
    auto* layout = new QVBoxLayout(this);
    auto* split = new QSplitter(this);

    auto* left = new QWidget(split);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(new QLabel(tr("Clusters in %1").arg(QDir::toNativeSeparators(console::clustersDirectory())), left));
    m_list = new QListWidget(left);
    ll->addWidget(m_list, 1);
    auto* newButton = new QPushButton(themedIcon(QStringLiteral("cluster-new")), tr("New"), left);
    auto* browse = new QPushButton(themedIcon(QStringLiteral("cluster-open")), tr("Open file…"), left);
    auto* lb = new QHBoxLayout;
    lb->addWidget(newButton);
    lb->addWidget(browse);
    ll->addLayout(lb);

    auto* right = new QWidget(split);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    auto* form = new QFormLayout;
    m_name = new QLineEdit(right);
    m_knownHosts = new QLineEdit(right);
    m_knownHosts->setPlaceholderText(tr("~/.ssh/known_hosts"));
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Known hosts file:"), m_knownHosts);
    rl->addLayout(form);
    m_nodes = new QTableWidget(0, ColumnCount, right);
    m_nodes->setHorizontalHeaderLabels({tr("Name"), tr("Address"), tr("Port"), tr("User"), tr("Key file"),
                                        tr("Jump host"), tr("Roles")});
    m_nodes->horizontalHeader()->setStretchLastSection(true);
    m_nodes->verticalHeader()->hide();
    m_nodes->setSelectionBehavior(QAbstractItemView::SelectRows);
    rl->addWidget(m_nodes, 1);
    auto* add = new QPushButton(tr("Add node"), right);
    auto* remove = new QPushButton(tr("Remove node"), right);
    auto* fromIpvs = new QPushButton(tr("Add the real servers found in IPVS"), right);
    fromIpvs->setEnabled(m_live != nullptr);
    fromIpvs->setToolTip(m_live != nullptr
                             ? tr("Adds every address the open cluster's directors route to that has no node yet")
                             : tr("Open the cluster first: the real servers are read from its directors"));
    auto* rb = new QHBoxLayout;
    rb->addWidget(add);
    rb->addWidget(remove);
    rb->addStretch(1);
    rb->addWidget(fromIpvs);
    rl->addLayout(rb);
    m_status = new QLabel(right);
    m_status->setWordWrap(true);
    rl->addWidget(m_status);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    auto* buttons = new QDialogButtonBox(this);
    auto* saveButton = buttons->addButton(QDialogButtonBox::Save);
    auto* openButton = buttons->addButton(tr("Save and connect"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString& name) {
        if (!name.isEmpty()) {
            const QString error = load(QDir(console::clustersDirectory()).filePath(m_list->currentItem()->data(Qt::UserRole).toString()));
            m_status->setText(error);
        }
    });
    connect(newButton, &QPushButton::clicked, this, &ClusterManagerDialog::newCluster);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = Modal::openFileName(this, tr("Open cluster inventory"), {},
                                                 tr("Cluster inventories (*.json *.toml);;All files (*)"));
        if (!path.isEmpty()) {
            m_status->setText(load(path));
        }
    });
    connect(add, &QPushButton::clicked, this, [this] {
        console::NodeSpec spec;
        spec.name = tr("node%1").arg(m_nodes->rowCount() + 1);
        addNodeRow(spec);
        m_nodes->editItem(m_nodes->item(m_nodes->rowCount() - 1, Address));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_nodes->currentRow() >= 0) {
            m_nodes->removeRow(m_nodes->currentRow());
        }
    });
    connect(fromIpvs, &QPushButton::clicked, this, [this] {
        const int n = addRealServersFromIpvs();
        m_status->setText(tr("%n real server(s) added from IPVS. Give them names and keys, then save.", nullptr, n));
    });
    connect(saveButton, &QPushButton::clicked, this, [this] { save(); });
    connect(openButton, &QPushButton::clicked, this, [this] {
        if (save()) {
            m_selectedPath = m_path;
            accept();
        }
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refreshList();
    if (m_live == nullptr && m_list->count() == 0) {
        newCluster();
    }
}

void ClusterManagerDialog::refreshList()
{
    m_list->clear();
    const QDir dir(console::clustersDirectory());
    for (const auto& info : dir.entryInfoList({QStringLiteral("*.json"), QStringLiteral("*.toml")}, QDir::Files,
                                              QDir::Name)) {
        auto* item = new QListWidgetItem(themedIcon(QStringLiteral("cluster-manage")), info.completeBaseName(), m_list);
        item->setData(Qt::UserRole, info.fileName());
    }
}

void ClusterManagerDialog::newCluster()
{
    m_path.clear();
    m_format = console::ClusterInventory::Format::Json;
    m_name->setText(tr("new-cluster"));
    m_knownHosts->clear();
    m_nodes->setRowCount(0);
    m_status->setText(tr("A new cluster. Add its nodes, then save."));
}

QString ClusterManagerDialog::load(const QString& path)
{
    auto inv = console::loadInventory(path);
    if (!inv) {
        return QString::fromStdString(inv.error().message);
    }
    m_path = inv->sourcePath.isEmpty() ? path : inv->sourcePath;
    m_format = inv->format;
    m_name->setText(inv->name);
    m_knownHosts->setText(inv->knownHosts);
    m_nodes->setRowCount(0);
    for (const auto& spec : inv->nodes) {
        addNodeRow(spec);
    }
    return {};
}

void ClusterManagerDialog::addNodeRow(const console::NodeSpec& spec)
{
    const int row = m_nodes->rowCount();
    m_nodes->insertRow(row);
    m_nodes->setItem(row, Name, new QTableWidgetItem(spec.name));
    m_nodes->setItem(row, Address, new QTableWidgetItem(spec.address));
    m_nodes->setItem(row, Port, new QTableWidgetItem(QString::number(spec.port)));
    m_nodes->setItem(row, User, new QTableWidgetItem(spec.user));
    m_nodes->setItem(row, Key, new QTableWidgetItem(spec.key));
    m_nodes->setItem(row, Jump, new QTableWidgetItem(spec.jump));
    m_nodes->setItem(row, Roles, new QTableWidgetItem(spec.roles.join(QStringLiteral(", "))));
}

console::ClusterInventory ClusterManagerDialog::inventory() const
{
    console::ClusterInventory inv;
    inv.name = m_name->text().trimmed();
    inv.knownHosts = m_knownHosts->text().trimmed();
    inv.format = m_format;
    inv.sourcePath = m_path;
    const auto text = [this](int row, int col) {
        const auto* item = m_nodes->item(row, col);
        return item ? item->text().trimmed() : QString();
    };
    for (int row = 0; row < m_nodes->rowCount(); ++row) {
        console::NodeSpec spec;
        spec.name = text(row, Name);
        spec.address = text(row, Address);
        bool ok = false;
        const uint port = text(row, Port).toUInt(&ok);
        spec.port = ok && port > 0 && port < 65536 ? static_cast<quint16>(port) : 0;
        spec.user = text(row, User);
        spec.key = text(row, Key);
        spec.jump = text(row, Jump);
        for (const auto& r : text(row, Roles).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            spec.roles << r.trimmed();
        }
        inv.nodes.push_back(spec);
    }
    return inv;
}

int ClusterManagerDialog::addRealServersFromIpvs()
{
    if (m_live == nullptr) {
        return 0;
    }
    QStringList present;
    for (int row = 0; row < m_nodes->rowCount(); ++row) {
        if (const auto* item = m_nodes->item(row, Address)) {
            present << item->text().trimmed();
        }
    }
    int added = 0;
    for (const auto& addr : m_live->unknownRealServers()) {
        if (present.contains(addr)) {
            continue;
        }
        console::NodeSpec spec;
        spec.name = QStringLiteral("rs-") + QString(addr).replace(QLatin1Char('.'), QLatin1Char('-'))
                                                 .replace(QLatin1Char(':'), QLatin1Char('-'));
        spec.address = addr;
        spec.roles = {QStringLiteral("realserver")};
        addNodeRow(spec);
        ++added;
    }
    return added;
}

bool ClusterManagerDialog::save()
{
    auto inv = inventory();
    if (const auto valid = console::validateInventory(inv); !valid) {
        m_status->setText(QString::fromStdString(valid.error().message));
        return false;
    }
    if (m_path.isEmpty()) {
        QDir().mkpath(console::clustersDirectory());
        m_path = QDir(console::clustersDirectory()).filePath(inv.name + QStringLiteral(".json"));
    }
    if (const auto saved = console::saveInventory(inv, m_path); !saved) {
        m_status->setText(QString::fromStdString(saved.error().message));
        return false;
    }
    m_status->setText(tr("Saved to %1").arg(QDir::toNativeSeparators(m_path)));
    refreshList();
    return true;
}

} // namespace hadeck::ui
