#include "dialogs/failoverdialog.h"
#include "style/plaintext.h"

#include "dialogs/drainpanel.h"
#include "style/theme.h"

#include "hadeck/console/actions/track_file_job.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hadeck::ui {

using console::FailoverJob;

namespace {

QColor phaseColor(FailoverJob::Phase p)
{
    switch (p) {
    case FailoverJob::Phase::Completed: return stateColor(console::NodeState::Online);
    case FailoverJob::Phase::Failed: return severityColor(console::Severity::Critical);
    default: return severityColor(console::Severity::Info);
    }
}

} // namespace

FailoverDialog::FailoverDialog(FailoverJob* job, const QString& director, QWidget* parent)
    : QDialog(parent), m_job(job)
{
    setObjectName(QStringLiteral("failoverDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setModal(false);
    setWindowTitle(tr("Fail over %1").arg(director));
    setWindowIcon(themedIcon(QStringLiteral("action-failover")));
    resize(720, 600);

    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Forced failover from %1").arg(director), this);
    title->setTextFormat(Qt::PlainText); // agent and inventory text is never markup
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);

    m_phase = new QLabel(this);
    m_phase->setObjectName(QStringLiteral("failoverPhase"));
    m_phase->setTextFormat(Qt::RichText);
    layout->addWidget(m_phase);

    auto* checksBox = new QGroupBox(tr("Preflight checks"), this);
    auto* cl = new QVBoxLayout(checksBox);
    m_checks = new QTreeWidget(checksBox);
    m_checks->setObjectName(QStringLiteral("failoverChecks"));
    m_checks->setRootIsDecorated(false);
    m_checks->setWordWrap(true);
    m_checks->setHeaderLabels({tr("Result"), tr("Check"), tr("Details")});
    cl->addWidget(m_checks);
    layout->addWidget(checksBox, 3);

    auto* stepsBox = new QGroupBox(tr("Steps"), this);
    auto* sl = new QVBoxLayout(stepsBox);
    m_steps = new QTreeWidget(stepsBox);
    m_steps->setObjectName(QStringLiteral("failoverSteps"));
    m_steps->setRootIsDecorated(false);
    m_steps->setHeaderLabels({tr("Time"), tr("Step")});
    sl->addWidget(m_steps);
    layout->addWidget(stepsBox, 2);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("failoverResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("failoverNote"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    layout->addWidget(m_note);

    m_fixBox = new QGroupBox(tr("Track file missing"), this);
    m_fixBox->setObjectName(QStringLiteral("failoverTrackFix"));
    auto* fl = new QVBoxLayout(m_fixBox);
    m_fixText = new QLabel(m_fixBox);
    m_fixText->setWordWrap(true);
    m_fixText->setTextFormat(Qt::PlainText);
    fl->addWidget(m_fixText);
    m_snippet = new QPlainTextEdit(m_fixBox);
    m_snippet->setObjectName(QStringLiteral("failoverTrackSnippet"));
    m_snippet->setReadOnly(true);
    m_snippet->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    fl->addWidget(m_snippet);
    m_addTrack = new QPushButton(tr("Add track file and reload"), m_fixBox);
    m_addTrack->setObjectName(QStringLiteral("failoverAddTrack"));
    fl->addWidget(m_addTrack, 0, Qt::AlignLeft);
    m_fixStatus = new QLabel(m_fixBox);
    m_fixStatus->setTextFormat(Qt::PlainText);
    m_fixStatus->setObjectName(QStringLiteral("failoverTrackStatus"));
    m_fixStatus->setWordWrap(true);
    m_fixStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fl->addWidget(m_fixStatus);
    m_fixBox->hide();
    layout->addWidget(m_fixBox, 2);
    connect(m_addTrack, &QPushButton::clicked, this, &FailoverDialog::addTrackFiles);

    auto* buttons = new QDialogButtonBox(this);
    m_failoverNow = buttons->addButton(tr("Fail over now"), QDialogButtonBox::ActionRole);
    m_failoverNow->setObjectName(QStringLiteral("failoverNow"));
    m_failoverNow->hide();
    connect(m_failoverNow, &QPushButton::clicked, this, [this] { rerunPreflight(false); });
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setText(tr("Close"));
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);
    layout->addWidget(buttons);

    onPhase(FailoverJob::Phase::Preflight);
    if (m_job) {
        m_rpc = &m_job->rpc();
        m_request = m_job->request();
        // The job's owner goes before the RPC layer it shares (the cluster is closed):
        // from then on this dialog only keeps the record.
        if (QObject* owner = m_job->parent()) {
            connect(owner, &QObject::destroyed, this, [this] {
                qDeleteAll(findChildren<console::TrackFileJob*>());
                qDeleteAll(findChildren<FailoverJob*>());
                m_rpc = nullptr;
                m_addTrack->setEnabled(false);
                m_addTrack->setToolTip(tr("The cluster was closed."));
                m_failoverNow->hide();
            });
        }
    }
    attach(m_job);
}

void FailoverDialog::attach(FailoverJob* job)
{
    m_job = job;
    m_finished = false;
    m_ok = false;
    if (!m_job) {
        return;
    }
    connect(m_job, &FailoverJob::preflightDone, this,
            [this](const console::PreflightReport& report) { showPreflightChecks(m_checks, report); });
    connect(m_job, &FailoverJob::stepAdded, this, &FailoverDialog::onStep);
    connect(m_job, &FailoverJob::phaseChanged, this, &FailoverDialog::onPhase);
    connect(m_job, &FailoverJob::finishedWith, this, &FailoverDialog::onFinished);
    // The job may have advanced before this dialog was built.
    if (!m_job->preflight().checks.isEmpty()) {
        showPreflightChecks(m_checks, m_job->preflight());
    }
    for (const auto& s : m_job->steps()) {
        onStep(s);
    }
    onPhase(m_job->phase());
}

void FailoverDialog::showTrackFileFixes()
{
    QStringList directors;
    QStringList snippets;
    QStringList refusals;
    for (const auto& f : m_fixes) {
        directors << f.director;
        snippets << tr("# on %1").arg(f.director) + QLatin1Char('\n') + f.snippet;
        if (m_rpc) {
            if (const QString why = console::TrackFileJob::unavailableReason(*m_rpc, f.director); !why.isEmpty()) {
                refusals << why;
            }
        }
    }
    m_fixText->setText(tr("The keepalived configuration of %1 lacks the hadeck track file, so the failover was "
                          "refused. Add these lines and reload keepalived, or let HaDeck add them: it checks the new "
                          "configuration with keepalived -t before installing it, keeps the old file beside it, then "
                          "reloads keepalived.")
                           .arg(directors.join(QStringLiteral(", "))));
    m_snippet->setPlainText(snippets.join(QLatin1Char('\n')));
    m_addTrack->setEnabled(m_rpc && refusals.isEmpty());
    m_addTrack->setToolTip(plainToolTip(refusals.join(QLatin1Char('\n'))));
    m_fixStatus->setText(refusals.join(QLatin1Char('\n')));
    m_fixBox->show();
}

void FailoverDialog::addTrackFiles()
{
    m_addTrack->setEnabled(false);
    m_failoverNow->hide();
    m_pendingFixes = m_fixes;
    m_fixStatus->clear();
    addNextTrackFile();
}

void FailoverDialog::addNextTrackFile()
{
    if (!m_rpc) {
        return;
    }
    if (m_pendingFixes.isEmpty()) {
        m_fixStatus->setText(m_fixStatus->text() + QLatin1Char('\n') + tr("Running the preflight again..."));
        rerunPreflight(true);
        return;
    }
    const auto fix = m_pendingFixes.takeFirst();
    auto* job = new console::TrackFileJob(*m_rpc, fix.director, fix.instance, this);
    const QString before = m_fixStatus->text();
    m_fixStatus->setText(before + (before.isEmpty() ? QString() : QStringLiteral("\n")) +
                         tr("%1: adding the track file, checking with keepalived -t...").arg(fix.director));
    connect(job, &console::TrackFileJob::finishedWith, this, [this, job, before](bool ok, const QString& message) {
        job->deleteLater();
        m_fixStatus->setText(before + (before.isEmpty() ? QString() : QStringLiteral("\n")) + message);
        if (!ok) {
            // Nothing more is tried: the admin reads keepalived -t's words first.
            m_pendingFixes.clear();
            m_addTrack->setEnabled(true);
            return;
        }
        addNextTrackFile();
    });
    job->start();
}

void FailoverDialog::rerunPreflight(bool preflightOnly)
{
    if (!m_rpc) {
        return;
    }
    m_failoverNow->hide();
    console::FailoverRequest request = m_request;
    request.preflightOnly = preflightOnly;
    m_checks->clear();
    if (!preflightOnly) {
        m_steps->clear();
        m_fixBox->hide();
    }
    m_result->clear();
    m_note->clear();
    auto* job = new FailoverJob(*m_rpc, request, this);
    connect(job, &FailoverJob::finishedWith, job, &QObject::deleteLater, Qt::QueuedConnection);
    attach(job);
    job->start();
}

int FailoverDialog::stepCount() const { return m_steps->topLevelItemCount(); }
int FailoverDialog::checkCount() const { return m_checks->topLevelItemCount(); }

void FailoverDialog::onPhase(FailoverJob::Phase phase)
{
    m_phase->setText(QStringLiteral("<b style='color:%1'>%2</b>")
                         .arg(phaseColor(phase).name(), FailoverJob::phaseName(phase).toHtmlEscaped()));
}

void FailoverDialog::onStep(const FailoverJob::Step& step)
{
    auto* item = new QTreeWidgetItem(m_steps);
    item->setText(0, tr("+%1 ms").arg(step.atMs, 0, 'f', 0));
    item->setTextAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(1, step.text);
    item->setToolTip(1, plainToolTip(step.text));
    item->setIcon(1, step.ok ? statusIcon(QStringLiteral("ok"), stateColor(console::NodeState::Online))
                             : statusIcon(QStringLiteral("down"), severityColor(console::Severity::Critical)));
    m_steps->resizeColumnToContents(0);
    m_steps->scrollToItem(item);
}

void FailoverDialog::onFinished(bool ok, const QString& message)
{
    m_finished = true;
    m_ok = ok;
    if (m_job && m_job->request().preflightOnly) {
        // A re-check after a fix: nothing changed on the cluster.
        m_fixStatus->setText(m_fixStatus->text() + QLatin1Char('\n') + message);
        if (ok) {
            m_fixBox->hide();
            m_failoverNow->show();
            m_result->setText(message.toHtmlEscaped());
        } else {
            m_fixes = m_job->trackFileFixes();
            if (!m_fixes.isEmpty()) {
                showTrackFileFixes();
            }
        }
        return;
    }
    if (!ok && m_job) {
        m_fixes = m_job->trackFileFixes();
        if (!m_fixes.isEmpty()) {
            showTrackFileFixes();
        }
    }
    // The job's message ends with the preemption note; it gets its own line below.
    const QString note = m_job ? m_job->preemptionNote() : QString();
    QString headline = message;
    if (!note.isEmpty() && headline.contains(note)) {
        headline.remove(note);
        headline = headline.trimmed();
    }
    QStringList lines;
    lines << QStringLiteral("<b style='color:%1'>%2</b>")
                 .arg((ok ? stateColor(console::NodeState::Online) : severityColor(console::Severity::Critical)).name(),
                      headline.toHtmlEscaped());
    if (m_job) {
        onPhase(m_job->phase());
        m_newMaster = m_job->newMaster();
        if (ok && !m_newMaster.isEmpty()) {
            lines << tr("New master: <b>%1</b> (was %2)").arg(m_newMaster.toHtmlEscaped(),
                                                              m_job->oldMaster().toHtmlEscaped());
        }
        if (const auto ms = m_job->failoverMs()) {
            lines << tr("Verified by the console after %1 ms").arg(*ms, 0, 'f', 0);
        }
        if (const auto ms = m_job->transitionMs()) {
            lines << tr("Transition on the directors' clocks: %1 ms").arg(*ms, 0, 'f', 0);
        }
        m_note->setText(note);
    }
    m_result->setText(lines.join(QStringLiteral("<br>")));
}

} // namespace hadeck::ui
