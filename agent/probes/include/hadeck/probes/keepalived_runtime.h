#pragma once

// keepalived's runtime outputs: the JSON dump (written on the signal whose
// number `keepalived --signum=JSON` prints) and the notify FIFO lines.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

/**
 * Parses $TMPDIR/keepalived.json: an array of {"data":{...},"stats":{...}}, one per VRRP instance.
 * Fields HaDeck does not model are ignored; holdsVips, syncGroup and trackFiles are left for the
 * caller to fill from rtnl and the configuration.
 */
Expected<std::vector<proto::VrrpInstance>> parseKeepalivedJson(std::string_view text);

/// A transition keepalived pushed (DBus VrrpStatusChange or a notify FIFO line) and the agent
/// applied before any dump confirmed it: the state, and when the agent saw it (unix time).
struct PushedTransition {
    proto::VrrpState state = proto::VrrpState::Init;
    double observedAt = 0;
};

/**
 * Merges a JSON dump that keepalived wrote at @p dumpWrittenAt (the file's mtime) into
 * @p current, the instances as last published. A dump never wins over a newer fact: an
 * instance whose dump state differs from a transition in @p pushed seen after the dump was
 * written keeps its current entry (the dump was asked for, or written, before keepalived
 * made that transition; under load it is read late). A dump written after the push confirms
 * or replaces it, and the push is forgotten. Instances absent from the dump are gone.
 * @param stale when given, receives the names whose dump entry was older than a push.
 */
std::vector<proto::VrrpInstance> mergeVrrpDump(const std::vector<proto::VrrpInstance>& current,
                                               std::vector<proto::VrrpInstance> dump, double dumpWrittenAt,
                                               std::map<std::string, PushedTransition>& pushed,
                                               std::vector<std::string>* stale = nullptr);

/// A VIP as the dump lists it ("198.18.0.101 dev eth0 scope global set") reduced to "198.18.0.101/32".
std::string vipFromDump(std::string_view entry);

/// An LVS endpoint as keepalived prints it: "[198.18.1.12]:tcp:80" (a fwmark service's real
/// server: "[198.18.1.12]:none:0"), "FWM 7" for a fwmark service, "[NAME]:0" for a
/// virtual_server_group-based one.
struct LvsEndpoint {
    std::string address;
    std::string protocol; // tcp, udp, sctp; none for a fwmark service's real server
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0; // "FWM 7"
    std::string group;        // "[NAME]:0"
    std::string raw;          // as printed
};

/// One line of notify_fifo / vrrp_notify_fifo / lvs_notify_fifo.
struct NotifyEvent {
    enum class Kind { Instance, Group, VirtualServer, RealServer };
    Kind kind = Kind::Instance;
    std::string name;  // instance or group name (unquoted)
    std::string state; // MASTER, BACKUP, FAULT, STOP, DELETED, MASTER_RX_LOWER_PRI, ... ; UP or DOWN for VS/RS
    int priority = 0;
    LvsEndpoint realServer;
    LvsEndpoint virtualServer;
};

/// Parses one FIFO line (without the newline).
Expected<NotifyEvent> parseNotifyLine(std::string_view line);

/// Parses "[198.18.1.12]:tcp:80", "FWM 7" or "[NAME]:0"; anything else keeps only raw.
LvsEndpoint parseLvsEndpoint(std::string_view token);

} // namespace hadeck::probes
