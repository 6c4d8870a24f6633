#include "hadeck/agent/lazy_lib.h"

#include <dlfcn.h>

namespace hadeck::agent::lazy {

void* open(const char* soname, std::string& error)
{
    void* h = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
        const char* why = ::dlerror();
        error = std::string("cannot load ") + soname + ": " + (why != nullptr ? why : "unknown error");
    }
    return h;
}

void callIfLoaded(const char* soname, const char* name)
{
    void* h = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (h == nullptr) {
        return;
    }
    void (*fn)() = nullptr;
    std::string ignored;
    if (resolve(h, soname, name, fn, ignored)) {
        fn();
    }
    ::dlclose(h); // only drops the reference RTLD_NOLOAD took
}

void* symbol(void* handle, const char* soname, const char* name, std::string& error)
{
    ::dlerror();
    void* p = handle != nullptr ? ::dlsym(handle, name) : nullptr;
    if (p == nullptr) {
        error = std::string(soname) + " has no " + name;
    }
    return p;
}

} // namespace hadeck::agent::lazy
