#pragma once

// The lockout lint's findings in the console's language (context FirewallLint). In English they
// read exactly as Finding::text(), which the audit log keeps.

#include "hadeck/console/firewall/lint.h"

#include <QString>

namespace hadeck::console::fw {

/// "tcp 198.18.0.5 -> 198.18.1.10:22 (new, input, in eth0)".
QString packetText(const Packet& packet);
/// Why the cluster needs the packet: "SSH from the console (198.18.0.5)".
QString needText(const Need& need);
/// How the evaluator decided, or what it could not read: "policy drop", "the match tcp flags".
QString reasonText(const Reason& reason);
/// "blocked: <packet> — <why>, by rule inet filter input #19 \"...\"".
QString findingText(const Finding& finding);

} // namespace hadeck::console::fw
