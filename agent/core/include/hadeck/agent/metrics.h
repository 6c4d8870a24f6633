#pragma once

// Prometheus text exposition of the agent's state, and an optional /metrics
// endpoint served from the agent's own loop (a few hundred lines instead of
// prometheus-cpp and its civetweb threads: one non-blocking listener, at most
// 16 scrapes at a time, each answered from the modules' snapshots).
//
//   [modules.metrics]
//   listen = "127.0.0.1:9469"     # off unless set; "[::1]:9469" for IPv6
//
// Names follow node_exporter's ipvs collector (node_ipvs_backend_*), the
// keepalived exporter (keepalived_vrrp_state, keepalived_advert_*), mysqld_exporter
// (mysql_up, mysql_slave_status_*, mysql_global_*), apache_exporter
// (apache_up, apache_workers, apache_scoreboard...) and node_exporter (node_load1,
// node_memory_*, node_filesystem_*) where they overlap; the rest is hadeck_*.

#include "hadeck/agent/event_loop.h"
#include "hadeck/agent/module.h"
#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/appdata.h"
#include "hadeck/protocol/director.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hadeck::agent {

struct MetricsDrain {
    std::string service;
    std::string dest;
    double since = 0;
};

struct MetricsInputs {
    std::string node;
    std::optional<std::vector<proto::VirtualService>> ipvs;
    std::optional<std::vector<proto::VrrpInstance>> vrrp;
    std::optional<proto::DbStatus> db;
    std::optional<proto::MfsStatus> mfs;
    std::optional<proto::ApacheStatus> apache;
    std::optional<proto::HostStatus> host;
    std::vector<proto::Alarm> alarms;
    std::vector<MetricsDrain> drains;
    double now = 0;
};

/// The text format (version 0.0.4) of @p in; pure.
std::string metricsText(const MetricsInputs& in);
/// A label value escaped for the text format (\\, \", \n).
std::string escapeLabel(std::string_view v);

class MetricsModule final : public Module {
public:
    MetricsModule();
    ~MetricsModule() override;
    [[nodiscard]] std::string_view name() const override { return "metrics"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;
    void reload(const AgentConfig& config) override;

    struct Conn;

private:
    void listen(const std::string& address);
    void accept();
    void onReadable(const std::shared_ptr<Conn>& c);
    void flush(const std::shared_ptr<Conn>& c);
    void drop(const std::shared_ptr<Conn>& c);
    std::string render();

    AgentContext* m_context = nullptr;
    std::string m_address;
    int m_fd = -1;
    EventSource m_listen;
    std::map<Conn*, std::shared_ptr<Conn>> m_conns;
};

} // namespace hadeck::agent
