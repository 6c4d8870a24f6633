#include "hadeck/probes/appdata/mysql_status.h"

#include "../text_util.h"

namespace hadeck::probes {

namespace {

/// The value of the first of @p names present in @p row (a present NULL counts).
const std::optional<std::string>* column(const SqlRow& row, std::initializer_list<std::string_view> names)
{
    for (const auto n : names) {
        if (const auto it = row.find(n); it != row.end()) {
            return &it->second;
        }
    }
    return nullptr;
}

std::string field(const SqlRow& row, std::initializer_list<std::string_view> names)
{
    const auto* v = column(row, names);
    return v && *v ? **v : std::string();
}

} // namespace

Expected<proto::ReplicaStatus> replicaFromRow(const SqlRow& row)
{
    const auto* io = column(row, {"Slave_IO_Running", "Replica_IO_Running"});
    const auto* sql = column(row, {"Slave_SQL_Running", "Replica_SQL_Running"});
    if (!io || !sql) {
        return fail("not a replica status row (no Slave_IO_Running/Replica_IO_Running column)");
    }
    proto::ReplicaStatus r;
    r.ioRunning = io->value_or("");
    r.sqlRunning = sql->value_or("");
    if (const auto* lag = column(row, {"Seconds_Behind_Master", "Seconds_Behind_Source"}); lag && *lag) {
        const auto n = text::number<std::int64_t>(**lag);
        if (!n) {
            return fail("Seconds_Behind_Master is not a number: " + (**lag).substr(0, 40));
        }
        r.lagSeconds = *n;
    }
    r.masterHost = field(row, {"Master_Host", "Source_Host"});
    if (const auto port = field(row, {"Master_Port", "Source_Port"}); !port.empty()) {
        const auto n = text::number<std::uint16_t>(port);
        if (!n) {
            return fail("Master_Port is not a port: " + port.substr(0, 40));
        }
        r.masterPort = *n;
    }
    r.lastIoError = field(row, {"Last_IO_Error"});
    r.lastSqlError = field(row, {"Last_SQL_Error"});
    r.lastIoErrno = text::number<std::uint32_t>(field(row, {"Last_IO_Errno"})).value_or(0);
    r.lastSqlErrno = text::number<std::uint32_t>(field(row, {"Last_SQL_Errno"})).value_or(0);
    r.usingGtid = field(row, {"Using_Gtid", "Auto_Position"});
    r.gtidIoPos = field(row, {"Gtid_IO_Pos", "Retrieved_Gtid_Set"});
    r.executedGtids = field(row, {"Executed_Gtid_Set", "Gtid_Slave_Pos"});
    return r;
}

std::string dbRole(bool hasReplicaRow, unsigned connectedReplicas, bool binlogOn)
{
    if (hasReplicaRow) {
        return "replica";
    }
    if (connectedReplicas > 0 || binlogOn) {
        return "master";
    }
    return "standalone";
}

} // namespace hadeck::probes
