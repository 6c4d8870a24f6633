#include "hadeck/probes/modules/ipvs_module.h"

#include "hadeck/agent/module_settings.h"

#include "hadeck/agent/log.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"
#include "hadeck/probes/ipvs_delta.h"
#include "hadeck/probes/ipvs_text.h"

#include <unistd.h>

namespace hadeck::probes {

using agent::CallContext;
using agent::Json;
using agent::Responder;
using agent::TypedResponder;
using proto::PermissionLevel;

namespace {

constexpr int kWatchCostFactor = 20;
constexpr int kSampleCostFactor = 4;

/// [modules.ipvs] change_poll_ms: how often the table is looked at for changes between samples.
std::chrono::milliseconds changePollInterval(const agent::AgentConfig& config)
{
    return std::chrono::milliseconds(agent::moduleSetting(config, "ipvs", "change_poll_ms", 100, 0, 60000));
}

} // namespace

IpvsModule::IpvsModule(BackendFactory factory) : m_factory(std::move(factory)) {}

std::vector<proto::Role> IpvsModule::detectRoles()
{
    // The file exists once ip_vs is loaded, whichever interface reads it.
    if (access("/proc/net/ip_vs", F_OK) == 0) {
        return {proto::Role::Director};
    }
    return {};
}

void IpvsModule::start(agent::AgentContext& context)
{
    m_context = &context;
    auto backend = m_factory();
    if (backend) {
        m_backend = std::move(*backend);
        agent::logInfo("ipvs: reading the table through " + m_backend->name());
    } else {
        m_unavailable = backend.error().message;
        agent::logInfo("ipvs: " + m_unavailable);
    }

    context.registry.add(proto::methods::IpvsList, this, &IpvsModule::list);
    context.registry.add(proto::methods::IpvsSetWeight, this, &IpvsModule::setWeight);

    context.publisher.setSnapshot(std::string(proto::topic::Ipvs), [this] {
        return Json{{"backend", m_backend ? m_backend->name() : std::string()}, {"services", m_last}};
    });
    context.publisher.setTypedSnapshot<std::vector<proto::VirtualService>>(
        std::string(proto::topic::Ipvs),
        [this]() -> const std::vector<proto::VirtualService>* { return m_haveSample ? &m_last : nullptr; });
    // The publisher may outlive this module (clients are dropped after the modules at exit).
    context.publisher.addSubscriptionObserver([this, alive = std::weak_ptr<int>(m_alive)] {
        if (!alive.expired()) {
            updateWatch();
        }
    });
    startTimer();
}

void IpvsModule::list(const CallContext&, proto::Empty, TypedResponder<proto::IpvsListResult> r)
{
    if (!m_backend) {
        r.error(rpc::Unavailable, m_unavailable);
        return;
    }
    auto list = m_backend->list();
    if (!list) {
        r.error(rpc::Unavailable, list.error().message);
        return;
    }
    r.result(proto::IpvsListResult{m_backend->name(), std::move(*list)});
}

void IpvsModule::setWeight(const CallContext&, proto::SetWeightParams p, TypedResponder<proto::RealServer> r)
{
    if (!m_backend) {
        r.error(rpc::Unavailable, m_unavailable);
        return;
    }
    // The params are checked (protocol/payloads.h): port 0..65535, weight 0..65535.
    const auto& key = p.service;
    const auto& address = p.address;
    const auto port = p.port;
    const auto weight = p.weight;
    auto list = m_backend->list();
    if (!list) {
        r.error(rpc::Unavailable, list.error().message);
        return;
    }
    const auto svc = std::find_if(list->begin(), list->end(),
                                  [&](const proto::VirtualService& s) { return s.key() == key; });
    if (svc == list->end()) {
        r.error(rpc::PreconditionFailed, "no virtual service " + key + " on this director");
        return;
    }
    const auto st = m_backend->setWeight(*svc, address, port, weight);
    if (!st) {
        r.error(st.error().code == IpvsNoDest || st.error().code == IpvsNoService ? rpc::PreconditionFailed
                                                                                   : rpc::ActionFailed,
                st.error().message);
        return;
    }
    // Verify: read it back, and publish at once rather than at the next tick.
    auto after = m_backend->list();
    const std::string want = canonicalAddress(address);
    if (after) {
        for (const auto& s : *after) {
            if (s.key() != key) {
                continue;
            }
            for (const auto& rs : s.realServers) {
                if (rs.address == want && rs.port == port) {
                    if (rs.weight != weight) {
                        r.error(rpc::ActionFailed, "the kernel accepted the weight but reports " +
                                                       std::to_string(rs.weight));
                        return;
                    }
                    r.result(rs);
                    sample();
                    return;
                }
            }
        }
    }
    r.error(rpc::ActionFailed, "the real server disappeared right after the change");
}

void IpvsModule::reload(const agent::AgentConfig& /*config*/) { startTimer(); }

void IpvsModule::startTimer()
{
    if (!m_backend || m_context == nullptr) {
        return;
    }
    m_timer.reset();
    auto t = m_context->loop.addTimer(m_context->config.sampleInterval, true, [this] {
        // At most 1/4 of a CPU on samples: a table that takes 1.5 s to read (1000 services
        // under emulation) is read every 6 s, and the loop stays free to answer in between.
        if (m_haveSample && std::chrono::steady_clock::now() - m_lastList < m_listCost * kSampleCostFactor) {
            return;
        }
        sample();
    });
    if (t) {
        m_timer = std::move(*t);
    } else {
        agent::logError("ipvs: cannot start the sample timer: " + t.error().message);
    }
    m_watchTimer.reset();
    updateWatch();
}

void IpvsModule::updateWatch()
{
    if (!m_backend || m_context == nullptr) {
        return;
    }
    // Quick looks serve only subscribers (who see a change sooner); nobody else reads the table
    // between samples, so with nobody subscribed there are none, and no timer wakes the agent.
    const auto watchEvery = changePollInterval(m_context->config);
    const bool wanted = watchEvery.count() > 0 && watchEvery < m_context->config.sampleInterval &&
                        m_context->publisher.subscriberCount(proto::topic::Ipvs) > 0;
    if (!wanted) {
        m_watchTimer.reset();
        return;
    }
    if (m_watchTimer.valid()) {
        return;
    }
    m_stamp.reset(); // the table may have changed while nobody looked: the next look lists it
    auto w = m_context->loop.addTimer(watchEvery, true, [this] { watch(); });
    if (w) {
        m_watchTimer = std::move(*w);
    } else {
        agent::logError("ipvs: cannot start the change timer: " + w.error().message);
    }
}

Expected<std::vector<proto::VirtualService>> IpvsModule::timedList()
{
    // While quick looks run, the structure's fingerprint is taken first: a change between the
    // two reads then shows in the next quick look instead of going unseen until a sample.
    if (m_watchTimer.valid()) {
        m_stamp = m_backend->structureStamp();
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto list = m_backend->list();
    m_lastList = std::chrono::steady_clock::now();
    m_listCost = m_lastList - t0;
    return list;
}

void IpvsModule::watch()
{
    if (!m_backend || m_context == nullptr || !m_haveSample) {
        return;
    }
    // At most 1/20 of a CPU on quick looks: a table that takes 10 ms to read is looked at every 200 ms.
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastList < m_listCost * kWatchCostFactor || now - m_lastStamp < m_stampCost * kWatchCostFactor) {
        return;
    }
    // The cheap look first: the whole table is read only when its fingerprint moved.
    if (m_stamp) {
        const auto stamp = m_backend->structureStamp();
        m_lastStamp = std::chrono::steady_clock::now();
        m_stampCost = m_lastStamp - now;
        if (stamp && *stamp == *m_stamp) {
            return;
        }
    }
    auto list = timedList();
    if (!list || !ipvsStructureChanged(m_last, *list)) {
        return;
    }
    auto delta = ipvsDelta(m_last, *list);
    if (!delta.empty()) {
        m_context->publisher.publish(proto::topic::Ipvs, std::move(delta));
    }
    m_last = std::move(*list);
}

void IpvsModule::sample()
{
    if (!m_backend || m_context == nullptr) {
        return;
    }
    auto list = timedList();
    if (!list) {
        agent::logWarning("ipvs: " + list.error().message);
        return;
    }
    // The delta is only for subscribers; a new one gets the snapshot (m_last) first.
    if (m_haveSample && m_context->publisher.subscriberCount(proto::topic::Ipvs) > 0) {
        auto delta = ipvsDelta(m_last, *list);
        if (!delta.empty()) {
            m_context->publisher.publish(proto::topic::Ipvs, std::move(delta));
        }
    }
    m_last = std::move(*list);
    m_haveSample = true;
}

} // namespace hadeck::probes
