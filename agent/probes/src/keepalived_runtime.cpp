#include "hadeck/probes/keepalived_runtime.h"

#include "hadeck/probes/ipvs_text.h"
#include "text_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace hadeck::probes {

using proto::VrrpInstance;
using proto::VrrpState;

namespace {

template <typename T>
void take(const nlohmann::json& obj, const char* key, T& out)
{
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        return;
    }
    if constexpr (std::is_same_v<T, bool>) {
        // keepalived writes some flags as 0/1 and others as true/false.
        if (it->is_boolean()) {
            out = it->template get<bool>();
        } else if (it->is_number()) {
            out = it->template get<double>() != 0;
        }
    } else if constexpr (std::is_integral_v<T>) {
        // An integer that fits; a fraction or a number out of range is not one keepalived wrote,
        // and is never converted (that is undefined behaviour): the field keeps its default.
        if (it->is_number_unsigned()) {
            if (const auto u = it->template get<std::uint64_t>(); std::in_range<T>(u)) {
                out = static_cast<T>(u);
            }
        } else if (it->is_number_integer()) {
            if (const auto i = it->template get<std::int64_t>(); std::in_range<T>(i)) {
                out = static_cast<T>(i);
            }
        } else if (it->is_number_float()) {
            const double d = it->template get<double>();
            if (std::isfinite(d) && d == std::trunc(d) && d >= -9.0e15 && d <= 9.0e15 &&
                std::in_range<T>(static_cast<std::int64_t>(d))) {
                out = static_cast<T>(d); // 51.0: a whole number written as a float
            }
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        if (it->is_number()) {
            if (const double d = it->template get<double>(); std::isfinite(d)) {
                out = static_cast<T>(d);
            }
        }
    } else {
        if (it->is_string()) {
            out = it->template get<T>();
        }
    }
}

VrrpState stateFromNumber(int n)
{
    switch (n) {
    case 0: return VrrpState::Init;
    case 1: return VrrpState::Backup;
    case 2: return VrrpState::Master;
    case 3: return VrrpState::Fault;
    case 97: return VrrpState::Deleted;
    case 98: return VrrpState::Stop;
    default: return VrrpState::Init;
    }
}

} // namespace

std::string vipFromDump(std::string_view entry)
{
    const auto w = text::words(entry);
    if (w.empty()) {
        return {};
    }
    std::string addr(w.front());
    if (addr.find('/') == std::string::npos) {
        addr += addr.find(':') != std::string::npos ? "/128" : "/32";
    }
    return addr;
}

Expected<std::vector<VrrpInstance>> parseKeepalivedJson(std::string_view content)
{
    const auto doc = nlohmann::json::parse(content.begin(), content.end(), nullptr, false);
    if (doc.is_discarded()) {
        return fail("keepalived JSON dump is not valid JSON (a partial write?)");
    }
    if (!doc.is_array()) {
        return fail("keepalived JSON dump must be an array of VRRP instances");
    }
    std::vector<VrrpInstance> out;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const auto& entry = doc[i];
        if (!entry.is_object() || !entry.contains("data") || !entry["data"].is_object()) {
            return fail("keepalived JSON dump entry " + std::to_string(i) + " has no \"data\" object");
        }
        const auto& d = entry["data"];
        VrrpInstance v;
        take(d, "iname", v.name);
        if (v.name.empty()) {
            return fail("keepalived JSON dump entry " + std::to_string(i) + " has no instance name (iname)");
        }
        take(d, "vrid", v.vrid);
        take(d, "ifp_ifname", v.interface);
        int state = 0;
        int want = 0;
        take(d, "state", state);
        take(d, "wantstate", want);
        v.state = stateFromNumber(state);
        v.wantState = stateFromNumber(want);
        take(d, "base_priority", v.basePriority);
        take(d, "effective_priority", v.effectivePriority);
        take(d, "master_priority", v.masterPriority);
        take(d, "last_transition", v.lastTransition);
        double advert = 0;
        take(d, "adver_int", advert);
        if (advert > 0 && advert <= 255) { // VRRP's interval is at most 255 s
            v.advertIntMs = static_cast<int>(advert * 1000 + 0.5);
        }
        take(d, "nopreempt", v.nopreempt);
        if (const auto it = d.find("vips"); it != d.end() && it->is_array()) {
            for (const auto& vip : *it) {
                if (vip.is_string()) {
                    v.vips.push_back(vipFromDump(vip.get<std::string>()));
                }
            }
        }
        if (const auto it = entry.find("stats"); it != entry.end() && it->is_object()) {
            const auto& s = *it;
            take(s, "advert_rcvd", v.advertRcvd);
            take(s, "advert_sent", v.advertSent);
            take(s, "become_master", v.becomeMaster);
            take(s, "release_master", v.releaseMaster);
            take(s, "pri_zero_rcvd", v.priZeroRcvd);
            take(s, "pri_zero_sent", v.priZeroSent);
        }
        out.push_back(std::move(v));
    }
    return out;
}

