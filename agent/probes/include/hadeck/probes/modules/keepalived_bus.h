#pragma once

// The agent's side of keepalived's DBus interface: a system-bus connection on the
// agent's event loop (sd-bus on sd-event) that hears every VrrpStatusChange and
// follows whether keepalived owns its bus name, so the module knows when these
// signals can be trusted over the notify FIFO.
// A VrrpStatusChange is believed only from the connection that owns org.keepalived.Vrrp1
// or, before anyone owns it, from a sender the bus says runs as root.

#include "hadeck/agent/event_loop.h"
#include "hadeck/protocol/expected.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

struct sd_bus;
struct sd_bus_slot;

namespace hadeck::probes {

class KeepalivedBus {
public:
    using StatusCallback = std::function<void(const std::string& path, std::uint32_t status)>;
    /// keepalived appeared on the bus (true), left it or the bus went away (false).
    using PresenceCallback = std::function<void(bool present)>;

    /// Connects to the system bus ($DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket).
    static Expected<std::unique_ptr<KeepalivedBus>> connect(agent::EventLoop& loop, StatusCallback onStatus,
                                                           PresenceCallback onPresence);
    ~KeepalivedBus();
    KeepalivedBus(const KeepalivedBus&) = delete;
    KeepalivedBus& operator=(const KeepalivedBus&) = delete;

    /// keepalived holds org.keepalived.Vrrp1 on a live connection.
    [[nodiscard]] bool keepalivedPresent() const { return m_present && m_connected; }
    [[nodiscard]] bool connected() const { return m_connected; }
    /// VrrpStatusChange signals passed on, and those ignored as not from keepalived.
    [[nodiscard]] std::uint64_t acceptedSignals() const { return m_accepted; }
    [[nodiscard]] std::uint64_t refusedSignals() const { return m_refused; }

private:
    struct Passkey {
        explicit Passkey() = default;
    };

public:
    KeepalivedBus(Passkey key, sd_bus* bus, StatusCallback onStatus, PresenceCallback onPresence); // use connect()

private:
    Status subscribe();
    void setPresent(bool present);
    void onSignal(const std::string& sender, const std::string& path, std::uint32_t status);
    void verifyNext();
    void deliver(const std::string& path, std::uint32_t status);
    void refuse(const std::string& sender);
    friend struct KeepalivedBusCallbacks; // sd-bus's C callbacks, in the .cpp

    sd_bus* m_bus = nullptr;
    sd_bus_slot* m_statusSlot = nullptr;
    sd_bus_slot* m_ownerSlot = nullptr;
    sd_bus_slot* m_querySlot = nullptr;
    sd_bus_slot* m_filterSlot = nullptr;
    sd_bus_slot* m_uidSlot = nullptr; // the one GetConnectionUnixUser in flight
    struct Unverified {
        std::string sender;
        std::string path;
        std::uint32_t status = 0;
    };
    std::deque<Unverified> m_unverified;
    std::string m_owner; // unique name owning org.keepalived.Vrrp1, empty when none
    std::uint64_t m_accepted = 0;
    std::uint64_t m_refused = 0;
    std::chrono::steady_clock::time_point m_lastRefusalLog{};
    StatusCallback m_onStatus;
    PresenceCallback m_onPresence;
    bool m_present = false;
    bool m_connected = true;
};

} // namespace hadeck::probes
