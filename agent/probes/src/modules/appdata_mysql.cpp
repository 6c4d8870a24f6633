// MariaDB / MySQL through libmariadb: status and replication facts, and the
// operator actions (replica start/stop, read_only on/off). Every query runs on a
// worker thread with connect/read/write timeouts; one job at a time.

#include "hadeck/probes/appdata/mysql_status.h"
#include "hadeck/probes/modules/appdata_modules.h"

#include "hadeck/agent/lazy_lib.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/protocol/methods.h"

#include <ctime>
#include <filesystem>
#include <mutex>
#include <utility>

#include <sys/stat.h>

#include <mysql.h>
#include <mysqld_error.h>

namespace hadeck::probes {

using agent::CallContext;
using agent::TypedResponder;

namespace {
// libmariadb is opened when the module first connects, not at start
// (hadeck/agent/lazy_lib.h): only a node that runs MariaDB or MySQL maps it, and libssl with it.
struct MysqlApi {
    decltype(&::mysql_close) close = nullptr;
    decltype(&::mysql_ping) ping = nullptr;
    decltype(&::mysql_init) init = nullptr;
    decltype(&::mysql_options) options = nullptr;
    decltype(&::mysql_real_connect) realConnect = nullptr;
    decltype(&::mysql_errno) errnum = nullptr;
    decltype(&::mysql_error) errorText = nullptr;
    decltype(&::mysql_query) query = nullptr;
    decltype(&::mysql_store_result) storeResult = nullptr;
    decltype(&::mysql_num_fields) numFields = nullptr;
    decltype(&::mysql_fetch_fields) fetchFields = nullptr;
    decltype(&::mysql_fetch_row) fetchRow = nullptr;
    decltype(&::mysql_fetch_lengths) fetchLengths = nullptr;
    decltype(&::mysql_free_result) freeResult = nullptr;
};

// nullptr with `error` set when libmariadb cannot be loaded. Loaded once (a function-local
// static, so thread-safe) and never unloaded.
const MysqlApi* mysqlApi(std::string& error)
{
    static constexpr const char* so = "libmariadb.so.3";
    return agent::lazy::loadOnce<MysqlApi>(
        so,
        [](void* h, MysqlApi& api, std::string& why) {
            return agent::lazy::resolve(h, so, "mysql_close", api.close, why) &&
                   agent::lazy::resolve(h, so, "mysql_ping", api.ping, why) &&
                   agent::lazy::resolve(h, so, "mysql_init", api.init, why) &&
                   agent::lazy::resolve(h, so, "mysql_options", api.options, why) &&
                   agent::lazy::resolve(h, so, "mysql_real_connect", api.realConnect, why) &&
                   agent::lazy::resolve(h, so, "mysql_errno", api.errnum, why) &&
                   agent::lazy::resolve(h, so, "mysql_error", api.errorText, why) &&
                   agent::lazy::resolve(h, so, "mysql_query", api.query, why) &&
                   agent::lazy::resolve(h, so, "mysql_store_result", api.storeResult, why) &&
                   agent::lazy::resolve(h, so, "mysql_num_fields", api.numFields, why) &&
                   agent::lazy::resolve(h, so, "mysql_fetch_fields", api.fetchFields, why) &&
                   agent::lazy::resolve(h, so, "mysql_fetch_row", api.fetchRow, why) &&
                   agent::lazy::resolve(h, so, "mysql_fetch_lengths", api.fetchLengths, why) &&
                   agent::lazy::resolve(h, so, "mysql_free_result", api.freeResult, why);
        },
        error);
}

} // namespace

struct MysqlModule::Connection {
    std::mutex mutex;
    const MysqlApi* api = nullptr; // set with the first handle
    MYSQL* handle = nullptr;
    std::string socket = "/run/mysqld/mysqld.sock";
    std::string credentials;
    unsigned timeoutSec = 2;

