#include "style/theme.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QPainter>
#include <QSvgRenderer>

namespace hadeck::ui {

namespace {

QHash<QString, QIcon>& cache()
{
    static QHash<QString, QIcon> icons;
    return icons;
}

QIcon renderSvg(const QByteArray& svg)
{
    QSvgRenderer renderer(svg);
    QIcon icon;
    // Pre-rendered sizes cover 100%..200% scaling; QIcon picks and scales the nearest.
    for (int size : {16, 20, 24, 32, 48, 64}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        renderer.render(&p);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

QColor stateColor(console::NodeState state)
{
    using console::NodeState;
    // Mid-saturation tones: they keep contrast against both white and #1e1e1e backgrounds.
    switch (state) {
    case NodeState::Online: return QColor(0x2e, 0xa0, 0x5a);
    case NodeState::Degraded: return QColor(0xe0, 0x9b, 0x12);
    case NodeState::Unreachable: return QColor(0xdc, 0x3f, 0x3f);
    case NodeState::Refused: return QColor(0xb0, 0x3a, 0xc4);
    case NodeState::ProtocolError: return QColor(0xc4, 0x5a, 0x1e);
    case NodeState::NotInstalled: return QColor(0x8a, 0x8f, 0x98);
    case NodeState::VersionMismatch: return QColor(0xc4, 0x5a, 0x1e);
    case NodeState::Connecting: return QColor(0x4f, 0x8c, 0xd8);
    }
    return Qt::gray;
}

QColor severityColor(console::Severity severity)
{
    switch (severity) {
    case console::Severity::Critical: return QColor(0xdc, 0x3f, 0x3f);
    case console::Severity::Warning: return QColor(0xe0, 0x9b, 0x12);
    case console::Severity::Info: return QColor(0x4f, 0x8c, 0xd8);
    }
    return Qt::gray;
}

QColor vrrpColor(proto::VrrpState state)
{
    switch (state) {
    case proto::VrrpState::Master: return QColor(0x2e, 0xa0, 0x5a);
    case proto::VrrpState::Backup: return QColor(0x4f, 0x8c, 0xd8);
    case proto::VrrpState::Fault: return QColor(0xdc, 0x3f, 0x3f);
    default: return QColor(0x8a, 0x93, 0x9e);
    }
}

QColor tint(const QColor& color, const QPalette& palette, double amount)
{
    const QColor base = palette.color(QPalette::Base);
    const auto mix = [&](int a, int b) { return static_cast<int>(a * (1.0 - amount) + b * amount); };
    return QColor(mix(base.red(), color.red()), mix(base.green(), color.green()), mix(base.blue(), color.blue()));
}

QIcon themedIcon(const QString& name)
{
    initResources();
    const QColor ink = qApp ? qApp->palette().color(QPalette::WindowText) : QColor(Qt::black);
    const QString key = name + QLatin1Char('@') + ink.name();
    if (const auto it = cache().constFind(key); it != cache().constEnd()) {
        return *it;
    }
    QFile f(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    QByteArray svg = f.readAll();
    svg.replace("currentColor", ink.name().toLatin1());
    const QIcon icon = renderSvg(svg);
    cache().insert(key, icon);
    return icon;
}

QIcon statusIcon(const QString& glyph, const QColor& color)
{
    initResources();
    const QString key = QStringLiteral("status:%1:%2").arg(glyph, color.name());
    if (const auto it = cache().constFind(key); it != cache().constEnd()) {
        return *it;
    }
    QFile f(QStringLiteral(":/icons/status-%1.svg").arg(glyph));
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    QByteArray svg = f.readAll();
    svg.replace("#STATUS", color.name().toLatin1());
    const QIcon icon = renderSvg(svg);
    cache().insert(key, icon);
    return icon;
}

QIcon stateIcon(console::NodeState state)
{
    using console::NodeState;
    switch (state) {
    case NodeState::Online: return statusIcon(QStringLiteral("ok"), stateColor(state));
    case NodeState::Degraded: return statusIcon(QStringLiteral("slow"), stateColor(state));
    case NodeState::Unreachable: return statusIcon(QStringLiteral("down"), stateColor(state));
    case NodeState::Refused: return statusIcon(QStringLiteral("lock"), stateColor(state));
    case NodeState::ProtocolError: return statusIcon(QStringLiteral("down"), stateColor(state));
    case NodeState::NotInstalled: return statusIcon(QStringLiteral("pending"), stateColor(state));
    case NodeState::VersionMismatch: return statusIcon(QStringLiteral("lock"), stateColor(state));
    case NodeState::Connecting: return statusIcon(QStringLiteral("pending"), stateColor(state));
    }
    return {};
}

QIcon severityIcon(console::Severity severity)
{
    switch (severity) {
    case console::Severity::Critical: return statusIcon(QStringLiteral("down"), severityColor(severity));
    case console::Severity::Warning: return statusIcon(QStringLiteral("warn"), severityColor(severity));
    case console::Severity::Info: return statusIcon(QStringLiteral("info"), severityColor(severity));
    }
    return {};
}

QIcon layerIcon(console::Layer layer)
{
    switch (layer) {
    case console::Layer::LoadBalancing: return themedIcon(QStringLiteral("node-director"));
    case console::Layer::Application: return themedIcon(QStringLiteral("node-web"));
    case console::Layer::Data: return themedIcon(QStringLiteral("node-db"));
    case console::Layer::Gateway: return themedIcon(QStringLiteral("node-gateway"));
    case console::Layer::Unassigned: return themedIcon(QStringLiteral("node-unknown"));
    }
    return {};
}

QIcon roleIcon(const std::vector<proto::Role>& roles)
{
    using proto::Role;
    for (const auto r : roles) {
        if (r == Role::MfsMaster || r == Role::MfsChunkserver || r == Role::MfsMetalogger) {
            return themedIcon(QStringLiteral("node-storage"));
        }
    }
    return layerIcon(console::layerFor(roles));
}

void clearIconCache() { cache().clear(); }

} // namespace hadeck::ui
