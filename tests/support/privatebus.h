#pragma once

// A private system bus for tests: the configuration of a dbus-daemon like Debian's system bus
// (same default policy, and the services' own policies from /etc/dbus-1/system.d,
// keepalived's among them), listening on a socket of the test's own. Run it as root with
// dbus-daemon --config-file=FILE --nofork --nopidfile, and point DBUS_SYSTEM_BUS_ADDRESS at
// unix:path=SOCKET.

#include <QString>

/// The bus configuration, listening on @p socket.
inline QString privateSystemBusConf(const QString& socket)
{
    // Not a raw string literal: moc cannot skip one that contains quotes.
    return QStringLiteral(
               "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
               " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
               "<busconfig>\n"
               "  <type>system</type>\n"
               "  <auth>EXTERNAL</auth>\n"
               "  <listen>unix:path=%1</listen>\n"
               "  <policy context=\"default\">\n"
               "    <allow user=\"*\"/>\n"
               "    <deny own=\"*\"/>\n"
               "    <deny send_type=\"method_call\"/>\n"
               "    <allow send_type=\"signal\"/>\n"
               "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
               "    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
               "    <allow receive_type=\"method_call\"/>\n"
               "    <allow receive_type=\"method_return\"/>\n"
               "    <allow receive_type=\"error\"/>\n"
               "    <allow receive_type=\"signal\"/>\n"
               "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus\"/>\n"
               "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus.Introspectable\"/>\n"
               "  </policy>\n"
               "  <includedir>/etc/dbus-1/system.d</includedir>\n"
               "</busconfig>\n")
        .arg(socket);
}
