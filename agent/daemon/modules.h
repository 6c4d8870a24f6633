#pragma once

#include "hadeck/agent/module.h"

#include <memory>
#include <vector>

namespace hadeck::agent {

/// Every module this agent runs, in start order. Add new modules in modules.cpp.
std::vector<std::unique_ptr<Module>> makeModules();

} // namespace hadeck::agent
