#include "firewall/rulewords.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <optional>

namespace hadeck::ui::fw {

namespace {

using Json = proto::fw::Json;

QString q(const std::string& s) { return QString::fromStdString(s); }

// The agent's JSON is read without trusting its types: what holds something other than nft's
// own is not understood, and said to be in the nft text, never an exception.

/// The string @p obj holds at @p key; @p absent when @p obj has no @p key; nullopt when it is
/// not an object or holds something else there.
std::optional<std::string> textAt(const Json& obj, const char* key, const std::string& absent = {})
{
    if (!obj.is_object()) {
        return std::nullopt;
    }
    const auto it = obj.find(key);
    if (it == obj.end()) {
        return absent;
    }
    if (!it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

/// The object @p obj holds at @p key, or nullptr.
const Json* objectAt(const Json& obj, const char* key)
{
    if (!obj.is_object()) {
        return nullptr;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? &*it : nullptr;
}

/// @p v in words; empty when any part of it is not understood.
QString value(const Json& v)
{
    if (v.is_string()) {
        const QString s = q(v.get<std::string>());
        return s.startsWith(QLatin1Char('@')) ? RuleWords::tr("set %1").arg(s.mid(1)) : s;
    }
    if (v.is_number_unsigned()) {
        return QString::number(v.get<std::uint64_t>());
    }
    if (v.is_number_integer()) {
        return QString::number(v.get<std::int64_t>());
    }
    if (const Json* p = objectAt(v, "prefix")) {
        const auto addr = p->find("addr");
        const auto len = p->find("len");
        if (addr == p->end() || !addr->is_string() || addr->get_ref<const std::string&>().empty() || len == p->end() ||
            !len->is_number_integer()) {
            return {};
        }
        return value(*addr) + QLatin1Char('/') + value(*len);
    }
    if (v.is_object() && v.contains("range") && v["range"].is_array() && v["range"].size() == 2) {
        const QString lo = value(v["range"][0]);
        const QString hi = value(v["range"][1]);
        return lo.isEmpty() || hi.isEmpty() ? QString() : lo + QStringLiteral("–") + hi;
    }
    if (v.is_object() && v.contains("set")) {
        return value(v["set"]);
    }
    if (v.is_array()) {
        QStringList parts;
        for (const auto& e : v) {
            parts << value(e);
            if (parts.last().isEmpty()) {
                return {}; // a set is not shown without one of its elements
            }
        }
        return parts.join(QStringLiteral(", "));
    }
    return {};
}

} // namespace

QString ruleInWords(const proto::fw::Rule& rule)
{
    QString verdict;
    QString proto;
    QStringList from;
    QStringList to;
    QStringList extra;
    bool unknown = false;
    bool counted = false;
    QString log;
    for (const auto& stmt : rule.expr) {
        if (!stmt.is_object() || stmt.empty()) {
            unknown = true;
            continue;
        }
        const std::string key = stmt.begin().key();
        const Json& body = stmt.begin().value();
        if (key == "accept") {
            verdict = RuleWords::tr("accept");
        } else if (key == "drop") {
            verdict = RuleWords::tr("drop");
        } else if (key == "reject") {
            verdict = RuleWords::tr("reject");
        } else if (key == "return") {
            verdict = RuleWords::tr("return to the calling chain");
        } else if (key == "jump" || key == "goto") {
            const auto name = textAt(body, "target");
            if (!name || name->empty()) {
                unknown = true;
            }
            const QString target = name && !name->empty() ? q(*name) : QStringLiteral("?");
            verdict = key == "jump" ? RuleWords::tr("jump to %1").arg(target) : RuleWords::tr("go to %1").arg(target);
        } else if (key == "counter") {
            counted = true;
        } else if (key == "log") {
            const QString prefix = q(textAt(body, "prefix").value_or(std::string()));
            log = prefix.isEmpty() ? RuleWords::tr("log") : RuleWords::tr("log as \"%1\"").arg(prefix.trimmed());
        } else if (key == "match" && body.is_object() && body.contains("left") && body.contains("right")) {
            const Json& left = body["left"];
            const std::string op = textAt(body, "op", "==").value_or(std::string());
            QString v = value(body["right"]);
            if (v.isEmpty()) {
                unknown = true;
                continue;
            }
            if (op == "!=") {
                v = RuleWords::tr("not %1").arg(v);
            } else if (op != "==" && op != "in") {
                unknown = true;
                continue;
            }
            if (const Json* payload = objectAt(left, "payload")) {
                const auto protocol = textAt(*payload, "protocol");
                const std::string p = protocol.value_or(std::string());
                // A protocol other than a name ("protocol":6) is not nft's: the match is not understood.
                const std::string f = protocol ? textAt(*payload, "field").value_or(std::string()) : std::string();
                if (f == "saddr") {
                    from.prepend(v);
                } else if (f == "daddr") {
                    to.prepend(v);
                } else if (f == "sport") {
                    proto = q(p);
                    from << RuleWords::tr("port %1").arg(v);
                } else if (f == "dport") {
                    proto = q(p);
                    to << RuleWords::tr("port %1").arg(v);
                } else if (f == "protocol" || f == "nexthdr") {
                    proto = v;
                } else if (f == "type") {
                    proto = q(p) + QLatin1Char(' ') + v;
                } else {
                    unknown = true;
                }
            } else if (const Json* meta = objectAt(left, "meta")) {
                const std::string k = textAt(*meta, "key").value_or(std::string());
                if (k == "iifname" || k == "iif") {
                    extra << RuleWords::tr("coming in on %1").arg(v);
                } else if (k == "oifname" || k == "oif") {
                    extra << RuleWords::tr("going out on %1").arg(v);
                } else if (k == "l4proto" || k == "protocol") {
                    proto = v;
                } else {
                    unknown = true;
                }
            } else if (const Json* ct = objectAt(left, "ct"); ct && textAt(*ct, "key") == "state") {
                extra << RuleWords::tr("in connection state %1").arg(v);
            } else {
                unknown = true;
            }
        } else {
            unknown = true;
        }
    }
    QStringList words;
    if (!log.isEmpty()) {
        words << log;
    }
    if (!verdict.isEmpty()) {
        words << verdict;
    } else if (log.isEmpty()) {
        words << (counted ? RuleWords::tr("count") : RuleWords::tr("continue"));
    }
    words << (proto.isEmpty() ? RuleWords::tr("all traffic") : proto);
    if (!from.isEmpty()) {
        words << RuleWords::tr("from %1").arg(from.join(QLatin1Char(' ')));
    }
    if (!to.isEmpty()) {
        words << RuleWords::tr("to %1").arg(to.join(QLatin1Char(' ')));
    }
    words << extra;
    if (unknown) {
        words << RuleWords::tr("(and a match shown only in the nft text)");
    }
    return words.join(QLatin1Char(' '));
}

QString chainInWords(const proto::fw::Chain& c)
{
    if (!c.isBase()) {
        return RuleWords::tr("regular chain (reached by jump or goto)");
    }
    return RuleWords::tr("%1 hook %2, priority %3, policy %4")
        .arg(q(c.type), q(c.hook))
        .arg(c.priority.value_or(0))
        .arg(c.policy.empty() ? QStringLiteral("accept") : q(c.policy));
}

namespace {

bool validAddress(const QString& s)
{
    if (s.startsWith(QLatin1Char('@'))) {
        static const QRegularExpression name(QStringLiteral("^@[A-Za-z_][A-Za-z0-9_]{0,63}$"));
        return name.match(s).hasMatch();
    }
    const auto slash = s.indexOf(QLatin1Char('/'));
    if (slash < 0) {
        return !QHostAddress(s).isNull();
    }
    return QHostAddress::parseSubnet(s).first.isNull() == false;
}

/// "22" / "80,443" / "8000-8080" / "@set" → nft's form, or empty when bad.
QString portsNft(const QString& s)
{
    if (s.startsWith(QLatin1Char('@'))) {
        return validAddress(s) ? s : QString();
    }
    QStringList out;
    for (QString part : s.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        const QStringList ends = part.split(QLatin1Char('-'));
        if (ends.size() > 2) {
            return {};
        }
        for (const auto& e : ends) {
            bool ok = false;
            const int p = e.trimmed().toInt(&ok);
            if (!ok || p < 1 || p > 65535) {
                return {};
            }
        }
        out << (ends.size() == 2 ? ends[0].trimmed() + QLatin1Char('-') + ends[1].trimmed() : part);
    }
    if (out.isEmpty()) {
        return {};
    }
    return out.size() == 1 ? out.first() : QStringLiteral("{ ") + out.join(QStringLiteral(", ")) + QStringLiteral(" }");
}

bool validInterface(const QString& s)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_.:-]{1,15}$"));
    return name.match(s).hasMatch();
}

} // namespace

QString draftToNft(const RuleDraft& d, QString* error)
{
    const auto bad = [error](const QString& why) {
        if (error) {
            *error = why;
        }
        return QString();
    };
    static const QStringList protocols{QString(), QStringLiteral("tcp"), QStringLiteral("udp"), QStringLiteral("icmp"),
                                       QStringLiteral("icmpv6")};
    static const QStringList actions{QStringLiteral("accept"), QStringLiteral("drop"), QStringLiteral("reject"),
                                     QStringLiteral("log"), QStringLiteral("counter")};
    static const QStringList states{QStringLiteral("new"), QStringLiteral("established"), QStringLiteral("related"),
                                    QStringLiteral("invalid")};
    if (!protocols.contains(d.protocol)) {
        return bad(RuleWords::tr("unknown protocol \"%1\"").arg(d.protocol));
    }
    if (!actions.contains(d.action)) {
        return bad(RuleWords::tr("unknown action \"%1\"").arg(d.action));
    }
    QStringList parts;
    if (!d.inInterface.isEmpty()) {
        if (!validInterface(d.inInterface)) {
            return bad(RuleWords::tr("\"%1\" is not an interface name").arg(d.inInterface));
        }
        parts << QStringLiteral("iifname \"%1\"").arg(d.inInterface);
    }
    if (!d.outInterface.isEmpty()) {
        if (!validInterface(d.outInterface)) {
            return bad(RuleWords::tr("\"%1\" is not an interface name").arg(d.outInterface));
        }
        parts << QStringLiteral("oifname \"%1\"").arg(d.outInterface);
    }
    const auto addr = [&](const QString& a, const char* field, const QString& label) -> bool {
        if (a.isEmpty()) {
            return true;
        }
        if (!validAddress(a)) {
            bad(RuleWords::tr("%1: \"%2\" is not an address, a prefix or @set").arg(label, a));
            return false;
        }
        const bool v6 = a.contains(QLatin1Char(':')) || d.family == QLatin1String("ip6");
        if ((v6 && d.family == QLatin1String("ip")) || (!v6 && d.family == QLatin1String("ip6"))) {
            bad(RuleWords::tr("%1: \"%2\" does not fit a table of family %3").arg(label, a, d.family));
            return false;
        }
        parts << QStringLiteral("%1 %2 %3").arg(v6 ? QStringLiteral("ip6") : QStringLiteral("ip"), QLatin1String(field), a);
        return true;
    };
    if (!addr(d.source.trimmed(), "saddr", RuleWords::tr("source")) ||
        !addr(d.destination.trimmed(), "daddr", RuleWords::tr("destination"))) {
        return {};
    }
    const bool ports = !d.sourcePorts.trimmed().isEmpty() || !d.destinationPorts.trimmed().isEmpty();
    if (ports && d.protocol != QLatin1String("tcp") && d.protocol != QLatin1String("udp")) {
        return bad(RuleWords::tr("ports need the protocol tcp or udp"));
    }
    if (!ports && !d.protocol.isEmpty()) {
        parts << QStringLiteral("meta l4proto %1").arg(d.protocol);
    }
    for (const auto& [text, field] : {std::pair{d.sourcePorts.trimmed(), QStringLiteral("sport")},
                                      std::pair{d.destinationPorts.trimmed(), QStringLiteral("dport")}}) {
        if (text.isEmpty()) {
            continue;
        }
        const QString p = portsNft(text);
        if (p.isEmpty()) {
            return bad(RuleWords::tr("\"%1\" is not a port, a list (80,443), a range (8000-8080) or @set").arg(text));
        }
        parts << QStringLiteral("%1 %2 %3").arg(d.protocol, field, p);
    }
    if (!d.ctStates.isEmpty()) {
        for (const auto& s : d.ctStates) {
            if (!states.contains(s)) {
                return bad(RuleWords::tr("unknown connection state \"%1\"").arg(s));
            }
        }
        parts << (d.ctStates.size() == 1 ? QStringLiteral("ct state %1").arg(d.ctStates.first())
                                         : QStringLiteral("ct state { %1 }").arg(d.ctStates.join(QStringLiteral(", "))));
    }
    parts << QStringLiteral("counter");
    if (d.action == QLatin1String("log")) {
        static const QRegularExpression prefix(QStringLiteral("^[A-Za-z0-9 _.:=-]{0,60}$"));
        if (!prefix.match(d.logPrefix).hasMatch()) {
            return bad(RuleWords::tr("the log prefix may hold letters, digits, spaces and _ . : = - (at most 60)"));
        }
        parts << (d.logPrefix.isEmpty() ? QStringLiteral("log") : QStringLiteral("log prefix \"%1 \"").arg(d.logPrefix.trimmed()));
    } else if (d.action != QLatin1String("counter")) {
        parts << d.action;
    }
    if (!d.comment.isEmpty()) {
        if (d.comment.contains(QLatin1Char('"')) || d.comment.contains(QLatin1Char('\n')) || d.comment.size() > 128) {
            return bad(RuleWords::tr("the comment may not hold quotes or line breaks (at most 128 characters)"));
        }
        parts << QStringLiteral("comment \"%1\"").arg(d.comment);
    }
    if (error) {
        error->clear();
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace hadeck::ui::fw
