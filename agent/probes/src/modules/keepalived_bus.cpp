#include "hadeck/probes/modules/keepalived_bus.h"

#include "hadeck/agent/log.h"
#include "hadeck/probes/keepalived_dbus.h"

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <cstring>

namespace hadeck::probes {

namespace {

constexpr const char* kDbusName = "org.freedesktop.DBus";
constexpr const char* kDbusPath = "/org/freedesktop/DBus";
/// Signals waiting for their sender's uid while keepalived's name has no owner; a
/// flood beyond this is dropped (keepalived sends one per instance and transition).
constexpr std::size_t kMaxUnverified = 64;

std::string errnoText(int r) { return std::strerror(r < 0 ? -r : r); }

// An exception escaping into sd-bus's C code would terminate the agent: every
// callback runs inside this, which logs and returns 0 (the message is consumed).
template <typename Fn>
int guarded(const char* what, Fn&& fn) noexcept
{
    try {
        fn();
    } catch (const std::exception& e) {
        agent::logError(std::string("unhandled exception in the system bus's ") + what + " callback: " + e.what());
    } catch (...) {
        agent::logError(std::string("unhandled exception in the system bus's ") + what + " callback");
    }
    return 0;
}

} // namespace

struct KeepalivedBusCallbacks {
    static int onStatusSignal(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        return guarded("VrrpStatusChange", [&] {
            auto* bus = static_cast<KeepalivedBus*>(self);
            std::uint32_t status = 0;
            const char* path = sd_bus_message_get_path(m);
            const char* sender = sd_bus_message_get_sender(m);
            if (path == nullptr || sender == nullptr || sd_bus_message_read(m, "u", &status) < 0) {
                return; // not keepalived's signature: ignore it
            }
            bus->onSignal(sender, path, status);
        });
    }

    static int onOwnerChanged(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        return guarded("NameOwnerChanged", [&] {
            const char* name = nullptr;
            const char* oldOwner = nullptr;
            const char* newOwner = nullptr;
            if (sd_bus_message_read(m, "sss", &name, &oldOwner, &newOwner) < 0 || name == nullptr ||
                std::strcmp(name, kKeepalivedBusName) != 0) {
                return;
            }
            // Only the bus itself speaks for name ownership (the match names it as sender).
            auto* bus = static_cast<KeepalivedBus*>(self);
            bus->m_owner = newOwner != nullptr ? newOwner : "";
            bus->setPresent(!bus->m_owner.empty());
        });
    }

    static int onNameOwner(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        return guarded("GetNameOwner", [&] {
            auto* bus = static_cast<KeepalivedBus*>(self);
            const char* owner = nullptr;
            if (sd_bus_message_is_method_error(m, nullptr) == 0 && sd_bus_message_read(m, "s", &owner) >= 0 &&
                owner != nullptr) {
                bus->m_owner = owner;
            } else {
                bus->m_owner.clear(); // org.freedesktop.DBus.Error.NameHasNoOwner
            }
            bus->setPresent(!bus->m_owner.empty());
        });
    }

    static int onSenderUid(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        return guarded("GetConnectionUnixUser", [&] {
            auto* bus = static_cast<KeepalivedBus*>(self);
            sd_bus_slot_unref(bus->m_uidSlot);
            bus->m_uidSlot = nullptr;
            if (bus->m_unverified.empty()) {
                return;
            }
            const auto pending = std::move(bus->m_unverified.front());
            bus->m_unverified.pop_front();
            std::uint32_t uid = 0;
            const bool root = sd_bus_message_is_method_error(m, nullptr) == 0 &&
                              sd_bus_message_read(m, "u", &uid) >= 0 && uid == 0;
            try {
                if (root) {
                    bus->deliver(pending.path, pending.status);
                } else {
                    bus->refuse(pending.sender);
                }
            } catch (...) {
                bus->verifyNext(); // the next signal's turn, even after a handler that threw
                throw;
            }
            bus->verifyNext();
        });
    }

