#include "appdata/nodepollview.h"

#include "app/clustersession.h"
#include "hadeck/console/connectionpool.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

namespace hadeck::ui {

NodePollView::NodePollView(const QString& noticeName, int pollMs, QWidget* parent) : QWidget(parent)
{
    m_refresh = new QPushButton(this);
    connect(m_refresh, &QPushButton::clicked, this, [this] { refresh(); });
    m_notice = new QLabel(this);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setObjectName(noticeName);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setVisible(false);
    m_poll = new QTimer(this);
    m_poll->setInterval(pollMs);
    connect(m_poll, &QTimer::timeout, this, [this] { refresh(); });
}

NodePollView::~NodePollView() = default;

void NodePollView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void NodePollView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh();
    m_poll->start();
}

void NodePollView::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_poll->stop();
}

console::AgentClient* NodePollView::client(const QString& node) const
{
    if (m_session == nullptr || m_session->pool() == nullptr || node.isEmpty()) {
        return nullptr;
    }
    return m_session->pool()->callable(node);
}

console::AgentClient* NodePollView::actionClient(const QString& node) const
{
    if (m_session == nullptr || m_session->pool() == nullptr || node.isEmpty()) {
        return nullptr;
    }
    auto* c = m_session->pool()->client(node);
    if (c == nullptr) {
        return nullptr;
    }
    const auto s = c->state();
    return console::takesCalls(s) || c->reconnecting() ? c : nullptr;
}

void NodePollView::showOutcome(bool done, const QString& message)
{
    m_notice->setText(message);
    m_notice->setVisible(!message.isEmpty());
    m_notice->setStyleSheet(done ? QString() : QStringLiteral("QLabel { color: #c01c28; }"));
}

} // namespace hadeck::ui
