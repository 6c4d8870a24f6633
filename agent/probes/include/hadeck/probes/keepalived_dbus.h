#pragma once

// keepalived's DBus interface (global_defs `enable_dbus`), as pure functions: which
// VRRP instance a `VrrpStatusChange(u)` signal is about, and the state it carries.
// Objects are /org/keepalived/Vrrp1/Instance/<ifname>/<vrid>/<IPv4|IPv6>; the signal
// carries only the new state's number (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT), so the
// instance's name comes from what the agent already knows (dump or configuration).

#include "hadeck/protocol/director.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

inline constexpr const char* kKeepalivedBusName = "org.keepalived.Vrrp1";
inline constexpr const char* kKeepalivedInstanceInterface = "org.keepalived.Vrrp1.Instance";
inline constexpr const char* kKeepalivedStatusSignal = "VrrpStatusChange";

/// The parts of an instance object's path.
struct VrrpDbusPath {
    std::string interface; // as it appears in the path (characters DBus forbids are '_')
    int vrid = 0;
    int family = 4; // 4 or 6
};

/// Parses "/org/keepalived/Vrrp1/Instance/eth0/51/IPv4"; nullopt for any other path.
std::optional<VrrpDbusPath> parseVrrpDbusPath(std::string_view path);

/// An interface name as it can appear in an object path: DBus allows only [A-Za-z0-9_].
std::string dbusPathElement(std::string_view name);

/// The state a VrrpStatusChange carries; nullopt for numbers keepalived does not send.
std::optional<proto::VrrpState> vrrpStateFromDbus(std::uint32_t status);

/// The instance among @p known that the object @p path stands for: same interface, VRID
/// and address family (taken from its VIPs; an instance without VIPs matches either).
/// @return its index in @p known, or nullopt.
std::optional<std::size_t> findVrrpInstanceForPath(const VrrpDbusPath& path,
                                                   const std::vector<proto::VrrpInstance>& known);

} // namespace hadeck::probes