    static int onMessage(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        return guarded("filter", [&] {
            // sd-bus reports a lost connection as a local Disconnected signal.
            if (sd_bus_message_is_signal(m, "org.freedesktop.DBus.Local", "Disconnected") > 0) {
                auto* bus = static_cast<KeepalivedBus*>(self);
                bus->m_connected = false;
                bus->m_present = false;
                bus->m_owner.clear();
                if (bus->m_onPresence) {
                    bus->m_onPresence(false); // always: the owner must drop this connection and reconnect
                }
            }
        });
    }
};

KeepalivedBus::KeepalivedBus(Passkey /*key*/, sd_bus* bus, StatusCallback onStatus, PresenceCallback onPresence)
    : m_bus(bus), m_onStatus(std::move(onStatus)), m_onPresence(std::move(onPresence))
{
}

KeepalivedBus::~KeepalivedBus()
{
    for (sd_bus_slot* s : {m_statusSlot, m_ownerSlot, m_querySlot, m_filterSlot, m_uidSlot}) {
        sd_bus_slot_unref(s);
    }
    if (m_bus != nullptr) {
        sd_bus_detach_event(m_bus);
        sd_bus_flush_close_unref(m_bus);
    }
}

Expected<std::unique_ptr<KeepalivedBus>> KeepalivedBus::connect(agent::EventLoop& loop, StatusCallback onStatus,
                                                                PresenceCallback onPresence)
{
    sd_bus* bus = nullptr;
    // sd_bus_open_system honours DBUS_SYSTEM_BUS_ADDRESS, which is how a test runs its own bus.
    if (const int r = sd_bus_open_system(&bus); r < 0) {
        return fail("no system bus (" + errnoText(r) + ")");
    }
    auto self = std::make_unique<KeepalivedBus>(Passkey{}, bus, std::move(onStatus), std::move(onPresence));
    if (const int r = sd_bus_attach_event(bus, loop.raw(), SD_EVENT_PRIORITY_NORMAL); r < 0) {
        return fail("cannot attach the system bus to the event loop: " + errnoText(r));
    }
    if (auto st = self->subscribe(); !st) {
        return Unexpected<Failure>{st.error()};
    }
    return self;
}

Status KeepalivedBus::subscribe()
{
    // Matches are installed asynchronously: nothing on the loop waits for the bus.
    int r = sd_bus_match_signal_async(m_bus, &m_statusSlot, nullptr, nullptr, kKeepalivedInstanceInterface,
                                      kKeepalivedStatusSignal, &KeepalivedBusCallbacks::onStatusSignal, nullptr, this);
    if (r >= 0) {
        r = sd_bus_match_signal_async(m_bus, &m_ownerSlot, kDbusName, kDbusPath, kDbusName, "NameOwnerChanged",
                                      &KeepalivedBusCallbacks::onOwnerChanged, nullptr, this);
    }
    if (r >= 0) {
        // The owner's unique name: only its signals are keepalived's.
        r = sd_bus_call_method_async(m_bus, &m_querySlot, kDbusName, kDbusPath, kDbusName, "GetNameOwner",
                                     &KeepalivedBusCallbacks::onNameOwner, this, "s", kKeepalivedBusName);
    }
    if (r >= 0) {
        r = sd_bus_add_filter(m_bus, &m_filterSlot, &KeepalivedBusCallbacks::onMessage, this);
    }
    if (r < 0) {
        return fail("cannot subscribe to keepalived's signals on the system bus: " + errnoText(r));
    }
    return {};
}

void KeepalivedBus::onSignal(const std::string& sender, const std::string& path, std::uint32_t status)
{
    if (!m_owner.empty()) {
        // keepalived owns its name: only its own connection speaks for it.
        if (sender == m_owner) {
            deliver(path, status);
        } else {
            refuse(sender);
        }
        return;
    }
    // keepalived sends its first VrrpStatusChange before it owns org.keepalived.Vrrp1:
    // then only a sender running as root is believed (the bus tells its uid).
    if (m_unverified.size() >= kMaxUnverified) {
        refuse(sender);
        return;
    }
    m_unverified.push_back(Unverified{sender, path, status});
    verifyNext();
}

void KeepalivedBus::verifyNext()
{
    if (m_uidSlot != nullptr || m_unverified.empty()) {
        return; // one question to the bus at a time, in the signals' order
    }
    const int r = sd_bus_call_method_async(m_bus, &m_uidSlot, kDbusName, kDbusPath, kDbusName,
                                           "GetConnectionUnixUser", &KeepalivedBusCallbacks::onSenderUid, this, "s",
                                           m_unverified.front().sender.c_str());
    if (r < 0) {
        m_uidSlot = nullptr;
        refuse(m_unverified.front().sender);
        m_unverified.clear();
    }
}

void KeepalivedBus::deliver(const std::string& path, std::uint32_t status)
{
    ++m_accepted;
    // A signal proves keepalived is there even if its name was acquired after it.
    m_present = true;
    if (m_onStatus) {
        m_onStatus(path, status);
    }
}

void KeepalivedBus::refuse(const std::string& sender)
{
    ++m_refused;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastRefusalLog >= std::chrono::seconds(60)) {
        m_lastRefusalLog = now;
        agent::logWarning("keepalived: ignored a VrrpStatusChange from " + sender +
                          ", which is not keepalived (owner of " + kKeepalivedBusName + ", or root before it owns it); " +
                          std::to_string(m_refused) + " ignored so far");
    }
}

void KeepalivedBus::setPresent(bool present)
{
    if (present == m_present) {
        return;
    }
    m_present = present;
    if (m_onPresence) {
        m_onPresence(present);
    }
}

} // namespace hadeck::probes
