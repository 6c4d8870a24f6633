#include "dialogs/drainpanel.h"
#include "style/plaintext.h"

#include "style/theme.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace hadeck::ui {

using console::DrainJob;
using console::PreflightCheck;

namespace {

QColor outcomeColor(PreflightCheck::Outcome o)
{
    switch (o) {
    case PreflightCheck::Outcome::Pass: return stateColor(console::NodeState::Online);
    case PreflightCheck::Outcome::Warn: return severityColor(console::Severity::Warning);
    case PreflightCheck::Outcome::Fail: return severityColor(console::Severity::Critical);
    }
    return Qt::gray;
}

QIcon outcomeIcon(PreflightCheck::Outcome o)
{
    switch (o) {
    case PreflightCheck::Outcome::Pass: return statusIcon(QStringLiteral("ok"), outcomeColor(o));
    case PreflightCheck::Outcome::Warn: return statusIcon(QStringLiteral("warn"), outcomeColor(o));
    case PreflightCheck::Outcome::Fail: return statusIcon(QStringLiteral("down"), outcomeColor(o));
    }
    return {};
}

QColor phaseColor(DrainJob::Phase p)
{
    switch (p) {
    case DrainJob::Phase::Completed: return stateColor(console::NodeState::Online);
    case DrainJob::Phase::TimedOut:
    case DrainJob::Phase::PartiallyApplied:
    case DrainJob::Phase::Cancelled: return severityColor(console::Severity::Warning);
    case DrainJob::Phase::Failed: return severityColor(console::Severity::Critical);
    default: return severityColor(console::Severity::Info);
    }
}

QString duration(double seconds)
{
    const auto s = static_cast<qint64>(std::llround(seconds));
    if (s < 60) {
        return DrainPanel::tr("%1 s").arg(s);
    }
    return DrainPanel::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

void showPreflightChecks(QTreeWidget* tree, const console::PreflightReport& report)
{
    tree->clear();
    for (const auto& c : report.checks) {
        auto* item = new QTreeWidgetItem(tree);
        item->setIcon(0, outcomeIcon(c.outcome));
        switch (c.outcome) {
        case PreflightCheck::Outcome::Pass: item->setText(0, DrainPanel::tr("Pass")); break;
        case PreflightCheck::Outcome::Warn: item->setText(0, DrainPanel::tr("Warning")); break;
        case PreflightCheck::Outcome::Fail: item->setText(0, DrainPanel::tr("Fail")); break;
        }
        item->setForeground(0, outcomeColor(c.outcome));
        item->setText(1, c.title);
        item->setText(2, c.detail);
        item->setToolTip(2, plainToolTip(c.detail));
        item->setData(0, Qt::UserRole, c.id);
    }
    // All passed with nothing to say: no empty column.
    const bool anyDetail = std::any_of(report.checks.begin(), report.checks.end(),
                                       [](const PreflightCheck& c) { return !c.detail.isEmpty(); });
    tree->setColumnHidden(2, !anyDetail);
    tree->resizeColumnToContents(0);
    tree->resizeColumnToContents(1);
}

DrainPanel::DrainPanel(DrainJob* job, const QString& realServer, QWidget* parent)
    : QDialog(parent), m_job(job), m_realServer(realServer)
{
    setObjectName(QStringLiteral("drainPanel"));
    setAttribute(Qt::WA_DeleteOnClose);
    setModal(false);
    //: Window title. %1 is the real server being taken out of rotation ("Drain web1").
    setWindowTitle(tr("Drain %1", "window title; %1 is a real server").arg(realServer));
    setWindowIcon(themedIcon(QStringLiteral("action-drain")));
    resize(640, 560);

    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("Draining %1").arg(realServer), this);
    m_title->setTextFormat(Qt::PlainText); // agent and inventory text is never markup
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    m_title->setFont(f);
    layout->addWidget(m_title);

    m_phase = new QLabel(this);
    m_phase->setObjectName(QStringLiteral("drainPhase"));
    m_phase->setTextFormat(Qt::RichText);
    layout->addWidget(m_phase);

    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("drainProgress"));
    m_bar->setRange(0, 0);
    m_bar->setMinimumHeight(22);
    layout->addWidget(m_bar);

    auto* dirBox = new QGroupBox(tr("Directors"), this);
    auto* dirLayout = new QVBoxLayout(dirBox);
    m_directors = new QTreeWidget(dirBox);
    m_directors->setObjectName(QStringLiteral("drainDirectors"));
    m_directors->setRootIsDecorated(false);
    m_directors->setHeaderLabels({tr("Director"), tr("Weight 0"), tr("Active"), tr("Inactive"), tr("Persistent")});
    m_directors->setMaximumHeight(110);
    m_directors->header()->setStretchLastSection(false);
    m_directors->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    dirLayout->addWidget(m_directors);
    layout->addWidget(dirBox);