    ~Connection() { close(); }
    void close()
    {
        if (handle) {
            api->close(handle);
            handle = nullptr;
        }
    }
};

namespace {

struct QueryError {
    proto::DbState state = proto::DbState::Error;
    std::string message;
};

/// Opens (or reuses) the connection. Caller holds the mutex.
std::optional<QueryError> ensureConnected(MysqlModule::Connection& c)
{
    if (c.handle && c.api->ping(c.handle) == 0) {
        return std::nullopt;
    }
    c.close();
    std::error_code ec;
    if (!std::filesystem::exists(c.socket, ec) && c.credentials.empty()) {
        return QueryError{proto::DbState::Unreachable, "no MariaDB/MySQL socket at " + c.socket};
    }
    if (c.api == nullptr) {
        std::string why;
        c.api = mysqlApi(why);
        if (c.api == nullptr) {
            return QueryError{proto::DbState::Error, why};
        }
    }
    c.handle = c.api->init(nullptr);
    if (!c.handle) {
        return QueryError{proto::DbState::Error, "mysql_init failed (out of memory)"};
    }
    unsigned timeout = c.timeoutSec;
    c.api->options(c.handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    c.api->options(c.handle, MYSQL_OPT_READ_TIMEOUT, &timeout);
    c.api->options(c.handle, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
    const char* user = nullptr; // unix-socket auth as the agent's own user
    if (!c.credentials.empty()) {
        struct stat st {};
        if (::stat(c.credentials.c_str(), &st) != 0) {
            c.close();
            return QueryError{proto::DbState::AccessDenied, "credentials file " + c.credentials + " is missing"};
        }
        if (st.st_uid != 0 || (st.st_mode & 077) != 0) {
            c.close();
            return QueryError{proto::DbState::AccessDenied,
                              "credentials file " + c.credentials + " must be owned by root and mode 0600"};
        }
        c.api->options(c.handle, MYSQL_READ_DEFAULT_FILE, c.credentials.c_str());
        c.api->options(c.handle, MYSQL_READ_DEFAULT_GROUP, "client");
    }
    if (!c.api->realConnect(c.handle, nullptr, user, nullptr, nullptr, 0,
                            c.credentials.empty() ? c.socket.c_str() : nullptr, 0)) {
        const unsigned err = c.api->errnum(c.handle);
        QueryError e;
        e.message = c.api->errorText(c.handle);
        e.state = err == ER_ACCESS_DENIED_ERROR || err == ER_DBACCESS_DENIED_ERROR ? proto::DbState::AccessDenied
                  : err == 2013 || err == 2002 || err == 2003                       ? proto::DbState::Unreachable
                                                                                    : proto::DbState::Error;
        c.close();
        return e;
    }
    return std::nullopt;
}

/// Runs @p sql; rows by column name. nullopt and @p error on failure.
std::optional<std::vector<SqlRow>> query(MysqlModule::Connection& c, const std::string& sql, QueryError& error)
{
    if (c.api->query(c.handle, sql.c_str()) != 0) {
        error.message = std::string(c.api->errorText(c.handle)) + " (" + sql + ")";
        error.state = c.api->errnum(c.handle) == 2013 ? proto::DbState::Timeout : proto::DbState::Error;
        return std::nullopt;
    }
    MYSQL_RES* res = c.api->storeResult(c.handle);
    std::vector<SqlRow> rows;
    if (!res) {
        return rows; // a statement without a result set
    }
    const unsigned n = c.api->numFields(res);
    MYSQL_FIELD* fields = c.api->fetchFields(res);
    while (MYSQL_ROW row = c.api->fetchRow(res)) {
        unsigned long* lengths = c.api->fetchLengths(res);
        SqlRow r;
        for (unsigned i = 0; i < n; ++i) {
            r[fields[i].name] = row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt;
        }
        rows.push_back(std::move(r));
    }
    c.api->freeResult(res);
    return rows;
}

std::string firstValue(const std::vector<SqlRow>& rows, const std::string& column)
{
    if (rows.empty()) {
        return {};
    }
    const auto it = rows.front().find(column);
    return it != rows.front().end() && it->second ? *it->second : std::string();
}

proto::DbStatus readStatus(MysqlModule::Connection& c)
{
    proto::DbStatus s;
    std::lock_guard lock(c.mutex);
    if (auto e = ensureConnected(c)) {
        s.state = e->state;
        s.reason = e->message;
        return s;
    }
    QueryError e;
    auto vars = query(c, "SELECT @@version AS v, @@read_only AS ro, @@log_bin AS lb", e);
    if (!vars) {
        s.state = e.state;
        s.reason = e.message;
        c.close();
        return s;
    }
    s.version = firstValue(*vars, "v");
    s.readOnly = firstValue(*vars, "ro") == "1";
    const bool binlog = firstValue(*vars, "lb") == "1";
    const bool mariadb = s.version.find("MariaDB") != std::string::npos;
    auto replica = query(c, "SHOW REPLICA STATUS", e);
    if (!replica) {
        replica = query(c, "SHOW SLAVE STATUS", e); // before MariaDB 10.5.1 / MySQL 8.0.22
    }
    if (replica && !replica->empty()) {
        if (auto r = replicaFromRow(replica->front())) {
            s.replica = *r;
        } else {
            s.reason = r.error().message;
        }
    }
    if (auto master = query(c, "SHOW MASTER STATUS", e); master && !master->empty()) {
        s.binlogFile = firstValue(*master, "File");
        s.binlogPosition = std::strtoull(firstValue(*master, "Position").c_str(), nullptr, 10);
    }
    if (auto g = query(c, mariadb ? "SELECT @@gtid_current_pos AS g" : "SELECT @@gtid_executed AS g", e)) {
        s.gtidCurrentPos = firstValue(*g, "g");
    }
    unsigned replicas = 0;
    if (auto dumps = query(c, "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'", e)) {
        replicas = static_cast<unsigned>(std::strtoul(firstValue(*dumps, "n").c_str(), nullptr, 10));
    }
    if (auto st = query(c, "SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime','Threads_connected','Threads_running',"
                           "'Questions','Slow_queries')", e)) {
        for (const auto& row : *st) {
            const auto name = row.find("Variable_name");
            const auto value = row.find("Value");
            if (name == row.end() || value == row.end() || !name->second || !value->second) {
                continue;
            }
            const auto v = std::strtoull(value->second->c_str(), nullptr, 10);
            if (*name->second == "Uptime") {
                s.uptimeSeconds = v;
            } else if (*name->second == "Threads_connected") {
                s.threadsConnected = static_cast<std::uint32_t>(v);
            } else if (*name->second == "Threads_running") {
                s.threadsRunning = static_cast<std::uint32_t>(v);
            } else if (*name->second == "Questions") {
                s.queriesPerSec = static_cast<double>(v); // the total; the module turns it into a rate
            } else if (*name->second == "Slow_queries") {
                s.slowQueries = v;
            }
        }
    }
    s.role = dbRole(s.replica.has_value(), replicas, binlog);
    s.state = proto::DbState::Ok;
    return s;
}

proto::ActionResult runAction(MysqlModule::Connection& c, const std::string& action, bool on, bool dryRun)
{
    proto::ActionResult out;
    const proto::DbStatus s = readStatus(c);
    if (s.state != proto::DbState::Ok) {
        out.preflight.push_back("server: " + std::string(proto::toString(s.state)) + " — " + s.reason);
        out.message = "refused: the database server is not reachable";
        return out;
    }
    out.preflight.push_back("server " + s.version + ", role " + s.role + ", read_only " + (s.readOnly ? "ON" : "OFF"));
    std::string sql;
    if (action == "replicaStart" || action == "replicaStop") {
        if (!s.replica) {
            out.message = "refused: this server is not a replica (SHOW REPLICA STATUS is empty)";
            return out;
        }
        out.preflight.push_back("replica of " + s.replica->masterHost + ":" + std::to_string(s.replica->masterPort) +
                                ": IO " + s.replica->ioRunning + ", SQL " + s.replica->sqlRunning + ", lag " +
                                (s.replica->lagSeconds ? std::to_string(*s.replica->lagSeconds) + " s" : "unknown"));
        if (action == "replicaStop" && s.replica->ioRunning == "No" && s.replica->sqlRunning == "No") {
            out.warnings.push_back("both replica threads are already stopped");
        }
        if (action == "replicaStop") {
            out.warnings.push_back("while stopped, this replica falls behind and must not be promoted");
        }
        sql = action == "replicaStart" ? "START REPLICA" : "STOP REPLICA";
    } else {
        if (!on && s.replica && s.replica->ioRunning != "No") {
            out.warnings.push_back("this server replicates from " + s.replica->masterHost +
                                   ": writes here diverge from the master (two writable servers)");
        }
        if (on && s.role == "master") {
            out.warnings.push_back("this is a master: the application's writes will fail while read_only is ON");
        }
        sql = std::string("SET GLOBAL read_only = ") + (on ? "ON" : "OFF");
    }
    out.preflight.push_back("will run: " + sql);
    if (dryRun) {
        out.message = "dry run: nothing changed";
        return out;
    }
    std::lock_guard lock(c.mutex);
    QueryError e;
    if (auto err = ensureConnected(c); err || !query(c, sql, e)) {
        out.message = "failed: " + (err ? err->message : e.message);
        return out;
    }
    out.done = true;
    out.message = "done: " + sql;
    return out;
}

} // namespace

MysqlModule::MysqlModule(std::shared_ptr<AppdataShared> shared)
    : m_shared(std::move(shared)), m_conn(std::make_shared<Connection>())
{
}

MysqlModule::~MysqlModule() = default;

std::vector<proto::Role> MysqlModule::detectRoles()
{
    std::error_code ec;
    return std::filesystem::exists(m_conn->socket, ec) ? std::vector{proto::Role::Db} : std::vector<proto::Role>{};
}

void MysqlModule::reload(const agent::AgentConfig& config)
{
    // The connection's settings change only between jobs (under its mutex).
    std::lock_guard lock(m_conn->mutex);
    m_conn->socket = moduleSetting(config, "mysql", "socket", "/run/mysqld/mysqld.sock");
    m_conn->credentials = moduleSetting(config, "mysql", "credentials_file", "");
    m_conn->timeoutSec = static_cast<unsigned>(moduleSetting(config, "mysql", "timeout_ms", 2000, 100, 60000) + 999) / 1000;
    m_conn->close();
    if (m_context && config.sampleInterval != m_interval) {
        arm(config.sampleInterval);
    }
}

void MysqlModule::start(agent::AgentContext& context)
{
    m_context = &context;
    reload(context.config);
    m_last.state = proto::DbState::Unreachable;
    m_last.reason = "not sampled yet";
    context.registry.add(proto::methods::DbStatusGet, this, &MysqlModule::status);
    context.publisher.setSnapshot(std::string(proto::topic::Db), [this] { return rpc::Json(m_last); });
    context.registry.add(proto::methods::DbReplicaStart, this, &MysqlModule::replicaStart);
    context.registry.add(proto::methods::DbReplicaStop, this, &MysqlModule::replicaStop);
    context.registry.add(proto::methods::DbSetReadOnly, this, &MysqlModule::setReadOnly);
    if (m_interval.count() == 0) {
        arm(context.config.sampleInterval);
    }
}

void MysqlModule::replicaStart(const CallContext&, proto::ReplicaActionParams p, TypedResponder<proto::ActionResult> r)
{
    act("replicaStart", true, p.dryRun, std::move(r));
}

void MysqlModule::replicaStop(const CallContext&, proto::ReplicaActionParams p, TypedResponder<proto::ActionResult> r)
{
    act("replicaStop", false, p.dryRun, std::move(r));
}

void MysqlModule::setReadOnly(const CallContext&, proto::ReadOnlyParams p, TypedResponder<proto::ActionResult> r)
{
    act("readOnly", p.on, p.dryRun, std::move(r));
}

void MysqlModule::act(std::string name, bool on, bool dryRun, TypedResponder<proto::ActionResult> r)
{
    m_context->loop.offload([conn = m_conn, name = std::move(name), on,
                             dryRun]() -> Expected<proto::ActionResult> { return runAction(*conn, name, on, dryRun); },
                            [this, r = std::make_shared<TypedResponder<proto::ActionResult>>(std::move(r))](
                                const Expected<proto::ActionResult>& done) {
                                poll(); // show the change now, not at the next interval
                                answerAction(*r, done);
                            });
}

void MysqlModule::status(const agent::CallContext&, proto::Empty, agent::TypedResponder<proto::DbStatus> r)
{
    r.result(m_last);
}

void MysqlModule::arm(std::chrono::milliseconds interval)
{
    m_interval = interval;
    auto timer = m_context->loop.addTimer(interval, true, [this] { poll(); });
    if (!timer) {
        agent::logError("mysql: cannot start the sample timer: " + timer.error().message);
        return;
    }
    m_timer = std::move(*timer);
}

void MysqlModule::poll()
{
    std::error_code ec;
    if (m_inFlight || (m_last.state == proto::DbState::Unreachable && !std::filesystem::exists(m_conn->socket, ec) &&
                       m_conn->credentials.empty())) {
        if (!m_inFlight) {
            m_last.reason = "no MariaDB/MySQL socket at " + m_conn->socket;
        }
        return; // no server on this node: nothing to ask, every second
    }
    m_inFlight = true;
    m_context->loop.offload(
        [conn = m_conn]() -> Expected<proto::DbStatus> { return readStatus(*conn); },
        [this](Expected<proto::DbStatus> sampled) {
            m_inFlight = false;
            proto::DbStatus s;
            if (!sampled) {
                s.state = proto::DbState::Error;
                s.reason = sampled.error().message;
            } else {
                s = std::move(*sampled);
            }
            const auto now = std::chrono::steady_clock::now();
            if (s.state == proto::DbState::Ok) {
                const auto questions = static_cast<std::uint64_t>(s.queriesPerSec);
                const double secs = std::chrono::duration<double>(now - m_prevAt).count();
                s.queriesPerSec = m_prevAt.time_since_epoch().count() != 0 && questions >= m_prevQuestions && secs > 0
                                      ? static_cast<double>(questions - m_prevQuestions) / secs
                                      : 0.0;
                m_prevQuestions = questions;
                m_prevAt = now;
                const auto t = static_cast<std::int64_t>(std::time(nullptr));
                auto& h = m_shared->history;
                h.record(proto::series::DbQueriesPerSec, t, s.queriesPerSec);
                h.record("db.threadsRunning", t, s.threadsRunning);
                if (s.replica && s.replica->lagSeconds) {
                    h.record(proto::series::DbReplicaLagSeconds, t, static_cast<double>(*s.replica->lagSeconds));
                }
            }
            const bool changed = rpc::Json(s) != rpc::Json(m_last);
            m_last = std::move(s);
            if (changed && m_context->publisher.subscriberCount("db") > 0) {
                m_context->publisher.publish(proto::topic::Db, rpc::Json(m_last));
            }
        });
}

} // namespace hadeck::probes
