#pragma once

#include "hadeck/agent/module.h"

#include <memory>
#include <vector>

namespace hadeck::agent {

/// The drain module, built and started before any other: after a restart, its start() puts
/// the held drains' weight 0 back in IPVS, and nothing else should come first.
std::unique_ptr<Module> makeDrainModule();

/// Every other module this agent runs, in start order. Add new modules in modules.cpp.
std::vector<std::unique_ptr<Module>> makeModules();

} // namespace hadeck::agent
