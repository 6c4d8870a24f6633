#include "hadeck/console/actions/track_file_job.h"

#include <QCoreApplication>
#include <QTimer>

namespace hadeck::console {

namespace {

QString str(const rpc::Json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>())
                                                                  : QString();
}

} // namespace

TrackFileResult trackFileResultFrom(const RpcResult& answer)
{
    TrackFileResult r;
    if (!answer) {
        const auto& e = answer.error();
        r.denied = e.code == rpc::PermissionDenied;
        r.error = QString::fromStdString(e.message);
        r.snippet = str(e.data, "snippet");
        r.checkOutput = str(e.data, "check");
        return r;
    }
    const auto& v = answer.value();
    r.file = str(v, "file");
    r.backup = str(v, "backup");
    r.checkOutput = str(v, "check");
    // The agent installs the file only after `keepalived -t` passed.
    r.validated = v.is_object() && v.contains("check");
    r.reloaded = v.is_object() && v.value("reloaded", false);
    r.warningsBefore = v.is_object() && v.value("checkWarningsBefore", false);
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
    m_rpc.call(m_director, QStringLiteral("keepalived.addFailoverTrack"),
               rpc::Json{{"instance", m_instance.toStdString()}},
               [this](const RpcResult& r) {
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
    m_rpc.call(m_director, QStringLiteral("vrrp.failoverStatus"), nullptr, [this](const RpcResult& r) {
        if (r && r.value().is_object() && r.value().contains("instances") &&
            r.value()["instances"].contains(m_instance.toStdString())) {
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
