#include "hadeck/console/firewall/linttext.h"

#include <QCoreApplication>
#include <QStringList>

namespace hadeck::console::fw {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString translated(const char* text) { return QCoreApplication::translate("FirewallLint", text); }

/// @p text translated, with @p args filled in all at once: a node's name holding "%2" must not be
/// filled in again.
QString translatedWith(const char* text, const std::vector<std::string>& args)
{
    const QString s = translated(text);
    const auto arg = [&](std::size_t i) { return i < args.size() ? q(args[i]) : QString(); };
    switch (args.size()) {
    case 0: return s;
    case 1: return s.arg(arg(0));
    case 2: return s.arg(arg(0), arg(1));
    default: return s.arg(arg(0), arg(1), arg(2));
    }
}

} // namespace

QString packetText(const Packet& p)
{
    // Protocol names, ct states, hooks and interface names are nft's words.
    const std::string proto = protocolName(p.l4proto);
    QString s = proto.empty() ? translated(QT_TRANSLATE_NOOP("FirewallLint", "protocol %1")).arg(p.l4proto) : q(proto);
    s += QLatin1Char(' ') + (p.saddr.empty() ? QStringLiteral("?") : q(p.saddr)) + QStringLiteral(" -> ") +
         (p.daddr.empty() ? QStringLiteral("?") : q(p.daddr));
    if (p.dport) {
        s += QLatin1Char(':') + QString::number(*p.dport);
    }
    QStringList how{q(p.ctState), q(p.hook)};
    if (!p.iif.empty()) {
        how << translated(QT_TRANSLATE_NOOP("FirewallLint", "in %1")).arg(q(p.iif));
    }
    if (!p.oif.empty()) {
        how << translated(QT_TRANSLATE_NOOP("FirewallLint", "out %1")).arg(q(p.oif));
    }
    return s + QStringLiteral(" (") + how.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString needText(const Need& need)
{
    if (need.whyText == nullptr || *need.whyText == 0) {
        return q(need.why);
    }
    return translatedWith(need.whyText, need.whyArgs);
}

QString reasonText(const Reason& reason) { return translatedWith(reason.text, reason.args); }

QString findingText(const Finding& f)
{
    const auto& d = f.decision;
    QString cause;
    if (d.handle != 0) {
        cause = translated(QT_TRANSLATE_NOOP("FirewallLint", "by rule %1 %2 %3 #%4 \"%5\""))
                    .arg(q(d.family), q(d.table), q(d.chain), QString::number(d.handle), q(d.ruleText));
    } else {
        cause = translated(QT_TRANSLATE_NOOP("FirewallLint", "by the %1 %2 %3 chain's %4"))
                    .arg(q(d.family), q(d.table), q(d.chain), reasonText(d.why));
    }
    if (d.verdict == Verdict::CannotJudge && d.handle != 0) {
        cause += QStringLiteral(" (") + reasonText(d.why) + QLatin1Char(')');
    }
    const char* head = d.verdict == Verdict::Drop ? QT_TRANSLATE_NOOP("FirewallLint", "blocked: %1 — %2, %3")
                                                  : QT_TRANSLATE_NOOP("FirewallLint", "cannot judge: %1 — %2, %3");
    return translated(head).arg(packetText(f.need.packet), needText(f.need), cause);
}

} // namespace hadeck::console::fw
