#include "hadeck/console/model/statedelta.h"

#include <hadeck/protocol/payloads.h>

namespace hadeck::console {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

Status decodeIpvs(const rpc::Json& params, StateDelta& d)
{
    auto topic = proto::fromJson<proto::IpvsTopic>(params);
    if (!topic) {
        return fail("state.delta ipvs: " + topic.error().message, rpc::InvalidParams);
    }
    d.services = std::move(topic->services);
    d.removedServices = std::move(topic->removedServices);
    d.removedDests.reserve(topic->removedDests.size());
    for (auto& r : topic->removedDests) {
        d.removedDests.emplace_back(std::move(r.service), std::move(r.endpoint));
    }
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
    const auto ok = params.find("ok");
    if (ok == params.end() || !ok->is_boolean()) {
        return fail("state.delta realserver: \"ok\" is missing or not a boolean", rpc::InvalidParams);
    }
    check.ok = ok->get<bool>();
    if (const auto items = params.find("checks"); items != params.end() && items->is_array()) {
        for (const auto& item : *items) {
            if (!item.is_object()) {
                return fail("state.delta realserver: a check is not an object", rpc::InvalidParams);
            }
            DrCheckItem line;
            try {
                line.name = qs(item.value("name", std::string()));
                line.ok = item.value("ok", true);
                line.detail = qs(item.value("detail", std::string()));
            } catch (const std::exception& e) {
                return fail(std::string("state.delta realserver: ") + e.what(), rpc::InvalidParams);
            }
            check.items.push_back(std::move(line));
        }
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

} // namespace hadeck::console
