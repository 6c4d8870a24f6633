#include "hadeck/console/actions/track_file_job.h"

#include <QCoreApplication>
#include <QTimer>

namespace hadeck::console {

TrackFileResult trackFileResultFrom(const Reply<proto::AddFailoverTrackResult>& answer)
{
    TrackFileResult r;
    if (!answer) {
        const auto& e = answer.error();
        r.denied = e.code == rpc::PermissionDenied;
        r.error = QString::fromStdString(e.message);
        if (auto data = proto::fromJson<proto::TrackSnippetData>(e.data)) {
            r.snippet = QString::fromStdString(data->snippet);
            r.checkOutput = QString::fromStdString(data->check);
        }
        return r;
    }
    const auto& v = *answer;
    r.file = QString::fromStdString(v.file);
    r.backup = QString::fromStdString(v.backup);
    r.checkOutput = QString::fromStdString(v.check);
    // The agent installs the file only after `keepalived -t` passed (the declaration requires "check").
    r.validated = true;
    r.reloaded = v.reloaded;
    r.warningsBefore = v.checkWarningsBefore;
    r.ok = r.validated && r.reloaded;
    if (r.validated && !r.reloaded) {
        r.error = QCoreApplication::translate("hadeck::console::TrackFileJob", "The new configuration passed keepalived -t and is installed, but keepalived could not "
                              "be signalled to reload (is it running?). Reload it by hand.");
    }
    return r;
}

TrackFileJob::TrackFileJob(ClusterRpc& rpc, QString director, QString instance, QObject* parent)
    : QObject(parent)
    , m_rpc(rpc)
    , m_director(std::move(director))
    , m_instance(std::move(instance))
{
}

QString TrackFileJob::unavailableReason(const ClusterRpc& rpc, const QString& director)
{
    if (!rpc.isOnline(director)) {
        return tr("%1 is not connected.").arg(director);
    }
    const auto level = rpc.permissionOn(director);
    if (level && *level < proto::PermissionLevel::Admin) {
        return tr("Changing keepalived's configuration needs admin on %1; %2 has %3 there.")
            .arg(director, rpc.userOn(director), QString::fromStdString(std::string(proto::toString(*level))));
    }
    return {};
}

void TrackFileJob::start()
{
    m_clock.start();
    invoke(m_rpc, m_director, proto::methods::KeepalivedAddFailoverTrack,
               proto::AddFailoverTrackParams{m_instance.toStdString()},
               [this](const Reply<proto::AddFailoverTrackResult>& r) {
                   m_result = trackFileResultFrom(r);
                   if (m_result.ok) {
                       confirm();
                   } else {
                       finish();
                   }
               },
               // keepalived -t parses the whole configuration: give it time on a slow host.
               30000);
}

void TrackFileJob::confirm()
{
    invoke(m_rpc, m_director, proto::methods::VrrpFailoverStatus, {},
           [this](const Reply<proto::FailoverStatusResult>& r) {
        if (r && r->instances.contains(m_instance.toStdString())) {
            m_result.effective = true;
            finish();
            return;
        }
        if (m_clock.elapsed() > verifyTimeoutMs) {
            finish();
            return;
        }
        QTimer::singleShot(200, this, &TrackFileJob::confirm);
    });
}

QString TrackFileJob::summary() const
{
    const TrackFileResult& r = m_result;
    if (r.denied) {
        return tr("%1 refused: %2").arg(m_director, r.error);
    }
    if (!r.validated) {
        QString s = tr("Nothing changed on %1: %2").arg(m_director, r.error);
        if (!r.snippet.isEmpty()) {
            s += QLatin1Char('\n') + tr("Add these lines by hand where %1 is defined, then reload keepalived:")
                                         .arg(m_instance) +
                 QLatin1Char('\n') + r.snippet;
        }
        return s;
    }
    QStringList lines;
    lines << (r.warningsBefore
                  ? tr("%1: %2 now declares the hadeck track file for %3; keepalived -t found nothing new (its "
                       "warnings were there before the edit):\n%4")
                        .arg(m_director, r.file, m_instance, r.checkOutput.trimmed())
                  : tr("%1: %2 now declares the hadeck track file for %3; keepalived -t accepted it.")
                        .arg(m_director, r.file, m_instance));
    if (!r.backup.isEmpty()) {
        lines << tr("The previous file is kept as %1.").arg(r.backup);
    }
    lines << (r.reloaded ? tr("keepalived reloaded.") : r.error);
    if (r.ok && !r.effective) {
        lines << tr("The agent does not list %1 as failover-capable yet; check keepalived's log on %2.")
                     .arg(m_instance, m_director);
    }
    return lines.join(QLatin1Char('\n'));
}

void TrackFileJob::finish()
{
    emit finishedWith(m_result.ok, summary());
}

} // namespace hadeck::console
