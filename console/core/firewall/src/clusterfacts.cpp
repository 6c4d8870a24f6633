#include "hadeck/console/firewall/clusterfacts.h"

#include "hadeck/console/model/clustermodel.h"

#include <set>
#include <tuple>

namespace hadeck::console::fw {

ClusterFacts factsFromModel(const ClusterModel& model, std::vector<std::string> consoleAddresses)
{
    ClusterFacts facts;
    // The same service is in both directors' tables: keep the first, whole.
    std::set<std::tuple<std::string, std::string, int, std::uint32_t>> seen;
    for (const auto* n : model.nodes()) {
        ClusterNode cn;
        cn.name = n->name.toStdString();
        cn.address = n->address.toStdString();
        cn.roles = n->roles();
        facts.nodes.push_back(std::move(cn));
        for (const auto& vs : n->ipvs) {
            if (seen.insert({vs.protocol, vs.address, static_cast<int>(vs.port), vs.fwmark}).second) {
                facts.services.push_back(vs);
            }
        }
    }
    facts.consoleAddresses = std::move(consoleAddresses);
    return facts;
}

ClusterFacts factsFromModel(const ClusterModel& model, const proto::fw::Ruleset& current)
{
    ClusterFacts facts = factsFromModel(model, current.sshPeers);
    facts.interfaces = current.interfaces;
    facts.defaultInterface = current.defaultInterface;
    return facts;
}

} // namespace hadeck::console::fw
