#include "hadeck/agent/permissions.h"

#include <algorithm>
#include <vector>

#include <grp.h>
#include <pwd.h>
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

PeerIdentity identify(uid_t uid, gid_t gid)
{
    PeerIdentity id;
    id.uid = uid;
    id.gid = gid;
    // NSS lookups may block briefly on a networked user database; they run
    // once per connection, which keeps them off every request's path.
    std::vector<char> buffer(16384);
    passwd pw{};
    passwd* found = nullptr;
    if (getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        id.user = found->pw_name;
        int count = 32;
        std::vector<gid_t> gids(static_cast<std::size_t>(count));
        if (getgrouplist(found->pw_name, gid, gids.data(), &count) < 0) {
            gids.resize(static_cast<std::size_t>(count));
            getgrouplist(found->pw_name, gid, gids.data(), &count);
        }
        gids.resize(static_cast<std::size_t>(std::max(count, 0)));
        std::vector<char> gbuf(16384);
        for (const gid_t g : gids) {
            group gr{};
            group* gfound = nullptr;
            if (getgrgid_r(g, &gr, gbuf.data(), gbuf.size(), &gfound) == 0 && gfound != nullptr) {
                id.groups.emplace_back(gfound->gr_name);
            }
        }
    } else {
        id.user = "uid " + std::to_string(uid);
    }
    id.level = levelFor(uid, id.groups);
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
