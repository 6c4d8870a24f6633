#include "hadeck/console/model/statedelta.h"

#include "hadeck/console/model/fastdelta.h"

#include <hadeck/protocol/payloads.h>

namespace hadeck::console {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

void takeIpvs(proto::IpvsTopic& topic, StateDelta& d)
{
    d.services = std::move(topic.services);
    d.removedServices = std::move(topic.removedServices);
    d.removedDests.reserve(topic.removedDests.size());
    for (auto& r : topic.removedDests) {
        d.removedDests.emplace_back(std::move(r.service), std::move(r.endpoint));
    }
}

Status decodeIpvs(const rpc::Json& params, StateDelta& d)
{
    auto topic = proto::fromJson<proto::IpvsTopic>(params);
    if (!topic) {
        return fail("state.delta ipvs: " + topic.error().message, rpc::InvalidParams);
    }
    takeIpvs(*topic, d);
    return {};
}

Status decodeVrrp(const rpc::Json& params, StateDelta& d)
{
    auto topic = proto::fromJson<proto::VrrpTopic>(params);
    if (!topic) {
        return fail("state.delta vrrp: " + topic.error().message, rpc::InvalidParams);
    }
    d.instances = std::move(topic->instances);
    d.running = topic->running;
    return {};
}

Status decodeDrCheck(const rpc::Json& params, DrCheck& check)
{
    auto topic = proto::fromJson<proto::DrCheckResult>(params);
    if (!topic) {
        return fail("state.delta realserver: " + topic.error().message, rpc::InvalidParams);
    }
    check.ok = topic->ok;
    check.items.reserve(topic->findings.size());
    for (const auto& f : topic->findings) {
        check.items.push_back({qs(f.subject.empty() ? f.check : f.check + ' ' + f.subject), f.ok, qs(f.message)});
    }
    return {};
}

} // namespace

Expected<StateDelta> decodeStateDelta(const rpc::Json& params)
{
    if (!params.is_object()) {
        return fail("state.delta: params is not an object", rpc::InvalidParams);
    }
    const auto head = proto::fromJson<proto::StateDeltaHead>(params);
    if (!head) {
        return fail("state.delta: " + head.error().message, rpc::InvalidParams);
    }
    StateDelta d;
    d.snapshot = head->snapshot;
    const std::string& t = head->topic;
    Status status;
    if (t == proto::topic::Ipvs) {
        d.topic = StateDelta::Topic::Ipvs;
        status = decodeIpvs(params, d);
    } else if (t == proto::topic::Vrrp) {
        d.topic = StateDelta::Topic::Vrrp;
        status = decodeVrrp(params, d);
    } else if (t == proto::topic::RealServer) {
        d.topic = StateDelta::Topic::RealServer;
        status = decodeDrCheck(params, d.drCheck);
    }
    if (!status) {
        return fail(status.error().message, status.error().code);
    }
    return d;
}

std::optional<StateDelta> decodeStateDelta(const rpc::FastReader& reader)
{
    auto topic = reader.ipvsTopic();
    if (!topic) {
        return std::nullopt;
    }
    StateDelta d;
    d.topic = StateDelta::Topic::Ipvs;
    d.snapshot = reader.head().snapshot;
    takeIpvs(*topic, d);
    return d;
}

} // namespace hadeck::console
