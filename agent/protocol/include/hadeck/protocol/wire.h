#pragma once

// Checked decoding of wire payloads, used by every from_json in the protocol
// library and so by both sides. A payload comes from a socket: it may be hostile
// or from a buggy peer. Integers must be JSON integers (no 1.5, no 1e300) within
// the field's range; strings, booleans, arrays and objects must be what they say.
// A violation throws wire::DecodeError naming the field; proto::fromJson turns
// that into an InvalidParams value, so nothing here reaches a caller as an exception.
//
// Nothing narrows silently: weight -1 is not 4294967295, port 70000 is not 4464,
// and 2^40 is not 0.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace hadeck::proto::wire {

using Json = nlohmann::json;

class DecodeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(std::string_view field, std::string_view what);

/// Throws unless @p j is an object (the shape of every params and result).
void requireObject(const Json& j, std::string_view what = "payload");

/// The integer in @p j, checked against [min, max]. Floats, strings and
/// booleans are refused, whatever their value.
template <typename T>
    requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
T integer(const Json& j, std::string_view field, T min = std::numeric_limits<T>::min(),
          T max = std::numeric_limits<T>::max())
{
    if (j.is_number_unsigned()) {
        const auto v = j.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(max) || (min > 0 && v < static_cast<std::uint64_t>(min))) {
            fail(field, "is out of range");
        }
        return static_cast<T>(v);
    }
    if (j.is_number_integer()) {
        const auto v = j.get<std::int64_t>();
        if (v < 0) {
            if constexpr (std::is_unsigned_v<T>) {
                fail(field, "is out of range");
            } else if (v < static_cast<std::int64_t>(min)) {
                fail(field, "is out of range");
            }
        } else if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(max) ||
                   (min > 0 && static_cast<std::uint64_t>(v) < static_cast<std::uint64_t>(min))) {
            fail(field, "is out of range");
        }
        return static_cast<T>(v);
    }
    fail(field, j.is_number_float() ? "must be an integer" : "must be a number");
}

/// A finite number (integer or float).
double number(const Json& j, std::string_view field);

// --- Fields of an object. `req` throws when the key is missing; `opt` keeps
// --- the default. Both throw on a present key of the wrong type or range.

const Json& member(const Json& obj, std::string_view key);
const Json* find(const Json& obj, std::string_view key);

template <typename T>
    requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
void req(const Json& obj, std::string_view key, T& out, T min = std::numeric_limits<T>::min(),
         T max = std::numeric_limits<T>::max())
{
    out = integer<T>(member(obj, key), key, min, max);
}

template <typename T>
    requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
void opt(const Json& obj, std::string_view key, T& out, T min = std::numeric_limits<T>::min(),
         T max = std::numeric_limits<T>::max())
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        out = integer<T>(*v, key, min, max);
    }
}

void req(const Json& obj, std::string_view key, std::string& out);
void opt(const Json& obj, std::string_view key, std::string& out);
void req(const Json& obj, std::string_view key, bool& out);
void opt(const Json& obj, std::string_view key, bool& out);
void req(const Json& obj, std::string_view key, double& out);
void opt(const Json& obj, std::string_view key, double& out);
void opt(const Json& obj, std::string_view key, std::optional<std::string>& out);
void req(const Json& obj, std::string_view key, std::vector<std::string>& out);
void opt(const Json& obj, std::string_view key, std::vector<std::string>& out);
/// Any JSON value (kept as is), for fields that are documents in their own right.
void opt(const Json& obj, std::string_view key, Json& out);

/// An array of T, each element decoded with T's from_json (and so checked).
template <typename T>
void opt(const Json& obj, std::string_view key, std::vector<T>& out)
{
    const Json* v = find(obj, key);
    if (!v || v->is_null()) {
        return;
    }
    if (!v->is_array()) {
        fail(key, "must be an array");
    }
    std::vector<T> result;
    result.reserve(v->size());
    for (const Json& e : *v) {
        try {
            result.push_back(e.get<T>());
        } catch (const DecodeError& error) {
            // Name the element: "instances[3]: 'name' must be a string".
            throw DecodeError(std::string(key.substr(0, 64)) + "[" + std::to_string(result.size()) + "]: " + error.what());
        }
    }
    out = std::move(result);
}

template <typename T>
void req(const Json& obj, std::string_view key, std::vector<T>& out)
{
    if (!find(obj, key)) {
        fail(key, "is missing");
    }
    opt(obj, key, out);
}

/// A nested object decoded with T's from_json.
template <typename T>
    requires std::is_class_v<T>
void optObject(const Json& obj, std::string_view key, T& out)
{
    const Json* v = find(obj, key);
    if (!v || v->is_null()) {
        return;
    }
    if (!v->is_object()) {
        fail(key, "must be an object");
    }
    out = v->get<T>();
}

template <typename T>
    requires std::is_class_v<T>
void reqObject(const Json& obj, std::string_view key, T& out)
{
    if (!find(obj, key)) {
        fail(key, "is missing");
    }
    optObject(obj, key, out);
}

/// A nested optional object.
template <typename T>
void optObject(const Json& obj, std::string_view key, std::optional<T>& out)
{
    const Json* v = find(obj, key);
    if (!v || v->is_null()) {
        out.reset();
        return;
    }
    if (!v->is_object()) {
        fail(key, "must be an object");
    }
    out = v->get<T>();
}

/// A string field whose value must be one of an enum's names (@p parse returns
/// nullopt for an unknown name).
template <typename E, typename Parse>
void reqEnum(const Json& obj, std::string_view key, E& out, Parse parse)
{
    std::string s;
    req(obj, key, s);
    const std::optional<E> v = parse(s);
    if (!v) {
        fail(key, "has an unknown value");
    }
    out = *v;
}

template <typename E, typename Parse>
void optEnum(const Json& obj, std::string_view key, E& out, Parse parse)
{
    if (const Json* v = find(obj, key); v && !v->is_null()) {
        reqEnum(obj, key, out, parse);
    }
}

} // namespace hadeck::proto::wire
