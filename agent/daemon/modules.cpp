// The agent's module list. A new subsystem adds its #include and one line in
// makeModules(); its library is linked in agent/daemon/CMakeLists.txt.

#include "modules.h"

#include "hadeck/agent/log.h"
#include "hadeck/probes/ipvs_backend.h"
#include "hadeck/probes/nft_backend.h"

#include "hadeck/probes/modules/ipvs_module.h"
#include "hadeck/probes/modules/keepalived_module.h"
#include "hadeck/probes/modules/realserver_module.h"
#include "hadeck/probes/modules/appdata_modules.h"

#include "hadeck/agent/alarm_module.h"
#include "hadeck/agent/metrics.h"
#include "hadeck/agent/actions/director_access.h"
#include "hadeck/agent/actions/drain_module.h"
#include "hadeck/agent/actions/notify.h"
#include "hadeck/agent/actions/failover_module.h"
#include "hadeck/agent/actions/firewall_module.h"

namespace hadeck::agent {

std::unique_ptr<Module> makeDrainModule()
{
    // Drains need a writable IPVS table; without one (a real server) only drain.local, the
    // real server's side, is served.
    auto ipvs = probes::makeNetlinkIpvsBackend();
    return std::make_unique<DrainModule>(ipvs ? std::move(*ipvs) : nullptr, makeKeepalivedFactsSource());
}

std::vector<std::unique_ptr<Module>> makeModules()
{
    std::vector<std::unique_ptr<Module>> modules;
    // Application nodes: one history shared by every sampling module.
    auto appdata = std::make_shared<probes::AppdataShared>();
    modules.push_back(std::make_unique<probes::HostModule>(appdata));
    modules.push_back(std::make_unique<probes::ApacheModule>(appdata));
    modules.push_back(std::make_unique<probes::MysqlModule>(appdata));
    modules.push_back(std::make_unique<probes::MooseFsModule>(appdata));
    modules.push_back(std::make_unique<probes::HistoryLogsModule>(appdata));
    modules.push_back(std::make_unique<probes::IpvsModule>());
    modules.push_back(std::make_unique<probes::KeepalivedModule>());
    modules.push_back(std::make_unique<probes::RealServerModule>());
    modules.push_back(std::make_unique<FailoverModule>(makeKeepalivedFactsSource()));
    // On a kernel without nftables every firewall method answers Unavailable, naming why
    // (libnftables itself would exit the process there: nft::run checks the kernel first).
    if (auto missing = probes::nft::kernelWithoutNftables()) {
        logWarning("firewall: " + *missing + "; firewall methods will answer that");
    }
    modules.push_back(std::make_unique<FirewallModule>());
    // Last: it reads the other modules' snapshots and sees their events.
    auto alarms = std::make_unique<AlarmModule>();
    auto notify = std::make_unique<NotifyModule>(*alarms);
    modules.push_back(std::move(alarms));
    modules.push_back(std::move(notify)); // after the alarms, whose changes it delivers
    modules.push_back(std::make_unique<MetricsModule>()); // off unless [modules.metrics] listen is set
    return modules;
}

} // namespace hadeck::agent
