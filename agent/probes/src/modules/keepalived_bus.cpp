#include "hadeck/probes/modules/keepalived_bus.h"

#include "hadeck/probes/keepalived_dbus.h"

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <cstring>

namespace hadeck::probes {

namespace {

constexpr const char* kDbusName = "org.freedesktop.DBus";
constexpr const char* kDbusPath = "/org/freedesktop/DBus";

std::string errnoText(int r) { return std::strerror(r < 0 ? -r : r); }

} // namespace

struct KeepalivedBusCallbacks {
    static int onStatusSignal(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        auto* bus = static_cast<KeepalivedBus*>(self);
        std::uint32_t status = 0;
        const char* path = sd_bus_message_get_path(m);
        if (path == nullptr || sd_bus_message_read(m, "u", &status) < 0) {
            return 0; // not keepalived's signature: ignore it
        }
        // A signal proves keepalived is there even if its name was acquired after it (it
        // sends its first VrrpStatusChange before it owns org.keepalived.Vrrp1).
        bus->m_present = true;
        if (bus->m_onStatus) {
            bus->m_onStatus(path, status);
        }
        return 0;
    }

    static int onOwnerChanged(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        const char* name = nullptr;
        const char* oldOwner = nullptr;
        const char* newOwner = nullptr;
        if (sd_bus_message_read(m, "sss", &name, &oldOwner, &newOwner) < 0 || name == nullptr ||
            std::strcmp(name, kKeepalivedBusName) != 0) {
            return 0;
        }
        static_cast<KeepalivedBus*>(self)->setPresent(newOwner != nullptr && *newOwner != '\0');
        return 0;
    }

    static int onHasOwner(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        auto* bus = static_cast<KeepalivedBus*>(self);
        int has = 0;
        if (sd_bus_message_is_method_error(m, nullptr) == 0 && sd_bus_message_read(m, "b", &has) >= 0) {
            bus->setPresent(has != 0);
        }
        return 0;
    }

    static int onMessage(sd_bus_message* m, void* self, sd_bus_error* /*error*/)
    {
        // sd-bus reports a lost connection as a local Disconnected signal.
        if (sd_bus_message_is_signal(m, "org.freedesktop.DBus.Local", "Disconnected") > 0) {
            auto* bus = static_cast<KeepalivedBus*>(self);
            bus->m_connected = false;
            bus->m_present = false;
            if (bus->m_onPresence) {
                bus->m_onPresence(false); // always: the owner must drop this connection and reconnect
            }
        }
        return 0;
    }
};

KeepalivedBus::KeepalivedBus(Passkey /*key*/, sd_bus* bus, StatusCallback onStatus, PresenceCallback onPresence)
    : m_bus(bus), m_onStatus(std::move(onStatus)), m_onPresence(std::move(onPresence))
{
}

KeepalivedBus::~KeepalivedBus()
{
    for (sd_bus_slot* s : {m_statusSlot, m_ownerSlot, m_querySlot, m_filterSlot}) {
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
        r = sd_bus_call_method_async(m_bus, &m_querySlot, kDbusName, kDbusPath, kDbusName, "NameHasOwner",
                                     &KeepalivedBusCallbacks::onHasOwner, this, "s", kKeepalivedBusName);
    }
    if (r >= 0) {
        r = sd_bus_add_filter(m_bus, &m_filterSlot, &KeepalivedBusCallbacks::onMessage, this);
    }
    if (r < 0) {
        return fail("cannot subscribe to keepalived's signals on the system bus: " + errnoText(r));
    }
    return {};
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
