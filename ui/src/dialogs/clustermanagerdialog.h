#pragma once

#include "hadeck/console/inventory.h"

#include <QDialog>

class QLineEdit;
class QListWidget;
class QTableWidget;
class QLabel;

namespace hadeck::console {
class ClusterModel;
}

namespace hadeck::ui {

/// Opens, creates and edits cluster inventories. When the edited cluster is
/// the one open in the window, the real servers its directors route to but the
/// inventory lacks can be added in one step.
class ClusterManagerDialog final : public QDialog {
    Q_OBJECT
public:
    /// @param live the open cluster's model, for "add the real servers found in IPVS"; may be null.
    explicit ClusterManagerDialog(const console::ClusterModel* live, QWidget* parent = nullptr);

    /// The inventory file the user chose to open, empty if none.
    [[nodiscard]] QString selectedPath() const { return m_selectedPath; }
    /// Loads @p path into the editor. @return an error text, empty on success.
    QString load(const QString& path);
    [[nodiscard]] console::ClusterInventory inventory() const;
    /// Adds a row for each real server in @p live's IPVS tables that no node has. @return how many.
    int addRealServersFromIpvs();
    [[nodiscard]] QTableWidget* nodeTable() const { return m_nodes; }

private:
    enum Column { Name, Address, Port, User, Key, Jump, Roles, ColumnCount };
    void refreshList();
    void addNodeRow(const console::NodeSpec& spec);
    bool save();
    void newCluster();

    const console::ClusterModel* m_live;
    QListWidget* m_list = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_knownHosts = nullptr;
    QTableWidget* m_nodes = nullptr;
    QLabel* m_status = nullptr;
    QString m_path;
    QString m_selectedPath;
    console::ClusterInventory::Format m_format = console::ClusterInventory::Format::Json;
};

} // namespace hadeck::ui
