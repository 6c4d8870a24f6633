#pragma once

// Wire names shared by the protocol library's own sources (not part of its API).

#include "hadeck/protocol/director.h"

#include <optional>
#include <string_view>

namespace hadeck::proto::detail {

/// "masq", "local", "tunnel", "route" (the "forward" of a real server).
std::optional<ForwardMethod> forwardMethodFromName(std::string_view name);

} // namespace hadeck::proto::detail
