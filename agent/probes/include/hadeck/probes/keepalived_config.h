#pragma once

// keepalived.conf (keepalived 2.2) as a generic tree plus a typed view of the
// parts HaDeck uses. Reading follows keepalived's own grammar: nested `{}`
// blocks, `#`/`!` comments, "..." and '...' quoting, `include` globs relative
// to the including file, `$NAME=value` parameters (also multi-line) and
// `@id`/`@^id` conditional lines, keepalived's pre-defined parameters (${_PWD},
// ${_INSTANCE}, ${_RANDOM}, ${_HASH}, ${_BANG}). A keyword keepalived does not know where it
// stands is kept in the tree (known = false) with keepalived's own recovery: its `{` is ignored,
// so its `}` closes the enclosing block. The typed view carries the values keepalived loads.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/payloads.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hadeck::probes {

/// One statement: a keyword, its arguments and, for a block, its children.
struct ConfNode {
    std::string keyword;
    std::vector<std::string> args;
    std::vector<ConfNode> children;
    bool block = false;
    std::string file;
    int line = 0;
    int endLine = 0; // line of the closing '}' of a block
    std::string condition; // "main" for "@main", "^main" for "@^main"; empty when unconditional
    bool enabled = true;   // false when the condition (or an enclosing one) excludes this config id
    /// false when keepalived does not know this keyword where it stands: it says "Unknown keyword", ignores
    /// the statement and the `{` after it (so the block's `}` closes the enclosing block).
    bool known = true;

    [[nodiscard]] const ConfNode* child(std::string_view keyword) const;
    [[nodiscard]] std::string arg(std::size_t i, std::string fallback = {}) const;
    /// "file:line", for messages.
    [[nodiscard]] std::string where() const;
};

/// A problem that does not stop parsing: a bad value, a missing include, a missing field.
struct ConfDiagnostic {
    std::string file;
    int line = 0;
    std::string message;
    [[nodiscard]] std::string toString() const;
};

struct ConfTree {
    std::vector<ConfNode> nodes;
    std::vector<std::string> files; // every file read, top file first
    std::vector<ConfDiagnostic> diagnostics;
};

/// Where the parser reads from. The real one uses the filesystem; tests may use another.
class ConfigSource {
public:
    virtual ~ConfigSource() = default;
    virtual Expected<std::string> read(const std::string& path) = 0;
    /// Paths matching a glob, sorted; empty when nothing matches.
    virtual std::vector<std::string> glob(const std::string& pattern) = 0;
};

std::unique_ptr<ConfigSource> makeFileConfigSource();

struct ConfParseOptions {
    /// keepalived's config id (-i); by default the host name up to the first dot, as keepalived does.
    std::optional<std::string> configId;
    int maxIncludeDepth = 32;
    /// Check each keyword against the ones keepalived 2.2.7 knows where it stands, with keepalived's recovery
    /// (see ConfNode::known). Off, the text is read as a plain tree of blocks (for tools and tests).
    bool keepalivedKeywords = true;
};

/**
 * Parses text as keepalived.conf.
 * @param text the content
 * @param fileName the name used in messages and as the base for relative includes
 * @param source where includes are read from; null refuses includes (a diagnostic each)
 * @return the tree, or a structural error ("file:line: message") such as an unmatched brace
 */
Expected<ConfTree> parseKeepalivedConfText(std::string_view text, const std::string& fileName, ConfigSource* source,
                                           const ConfParseOptions& options = {});

/// Reads and parses a configuration file and everything it includes.
Expected<ConfTree> loadKeepalivedConf(const std::string& path, ConfigSource& source,
                                      const ConfParseOptions& options = {});

// ---- Typed view ----------------------------------------------------------------

struct KaTrackRef {
    std::string name;
    std::optional<int> weight;
    bool reverse = false;
};

struct KaTrackFile {
    std::string name;
    std::string path;
    int weight = 1;
    bool reverse = false;
    std::optional<int> initValue; // init_file [VALUE]
    bool overwrite = false;
    std::string where;
};

struct KaGlobalDefs {
    std::string routerId;
    std::string notifyFifo;
    std::string vrrpNotifyFifo;
    std::string lvsNotifyFifo;
    bool enableDbus = false;
    bool enableScriptSecurity = false;
};

/// A vrrp_script block.
struct KaVrrpScript {
    std::string name;
    std::string script;
    int intervalSec = 1;
    int weight = 0;
    std::string where;
};

struct KaSyncGroup {
    std::string name;
    std::vector<std::string> members;
    std::vector<KaTrackRef> trackFiles;
    std::map<std::string, std::string> notify; // "notify_master" -> script
    std::string where;
};

struct KaVrrpInstance {
    std::string name;
    std::string state; // MASTER or BACKUP as configured; empty when not set
    // priority: the effective one (1..255; 255 for state MASTER without priority; 100 when out of range).
    // nopreempt: the effective one (keepalived clears it with state MASTER or priority 255).
    std::string interface;
    int vrid = 0;
    int priority = 100;
    int advertIntMs = 1000;
    bool nopreempt = false;
    std::vector<std::string> virtualIpAddresses; // full specs: "198.18.0.100/24 dev eth0 label eth0:1"
    std::vector<std::string> virtualIpAddressesExcluded;
    std::vector<std::string> unicastPeers; // valid addresses only, as keepalived keeps them
    std::vector<KaTrackRef> trackInterfaces;
    std::vector<KaTrackRef> trackScripts;
    std::vector<KaTrackRef> trackFiles;
    std::map<std::string, std::string> notify; // "notify", "notify_master", ... -> script
    std::string syncGroup;                     // from vrrp_sync_group membership
    std::string where;

