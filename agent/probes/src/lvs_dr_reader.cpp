// Fills a DrSnapshot from the running system: rtnl for addresses and links,
// /proc for sysctls and listening sockets.

#include "hadeck/agent/files.h"
#include "hadeck/probes/lvs_dr.h"

#include "text_util.h"

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <net/if.h>

#include <array>
#include <memory>
#include <sstream>

namespace hadeck::probes {

namespace {

struct SockDeleter {
    void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct CacheDeleter {
    void operator()(nl_cache* c) const { nl_cache_free(c); }
};

std::optional<std::string> readFile(const std::string& path)
{
    auto text = agent::files::readFile(path);
    if (!text) {
        return std::nullopt;
    }
    return std::move(*text);
}

} // namespace

Expected<DrSnapshot> readDrSnapshot(const std::string& procRoot)
{
    DrSnapshot snap;
    std::unique_ptr<nl_sock, SockDeleter> sock(nl_socket_alloc());
    if (!sock) {
        return fail("out of memory allocating a netlink socket");
    }
    if (const int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) {
        return fail(std::string("cannot open rtnetlink: ") + nl_geterror(err));
    }
    nl_cache* raw = nullptr;
    if (const int err = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw); err < 0) {
        return fail(std::string("cannot list interfaces: ") + nl_geterror(err));
    }
    std::unique_ptr<nl_cache, CacheDeleter> links(raw);
    for (auto* o = nl_cache_get_first(links.get()); o != nullptr; o = nl_cache_get_next(o)) {
        auto* link = reinterpret_cast<rtnl_link*>(o); // NOLINT: libnl's object model
        if ((rtnl_link_get_flags(link) & IFF_UP) != 0) {
            snap.upInterfaces.emplace_back(rtnl_link_get_name(link));
        }
    }
    raw = nullptr;
    if (const int err = rtnl_addr_alloc_cache(sock.get(), &raw); err < 0) {
        return fail(std::string("cannot list addresses: ") + nl_geterror(err));
    }
    std::unique_ptr<nl_cache, CacheDeleter> addrs(raw);
    for (auto* o = nl_cache_get_first(addrs.get()); o != nullptr; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o); // NOLINT: libnl's object model
        nl_addr* local = rtnl_addr_get_local(a);
        const int family = rtnl_addr_get_family(a);
        if (local == nullptr || (family != AF_INET && family != AF_INET6)) {
            continue;
        }
        DrAddress d;
        d.af = family == AF_INET6 ? 6 : 4;
        std::array<char, INET6_ADDRSTRLEN> buf{};
        inet_ntop(family, nl_addr_get_binary_addr(local), buf.data(), buf.size());
        d.address = buf.data();
        d.prefixLength = rtnl_addr_get_prefixlen(a);
        std::array<char, IF_NAMESIZE> name{};
        if (rtnl_link_i2name(links.get(), rtnl_addr_get_ifindex(a), name.data(), name.size()) != nullptr) {
            d.interface = name.data();
        }
        if (const char* label = rtnl_addr_get_label(a); label != nullptr && d.interface != label) {
            d.label = label;
        }
        snap.addresses.push_back(std::move(d));
    }
    const std::string confDir = procRoot + "/sys/net/ipv4/conf";
    if (DIR* dir = opendir(confDir.c_str()); dir != nullptr) {
        while (const dirent* ent = readdir(dir)) {
            const std::string iface = ent->d_name;
            if (iface == "." || iface == "..") {
                continue;
            }
            for (const char* key : {"arp_ignore", "arp_announce", "rp_filter"}) {
                if (const auto v = readFile(confDir + "/" + iface + "/" + key)) {
                    if (const auto n = text::number<int>(text::trim(*v))) {
                        snap.ipv4Conf[iface][key] = *n;
                    }
                }
            }
        }
        closedir(dir);
    } else {
        return fail("cannot read " + confDir + " (is /proc mounted?)");
    }
    for (const auto& [file, af] : {std::pair<const char*, int>{"/net/tcp", 4}, {"/net/tcp6", 6}}) {
        const auto content = readFile(procRoot + file);
        if (!content) {
            continue; // no IPv6 in this kernel
        }
        auto l = parseProcNetTcpListeners(*content, af);
        if (!l) {
            return fail(procRoot + file + ": " + l.error().message);
        }
        snap.listeners.insert(snap.listeners.end(), l->begin(), l->end());
    }
    return snap;
}

} // namespace hadeck::probes

namespace hadeck::probes {

DrDirectorSnapshot readDrDirectorSnapshot(const std::string& procRoot)
{
    DrDirectorSnapshot s;
    const std::string dir = procRoot + "/sys/net/ipv4/vs/";
    for (const char* key : {"expire_nodest_conn", "expire_quiescent_template", "conntrack", "sloppy_tcp"}) {
        const auto text = readFile(dir + key);
        if (!text) {
            continue;
        }
        s.hasIpvs = true;
        // An unreadable value is left out: the check then says it cannot read it.
        if (const auto v = text::number<int>(text::trim(*text))) {
            s.ipvsSysctls[key] = *v;
        }
    }
    return s;
}

} // namespace hadeck::probes
