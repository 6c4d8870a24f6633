// The agent's module list. A new subsystem adds its #include and one line in
// makeModules(); its library is linked in agent/daemon/CMakeLists.txt.

#include "modules.h"

#include "host_module.h"

namespace hadeck::agent {

std::vector<std::unique_ptr<Module>> makeModules()
{
    std::vector<std::unique_ptr<Module>> modules;
    modules.push_back(std::make_unique<HostModule>());
    return modules;
}

} // namespace hadeck::agent
