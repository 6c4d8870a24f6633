#include "hadeck/probes/ipvs_backend.h"

#include "hadeck/probes/ipvs_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace hadeck::probes {

namespace {

class ProcIpvs final : public IpvsBackend {
public:
    ProcIpvs(std::string procRoot, unsigned hz) : m_procRoot(std::move(procRoot)), m_hz(hz) {}

    std::string name() const override { return "proc"; }

    Expected<std::vector<proto::VirtualService>> list() override
    {
        const std::string path = m_procRoot + "/net/ip_vs";
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return fail("cannot read " + path + ": the kernel has no IPVS (load the ip_vs module)", IpvsUnavailable);
        }
        // Large reads: the table's seq_file is walked afresh at each read() boundary, and
        // small reads were seen to miss a service on a 6.1 kernel while it was being read.
        std::string text;
        std::vector<char> buf(1 << 20);
        for (;;) {
            const ssize_t n = read(fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            text.append(buf.data(), static_cast<std::size_t>(n));
        }
        close(fd);
        auto r = parseProcIpVs(text, m_hz);
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
