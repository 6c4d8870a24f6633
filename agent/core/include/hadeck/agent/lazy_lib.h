#pragma once
// Shared libraries opened on first use instead of at start.
//
// Every library the dynamic linker maps at start stays in the agent's resident memory (VmRSS
// counts its touched pages, and a library's start-up code and relocations touch many) on every
// node, for the agent's whole life. libcurl alone brought in gnutls, p11-kit, krb5, ldap, ssh2
// and a dozen more (about 4 MiB on a web node), libnftables another 0.6 MiB, libmariadb with
// libssl 0.5 MiB; yet only an agent that delivers a notification needs libcurl, only a
// database node libmariadb and only a firewall action libnftables. Those modules resolve the
// few functions they call through this helper the first time they need them; a node that never
// does never maps them. The Debian package still depends on them (installer/CMakeLists.txt).

#include <cstring>
#include <string>
#include <utility>

namespace hadeck::agent::lazy {

// dlopen(soname, RTLD_NOW | RTLD_LOCAL). nullptr with `error` set ("cannot load X: why") when it
// fails. Callers open once (a function-local static) and never close: the library stays mapped
// from its first use on.
void* open(const char* soname, std::string& error);

// Calls `name` (a function taking and returning nothing) in `soname` if, and only if, that library
// is already loaded (a lazily opened library brought it in); never loads it.
void callIfLoaded(const char* soname, const char* name);

// The address of `name` in `handle`; nullptr with `error` set when it is missing.
void* symbol(void* handle, const char* soname, const char* name, std::string& error);

// Resolves `name` into the function pointer `fn` (declared as decltype(&name) from the library's
// own header, so the signature is the header's). False with `error` set when it is missing.
template <class Fn>
bool resolve(void* handle, const char* soname, const char* name, Fn& fn, std::string& error)
{
    static_assert(sizeof(Fn) == sizeof(void*), "resolve() fills function pointers only");
    void* p = symbol(handle, soname, name, error);
    if (p == nullptr) {
        return false;
    }
    std::memcpy(&fn, &p, sizeof p); // a data pointer to a function pointer, as POSIX allows
    return true;
}

/// The API of @p soname, loaded once (a function-local static, so thread-safe) and never
/// unloaded: the library opened, then @p fill(handle, api, error) resolves each function and
/// returns false (with error set) at the first one missing. nullptr, with @p error set, when
/// the library or one of its functions cannot be loaded.
template <class Api, class Fill>
const Api* loadOnce(const char* soname, Fill fill, std::string& error)
{
    static const auto loaded = [&] {
        std::pair<Api, std::string> r;
        void* handle = open(soname, r.second);
        if ((handle == nullptr || !fill(handle, r.first, r.second)) && r.second.empty()) {
            r.second = std::string("cannot load ") + soname;
        }
        return r;
    }();
    if (!loaded.second.empty()) {
        error = loaded.second;
        return nullptr;
    }
    return &loaded.first;
}

} // namespace hadeck::agent::lazy
