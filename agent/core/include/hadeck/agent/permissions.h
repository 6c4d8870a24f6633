#pragma once

// Maps a unix identity to a PermissionLevel: root is admin; otherwise the
// highest of hadeck-admin > hadeck-operator > hadeck the user belongs to;
// none of them gives None.

#include "hadeck/protocol/expected.h"
#include "hadeck/protocol/types.h"

#include <string>
#include <vector>

#include <sys/types.h>

namespace hadeck::agent {

struct PeerIdentity {
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    std::string user;                // "uid 1234" when the uid has no passwd entry
    std::vector<std::string> groups; // primary and supplementary group names
    proto::PermissionLevel level = proto::PermissionLevel::None;
};

/// Pure mapping, tested without touching the user database.
[[nodiscard]] proto::PermissionLevel levelFor(uid_t uid, const std::vector<std::string>& groups);

/// Looks the uid up in the user and group database (getpwuid_r, getgrouplist).
[[nodiscard]] PeerIdentity identify(uid_t uid, gid_t gid);

/// The message a caller gets when @p needed is above @p have.
[[nodiscard]] std::string refusalMessage(proto::PermissionLevel needed, proto::PermissionLevel have, const std::string& user);

} // namespace hadeck::agent
