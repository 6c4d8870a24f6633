#include "hadeck/probes/keepalived_config.h"

#include "hadeck/probes/process.h"
#include "hadeck/agent/files.h"
#include "text_util.h"

#include <glob.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <algorithm>

namespace hadeck::probes {

// ---- ConfNode helpers ------------------------------------------------------------

const ConfNode* ConfNode::child(std::string_view kw) const
{
    for (const auto& c : children) {
        if (c.enabled && c.known && c.keyword == kw) {
            return &c;
        }
    }
    return nullptr;
}

std::string ConfNode::arg(std::size_t i, std::string fallback) const
{
    return i < args.size() ? args[i] : std::move(fallback);
}

std::string ConfNode::where() const { return file + ":" + std::to_string(line); }

std::string ConfDiagnostic::toString() const { return file + ":" + std::to_string(line) + ": " + message; }

// ---- File source -------------------------------------------------------------------

namespace {

class FileConfigSource final : public ConfigSource {
public:
    Expected<std::string> read(const std::string& path) override
    {
        auto text = agent::files::readFile(path);
        if (!text) {
            return fail(text.error().message);
        }
        return std::move(*text);
    }

    std::vector<std::string> glob(const std::string& pattern) override
    {
        std::vector<std::string> out;
        glob_t g{};
        // GLOB_BRACE: keepalived accepts {a,b} in include patterns.
        if (::glob(pattern.c_str(), GLOB_BRACE | GLOB_TILDE, nullptr, &g) == 0) {
            for (std::size_t i = 0; i < g.gl_pathc; ++i) {
                out.emplace_back(g.gl_pathv[i]);
            }
        }
        globfree(&g);
        std::sort(out.begin(), out.end());
        return out;
    }
};
} // namespace

std::unique_ptr<ConfigSource> makeFileConfigSource() { return std::make_unique<FileConfigSource>(); }

Expected<KeepalivedConfig> loadKeepalivedConfig(const std::string& path, const ConfParseOptions& options)
{
    auto source = makeFileConfigSource();
    auto tree = loadKeepalivedConf(path, *source, options);
    if (!tree) {
        return Unexpected<Failure>{tree.error()};
    }
    return typedView(std::move(*tree));
}

namespace {

/// "size mtime inode" of @p path, or "absent".
std::string statStamp(const std::string& path)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
        return "absent";
    }
    return std::to_string(st.st_size) + ' ' + std::to_string(st.st_mtim.tv_sec) + '.' +
           std::to_string(st.st_mtim.tv_nsec) + ' ' + std::to_string(st.st_ino);
}

/// Passes reads and globs on to another source, stamping each file just before its first read
/// and the directory of each glob (when that directory is no pattern itself).
class StampingSource final : public ConfigSource {
public:
    StampingSource(ConfigSource& inner, std::map<std::string, std::string>& stamps) : m_inner(inner), m_stamps(stamps)
    {}

    Expected<std::string> read(const std::string& path) override
    {
        m_stamps.try_emplace(path, statStamp(path));
        return m_inner.read(path);
    }

    std::vector<std::string> glob(const std::string& pattern) override
    {
        const auto slash = pattern.rfind('/');
        if (slash != std::string::npos) {
            const std::string dir = slash == 0 ? std::string("/") : pattern.substr(0, slash);
            if (dir.find_first_of("*?[{") == std::string::npos) {
                m_stamps.try_emplace(dir, statStamp(dir));
            }
        }
        return m_inner.glob(pattern);
    }

private:
    ConfigSource& m_inner;
    std::map<std::string, std::string>& m_stamps;
};

} // namespace

Expected<KeepalivedConfig> KeepalivedConfigFiles::load(const std::string& path, ConfigSource* source,
                                                       const ConfParseOptions& options)
{
    m_stamps.clear();
    m_stamps.emplace(path, statStamp(path)); // even when the read fails, a new file is seen
    std::unique_ptr<ConfigSource> files;
    if (source == nullptr) {
        files = makeFileConfigSource();
        source = files.get();
    }
    StampingSource stamping(*source, m_stamps);
    auto tree = loadKeepalivedConf(path, stamping, options);
    if (!tree) {
        m_files = {path};
        return Unexpected<Failure>{tree.error()};
    }
    m_files = tree->files;
    return typedView(std::move(*tree));
}

bool KeepalivedConfigFiles::changed() const
{
    return std::any_of(m_stamps.begin(), m_stamps.end(),
                       [](const auto& entry) { return statStamp(entry.first) != entry.second; });
}

} // namespace hadeck::probes

namespace hadeck::probes {

KeepalivedValidation validateWithKeepalived(const std::string& path, const std::string& keepalivedBinary)
{
    KeepalivedValidation v;
    auto r = runProcess({keepalivedBinary, "-t", "-f", path}, 30000);
    if (!r) {
        v.messages.push_back(r.error().message);
        return v;
    }
    v.ran = true;
    v.exitCode = r->exitCode;
    v.valid = r->exitCode == 0;
    for (const auto line : text::lines(r->output)) {
        if (!text::trim(line).empty()) {
            v.messages.emplace_back(text::trim(line));
        }
    }
    return v;
}

} // namespace hadeck::probes
