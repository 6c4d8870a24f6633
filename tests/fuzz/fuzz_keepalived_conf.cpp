// libFuzzer target for the keepalived.conf reader and its typed view. The input
// is the main file; an include of any pattern reads the input again (nesting is
// bounded). Invariants: no crash, no exception, every diagnostic names a line of a
// file read, and the typed view only holds values keepalived itself would load.

#include "hadeck/probes/keepalived_config.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace hadeck;
using namespace hadeck::probes;

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

class SelfSource final : public ConfigSource {
public:
    explicit SelfSource(std::string text) : m_text(std::move(text)) {}
    Expected<std::string> read(const std::string&) override { return m_text; }
    std::vector<std::string> glob(const std::string& pattern) override { return {pattern}; }

private:
    std::string m_text;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    SelfSource source(text);
    ConfParseOptions options;
    options.configId = "dir1";
    options.maxIncludeDepth = 1; // every include reads the input again: deeper nesting only multiplies it
    const auto tree = parseKeepalivedConfText(text, "/etc/keepalived/keepalived.conf", &source, options);
    if (!tree) {
        check(!tree.error().message.empty());
        return 0;
    }
    const long lines = static_cast<long>(std::count(text.begin(), text.end(), '\n')) + 1;
    const auto cfg = typedView(*tree);
    for (const auto& d : cfg.diagnostics) {
        check(!d.message.empty());
        check(d.line >= 0 && d.line <= lines);
        check(std::find(cfg.tree.files.begin(), cfg.tree.files.end(), d.file) != cfg.tree.files.end());
    }
    constexpr std::array algos{"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos"};
    for (const auto& i : cfg.instances) {
        check(i.priority >= 1 && i.priority <= 255);
        check(i.vrid >= 0 && i.vrid <= 255);
        check(!(i.nopreempt && (i.state == "MASTER" || i.priority == 255)));
    }
    for (const auto& vs : cfg.virtualServers) {
        check(vs.lbKind == "NAT" || vs.lbKind == "DR" || vs.lbKind == "TUN");
        check(std::find(algos.begin(), algos.end(), vs.lbAlgo) != algos.end());
        check(!vs.persistenceTimeout || (*vs.persistenceTimeout >= 1 && *vs.persistenceTimeout <= 2678400));
        check(vs.protocol.empty() || vs.protocol == "TCP" || vs.protocol == "UDP" || vs.protocol == "SCTP");
        const std::string name = vs.lvsName();
        check(name.size() > 2);
        for (const auto& rs : vs.realServers) {
            check(vs.fwmark == 0 || rs.port == 0);
            check(rs.weight >= 0);
            // keepalived's "[ADDRESS]:PROTOCOL:PORT", one word as its FIFO lines carry it.
            const std::string rsName = vs.lvsName(rs);
            check(rsName.front() == '[' && rsName.find(' ') == std::string::npos);
        }
        (void)vs.ipvsServices();
    }
    return 0;
}
