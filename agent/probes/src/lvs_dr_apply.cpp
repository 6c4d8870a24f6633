#include "hadeck/probes/ipvs_text.h"
#include "hadeck/probes/lvs_dr.h"
#include "hadeck/probes/process.h"

#include "hadeck/agent/files.h"

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

Status ip(const std::vector<std::string>& args, bool toleratePresent)
{
    std::vector<std::string> argv{"ip"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = runProcess(argv, 10000);
    if (!r) {
        return Unexpected<Failure>{r.error()};
    }
    if (r->exitCode != 0) {
        // Adding an address that is there, or deleting one that is not, is what we wanted
        // anyway; iproute2's wording differs between versions.
        if (toleratePresent && (r->output.find("File exists") != std::string::npos ||
                                r->output.find("already assigned") != std::string::npos ||
                                r->output.find("Address not found") != std::string::npos ||
                                r->output.find("Cannot assign") != std::string::npos)) {
            return {};
        }
        std::string cmd;
        for (const auto& a : argv) {
            cmd += (cmd.empty() ? "" : " ") + a;
        }
        return fail(cmd + " failed: " + r->output);
    }
    return {};
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
        const auto addr = hostAddress(v);
        std::vector<std::string> args{"addr", "add", addr, "dev", "lo"};
        if (addr.find(':') == std::string::npos) {
            args.insert(args.end(), {"label", "lo:0"});
        }
        if (auto st = ip(args, true); !st) {
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
        if (auto st = ip({"addr", "del", hostAddress(v), "dev", "lo"}, true); !st) {
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
