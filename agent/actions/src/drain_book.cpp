#include "hadeck/agent/actions/drain_book.h"

#include "hadeck/agent/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace hadeck::agent {

using Json = nlohmann::json;

std::string destKey(const proto::VirtualService& vs, const proto::RealServer& rs)
{
    return vs.key() + "|" + rs.endpoint();
}

std::string drainId(const std::string& serviceKey, const std::string& address, std::optional<std::uint16_t> port)
{
    std::string id = (serviceKey.empty() ? "*" : serviceKey) + "|" + address;
    if (port) {
        id += ":" + std::to_string(*port);
    }
    return id;
}

const char* toString(RestoreSource s)
{
    switch (s) {
    case RestoreSource::KeepalivedConfig: return "keepalived-config";
    case RestoreSource::BeforeDrain: return "before-drain";
    case RestoreSource::Default: return "default";
    }
    return "default";
}

bool HeldDrain::matches(const proto::VirtualService& vs, const proto::RealServer& rs) const
{
    return rs.address == address && (!port || rs.port == *port) && (serviceKey.empty() || vs.key() == serviceKey);
}

namespace {

Json toJson(const HeldDrain& d)
{
    Json j{{"id", d.id}, {"service", d.serviceKey}, {"address", d.address}, {"user", d.user},
           {"since", d.since}, {"forced", d.forced}, {"weightBefore", d.weightBefore}};
    if (d.port) {
        j["port"] = *d.port;
    }
    return j;
}

HeldDrain fromJson(const Json& j)
{
    HeldDrain d;
    j.at("address").get_to(d.address);
    d.serviceKey = j.value("service", std::string());
    if (const auto p = j.find("port"); p != j.end() && !p->is_null()) {
        d.port = p->get<std::uint16_t>();
    }
    d.user = j.value("user", std::string());
    d.since = j.value("since", 0.0);
    d.forced = j.value("forced", false);
    if (const auto w = j.find("weightBefore"); w != j.end()) {
        w->get_to(d.weightBefore);
    }
    d.id = drainId(d.serviceKey, d.address, d.port);
    return d;
}

WeightChange change(const proto::VirtualService& vs, const proto::RealServer& rs, std::uint32_t weight)
{
    WeightChange c;
    c.service = vs;
    c.service.realServers.clear();
    c.dest = rs;
    c.newWeight = weight;
    return c;
}

} // namespace

Expected<DrainBook> DrainBook::load(const std::filesystem::path& path)
{
    auto text = files::readFileIfExists(path);
    if (!text) {
        return fail(text.error().message);
    }
    if (!text->has_value()) {
        return DrainBook{};
    }
    const Json j = Json::parse(**text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("drains") || !j["drains"].is_array()) {
        return fail(path.string() + " is not a valid drain list; it was left untouched. Fix or move it, then "
                                    "restart the agent.");
    }
    DrainBook book;
    try {
        for (const auto& d : j["drains"]) {
            book.m_drains.push_back(fromJson(d));
        }
    } catch (const std::exception& e) {
        return fail(path.string() + ": invalid drain entry: " + e.what());
    }
    return book;
}

Status DrainBook::save(const std::filesystem::path& path) const
{
    Json list = Json::array();
    for (const auto& d : m_drains) {
        list.push_back(toJson(d));
    }
    const std::string text = Json{{"version", 1}, {"drains", std::move(list)}}.dump(2) + "\n";
    return files::writeFileAtomically(path, text, files::WriteOptions{.mode = 0640, .createParents = true});
}

const HeldDrain* DrainBook::find(const std::string& id) const
{
    const auto it = std::find_if(m_drains.begin(), m_drains.end(), [&](const auto& d) { return d.id == id; });
    return it == m_drains.end() ? nullptr : &*it;
}

std::vector<WeightChange> DrainBook::hold(HeldDrain drain, const std::vector<proto::VirtualService>& table)
{
    drain.id = drainId(drain.serviceKey, drain.address, drain.port);
    auto existing = std::find_if(m_drains.begin(), m_drains.end(), [&](const auto& d) { return d.id == drain.id; });
    if (existing != m_drains.end()) {
        // Asked again (a retry after a partial failure): keep the weights first seen.
        for (auto& [k, w] : existing->weightBefore) {
            drain.weightBefore.emplace(k, w);
        }
        *existing = std::move(drain);
    } else {
        m_drains.push_back(std::move(drain));
    }
    return reassert(table);
}

std::vector<WeightChange> DrainBook::reassert(const std::vector<proto::VirtualService>& table)
{
    std::vector<WeightChange> out;
    for (const auto& vs : table) {
        for (const auto& rs : vs.realServers) {
            bool covered = false;
            for (auto& d : m_drains) {
                if (d.matches(vs, rs)) {
                    covered = true;
                    // Weight 0 read back is ours; only a live weight is worth remembering.
                    if (rs.weight != 0) {
                        d.weightBefore.try_emplace(destKey(vs, rs), rs.weight);
                    }
                }
            }
            if (covered && rs.weight != 0) {
                out.push_back(change(vs, rs, 0));
            }
        }
    }
    return out;
}

std::optional<RestorePlan> DrainBook::release(const std::string& id, const std::vector<proto::VirtualService>& table,
                                              const std::map<std::string, std::uint32_t>& configured)
{
    const auto it = std::find_if(m_drains.begin(), m_drains.end(), [&](const auto& d) { return d.id == id; });
    if (it == m_drains.end()) {
        return std::nullopt;
    }
    HeldDrain released = std::move(*it);
    m_drains.erase(it);

    RestorePlan plan;
    for (const auto& vs : table) {
        for (const auto& rs : vs.realServers) {
            if (!released.matches(vs, rs)) {
                continue;
            }
            // Another hold may still cover this dest (per-service and all-services drains overlap).
            const bool stillHeld = std::any_of(m_drains.begin(), m_drains.end(),
                                               [&](const auto& d) { return d.matches(vs, rs); });
            if (stillHeld) {
                continue;
            }
            const std::string key = destKey(vs, rs);
            RestoreDetail detail;
            if (const auto b = released.weightBefore.find(key); b != released.weightBefore.end()) {
                detail.beforeDrain = b->second;
            }
            if (const auto c = configured.find(key); c != configured.end()) {
                detail.configured = c->second;
            }
            // keepalived's config is what the server should have; it also is what
            // keepalived will write back on its next reload, so the two agree.
            if (detail.configured) {
                detail.weight = *detail.configured;
                detail.source = RestoreSource::KeepalivedConfig;
            } else if (detail.beforeDrain) {
                detail.weight = *detail.beforeDrain;
                detail.source = RestoreSource::BeforeDrain;
            }
            if (rs.weight != detail.weight) {
                plan.changes.push_back(change(vs, rs, detail.weight));
            }
            plan.details[key] = detail;
        }
    }
    return plan;
}

} // namespace hadeck::agent
