// What the main window says about the cluster: the health banner, the status bar counts and the alarm list.
#include "app/mainwindow.h"

#include "app/clustersession.h"
#include "style/plaintext.h"
#include "style/theme.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>

namespace hadeck::ui {

void MainWindow::updateBanner()
{
    if (m_banner == nullptr) {
        return;
    }
    QColor color = stateColor(console::NodeState::Connecting);
    QString title = tr("No cluster open");
    QString detail = tr("Open a cluster inventory with Ctrl+O, or create one with Ctrl+M.");
    QIcon icon = statusIcon(QStringLiteral("info"), color);
    if (m_current != nullptr) {
        const auto& model = m_current->model();
        const console::HealthSummary h = model.healthSummary();
        QStringList masters;
        for (const auto& [instance, director] : h.masters) {
            masters << tr("%1 MASTER on %2").arg(instance, director);
        }
        const QString nodes = tr("%1 of %2 nodes online").arg(h.online).arg(h.total);
        detail = nodes + (masters.isEmpty() ? QString()
                                            : QStringLiteral("  ·  ") + masters.mid(0, 3).join(QStringLiteral(", ")));
        if (h.critical > 0) {
            color = severityColor(console::Severity::Critical);
            title = tr("%n critical alarm(s)", nullptr, h.critical);
            detail = model.alarms().front().text + QStringLiteral("  ·  ") + nodes;
            icon = statusIcon(QStringLiteral("down"), color);
        } else if (h.warning > 0) {
            color = severityColor(console::Severity::Warning);
            title = tr("%n warning(s)", nullptr, h.warning);
            detail = model.alarms().front().text + QStringLiteral("  ·  ") + nodes;
            icon = statusIcon(QStringLiteral("warn"), color);
        } else if (h.connecting > 0 && h.online < h.total) {
            title = tr("Connecting…");
            icon = statusIcon(QStringLiteral("pending"), color);
        } else {
            color = stateColor(console::NodeState::Online);
            title = tr("All clear");
            icon = statusIcon(QStringLiteral("ok"), color);
        }
        m_statusNodes->setText(nodes);
        m_statusAlarms->setText(tr("Alarms: %1").arg(h.critical + h.warning));
    } else {
        m_statusNodes->clear();
        m_statusAlarms->clear();
    }
    QPalette pal = m_banner->palette();
    pal.setColor(QPalette::Window, tint(color, qApp->palette(), isDark(qApp->palette()) ? 0.28 : 0.16));
    m_banner->setPalette(pal);
    m_bannerIcon->setPixmap(icon.pixmap(28, 28));
    const auto elided = [](const QString& s) {
        constexpr qsizetype kMax = 160;
        QString one = s;
        one.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return one.size() > kMax ? one.left(kMax) + QChar(0x2026) : one;
    };
    m_bannerTitle->setText(elided(title));
    m_bannerDetail->setText(elided(detail));
    m_bannerFullText = title + QLatin1Char(' ') + detail;
    m_banner->setToolTip(plainToolTip(detail.isEmpty() ? title : title + QLatin1Char('\n') + detail));
}

QString MainWindow::bannerText() const { return m_bannerFullText; }

void MainWindow::updateAlarms()
{
    m_alarms->clear();
    if (m_current == nullptr) {
        m_alarmsTitle->setText(tr("Active alarms"));
        return;
    }
    const auto& alarms = m_current->model().alarms();
    m_alarmsTitle->setText(tr("Active alarms (%1)").arg(alarms.size()));
    if (alarms.isEmpty()) {
        auto* item = new QListWidgetItem(statusIcon(QStringLiteral("ok"), stateColor(console::NodeState::Online)),
                                         tr("No active alarms. The cross-node checks pass."), m_alarms);
        item->setFlags(Qt::ItemIsEnabled);
        return;
    }
    for (const auto& a : alarms) {
        auto* item = new QListWidgetItem(severityIcon(a.severity), a.text, m_alarms);
        item->setData(Qt::UserRole, a.nodes.value(0));
        item->setToolTip(plainToolTip(a.detail.isEmpty() ? a.text : a.text + QLatin1Char('\n') + a.detail));
    }
}

} // namespace hadeck::ui