    auto* rsBox = new QGroupBox(tr("Real server and estimate"), this);
    auto* form = new QFormLayout(rsBox);
    m_established = new QLabel(rsBox);
    m_workers = new QLabel(rsBox);
    m_eta = new QLabel(rsBox);
    m_elapsed = new QLabel(rsBox);
    m_latency = new QLabel(rsBox);
    for (auto* l : {m_established, m_workers, m_eta, m_elapsed, m_latency})
        l->setTextFormat(Qt::PlainText);
    form->addRow(tr("Established connections on %1:").arg(realServer), m_established);
    form->addRow(tr("Busy Apache workers:"), m_workers);
    form->addRow(tr("Estimated time left:"), m_eta);
    form->addRow(tr("Elapsed:"), m_elapsed);
    form->addRow(tr("Weight 0 on every director after:"), m_latency);
    layout->addWidget(rsBox);

    m_checksBox = new QGroupBox(tr("Preflight checks"), this);
    auto* checksLayout = new QVBoxLayout(m_checksBox);
    m_checks = new QTreeWidget(m_checksBox);
    m_checks->setObjectName(QStringLiteral("drainChecks"));
    m_checks->setRootIsDecorated(false);
    m_checks->setWordWrap(true);
    m_checks->setHeaderLabels({tr("Result"), tr("Check"), tr("Details")});
    checksLayout->addWidget(m_checks);
    m_checksBox->setVisible(false);
    layout->addWidget(m_checksBox);

    m_result = new QLabel(this);
    m_result->setTextFormat(Qt::RichText); // its message is escaped where it is set
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(tr("Cancel drain"), QDialogButtonBox::ResetRole);
    m_cancel->setToolTip(tr("Give %1 its weight back on every director and stop").arg(realServer));
    m_retry = buttons->addButton(tr("Retry"), QDialogButtonBox::ActionRole);
    m_retry->setToolTip(tr("Apply weight 0 again on the directors that failed"));
    m_keepWaiting = buttons->addButton(tr("Keep waiting"), QDialogButtonBox::ActionRole);
    m_force = buttons->addButton(tr("Force finish"), QDialogButtonBox::ActionRole);
    m_force->setToolTip(tr("Call the drain done although connections remain"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setText(tr("Close"));
    layout->addWidget(buttons);

    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job) {
            m_job->cancel();
        }
    });
    connect(m_retry, &QPushButton::clicked, this, [this] {
        if (m_job) {
            m_job->retry();
        }
    });
    connect(m_keepWaiting, &QPushButton::clicked, this, [this] {
        if (m_job) {
            m_job->keepWaiting();
        }
    });
    connect(m_force, &QPushButton::clicked, this, [this] {
        if (m_job) {
            m_job->forceFinish();
        }
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);

    if (m_job) {
        connect(m_job, &DrainJob::progressChanged, this, &DrainPanel::refresh);
        connect(m_job, &DrainJob::phaseChanged, this, &DrainPanel::refresh);
        connect(m_job, &DrainJob::preflightDone, this, &DrainPanel::refresh);
        connect(m_job, &DrainJob::finishedWith, this, &DrainPanel::onFinished);
    }
    refresh();
}

void DrainPanel::onFinished(bool ok, const QString& message)
{
    refresh();
    m_finished = true;
    m_message = message;
    const QColor color = ok ? stateColor(console::NodeState::Online) : phaseColor(m_last.phase);
    m_result->setText(QStringLiteral("<span style='color:%1'>%2</span>").arg(color.name(), message.toHtmlEscaped()));
    refresh();
}

