#include "hadeck/probes/ipvs_backend.h"

#include "hadeck/probes/ipvs_text.h"

#include <fstream>
#include <sstream>

namespace hadeck::probes {

namespace {

class ProcIpvs final : public IpvsBackend {
public:
    ProcIpvs(std::string procRoot, unsigned hz) : m_procRoot(std::move(procRoot)), m_hz(hz) {}

    std::string name() const override { return "proc"; }

    Expected<std::vector<proto::VirtualService>> list() override
    {
        const std::string path = m_procRoot + "/net/ip_vs";
        std::ifstream in(path);
        if (!in) {
            return fail("cannot read " + path + ": the kernel has no IPVS (load the ip_vs module)", IpvsUnavailable);
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        auto r = parseProcIpVs(ss.str(), m_hz);
        if (!r) {
            return fail(path + ": " + r.error().message, IpvsInvalid);
        }
        return r;
    }

    Status setWeight(const proto::VirtualService& /*service*/, const std::string& /*address*/, std::uint16_t /*port*/,
                     std::uint32_t /*weight*/) override
    {
        return fail("cannot change weights: IPVS is only readable through /proc here (generic netlink unavailable)",
                    IpvsReadOnly);
    }

private:
    std::string m_procRoot;
    unsigned m_hz;
};

} // namespace

std::unique_ptr<IpvsBackend> makeProcIpvsBackend(std::string procRoot, unsigned kernelHz)
{
    return std::make_unique<ProcIpvs>(std::move(procRoot), kernelHz);
}

Expected<std::unique_ptr<IpvsBackend>> makeIpvsBackend()
{
    auto nl = makeNetlinkIpvsBackend();
    if (nl) {
        return nl;
    }
    auto proc = makeProcIpvsBackend();
    if (proc->list()) {
        return std::unique_ptr<IpvsBackend>(std::move(proc));
    }
    return Unexpected<Failure>{nl.error()};
}

} // namespace hadeck::probes