LvsEndpoint parseLvsEndpoint(std::string_view token)
{
    LvsEndpoint ep;
    ep.raw = std::string(token);
    if (token.substr(0, 4) == "FWM ") {
        // keepalived's format_vs(): "FWM %u", for IPv4 and IPv6 alike.
        if (const auto mark = text::number<std::uint32_t>(token.substr(4)); mark && *mark != 0) {
            ep.fwmark = *mark;
        }
        return ep;
    }
    if (token.empty() || token.front() != '[') {
        return ep;
    }
    const auto close = token.find(']');
    if (close == std::string_view::npos || close + 1 >= token.size() || token[close + 1] != ':') {
        return ep;
    }
    const auto rest = token.substr(close + 2);
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) {
        // "[NAME]:PORT": a virtual_server_group-based service (format_vs() prints its name).
        if (text::number<std::uint16_t>(rest) && close > 1) {
            ep.group = std::string(token.substr(1, close - 1));
        }
        return ep;
    }
    const auto port = text::number<std::uint16_t>(rest.substr(colon + 1));
    const auto addr = canonicalAddress(token.substr(1, close - 1));
    if (!port || addr.empty()) {
        return ep;
    }
    ep.address = addr;
    ep.protocol = std::string(rest.substr(0, colon));
    ep.port = *port;
    return ep;
}

namespace {

/// The line's words, with keepalived's two-word "FWM 7" kept as one.
std::vector<std::string> notifyWords(std::string_view line)
{
    std::vector<std::string> out;
    const auto w = text::words(line);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] == "FWM" && i + 1 < w.size() && text::number<std::uint32_t>(w[i + 1])) {
            out.push_back("FWM " + std::string(w[i + 1]));
            ++i;
        } else {
            out.emplace_back(w[i]);
        }
    }
    return out;
}

} // namespace

Expected<NotifyEvent> parseNotifyLine(std::string_view line)
{
    const auto bad = [&](const std::string& why) {
        return fail("unrecognised notify line (" + why + "): \"" + std::string(text::trim(line)) + "\"");
    };
    const auto all = text::words(line);
    if (all.empty()) {
        return bad("empty");
    }
    NotifyEvent e;
    if (all[0] == "INSTANCE" || all[0] == "GROUP") {
        const auto& w = all;
        if (w.size() != 4) {
            return bad("expected TYPE \"NAME\" STATE PRIORITY");
        }
        e.kind = w[0] == "INSTANCE" ? NotifyEvent::Kind::Instance : NotifyEvent::Kind::Group;
        auto name = w[1];
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
        }
        e.name = std::string(name);
        e.state = std::string(w[2]);
        const auto prio = text::number<int>(w[3]);
        if (!prio) {
            return bad("priority is not a number");
        }
        e.priority = *prio;
        return e;
    }
    const auto w = notifyWords(line);
    if (w[0] == "VS") {
        if (w.size() != 3) {
            return bad("expected VS ENDPOINT STATE");
        }
        e.kind = NotifyEvent::Kind::VirtualServer;
        e.virtualServer = parseLvsEndpoint(w[1]);
        e.state = w[2];
        return e;
    }
    if (w[0] == "RS") {
        if (w.size() != 4) {
            return bad("expected RS ENDPOINT VS-ENDPOINT STATE");
        }
        e.kind = NotifyEvent::Kind::RealServer;
        e.realServer = parseLvsEndpoint(w[1]);
        e.virtualServer = parseLvsEndpoint(w[2]);
        e.state = w[3];
        return e;
    }
    return bad("unknown type " + std::string(w[0]));
}

std::vector<proto::VrrpInstance> mergeVrrpDump(const std::vector<proto::VrrpInstance>& current,
                                               std::vector<proto::VrrpInstance> dump, double dumpWrittenAt,
                                               std::map<std::string, PushedTransition>& pushed,
                                               std::vector<std::string>* stale)
{
    for (auto& v : dump) {
        const auto push = pushed.find(v.name);
        if (push == pushed.end()) {
            continue;
        }
        // keepalived transitions at T, the agent sees the push at O >= T. A dump written before
        // T shows the state before it; one written between T and O already shows the new state
        // (so it agrees). A dump that disagrees and was written before O is the older one.
        if (v.state != push->second.state && dumpWrittenAt < push->second.observedAt &&
            v.lastTransition < push->second.observedAt) {
            const auto old = std::find_if(current.begin(), current.end(),
                                          [&](const proto::VrrpInstance& o) { return o.name == v.name; });
            if (old != current.end()) {
                v = *old;
            } else {
                v.state = push->second.state;
            }
            if (stale) {
                stale->push_back(v.name);
            }
            continue;
        }
        if (dumpWrittenAt >= push->second.observedAt || v.state == push->second.state) {
            pushed.erase(push); // confirmed, or replaced by a later transition
        }
    }
    return dump;
}

} // namespace hadeck::probes
