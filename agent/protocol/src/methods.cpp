#include "hadeck/protocol/methods.h"

#include <algorithm>
#include <array>

namespace hadeck::proto {

namespace {

// Every spec of methods.h, once. Sorted below so the table reads like agent.methods.
constexpr std::array kDeclared{
    methods::Hello.entry(),
    methods::Ping.entry(),
    methods::Subscribe.entry(),
    methods::Unsubscribe.entry(),
    methods::FirewallShow.entry(),
    methods::FirewallCheck.entry(),
    methods::FirewallApply.entry(),
    methods::FirewallConfirm.entry(),
    methods::FirewallRollback.entry(),
    methods::FirewallPending.entry(),
    methods::Methods.entry(),
    methods::AuditVerify.entry(),
    methods::AuditTail.entry(),
    methods::SetLogLevel.entry(),
    methods::Reload.entry(),
    methods::HostStatusGet.entry(),
    methods::IpvsList.entry(),
    methods::IpvsSetWeight.entry(),
    methods::VrrpList.entry(),
    methods::KeepalivedConfig.entry(),
    methods::RealServerCheck.entry(),
    methods::RealServerApply.entry(),
    methods::RealServerRevert.entry(),
    methods::DrainLocal.entry(),
    methods::DrainApply.entry(),
    methods::DrainRestore.entry(),
    methods::DrainList.entry(),
    methods::VrrpRelease.entry(),
    methods::VrrpRestore.entry(),
    methods::VrrpFailoverStatus.entry(),
    methods::KeepalivedAddFailoverTrack.entry(),
    methods::ApacheStatusGet.entry(),
    methods::DbStatusGet.entry(),
    methods::DbReplicaStart.entry(),
    methods::DbReplicaStop.entry(),
    methods::DbSetReadOnly.entry(),
    methods::MfsStatusGet.entry(),
    methods::MfsSetMaintenance.entry(),
    methods::HistoryGet.entry(),
    methods::LogsQuery.entry(),
    methods::AlarmsList.entry(),
    methods::AlarmsAck.entry(),
};

const std::array<MethodEntry, kDeclared.size()>& sortedTable()
{
    static const auto table = [] {
        auto t = kDeclared;
        std::sort(t.begin(), t.end(), [](const MethodEntry& a, const MethodEntry& b) { return a.name < b.name; });
        return t;
    }();
    return table;
}

} // namespace

std::span<const MethodEntry> methodTable() { return sortedTable(); }

const MethodEntry* findMethod(std::string_view name)
{
    const auto& t = sortedTable();
    const auto it = std::lower_bound(t.begin(), t.end(), name,
                                     [](const MethodEntry& e, std::string_view n) { return e.name < n; });
    return it != t.end() && it->name == name ? &*it : nullptr;
}

} // namespace hadeck::proto
