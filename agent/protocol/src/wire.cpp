#include "hadeck/protocol/wire.h"

#include <cmath>

namespace hadeck::proto::wire {

void fail(std::string_view field, std::string_view what)
{
    std::string message;
    message.reserve(field.size() + what.size() + 8);
    message.append("'").append(field.substr(0, 64)).append("' ").append(what);
    throw DecodeError(message);
}

void requireObject(const Json& j, std::string_view what)
{
    if (!j.is_object()) {
        fail(what, "must be an object");
    }
}

double number(const Json& j, std::string_view field)
{
    if (!j.is_number()) {
        fail(field, "must be a number");
    }
    const double v = j.get<double>();
    if (!std::isfinite(v)) {
        fail(field, "must be finite");
    }
    return v;
}

const Json* find(const Json& obj, std::string_view key)
{
    if (!obj.is_object()) {
        fail(key, "is in a payload that is not an object");
    }
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

const Json& member(const Json& obj, std::string_view key)
{
    const Json* v = find(obj, key);
    if (!v) {
        fail(key, "is missing");
    }
    return *v;
}

void req(const Json& obj, std::string_view key, std::string& out)
{
    const Json& v = member(obj, key);
    if (!v.is_string()) {
        fail(key, "must be a string");
    }
    out = v.get<std::string>();
}

void opt(const Json& obj, std::string_view key, std::string& out)
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        req(obj, key, out);
    }
}

void opt(const Json& obj, std::string_view key, std::optional<std::string>& out)
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        std::string s;
        req(obj, key, s);
        out = std::move(s);
    } else {
        out.reset();
    }
}

void req(const Json& obj, std::string_view key, bool& out)
{
    const Json& v = member(obj, key);
    if (!v.is_boolean()) {
        fail(key, "must be true or false");
    }
    out = v.get<bool>();
}

void opt(const Json& obj, std::string_view key, bool& out)
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        req(obj, key, out);
    }
}

void req(const Json& obj, std::string_view key, double& out) { out = number(member(obj, key), key); }

void opt(const Json& obj, std::string_view key, double& out)
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        out = number(*v, key);
    }
}

void req(const Json& obj, std::string_view key, std::vector<std::string>& out)
{
    const Json& v = member(obj, key);
    if (!v.is_array()) {
        fail(key, "must be an array of strings");
    }
    std::vector<std::string> result;
    result.reserve(v.size());
    for (const Json& e : v) {
        if (!e.is_string()) {
            fail(key, "must be an array of strings");
        }
        result.push_back(e.get<std::string>());
    }
    out = std::move(result);
}

void opt(const Json& obj, std::string_view key, std::vector<std::string>& out)
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        req(obj, key, out);
    }
}

void opt(const Json& obj, std::string_view key, Json& out)
{
    if (const Json* v = find(obj, key)) {
        out = *v;
    }
}

} // namespace hadeck::proto::wire
