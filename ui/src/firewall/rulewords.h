#pragma once

// Firewall rules in words, and rules built from the editor's fields. Pure: the
// GUI and its tests share them.

#include "hadeck/protocol/firewall.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace hadeck::ui::fw {

/// "accept tcp from 198.18.1.0/24 to port 22". A match it cannot put in words is
/// said to be there ("… and a match shown only in the nft text"), never dropped.
QString ruleInWords(const proto::fw::Rule& rule);

/// "filter input, priority 0, policy drop" for a base chain; "regular chain" otherwise.
QString chainInWords(const proto::fw::Chain& chain);

/// The structured editor's fields.
struct RuleDraft {
    QString family = QStringLiteral("inet"); // of the chain: inet, ip, ip6
    QString protocol;    // "", tcp, udp, icmp, icmpv6
    QString source;      // address, prefix or @set; empty: any
    QString destination;
    QString sourcePorts; // "22", "80,443", "8000-8080", "@set"
    QString destinationPorts;
    QString inInterface;
    QString outInterface;
    QStringList ctStates; // new, established, related, invalid
    QString action = QStringLiteral("accept"); // accept, drop, reject, log, counter
    QString logPrefix;
    QString comment;
};

/// The nft rule text of @p draft ("ip saddr 198.18.1.0/24 tcp dport 22 counter accept"),
/// or an empty string with @p error naming the bad field.
QString draftToNft(const RuleDraft& draft, QString* error);

class RuleWords {
    Q_DECLARE_TR_FUNCTIONS(hadeck::ui::fw::RuleWords)
};

} // namespace hadeck::ui::fw
