#include "hadeck/agent/module_settings.h"

#include "hadeck/agent/log.h"

namespace hadeck::agent {

std::string moduleSetting(const AgentConfig& c, std::string_view module, std::string_view key, std::string fallback)
{
    const auto m = c.modules.find(module);
    if (m == c.modules.end() || !m->is_object()) {
        return fallback;
    }
    const auto v = m->find(key);
    if (v == m->end() || !v->is_string()) {
        if (v != m->end()) {
            logWarning("[modules." + std::string(module) + "] " + std::string(key) +
                       " must be a string; using the default");
        }
        return fallback;
    }
    return v->get<std::string>();
}

std::int64_t moduleSetting(const AgentConfig& c, std::string_view module, std::string_view key, std::int64_t fallback,
                           std::int64_t min, std::int64_t max)
{
    const auto m = c.modules.find(module);
    if (m == c.modules.end() || !m->is_object()) {
        return fallback;
    }
    const auto v = m->find(key);
    if (v == m->end()) {
        return fallback;
    }
    if (!v->is_number_integer() || v->get<std::int64_t>() < min || v->get<std::int64_t>() > max) {
        logWarning("[modules." + std::string(module) + "] " + std::string(key) + " must be an integer in [" +
                   std::to_string(min) + ", " + std::to_string(max) + "]; using the default");
        return fallback;
    }
    return v->get<std::int64_t>();
}

} // namespace hadeck::agent
