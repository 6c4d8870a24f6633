#include "hadeck/agent/permissions.h"

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <vector>

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hadeck::agent {

using proto::PermissionLevel;

PermissionLevel levelFor(uid_t uid, const std::vector<std::string>& groups)
{
    if (uid == 0) {
        return PermissionLevel::Admin;
    }
    const auto member = [&](PermissionLevel l) {
        return std::find(groups.begin(), groups.end(), proto::groupFor(l)) != groups.end();
    };
    for (const PermissionLevel l : {PermissionLevel::Admin, PermissionLevel::Operate, PermissionLevel::Read}) {
        if (member(l)) {
            return l;
        }
    }
    return PermissionLevel::None;
}

PermissionLevel levelForGids(uid_t uid, const std::vector<gid_t>& gids, const std::array<gid_t, 3>& levelGids)
{
    if (uid == 0) {
        return PermissionLevel::Admin;
    }
    constexpr std::array<PermissionLevel, 3> kLevels{PermissionLevel::Admin, PermissionLevel::Operate,
                                                     PermissionLevel::Read};
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
        if (levelGids[i] != static_cast<gid_t>(-1) &&
            std::find(gids.begin(), gids.end(), levelGids[i]) != gids.end()) {
            return kLevels[i];
        }
    }
    return PermissionLevel::None;
}

namespace {
gid_t groupGid(std::string_view name)
{
    std::vector<char> buf(16384);
    group gr{};
    group* found = nullptr;
    const std::string n(name);
    if (getgrnam_r(n.c_str(), &gr, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
        return found->gr_gid;
    }
    return static_cast<gid_t>(-1);
}
} // namespace

std::vector<gid_t> peerGroupsOf(int fd, gid_t peerGid)
{
    std::vector<gid_t> groups(64);
    for (int attempt = 0; attempt < 3; ++attempt) {
        socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) == 0) {
            groups.resize(len / sizeof(gid_t));
            groups.push_back(peerGid);
            return groups;
        }
        if (errno != ERANGE) {
            break;
        }
        groups.resize(len / sizeof(gid_t) + 1);
    }
    // Unknown: only the peer's gid counts (the safe side).
    return {peerGid};
}

PeerIdentity identify(uid_t uid, gid_t gid, const std::vector<gid_t>* peerGroups)
{
    PeerIdentity id;
    id.uid = uid;
    id.gid = gid;
    // NSS lookups may block briefly on a networked user database; they run once
    // per connection and again only for operate and admin calls, on a short cache.
    std::vector<char> buffer(16384);
    passwd pw{};
    passwd* found = nullptr;
    if (getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        id.user = found->pw_name;
        int count = 32;
        std::vector<gid_t> gids(static_cast<std::size_t>(count));
        if (getgrouplist(found->pw_name, found->pw_gid, gids.data(), &count) < 0) {
            gids.resize(static_cast<std::size_t>(count));
            getgrouplist(found->pw_name, found->pw_gid, gids.data(), &count);
        }
        gids.resize(static_cast<std::size_t>(std::max(count, 0)));
        std::vector<char> gbuf(16384);
        for (const gid_t g : gids) {
            if (peerGroups != nullptr && std::find(peerGroups->begin(), peerGroups->end(), g) == peerGroups->end()) {
                continue; // the user may have it, this process does not
            }
            id.gids.push_back(g);
            group gr{};
            group* gfound = nullptr;
            if (getgrgid_r(g, &gr, gbuf.data(), gbuf.size(), &gfound) == 0 && gfound != nullptr) {
                id.groups.emplace_back(gfound->gr_name);
            }
        }
    } else {
        id.user = "uid " + std::to_string(uid);
    }
    id.level = levelForGids(uid, id.gids,
                            {groupGid(proto::groupFor(PermissionLevel::Admin)),
                             groupGid(proto::groupFor(PermissionLevel::Operate)),
                             groupGid(proto::groupFor(PermissionLevel::Read))});
    return id;
}

std::string refusalMessage(PermissionLevel needed, PermissionLevel have, const std::string& user)
{
    const std::string group(proto::groupFor(needed));
    std::string message = "permission denied: user " + user + " has " + std::string(proto::toString(have)) +
                          " access, this needs " + std::string(proto::toString(needed)) +
                          "; add the user to the unix group \"" + group + "\"";
    if (needed != PermissionLevel::Read && have == PermissionLevel::None) {
        message += " (or \"hadeck\" for read-only access)";
    }
    return message;
}

} // namespace hadeck::agent
