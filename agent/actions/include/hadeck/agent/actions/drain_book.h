#pragma once

// The drains a director's agent holds. A weight set directly in IPVS lasts only
// until keepalived next touches that real server (a checker transition or a
// reload re-adds or re-weights it: keepalived issues #1354, #187), so the
// agent keeps the list on disk and re-asserts weight 0 after every change it
// sees. Pure apart from load/save, which write atomically.

#include "hadeck/protocol/director.h"
#include "hadeck/protocol/expected.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::agent {

/// One drain the admin asked for: a real server on one virtual service, or on
/// every virtual service that has it.
struct HeldDrain {
    std::string id;         // "<serviceKey or *>|<address>[:port]"
    std::string serviceKey; // empty: all services
    std::string address;
    std::optional<std::uint16_t> port;
    std::string user;
    double since = 0; // unix time
    bool forced = false;
    /// Weight each matching dest had before the drain, by "<serviceKey>|<endpoint>".
    std::map<std::string, std::uint32_t> weightBefore;

    [[nodiscard]] bool matches(const proto::VirtualService& vs, const proto::RealServer& rs) const;
};

/// A weight the agent must write to IPVS.
struct WeightChange {
    proto::VirtualService service; // identifies the service (its realServers are not used)
    proto::RealServer dest;        // the dest as read, with every field SET_DEST needs
    std::uint32_t newWeight = 0;
};

/// Where a restored weight came from: the admin must know which it was.
enum class RestoreSource { KeepalivedConfig, BeforeDrain, Default };

/// What a restore gives back to one dest, and why: shown to the admin.
struct RestoreDetail {
    std::uint32_t weight = 1;
    RestoreSource source = RestoreSource::Default;
    std::optional<std::uint32_t> configured;  // keepalived's config, when known
    std::optional<std::uint32_t> beforeDrain; // as read when the drain was applied
};

struct RestorePlan {
    std::vector<WeightChange> changes;
    /// Per dest key ("<serviceKey>|<endpoint>").
    std::map<std::string, RestoreDetail> details;
};

std::string destKey(const proto::VirtualService& vs, const proto::RealServer& rs);
std::string drainId(const std::string& serviceKey, const std::string& address, std::optional<std::uint16_t> port);
const char* toString(RestoreSource s);

class DrainBook {
public:
    /// Reads the book. A missing file is an empty book. A corrupt one is an
    /// error (the file is left in place so nothing is lost).
    static Expected<DrainBook> load(const std::filesystem::path& path);
    /// Writes to a temporary file, fsyncs and renames over @p path.
    [[nodiscard]] Status save(const std::filesystem::path& path) const;

    /// Adds or replaces the hold; records the current weights of matching
    /// dests. @return the weight changes that apply it to @p table now.
    std::vector<WeightChange> hold(HeldDrain drain, const std::vector<proto::VirtualService>& table);
    /// Dests that a hold covers but whose weight is not 0 in @p table. New
    /// dests (added by keepalived since) get their weight recorded first.
    std::vector<WeightChange> reassert(const std::vector<proto::VirtualService>& table);
    /// Drops the hold @p id and plans the weights to give back: the weight in
    /// keepalived's config when known (@p configured, by dest key), else the
    /// one before the drain, else 1. nullopt when no such hold exists.
    std::optional<RestorePlan> release(const std::string& id, const std::vector<proto::VirtualService>& table,
                                       const std::map<std::string, std::uint32_t>& configured);

    [[nodiscard]] const std::vector<HeldDrain>& drains() const { return m_drains; }
    [[nodiscard]] const HeldDrain* find(const std::string& id) const;

private:
    std::vector<HeldDrain> m_drains;
};

} // namespace hadeck::agent
