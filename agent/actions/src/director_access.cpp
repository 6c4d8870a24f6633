// The action seams on the real director probes: IPVS over generic netlink and
// keepalived's configuration as the probes parse it.

#include "hadeck/agent/actions/director_access.h"

#include "hadeck/agent/actions/drain_book.h"
#include "hadeck/agent/actions/failover.h"
#include "hadeck/probes/ipvs_backend.h"
#include "hadeck/probes/ipvs_text.h"
#include "hadeck/probes/keepalived_config.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <set>

namespace hadeck::agent {

namespace {

proto::VirtualService serviceOf(const probes::KaIpvsService& v, int af)
{
    proto::VirtualService s;
    s.af = af;
    s.address = probes::canonicalAddress(v.address);
    if (s.address.empty()) {
        s.address = v.address;
    }
    s.port = v.port;
    s.fwmark = v.fwmark;
    s.protocol = v.protocol;
    std::transform(s.protocol.begin(), s.protocol.end(), s.protocol.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool refersToFailover(const std::vector<probes::KaTrackRef>& refs)
{
    return std::any_of(refs.begin(), refs.end(), [](const auto& r) { return r.name == kFailoverTrackName; });
}

// The parsed facts are kept until inotify reports a change in a directory holding
// keepalived.conf or one of its includes: a read call (vrrp.failoverStatus, a drain's
// weights) costs no parse, however often a viewer asks. A parse is kept only if every
// file it read was already watched when it began, so no edit can slip between the
// parse and the watch.
class ProbeKeepalivedFacts final : public KeepalivedFactsSource {
public:
    ProbeKeepalivedFacts() : m_inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}
    ~ProbeKeepalivedFacts() override
    {
        if (m_inotify >= 0) {
            close(m_inotify);
        }
    }
    ProbeKeepalivedFacts(const ProbeKeepalivedFacts&) = delete;
    ProbeKeepalivedFacts& operator=(const ProbeKeepalivedFacts&) = delete;

    Expected<KeepalivedFacts> facts(const std::filesystem::path& configFile) override
    {
        const std::lock_guard lock(m_mutex);
        if (changed()) {
            m_cached.reset();
        }
        if (m_cached && m_cachedFor == configFile) {
            return *m_cached;
        }
        bool covered = watch(configFile);
        auto f = parse(configFile);
        if (f) {
            for (const auto& file : m_lastFiles) {
                covered = watch(file) && covered;
            }
        }
        if (f && covered && m_inotify >= 0 && !changed()) {
            m_cached = *f;
            m_cachedFor = configFile;
        }
        return f;
    }

private:
    /// Drains the inotify queue; true if anything changed since the last call.
    bool changed()
    {
        if (m_inotify < 0) {
            return true;
        }
        bool any = false;
        alignas(inotify_event) std::array<char, 8192> buf{};
        while (read(m_inotify, buf.data(), buf.size()) > 0) {
            any = true;
        }
        return any;
    }

    /// Watches the directory of @p file; true if it was watched already.
    bool watch(const std::filesystem::path& file)
    {
        if (m_inotify < 0) {
            return false;
        }
        auto dir = file.parent_path().string();
        if (dir.empty()) {
            dir = ".";
        }
        if (m_watchedDirs.count(dir) != 0) {
            return true;
        }
        if (inotify_add_watch(m_inotify, dir.c_str(),
                              IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE |
                                  IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF) >= 0) {
            m_watchedDirs.insert(dir);
        }
        return false;
    }

    Expected<KeepalivedFacts> parse(const std::filesystem::path& configFile)
    {
        auto config = probes::loadKeepalivedConfig(configFile.string());
        if (!config) {
            return Unexpected<Failure>{config.error()};
        }
        m_lastFiles.assign(config->tree.files.begin(), config->tree.files.end());
        KeepalivedFacts f;
        // One entry per IPVS service keepalived makes of each virtual_server: a group-based one
        // stands for each of its addresses and fwmarks, and a fwmark service's dests have port 0.
        for (const auto& vs : config->virtualServers) {
            for (const auto& svc : vs.ipvsServices()) {
                for (const auto& rs : vs.realServers) {
                    proto::RealServer dest;
                    dest.af = rs.address.find(':') != std::string::npos ? 6 : 4;
                    dest.address = probes::canonicalAddress(rs.address);
                    dest.port = svc.realServerPort(rs.port);
                    // A fwmark service has no address: its family is its dests'.
                    const int af = svc.fwmark != 0 ? dest.af : (svc.address.find(':') != std::string::npos ? 6 : 4);
                    f.weights[destKey(serviceOf(svc, af), dest)] = static_cast<std::uint32_t>(std::max(0, rs.weight));
                }
            }
        }
        std::string failoverFile;
        for (const auto& t : config->trackFiles) {
            if (t.name == kFailoverTrackName) {
                failoverFile = t.path;
            }
        }
        std::map<std::string, const probes::KaSyncGroup*> groups;
        for (const auto& g : config->syncGroups) {
            f.syncGroups[g.name] = g.members;
            groups[g.name] = &g;
        }
        for (const auto& i : config->instances) {
            bool refers = refersToFailover(i.trackFiles);
            if (const auto g = groups.find(i.syncGroup); g != groups.end()) {
                refers = refers || refersToFailover(g->second->trackFiles);
            }
            if (refers && !failoverFile.empty()) {
                f.failoverFiles[i.name] = failoverFile;
            }
        }
        return f;
    }

    std::mutex m_mutex;
    int m_inotify = -1;
    std::set<std::string> m_watchedDirs;
    std::vector<std::filesystem::path> m_lastFiles;
    std::optional<KeepalivedFacts> m_cached;
    std::filesystem::path m_cachedFor;
};

} // namespace

std::unique_ptr<KeepalivedFactsSource> makeKeepalivedFactsSource()
{
    return std::make_unique<ProbeKeepalivedFacts>();
}

} // namespace hadeck::agent