    /// The VIPs without their options: "198.18.0.100/24".
    [[nodiscard]] std::vector<std::string> vipAddresses() const;
};

struct KaCheck {
    std::string type; // TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, FILE_CHECK, ...
    std::map<std::string, std::string> params; // keyword -> arguments joined by a space
    std::vector<std::string> urlPaths;         // HTTP_GET / SSL_GET
    std::string where;
};

struct KaRealServer {
    std::string address;
    std::uint16_t port = 0;
    int weight = 1;
    bool inhibitOnFailure = false;
    std::vector<KaCheck> checks;
    std::map<std::string, std::string> notify; // notify_up, notify_down
    std::string where;
};

/// One line of a virtual_server_group: an address (or a range of the last octet / group), a port, or a fwmark.
struct KaVsGroupEntry {
    std::string address;     // first address; empty for a fwmark entry
    std::string lastAddress; // last address of a range "198.18.0.1-10"; empty when a single address
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0;
    std::string where;

    /// Every address of the entry ("198.18.0.1-3" gives three); empty for a fwmark entry.
    [[nodiscard]] std::vector<std::string> addresses() const;
};

struct KaVirtualServerGroup {
    std::string name;
    std::vector<KaVsGroupEntry> entries;
    std::string where;
};

/// One IPVS service a virtual_server stands for (a group-based one stands for several).
struct KaIpvsService {
    std::string address; // empty for a fwmark service
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0;
    std::string protocol; // TCP, UDP, SCTP; empty for a fwmark service
    /// The real server port IPVS holds for a real server configured with @p configured (0 for fwmark).
    [[nodiscard]] std::uint16_t realServerPort(std::uint16_t configured) const { return fwmark != 0 ? 0 : configured; }
};

struct KaVirtualServer {
    std::string address; // empty for fwmark and group services
    std::uint16_t port = 0;
    std::uint32_t fwmark = 0;
    std::string group; // virtual_server group NAME
    // Effective values: an unknown scheduler is wlc, a missing or unknown lb_kind NAT (keepalived is
    // case-sensitive), a missing protocol UDP (keepalived 2.2.7), none ("") for a fwmark service.
    std::string lbAlgo = "wlc";
    std::string lbKind = "NAT"; // NAT, DR, TUN
    std::string protocol = "UDP";
    /// The group's entries, for a group-based service (`virtual_server group NAME`).
    std::vector<KaVsGroupEntry> groupEntries;
    std::optional<std::uint32_t> persistenceTimeout; // 1..2678400; unset when not persistent
    std::vector<KaRealServer> realServers; // a fwmark service's real servers have port 0, as keepalived clears it
    std::string where;

    /// The IPVS services this virtual server stands for.
    [[nodiscard]] std::vector<KaIpvsService> ipvsServices() const;
    /// The service as keepalived names it in its notify FIFO lines and messages (format_vs()):
    /// "[198.18.0.100]:tcp:80", "FWM 7", "[GROUP]:0".
    [[nodiscard]] std::string lvsName() const;
    /// One of its real servers as keepalived names it (its address and port with the service's
    /// protocol): "[198.18.0.21]:tcp:80"; "[198.18.0.21]:none:0" under a fwmark service, whose
    /// ports keepalived clears; a group of fwmarks keeps the port, with protocol none.
    [[nodiscard]] std::string lvsName(const KaRealServer& rs) const;
};

struct KeepalivedConfig {
    ConfTree tree;
    KaGlobalDefs global;
    std::vector<KaSyncGroup> syncGroups;
    std::vector<KaVrrpInstance> instances;
    std::vector<KaTrackFile> trackFiles;
    std::vector<KaVrrpScript> vrrpScripts;
    std::vector<KaVirtualServerGroup> virtualServerGroups;
    std::vector<KaVirtualServer> virtualServers;
    std::vector<ConfDiagnostic> diagnostics; // the tree's plus the typed view's
};

/// Builds the typed view from a tree; bad values become diagnostics, never failures.
KeepalivedConfig typedView(ConfTree tree);

/// Parses a file and builds its typed view.
Expected<KeepalivedConfig> loadKeepalivedConfig(const std::string& path, const ConfParseOptions& options = {});

/// keepalived.conf as last read, and whether it changed since: each file read (includes too) and
/// each directory an include globbed is stamped (size, mtime, inode) just before it is read. An
/// edit made while the file was being read, or a file added where an include looks, is therefore
/// seen by the next changed(), never lost behind a stamp taken after the read.
class KeepalivedConfigFiles {
public:
    /// Loads @p path and what it includes, through @p source (the file system when null).
    Expected<KeepalivedConfig> load(const std::string& path, ConfigSource* source = nullptr,
                                    const ConfParseOptions& options = {});
    /// True when a file or globbed directory of the last load() differs from its stamp then.
    [[nodiscard]] bool changed() const;
    /// The files the last load() read (just the top file when it failed).
    [[nodiscard]] const std::vector<std::string>& files() const { return m_files; }

private:
    std::vector<std::string> m_files;
    std::map<std::string, std::string> m_stamps; // path -> stamp taken before its first read
};

/// Result of keepalived's own check (`keepalived -t -f FILE`), as keepalived.config carries it:
/// ran (false when keepalived is not installed), valid (exit status 0), its exit code and output lines.
using KeepalivedValidation = proto::KaConfValidation;

/// Runs `keepalived -t -f path` and waits for it. Blocking: call it off the event loop.
KeepalivedValidation validateWithKeepalived(const std::string& path, const std::string& keepalivedBinary = "keepalived");

} // namespace hadeck::probes
