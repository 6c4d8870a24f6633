#pragma once

// Maps a unix identity to a PermissionLevel: root is admin; otherwise the
// highest of hadeck-admin > hadeck-operator > hadeck the user belongs to;
// none of them gives None.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/types.h"

#include <array>
#include <string>
#include <vector>

#include <sys/types.h>

namespace hadeck::agent {

struct PeerIdentity {
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    std::string user;                // "uid 1234" when the uid has no passwd entry
    std::vector<std::string> groups; // names of the groups that count: the database's, held by the peer
    std::vector<gid_t> gids;         // the same, as gids
    proto::PermissionLevel level = proto::PermissionLevel::None;
};

/// Pure mapping, tested without touching the user database.
[[nodiscard]] proto::PermissionLevel levelFor(uid_t uid, const std::vector<std::string>& groups);

/// Pure mapping on gids: root is admin, else the highest level whose group gid
/// (@p levelGids: admin, operate, read; -1 when the group does not exist) is in @p gids.
[[nodiscard]] proto::PermissionLevel levelForGids(uid_t uid, const std::vector<gid_t>& gids,
                                                 const std::array<gid_t, 3>& levelGids);

/// Looks the uid up in the user and group database (getpwuid_r, getgrouplist).
/// With @p peerGroups (the peer process's own groups, SO_PEERGROUPS, plus its
/// gid), only the database's groups the peer still holds count: a process that
/// dropped its groups does not get its user's full level.
[[nodiscard]] PeerIdentity identify(uid_t uid, gid_t gid, const std::vector<gid_t>* peerGroups = nullptr);

/// The peer's groups on a connected unix socket: SO_PEERGROUPS and @p peerGid.
[[nodiscard]] std::vector<gid_t> peerGroupsOf(int fd, gid_t peerGid);

/// The message a caller gets when @p needed is above @p have.
[[nodiscard]] std::string refusalMessage(proto::PermissionLevel needed, proto::PermissionLevel have, const std::string& user);

} // namespace hadeck::agent
