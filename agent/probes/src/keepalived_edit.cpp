#include "hadeck/probes/keepalived_edit.h"

#include "hadeck/agent/files.h"
#include "hadeck/probes/keepalived_config.h"
#include "hadeck/probes/process.h"
#include "hadeck/protocol/jsonrpc.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hadeck::probes {

namespace files = agent::files;

namespace {

const ConfNode* findInstance(const ConfTree& tree, const std::string& instance)
{
    for (const auto& n : tree.nodes) {
        if (n.block && n.keyword == "vrrp_instance" && n.arg(0) == instance) {
            return &n;
        }
    }
    return nullptr;
}

bool referencesTrack(const ConfNode& instance, const std::string& trackName)
{
    for (const auto& c : instance.children) {
        if (c.keyword != "track_file") {
            continue;
        }
        for (const auto& ref : c.children) {
            if (ref.keyword == trackName) {
                return true;
            }
        }
    }
    return false;
}

std::string withoutLocation(const std::string& line)
{
    // "(/etc/keepalived/keepalived.conf: Line 12) Unknown keyword 'x'" → "Unknown keyword 'x'"
    if (!line.empty() && line[0] == '(') {
        const auto close = line.find(") ");
        if (close != std::string::npos && line.find(": Line ") < close) {
            return line.substr(close + 2);
        }
    }
    return line;
}

/// The file's name replaced by a neutral one, so the candidate's output compares with the original's.
std::string withNeutralName(std::string text, const std::string& name)
{
    if (name.empty()) {
        return text;
    }
    for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
        text.replace(at, name.size(), "keepalived.conf");
        at += std::strlen("keepalived.conf");
    }
    return text;
}

std::string utcStamp()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm utc{};
    gmtime_r(&ts.tv_sec, &utc);
    std::array<char, 32> date{};
    std::strftime(date.data(), date.size(), "%Y%m%dT%H%M%S", &utc);
    // Microseconds are 0..999999 (six digits); the buffer holds any long besides, so an
    // optimised build proves no truncation.
    std::array<char, 64> out{};
    std::snprintf(out.data(), out.size(), "%s.%06ldZ", date.data(), ts.tv_nsec / 1000L);
    return out.data();
}

Unexpected<ConfigEditFailure> refuse(std::string message, int code, std::string output = {})
{
    return Unexpected<ConfigEditFailure>{ConfigEditFailure{std::move(message), code, std::move(output)}};
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return m_fd; }

private:
    int m_fd;
};

bool lockWithin(int fd, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            return false;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

bool sameFile(const struct stat& a, const struct stat& b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

void pruneBackups(const std::filesystem::path& path, std::size_t keep)
{
    const std::string prefix = path.filename().string() + ".hadeck-bak-";
    std::vector<std::filesystem::path> backups;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(path.parent_path(), ec)) {
        if (e.path().filename().string().rfind(prefix, 0) == 0) {
            backups.push_back(e.path());
        }
    }
    if (backups.size() <= keep) {
        return;
    }
    std::sort(backups.begin(), backups.end()); // the stamp sorts by time
    for (std::size_t i = 0; i + keep < backups.size(); ++i) {
        std::filesystem::remove(backups[i], ec);
    }
}

} // namespace

Expected<std::string> addTrackFileToInstance(std::string_view text, const std::string& fileName,
                                             const std::string& instance, const std::string& trackName,
                                             const std::string& trackPath)
{
    auto tree = parseKeepalivedConfText(text, fileName, nullptr);
    if (!tree) {
        return fail("cannot parse " + fileName + ": " + tree.error().message);
    }
    const ConfNode* node = findInstance(*tree, instance);
    if (node == nullptr) {
        return fail("vrrp_instance " + instance + " is not in this file (it may be in an included file)");
    }
    if (referencesTrack(*node, trackName)) {
        return fail("vrrp_instance " + instance + " already references " + trackName);
    }
    if (node->endLine < node->line || node->endLine <= 0) {
        return fail("vrrp_instance " + instance + " has no closing brace");
    }
    // Offsets of each line's start.
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            starts.push_back(i + 1);
        }
    }
    const auto endIndex = static_cast<std::size_t>(node->endLine - 1);
    if (endIndex >= starts.size()) {
        return fail("vrrp_instance " + instance + ": the parser's closing line is past the end of the text");
    }
    const std::size_t lineStart = starts[endIndex];
    const std::size_t lineEnd = endIndex + 1 < starts.size() ? starts[endIndex + 1] : text.size();
    const std::string_view closing = text.substr(lineStart, lineEnd - lineStart);
    // The closing brace: the first '}' on the line that takes the depth back to the block's
    // own level. On a line of its own that is the first '}'; a one-line block closes at its last.
    const bool ownLine = node->line != node->endLine;
    const std::size_t brace = ownLine ? closing.find('}') : closing.rfind('}');
    if (brace == std::string_view::npos) {
        return fail("vrrp_instance " + instance + ": no '}' on line " + std::to_string(node->endLine));
    }
    const std::string reference = "    track_file {\n        " + trackName + " weight 0\n    }\n";
    std::string out(text);
    const bool braceFirst = closing.find_first_not_of(" \t") == brace;
    if (braceFirst) {
        out.insert(lineStart, reference);
    } else {
        out.insert(lineStart + brace, "\n" + reference);
    }
    bool defined = false;
    for (const auto& n : tree->nodes) {
        defined = defined || (n.keyword == "track_file" && n.block && n.arg(0) == trackName);
    }
    if (!defined) {
        out.insert(0, "track_file " + trackName + " {\n    file \"" + trackPath +
                          "\"\n    weight 0\n    init_file 0\n}\n\n");
    }
    // The result must parse and show the reference where it was meant to go.
    auto check = parseKeepalivedConfText(out, fileName, nullptr);
    const ConfNode* edited = check ? findInstance(*check, instance) : nullptr;
    if (edited == nullptr || !referencesTrack(*edited, trackName)) {
        return fail("the edit of vrrp_instance " + instance + " did not parse back as intended; nothing changed");
    }
    return out;
}

