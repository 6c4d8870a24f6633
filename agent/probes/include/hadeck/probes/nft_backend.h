#pragma once

// libnftables, the library behind nft(8): one context per call, output and
// errors buffered. One run() is one kernel transaction. Blocking (netlink):
// call it off the agent's loop thread. Reading needs CAP_NET_ADMIN.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/firewall.h"

#include <string>
#include <string_view>

namespace hadeck::probes::nft {

struct RunResult {
    bool ok = false;
    std::string output;
    std::string error; // nft's own message ("Error: ... \n<cmdline>:1:5-9: ...")
};

struct RunOptions {
    bool json = false;
    bool handles = false;
    bool dryRun = false; // nft --check: validated by the kernel, nothing committed
};

/// Why this kernel cannot run nftables (no nfnetlink socket; asked once), or nullopt
/// when it can. libnftables exits the process on such a kernel.
std::optional<std::string> kernelWithoutNftables();

RunResult run(std::string_view script, RunOptions options = {});

/// Everything firewall.show needs, read in one go.
struct Snapshot {
    proto::fw::Ruleset ruleset; // hash filled in
    std::string listing;        // `nft -a list ruleset`
    std::string restorable;     // `nft list ruleset`, to feed back after "flush ruleset"
};

/// Reads the ruleset (JSON + text listings); with @p withHostFacts also what addHostFacts adds.
Expected<Snapshot> readSnapshot(bool withHostFacts = true);

/// Adds to @p ruleset what the console's lint and notices need beside nft's own view:
/// iptables-legacy rules (iptables-legacy-save, ip6tables-legacy-save when installed) and the
/// SSH peers from /proc/net/tcp{,6}, the interfaces with their addresses, and the default
/// route's interface (so the lint can judge iifname/oifname matches). Every ruleset the agent hands out carries them: a console
/// holding one without the peers would not warn of a rule that locks it out.
void addHostFacts(proto::fw::Ruleset& ruleset);

/// Peer addresses of ESTABLISHED TCP connections whose local port is @p port.
std::vector<std::string> establishedPeers(std::uint16_t port);

/// This host's interfaces with their IPv4/IPv6 addresses and prefix lengths (getifaddrs).
std::vector<proto::fw::Interface> interfaces();

} // namespace hadeck::probes::nft

namespace hadeck::probes::nft {

/// The ruleset a change would produce, without touching this node's: the running
/// ruleset (@p restorable) and @p script are loaded into a scratch network namespace
/// (`unshare --net`, needs root) and listed there. nft's error when either is refused.
/// Rules that name interfaces by index (iif/oif) or use x_tables cannot be previewed.
Expected<Snapshot> preview(const std::string& restorable, const std::string& script);

} // namespace hadeck::probes::nft