void DrainPanel::refresh()
{
    if (m_job) {
        m_last = m_job->progress();
        const auto& report = m_job->preflight();
        bool notable = false;
        for (const auto& c : report.checks) {
            notable = notable || c.outcome != PreflightCheck::Outcome::Pass;
        }
        // The checks matter to the admin when they refused or warned.
        if (notable || (m_last.phase == DrainJob::Phase::Failed && !report.checks.isEmpty())) {
            showPreflightChecks(m_checks, report);
            m_checksBox->setVisible(true);
        }
    }
    const auto& p = m_last;
    m_phase->setText(QStringLiteral("<b style='color:%1'>%2</b>%3%4")
                         .arg(phaseColor(p.phase).name(), DrainJob::phaseName(p.phase).toHtmlEscaped(),
                              p.forced ? tr(" (forced)") : QString(),
                              p.waiting.isEmpty() ? QString() : QStringLiteral(" · ") + p.waiting.toHtmlEscaped()));

    const bool draining = p.phase == DrainJob::Phase::Draining || p.phase == DrainJob::Phase::TimedOut;
    if (draining || p.phase == DrainJob::Phase::Completed) {
        // The bar counts down from the most seen: the first progress of the drain comes before
        // the first count (the panel showed "1 connections left of 1" for 40 connections).
        if (draining) {
            m_mostRemaining = std::max(m_mostRemaining, p.remaining);
        }
        // The counts are sums of what agents report: the text shows them as they are (up to
        // 10^18), the bar, whose range is an int, as a share of them.
        constexpr double kMaxCount = 1e18;
        const double max = std::clamp(std::ceil(m_mostRemaining), 1.0, kMaxCount);
        const double left = p.phase == DrainJob::Phase::Completed ? 0.0 : std::clamp(std::ceil(p.remaining), 0.0, max);
        const double barScale = std::min(1.0, std::numeric_limits<int>::max() / max);
        m_bar->setRange(0, static_cast<int>(max * barScale));
        m_bar->setValue(static_cast<int>(left * barScale));
        m_bar->setFormat(
            tr("%1 connections left of %2").arg(static_cast<qulonglong>(left)).arg(static_cast<qulonglong>(max)));
    } else if (m_finished || p.phase == DrainJob::Phase::Failed || p.phase == DrainJob::Phase::Cancelled) {
        m_bar->setRange(0, 1);
        m_bar->setValue(0);
        m_bar->setFormat(DrainJob::phaseName(p.phase));
    } else {
        m_bar->setRange(0, 0); // busy until the first count arrives
    }

    m_directors->clear();
    for (const auto& d : p.directors) {
        auto* item = new QTreeWidgetItem(m_directors);
        item->setText(0, d.node);
        if (d.applied) {
            item->setIcon(1, statusIcon(QStringLiteral("ok"), stateColor(console::NodeState::Online)));
            item->setText(1, tr("applied"));
        } else if (!d.error.isEmpty()) {
            item->setIcon(1, statusIcon(QStringLiteral("down"), severityColor(console::Severity::Critical)));
            item->setText(1, tr("failed"));
            item->setToolTip(1, plainToolTip(d.error));
        } else {
            item->setIcon(1, statusIcon(QStringLiteral("pending"), severityColor(console::Severity::Info)));
            item->setText(1, tr("pending"));
        }
        item->setText(2, QString::number(d.active));
        if (DrainJob::closedOnServer(p, d) > 0) {
            item->setToolTip(2, tr("%1 lists more connections than the real server has open. It keeps an entry "
                                   "until the IPVS timeout when it did not see the connection close (after a "
                                   "failover the clients' FINs went through the other director). The real "
                                   "server's own count decides.")
                                    .arg(d.node));
        }
        item->setText(3, QString::number(d.inactive));
        item->setText(4, QString::number(d.persistent));
        for (int c = 2; c <= 4; ++c) {
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        }
    }
    for (int c = 1; c < m_directors->columnCount(); ++c) {
        m_directors->resizeColumnToContents(c);
    }

    const QString none = QStringLiteral("—");
    if (p.realServerNode.isEmpty()) {
        m_established->setText(tr("not in the inventory"));
        m_workers->setText(none);
    } else if (!p.realServerError.isEmpty()) {
        m_established->setText(tr("unknown: %1").arg(p.realServerError));
        m_workers->setText(none);
    } else {
        m_established->setText(p.established ? QString::number(*p.established) : none);
        m_workers->setText(p.busyWorkers ? QString::number(*p.busyWorkers) : none);
    }
    m_eta->setText(p.etaSeconds && !m_finished ? duration(*p.etaSeconds) : none);
    m_elapsed->setText(duration(p.elapsedSeconds));
    m_latency->setText(p.applyLatencyMs ? tr("%1 ms").arg(*p.applyLatencyMs, 0, 'f', 0) : none);

    const bool live = m_job && !m_finished;
    m_cancel->setEnabled(live && p.phase != DrainJob::Phase::Preflight);
    m_retry->setVisible(p.phase == DrainJob::Phase::PartiallyApplied);
    m_retry->setEnabled(live);
    m_keepWaiting->setVisible(p.phase == DrainJob::Phase::TimedOut);
    m_force->setVisible(p.phase == DrainJob::Phase::TimedOut);
    m_keepWaiting->setEnabled(live);
    m_force->setEnabled(live);
}

} // namespace hadeck::ui
