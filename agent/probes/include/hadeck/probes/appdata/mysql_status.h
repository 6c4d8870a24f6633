#pragma once

// MariaDB / MySQL replication facts from query rows, by column name
// (interfaces.md §5): MariaDB's Slave_*/Master_* and MySQL 8.0.22+'s
// Replica_*/Source_* both map to the same ReplicaStatus. Pure: the rows come
// from libmariadb in the module, or from a fixture in the tests.

#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/expected.h"

#include <map>
#include <optional>
#include <string>

namespace hadeck::probes {

/// One result row: column name -> value (nullopt for SQL NULL).
using SqlRow = std::map<std::string, std::optional<std::string>, std::less<>>;

/// One row of SHOW REPLICA STATUS / SHOW SLAVE STATUS. Errors when the row has
/// neither naming of the thread columns.
Expected<proto::ReplicaStatus> replicaFromRow(const SqlRow& row);

/// "master", "replica" or "standalone" from what the server told: whether it
/// replicates (a replica row) and whether replicas are connected to it.
std::string dbRole(bool hasReplicaRow, unsigned connectedReplicas, bool binlogOn);

} // namespace hadeck::probes
