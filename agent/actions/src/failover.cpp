#include "hadeck/agent/actions/failover.h"

#include "hadeck/agent/files.h"

#include <set>
#include <sstream>

namespace hadeck::agent {

Status writeTrackFile(const std::filesystem::path& path, int value)
{
    return files::writeFileAtomically(path, std::to_string(value) + "\n",
                                      files::WriteOptions{.mode = 0644, .createParents = true});
}

Expected<std::optional<int>> readTrackFile(const std::filesystem::path& path)
{
    // Read on the loop thread for vrrp.failoverStatus: a track file in a directory others may
    // write (/tmp) could be made a FIFO, whose open would block the agent. Links are refused too.
    auto text = files::readFileIfExists(path, 4096, files::OpenAs::Regular);
    if (!text) {
        return fail(text.error().message);
    }
    if (!text->has_value()) {
        return std::optional<int>{};
    }
    std::istringstream in(**text);
    long long value = 0;
    if (!(in >> value)) {
        // keepalived reads a file without a number as 0.
        return std::optional<int>{0};
    }
    return std::optional<int>{static_cast<int>(value)};
}

} // namespace hadeck::agent

namespace hadeck::agent {

std::vector<std::string> affectedInstances(const std::map<std::string, std::filesystem::path>& failoverFiles,
                                           const std::vector<std::string>& targets)
{
    std::set<std::filesystem::path> files;
    for (const auto& t : targets) {
        if (const auto f = failoverFiles.find(t); f != failoverFiles.end()) {
            files.insert(f->second.lexically_normal());
        }
    }
    std::set<std::string> out(targets.begin(), targets.end());
    for (const auto& [instance, file] : failoverFiles) {
        if (files.count(file.lexically_normal()) != 0) {
            out.insert(instance);
        }
    }
    return {out.begin(), out.end()};
}

} // namespace hadeck::agent
