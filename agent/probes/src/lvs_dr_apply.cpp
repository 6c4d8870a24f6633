#include "hadeck/probes/ipvs_text.h"
#include "hadeck/probes/lvs_dr.h"
#include "hadeck/agent/files.h"

#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/socket.h>

#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace hadeck::probes {

namespace {

Status writeSysctl(const std::string& procRoot, const std::string& iface, const std::string& key, int value)
{
    // The kernel takes the value in write() and refuses a bad one there; the error says
    // which setting and why (EACCES/EPERM: not root; ENOENT: no such interface).
    return agent::files::writeExisting(procRoot + "/sys/net/ipv4/conf/" + iface + "/" + key,
                                       std::to_string(value) + "\n");
}

/// Adds (or removes) @p cidr ("198.18.0.100/32") on the loopback interface through rtnetlink,
/// the way `ip addr add ... dev lo label lo:0` would, without running a program or reading its
/// wording. An address already there (adding) or already gone (removing) is what was wanted.
Status loopbackAddress(const std::string& cidr, bool add)
{
    const unsigned lo = if_nametoindex("lo");
    if (lo == 0) {
        return fail(std::string("no loopback interface: ") + std::strerror(errno));
    }
    std::unique_ptr<nl_sock, void (*)(nl_sock*)> sock(nl_socket_alloc(), nl_socket_free);
    if (!sock) {
        return fail("cannot allocate a netlink socket");
    }
    if (const int e = nl_connect(sock.get(), NETLINK_ROUTE); e < 0) {
        return fail(std::string("cannot open rtnetlink: ") + nl_geterror(e));
    }
    nl_addr* parsed = nullptr;
    if (const int e = nl_addr_parse(cidr.c_str(), AF_UNSPEC, &parsed); e < 0) {
        return fail("\"" + cidr + "\" is not an address: " + nl_geterror(e));
    }
    std::unique_ptr<nl_addr, void (*)(nl_addr*)> local(parsed, nl_addr_put);
    std::unique_ptr<rtnl_addr, void (*)(rtnl_addr*)> a(rtnl_addr_alloc(), rtnl_addr_put);
    if (!a) {
        return fail("cannot allocate an address object");
    }
    rtnl_addr_set_ifindex(a.get(), static_cast<int>(lo));
    if (const int e = rtnl_addr_set_local(a.get(), local.get()); e < 0) {
        return fail(cidr + ": " + nl_geterror(e));
    }
    rtnl_addr_set_prefixlen(a.get(), static_cast<int>(nl_addr_get_prefixlen(local.get())));
    const bool v4 = nl_addr_get_family(local.get()) == AF_INET;
    if (add && v4) {
        rtnl_addr_set_label(a.get(), "lo:0"); // as the seed's runbook names it
    }
    const int e =
        add ? rtnl_addr_add(sock.get(), a.get(), NLM_F_CREATE | NLM_F_EXCL) : rtnl_addr_delete(sock.get(), a.get(), 0);
    if (e == 0 || (add && e == -NLE_EXIST) || (!add && e == -NLE_NOADDR)) {
        return {};
    }
    return fail(std::string(add ? "cannot add " : "cannot remove ") + cidr + " on lo: " + nl_geterror(e));
}

Status checkVips(const std::vector<std::string>& vips)
{
    if (vips.empty()) {
        return fail("no VIP given: say which addresses the directors send to this real server");
    }
    for (const auto& v : vips) {
        if (canonicalAddress(v.substr(0, v.find('/'))).empty()) {
            return fail("\"" + v + "\" is not an IP address");
        }
    }
    return {};
}

std::string hostAddress(const std::string& vip)
{
    const auto a = canonicalAddress(vip.substr(0, vip.find('/')));
    return a + (a.find(':') != std::string::npos ? "/128" : "/32");
}

} // namespace

Status applyDrSettings(const std::vector<std::string>& vips, const std::string& procRoot)
{
    if (auto st = checkVips(vips); !st) {
        return st;
    }
    // ARP first, so the VIP is never briefly answered for on the LAN.
    for (const char* iface : {"all", "lo"}) {
        if (auto st = writeSysctl(procRoot, iface, "arp_ignore", 1); !st) {
            return st;
        }
        if (auto st = writeSysctl(procRoot, iface, "arp_announce", 2); !st) {
            return st;
        }
    }
    for (const auto& v : vips) {
        if (auto st = loopbackAddress(hostAddress(v), true); !st) {
            return st;
        }
    }
    return {};
}

Status revertDrSettings(const std::vector<std::string>& vips, const std::string& procRoot)
{
    if (auto st = checkVips(vips); !st) {
        return st;
    }
    // The address goes first, so there is no moment with the VIP local and ARP answering for it.
    for (const auto& v : vips) {
        if (auto st = loopbackAddress(hostAddress(v), false); !st) {
            return st;
        }
    }
    for (const char* iface : {"lo", "all"}) {
        if (auto st = writeSysctl(procRoot, iface, "arp_ignore", 0); !st) {
            return st;
        }
        if (auto st = writeSysctl(procRoot, iface, "arp_announce", 0); !st) {
            return st;
        }
    }
    return {};
}

} // namespace hadeck::probes
