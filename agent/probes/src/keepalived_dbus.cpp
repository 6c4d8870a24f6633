#include "hadeck/probes/keepalived_dbus.h"

#include <charconv>

namespace hadeck::probes {

namespace {

constexpr std::string_view kInstanceRoot = "/org/keepalived/Vrrp1/Instance/";

/// 4 or 6 from the instance's VIPs (keepalived keeps each instance to one family); 0 without VIPs.
int familyOf(const proto::VrrpInstance& v)
{
    if (v.vips.empty()) {
        return 0;
    }
    return v.vips.front().find(':') != std::string::npos ? 6 : 4;
}

} // namespace

std::optional<VrrpDbusPath> parseVrrpDbusPath(std::string_view path)
{
    if (path.substr(0, kInstanceRoot.size()) != kInstanceRoot) {
        return std::nullopt;
    }
    std::string_view rest = path.substr(kInstanceRoot.size());
    const auto s1 = rest.find('/');
    if (s1 == std::string_view::npos || s1 == 0) {
        return std::nullopt;
    }
    const auto s2 = rest.find('/', s1 + 1);
    if (s2 == std::string_view::npos) {
        return std::nullopt;
    }
    VrrpDbusPath p;
    p.interface = std::string(rest.substr(0, s1));
    const std::string_view vrid = rest.substr(s1 + 1, s2 - s1 - 1);
    const auto [end, ec] = std::from_chars(vrid.data(), vrid.data() + vrid.size(), p.vrid);
    if (ec != std::errc() || end != vrid.data() + vrid.size() || p.vrid < 1 || p.vrid > 255) {
        return std::nullopt;
    }
    const std::string_view fam = rest.substr(s2 + 1);
    if (fam == "IPv4") {
        p.family = 4;
    } else if (fam == "IPv6") {
        p.family = 6;
    } else {
        return std::nullopt;
    }
    return p;
}

std::string dbusPathElement(std::string_view name)
{
    std::string out(name);
    for (auto& c : out) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            c = '_';
        }
    }
    return out;
}

std::optional<proto::VrrpState> vrrpStateFromDbus(std::uint32_t status)
{
    switch (status) {
    case 0: return proto::VrrpState::Init;
    case 1: return proto::VrrpState::Backup;
    case 2: return proto::VrrpState::Master;
    case 3: return proto::VrrpState::Fault;
    case 97: return proto::VrrpState::Deleted;
    case 98: return proto::VrrpState::Stop;
    default: return std::nullopt;
    }
}

std::optional<std::size_t> findVrrpInstanceForPath(const VrrpDbusPath& path,
                                                   const std::vector<proto::VrrpInstance>& known)
{
    for (std::size_t i = 0; i < known.size(); ++i) {
        const auto& v = known[i];
        const int fam = familyOf(v);
        if (v.vrid == path.vrid && dbusPathElement(v.interface) == path.interface && (fam == 0 || fam == path.family)) {
            return i;
        }
    }
    return std::nullopt;
}

} // namespace hadeck::probes
