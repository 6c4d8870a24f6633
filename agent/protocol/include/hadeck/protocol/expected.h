#pragma once

// A small std::expected stand-in: C++20 toolchains on the supported platforms
// (GCC 12, MSVC 2019) do not all ship <expected>. Errors are values at every
// boundary; nothing here throws.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace hadeck {

/// An error a user can act on: a message, plus an optional machine code.
struct Failure {
    std::string message;
    int code = 0;
};

template <typename E>
struct Unexpected {
    E error;
};

inline Unexpected<Failure> fail(std::string message, int code = 0)
{
    return Unexpected<Failure>{Failure{std::move(message), code}};
}

template <typename T, typename E = Failure>
class Expected {
public:
    Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}           // NOLINT(google-explicit-constructor)
    Expected(Unexpected<E> e) : m_v(std::in_place_index<1>, std::move(e.error)) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool hasValue() const { return m_v.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() & { assert(hasValue()); return std::get<0>(m_v); }
    const T& value() const& { assert(hasValue()); return std::get<0>(m_v); }
    T&& value() && { assert(hasValue()); return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const E& error() const { assert(!hasValue()); return std::get<1>(m_v); }

private:
    std::variant<T, E> m_v;
};

template <typename E>
class Expected<void, E> {
public:
    Expected() = default;
    Expected(Unexpected<E> e) : m_error(std::move(e.error)), m_ok(false) {} // NOLINT(google-explicit-constructor)
    [[nodiscard]] bool hasValue() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const E& error() const { assert(!m_ok); return m_error; }

private:
    E m_error{};
    bool m_ok = true;
};

using Status = Expected<void>;

} // namespace hadeck
