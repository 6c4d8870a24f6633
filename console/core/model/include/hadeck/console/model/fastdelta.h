#pragma once

// A state.delta decoded from the line itself (rpc::FastReader), without the
// generic JSON tree: what decodeStateDelta() makes of the same params, for the
// topics the fast reader knows ("ipvs", the one that carries 30,000 rows).

#include "hadeck/console/model/statedelta.h"

#include <hadeck/protocol/fastwire.h>

#include <optional>

namespace hadeck::console {

/**
 * @param reader a reader whose readStateDelta() just returned true.
 * @return the delta, equal to decodeStateDelta() of the same params; nullopt for a
 *         topic the fast reader does not decode, or params it does not accept in full
 *         (decodeStateDelta() of the generic tree then accepts or refuses them).
 */
std::optional<StateDelta> decodeStateDelta(const rpc::FastReader& reader);

} // namespace hadeck::console
