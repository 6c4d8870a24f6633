// A test helper: sends one keepalived VrrpStatusChange on the system bus
// ($DBUS_SYSTEM_BUS_ADDRESS) and stays connected until its standard input closes, as keepalived
// stays on the bus after its signals (a sender gone before the agent asks its uid cannot be
// checked). Prints "sent" once the signal is out.
//   bus_signal_sender OBJECT_PATH STATUS

#include <systemd/sd-bus.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: bus_signal_sender OBJECT_PATH STATUS\n");
        return 2;
    }
    sd_bus* bus = nullptr;
    if (const int r = sd_bus_open_system(&bus); r < 0) {
        std::fprintf(stderr, "no system bus: %s\n", std::strerror(-r));
        return 1;
    }
    const auto status = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
    if (const int r =
            sd_bus_emit_signal(bus, argv[1], "org.keepalived.Vrrp1.Instance", "VrrpStatusChange", "u", status);
        r < 0) {
        std::fprintf(stderr, "cannot send: %s\n", std::strerror(-r));
        return 1;
    }
    if (const int r = sd_bus_flush(bus); r < 0) {
        std::fprintf(stderr, "cannot flush: %s\n", std::strerror(-r));
        return 1;
    }
    std::puts("sent");
    std::fflush(stdout);
    char c = 0;
    while (::read(STDIN_FILENO, &c, 1) > 0) {
    }
    sd_bus_flush_close_unref(bus);
    return 0;
}
