#pragma once

// What the application tabs that ask the nodes themselves share (Database, Storage):
// the session, a poll while the tab is shown, a Refresh button, the requests in
// flight, and a notice line with the outcome of the last action.

#include <QSet>
#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace hadeck::console {
class AgentClient;
}

namespace hadeck::ui {

class ClusterSession;

class NodePollView : public QWidget {
    Q_OBJECT
public:
    ~NodePollView() override;

    [[nodiscard]] QLabel* noticeLabel() const { return m_notice; }

public slots:
    /// Asks the nodes once (also every poll interval while the tab is shown).
    virtual void refresh() = 0;

protected:
    /// @p noticeName: the notice label's object name. Polls every @p pollMs while shown.
    NodePollView(const QString& noticeName, int pollMs, QWidget* parent);

    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    virtual void retranslate() = 0;

    /// @p node's agent when it is online, else null.
    [[nodiscard]] console::AgentClient* client(const QString& node) const;
    /// The client an action asks through: online, or coming back from a link that just dropped
    /// (its preflight waits for the reconnect). Null when the node is away or refused.
    [[nodiscard]] console::AgentClient* actionClient(const QString& node) const;
    /// An action's outcome in the notice line, in red when it was not done; empty hides the line.
    void showOutcome(bool done, const QString& message);

    ClusterSession* m_session = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_notice = nullptr; // text from the node: plain text
    QTimer* m_poll = nullptr;
    QSet<QString> m_inflight;
};

} // namespace hadeck::ui
