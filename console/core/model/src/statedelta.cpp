#include "hadeck/console/model/statedelta.h"

namespace hadeck::console {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

template <typename T>
Status decodeArray(const rpc::Json& params, const char* key, std::vector<T>& out)
{
    const auto it = params.find(key);
    if (it == params.end() || !it->is_array()) {
        return fail(std::string("state.delta: \"") + key + "\" is missing or not an array", rpc::InvalidParams);
    }
    auto decoded = proto::fromJson<std::vector<T>>(*it);
    if (!decoded) {
        return fail(std::string("state.delta \"") + key + "\": " + decoded.error().message, rpc::InvalidParams);
    }
    out = std::move(decoded).value();
    return {};
}

Status decodeIpvs(const rpc::Json& params, StateDelta& d)
{
    if (d.snapshot || params.contains("services")) {
        if (auto s = decodeArray(params, "services", d.services); !s) {
            return s;
        }
    }
    try {
        for (const auto& key : params.value("removedServices", rpc::Json::array())) {
            d.removedServices.push_back(key.get<std::string>());
        }
        for (const auto& r : params.value("removedDests", rpc::Json::array())) {
            d.removedDests.emplace_back(r.at("service").get<std::string>(), r.at("endpoint").get<std::string>());
        }
    } catch (const std::exception& e) {
        return fail(std::string("state.delta ipvs removals: ") + e.what(), rpc::InvalidParams);
    }
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
    const auto topic = params.find("topic");
    if (topic == params.end() || !topic->is_string()) {
        return fail("state.delta: \"topic\" is missing or not a string", rpc::InvalidParams);
    }
    StateDelta d;
    const auto snapshot = params.find("snapshot");
    d.snapshot = snapshot != params.end() && snapshot->is_boolean() && snapshot->get<bool>();
    const auto& t = topic->get_ref<const std::string&>();
    Status status;
    if (t == "ipvs") {
        d.topic = StateDelta::Topic::Ipvs;
        status = decodeIpvs(params, d);
    } else if (t == "vrrp") {
        d.topic = StateDelta::Topic::Vrrp;
        status = decodeArray(params, "instances", d.instances);
    } else if (t == "realserver") {
        d.topic = StateDelta::Topic::RealServer;
        status = decodeDrCheck(params, d.drCheck);
    }
    if (!status) {
        return fail(status.error().message, status.error().code);
    }
    return d;
}

} // namespace hadeck::console
