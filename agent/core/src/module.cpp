#include "hadeck/agent/module.h"

namespace hadeck::agent {

// Anchors the vtable in the core library.
Module::~Module() = default;

} // namespace hadeck::agent
