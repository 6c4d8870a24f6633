#pragma once

// The rows behind ServicesModel, shared by its two halves: the Qt model
// (servicesmodel.cpp) and the incremental table upkeep (servicesmodel_sync.cpp).

#include "models/servicesmodel.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace hadeck::ui {

struct ServicesModel::Dest {
    std::string endpoint;
    std::string rawAddress; // as IPVS reports it: matched against a director's row without building strings
    std::uint16_t port = 0;
    QString address;
    QString label; // node name when known, else the endpoint
    QString nodeName;
    std::vector<Slot> perDir;
    Service* service = nullptr;
    int row = -1; // in its service; -1 until inserted at the end of the tick

    [[nodiscard]] bool drift() const
    {
        // Absent on one director, or weighted differently: either way a failover changes traffic.
        for (const auto& s : perDir) {
            if (!s.present || s.weight != perDir.front().weight) {
                return true;
            }
        }
        return false;
    }
    [[nodiscard]] bool absentEverywhere() const
    {
        return std::none_of(perDir.begin(), perDir.end(), [](const Slot& s) { return s.present; });
    }
};

struct ServicesModel::Service {
    std::string key;
    QString label;
    QString scheduler;
    std::vector<Slot> perDir; // totals per director
    std::vector<std::unique_ptr<Dest>> dests;
    std::unordered_map<std::string, int> destRow;
    std::vector<std::unique_ptr<Dest>> pending; // new real servers, inserted at the end of the tick
    std::unordered_map<std::string, Dest*> pendingByEndpoint;
    std::vector<int> dirtyRows;     // counters changed: the director columns only
    std::vector<int> dirtyNameRows; // also the name column (its icon follows weights, link and DR check)
    int row = -1;                   // -1 until inserted
    bool dirty = false;
    bool dirtyName = false;
    bool touched = false;

    void reindex()
    {
        destRow.clear();
        destRow.reserve(dests.size());
        for (int i = 0; i < static_cast<int>(dests.size()); ++i) {
            dests[static_cast<std::size_t>(i)]->row = i;
            destRow.emplace(dests[static_cast<std::size_t>(i)]->endpoint, i);
        }
    }
};
} // namespace hadeck::ui