std::vector<std::string> newKeepalivedComplaints(const std::string& before, const std::string& after)
{
    std::multiset<std::string> known;
    std::istringstream b(before);
    for (std::string line; std::getline(b, line);) {
        known.insert(withoutLocation(line));
    }
    std::vector<std::string> out;
    std::istringstream a(after);
    for (std::string line; std::getline(a, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        const auto it = known.find(withoutLocation(line));
        if (it != known.end()) {
            known.erase(it);
        } else {
            out.push_back(line);
        }
    }
    return out;
}

Expected<ConfigEditResult, ConfigEditFailure> editKeepalivedConfig(const std::filesystem::path& path,
                                                                   const ConfigEdit& edit,
                                                                   const ConfigEditOptions& options)
{
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const Fd dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirFd.get() < 0) {
        return refuse("cannot open " + dir.string() + ": " + std::strerror(errno), rpc::ActionFailed);
    }
    // Serialises HaDeck's own edits; edits by others are caught by the comparison before the rename.
    if (!lockWithin(dirFd.get(), options.lockTimeoutMs)) {
        return refuse("another edit of " + path.string() + " is in progress; try again", rpc::PreconditionFailed);
    }
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        return refuse("cannot read " + path.string() + ": " + std::strerror(errno), rpc::ActionFailed);
    }
    struct stat before{};
    if (::fstat(fd.get(), &before) != 0 || !S_ISREG(before.st_mode)) {
        return refuse(path.string() + " is not a regular file", rpc::ActionFailed);
    }
    auto original = files::readAll(fd.get());
    if (!original) {
        return refuse("cannot read " + path.string() + ": " + original.error().message, rpc::ActionFailed);
    }
    auto edited = edit(*original);
    if (!edited) {
        return refuse(edited.error().message, rpc::PreconditionFailed);
    }
    if (edited->empty() || edited->size() < original->size()) {
        return refuse("the edited configuration (" + std::to_string(edited->size()) +
                          " bytes) is empty or shorter than the current one (" + std::to_string(original->size()) +
                          " bytes); nothing changed",
                      rpc::ActionFailed);
    }

    auto candidate = files::TempFile::createNextTo(path, "hadeck-new");
    if (!candidate) {
        return refuse(candidate.error().message + "; nothing changed", rpc::ActionFailed);
    }
    if (auto s = candidate->copyAttributesFrom(fd.get()); !s) {
        return refuse(s.error().message + "; nothing changed", rpc::ActionFailed);
    }
    if (auto s = candidate->writeAndSync(*edited); !s) {
        return refuse(s.error().message + "; nothing changed", rpc::ActionFailed);
    }

    ConfigEditResult result;
    auto checked = runProcess({options.keepalivedBinary, "-t", "-f", candidate->path().string()},
                              options.checkTimeoutMs);
    if (!checked) {
        return refuse("cannot check the new configuration: " + checked.error().message, rpc::ActionFailed);
    }
    result.checkOutput = withNeutralName(checked->output, candidate->path().string());
    if (checked->exitCode != 0) {
        // keepalived -t exits non-zero on warnings too: judge the edit by what it adds.
        auto was = runProcess({options.keepalivedBinary, "-t", "-f", path.string()}, options.checkTimeoutMs);
        const std::string beforeOutput = was ? withNeutralName(was->output, path.string()) : std::string();
        const auto added = newKeepalivedComplaints(beforeOutput, result.checkOutput);
        if (!was || was->exitCode == 0 || !added.empty()) {
            std::string lines;
            for (const auto& l : added) {
                lines += l + "\n";
            }
            return refuse("keepalived -t rejected the new configuration:\n" + (lines.empty() ? result.checkOutput : lines),
                          rpc::PreconditionFailed, result.checkOutput);
        }
        result.warningsBefore = true;
    }

    // The backup first: without it there is no change.
    result.backup = path.string() + ".hadeck-bak-" + utcStamp();
    {
        auto backup = files::TempFile::createNextTo(result.backup, "tmp");
        if (!backup) {
            return refuse("cannot back up " + path.string() + ": " + backup.error().message + "; nothing changed",
                          rpc::ActionFailed);
        }
        Status s = backup->copyAttributesFrom(fd.get());
        if (s) {
            s = backup->writeAndSync(*original);
        }
        if (s) {
            s = backup->renameOver(result.backup);
        }
        if (!s) {
            return refuse("cannot back up " + path.string() + ": " + s.error().message + "; nothing changed",
                          rpc::ActionFailed);
        }
    }

    if (options.beforeReplace) {
        options.beforeReplace();
    }
    struct stat now{};
    if (::stat(path.c_str(), &now) != 0 || !sameFile(before, now)) {
        return refuse(path.string() + " changed while it was being edited; nothing replaced, edit again",
                      rpc::PreconditionFailed);
    }
    auto current = files::readFile(path);
    if (!current || *current != *original) {
        return refuse(path.string() + " changed while it was being edited; nothing replaced, edit again",
                      rpc::PreconditionFailed);
    }
    if (auto s = candidate->renameOver(path); !s) {
        return refuse(s.error().message, rpc::ActionFailed);
    }
    pruneBackups(path, options.keepBackups);
    return result;
}

} // namespace hadeck::probes
