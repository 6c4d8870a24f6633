#pragma once

// keepalived's runtime outputs: the JSON dump (written on the signal whose
// number `keepalived --signum=JSON` prints) and the notify FIFO lines.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

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

/// A VIP as the dump lists it ("198.18.0.101 dev eth0 scope global set") reduced to "198.18.0.101/32".
std::string vipFromDump(std::string_view entry);

/// An LVS endpoint as keepalived prints it: "[198.18.1.12]:tcp:80".
struct LvsEndpoint {
    std::string address;
    std::string protocol;
    std::uint16_t port = 0;
    std::string raw; // as printed, e.g. for fwmark services
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

/// Parses "[198.18.1.12]:tcp:80"; other forms (fwmark, groups) keep only raw.
LvsEndpoint parseLvsEndpoint(std::string_view token);

} // namespace hadeck::probes
