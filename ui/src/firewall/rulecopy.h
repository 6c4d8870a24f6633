#pragma once

// Copying a firewall rule to the other nodes of the same role. Each node gets a change
// set of its own, made against its own ruleset: checked by nft, judged by the lockout
// lint with that node's needs, applied commit-confirmed and confirmed over a fresh
// connection to that node, one node after the other. A copy never forces: a node where
// nft refuses the rule, where the lint finds a blocked packet, or that lacks the chain,
// is left unchanged, and its result says why.

#include "hadeck/protocol/firewall.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <optional>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QSpinBox;
class QTreeWidget;

namespace hadeck::console {
class ClusterModel;
class ConnectionPool;
} // namespace hadeck::console

namespace hadeck::ui {
class ClusterSession;
}

namespace hadeck::ui::fw {

/// The nodes other than @p node that share one of its roles (in the model's order).
QStringList sameRoleNodes(const console::ClusterModel& model, const QString& node);

/// The change that adds @p rule (its nft text) at the end of the same chain elsewhere.
proto::fw::Change copyOf(const proto::fw::Rule& rule);

class RuleCopyJob final : public QObject {
    Q_OBJECT
public:
    enum class Outcome { Confirmed, Refused, Blocked, NotConfirmed, Failed };
    Q_ENUM(Outcome)

    RuleCopyJob(ClusterSession* session, proto::fw::Change change, QStringList nodes, int confirmWithin,
                QObject* parent = nullptr);
    ~RuleCopyJob() override;

    void start();
    [[nodiscard]] bool running() const { return m_index >= 0 && m_index < m_nodes.size(); }

signals:
    /// A step on @p node ("checking", "applying", "confirming over a new connection").
    void progress(const QString& node, const QString& text);
    /// The end of @p node's change; @p text says what became of it and why.
    void nodeDone(const QString& node, hadeck::ui::fw::RuleCopyJob::Outcome outcome, const QString& text);
    void finished();

private:
    void next();
    void done(Outcome outcome, const QString& text);
    void check(const proto::fw::Ruleset& current);
    void apply(const proto::fw::ChangeSet& cs, std::vector<std::string> findings);
    void confirm(const proto::fw::Pending& pending);

    QPointer<ClusterSession> m_session;
    proto::fw::Change m_change;
    QStringList m_nodes;
    int m_confirmWithin;
    int m_index = -1;
    std::unique_ptr<console::ConnectionPool> m_fresh;
};

class RuleCopyDialog final : public QDialog {
    Q_OBJECT
public:
    RuleCopyDialog(ClusterSession* session, const QString& sourceNode, const proto::fw::Rule& rule,
                   QWidget* parent = nullptr);
    ~RuleCopyDialog() override;

    QListWidget* nodesList() const { return m_nodes; }
    QTreeWidget* results() const { return m_results; }
    QSpinBox* confirmBox() const { return m_seconds; }
    QDialogButtonBox* buttons() const { return m_buttons; }
    /// The copy ran to its end on every chosen node.
    [[nodiscard]] bool finished() const { return m_finished; }

    /// Starts the copy on the checked nodes (the dialog's Copy button).
    void startCopy();

    /// Closes the dialog, except while a copy runs: Escape or the window's close button must
    /// not end the job between a node's apply and its confirmation, nor hide the results.
    void reject() override;

signals:
    void copyFinished();

private:
    ClusterSession* m_session;
    proto::fw::Change m_change;
    QListWidget* m_nodes = nullptr;
    QSpinBox* m_seconds = nullptr;
    QTreeWidget* m_results = nullptr;
    QLabel* m_summary = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    RuleCopyJob* m_job = nullptr;
    bool m_finished = false;
};

} // namespace hadeck::ui::fw
