#pragma once

// The Firewall tab: the nftables ruleset of one node (or the gateway) — tables,
// chains with hook, policy and counters, rules in words beside their nft text —
// with live counters from the agent's firewall topic; rules added through the
// structured editor or deleted, every change previewed (diff and lockout lint),
// applied commit-confirmed with a visible countdown and confirmed over a fresh
// connection; a clear notice when the agent rolled a change back, and why. A change
// pending on the node that this view did not make (another console, hadeckctl
// --no-confirm, or an apply of ours whose answer was lost) is shown with its time
// left, to be kept (confirmed over a fresh connection) or rolled back now.

#include "hadeck/protocol/firewall.h"

#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace hadeck::console {
class AgentClient;
class ConnectionPool;
} // namespace hadeck::console

namespace hadeck::ui {

class ClusterSession;

namespace fw {
class ChainPolicyDialog;
class ChangePreviewDialog;
class RuleCopyDialog;
class RuleEditorDialog;
class SetElementsDialog;
} // namespace fw

class FirewallView final : public QWidget {
    Q_OBJECT
public:
    explicit FirewallView(QWidget* parent = nullptr);
    ~FirewallView() override;

    void setSession(ClusterSession* session);
    [[nodiscard]] QString node() const { return m_node; }
    [[nodiscard]] const std::optional<proto::fw::Ruleset>& ruleset() const { return m_ruleset; }

    // Parts the tests drive.
    QTreeWidget* tree() const { return m_tree; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* copyButton() const { return m_copy; }
    QPushButton* policyButton() const { return m_policy; }
    QPushButton* elementsButton() const { return m_elements; }
    QLabel* countdownLabel() const { return m_countdown; }
    QLabel* noticeLabel() const { return m_notice; }
    /// The change pending on this node that this view did not make, when there is one.
    const std::optional<proto::fw::Pending>& otherPending() const { return m_other; }
    QLabel* otherPendingLabel() const { return m_otherText; }
    QPushButton* keepOtherButton() const { return m_keepOther; }
    QPushButton* rollbackOtherButton() const { return m_rollbackOther; }
    /// Selects the tree item of a chain ("family/table/chain"), a set ("family/table/set") or a
    /// rule ("family/table/chain/handle"); false when there is none.
    bool select(const QString& key);

public slots:
    void setNode(const QString& node);
    void refresh();
    /// Opens the editor for a rule in the selected chain; preview, apply, confirm follow.
    void addRule();
    void deleteSelectedRule();
    /// Copies the selected rule to the nodes that share a role with this one, each on its own.
    void copySelectedRule();
    /// Sets the policy of the selected base chain.
    void editSelectedChainPolicy();
    /// Adds or deletes elements of the selected named set.
    void editSelectedSetElements();
    void rollbackToConfirmed();
    /// Keeps the other pending change: confirmed over a new connection, as for a change of ours.
    void keepOtherPending();
    /// Rolls the other pending change back now (named by its id, so nothing else is restored).
    void rollbackOtherPending();

signals:
    /// After each step of a change: a rule shown, a change applied, confirmed, rolled back.
    void rulesetShown();
    void changeApplied(const QString& id);
    void changeConfirmed(const QString& id);
    void changeRolledBack(const QString& id, const QString& reason);
    /// A change this view did not make is now pending on the node, or no longer is.
    void otherPendingChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateActions();
    console::AgentClient* client() const;
    void subscribe();
    void show(const proto::fw::Ruleset& rs);
    void applyCounters(const std::vector<proto::fw::CounterSample>& counters);
    void onTopic(const proto::fw::TopicDelta& delta);
    void onRolledBack(const proto::fw::RolledBack& event);
    void onApplied(const proto::fw::Pending& pending);
    /// What the node says is pending now (a snapshot, or firewall.pending asked): shown, or cleared.
    void onPendingNow(const proto::fw::Pending& pending);
    void onConfirmed(const proto::fw::ConfirmedEvent& event);
    /// Shows @p pending as the change someone else left pending (nullopt: none).
    void setOtherPending(std::optional<proto::fw::Pending> pending);
    /// Asks the node what is pending now and shows it (after a refused rollback of another's change).
    void askPending();
    /// Who applied @p pending, as the tab names them.
    static QString userOf(const proto::fw::Pending& pending);
    void checkAndApply(const std::vector<proto::fw::Change>& changes);
    void preview(const QString& node, const proto::fw::ChangeSet& cs, const proto::fw::Ruleset& current,
                 const proto::fw::CheckResult& check);
    void apply(const proto::fw::ChangeSet& changes, int confirmWithin, bool force, std::vector<std::string> findings);
    void confirmFresh();
    /// What became of the pending change, from the agent's answer: @p stillPending when it
    /// still names our change; @p hash the ruleset's version now.
    void concludePending(bool stillPending, const std::string& hash);
    /// After a failed confirm: asks over the fresh connection what became of the change (rolled
    /// back, confirmed by someone, or still live, which is then confirmed again before the deadline).
    void askOutcome(console::ConnectionPool* pool, const QString& node, const std::string& id);
    /// Confirms change @p id over the fresh connection @p pool, which just got in.
    void sendConfirm(console::ConnectionPool* pool, const QString& node, const std::string& id);
    void tick();
    void setNotice(const QString& text, bool bad);
    void finishPending();

    ClusterSession* m_session = nullptr;
    QString m_node;
    std::optional<proto::fw::Ruleset> m_ruleset;
    QHash<QString, QTreeWidgetItem*> m_ruleItems; // "family/table/chain/handle"
    QPointer<console::AgentClient> m_subClient; // the pool may go before this view
    QList<QMetaObject::Connection> m_sessionConnections;
    int m_subId = -1;

    QComboBox* m_nodes = nullptr;
    QLabel* m_nodeLabel = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_policy = nullptr;
    QPushButton* m_elements = nullptr;
    QPushButton* m_rollback = nullptr;
    QLabel* m_hash = nullptr;
    QLabel* m_countdown = nullptr;
    QLabel* m_notice = nullptr;
    QTreeWidget* m_tree = nullptr;

    // The change pending that this view did not make.
    std::optional<proto::fw::Pending> m_other;
    QWidget* m_otherBar = nullptr;
    QLabel* m_otherText = nullptr;
    QPushButton* m_keepOther = nullptr;
    QPushButton* m_rollbackOther = nullptr;
    /// While an apply of ours is in flight on m_applyNode: a firewall.applied event then may be
    /// ours (the agent sends it before the answer), so it waits for the answer.
    bool m_applying = false;
    quint64 m_applyToken = 0; // the apply in flight; a new session moves it on
    QString m_applyNode;
    std::optional<proto::fw::Pending> m_heldApplied;

    // The change of ours waiting for confirmation.
    std::optional<proto::fw::Pending> m_pending;
    QString m_pendingNode;
    QDateTime m_deadline;
    QTimer* m_tick = nullptr;
    std::unique_ptr<console::ConnectionPool> m_fresh;
    /// A confirm is on its way over m_fresh: a Degraded -> Online flap sends no second one.
    bool m_confirmInFlight = false;
    QString m_freshError;
    /// The agent's rollback notice: it stays until the admin's next change, through failed reads
    /// while the console's own link is still down (a read error is shown beneath it).
    QString m_rollbackNotice;
    /// The pending change this tab asked the agent to roll back (Roll it back now).
    std::string m_rollbackAsked;
    /// The version a confirm or a rollback left on the node while the screen still shows an older
    /// one: edits wait for it, since a change set built on the old version is refused as stale.
    std::string m_awaitHash;
};

} // namespace hadeck::ui
