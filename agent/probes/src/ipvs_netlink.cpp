// IPVS over generic netlink (include/uapi/linux/ip_vs.h), with libnl-genl-3.
// One dump for the services, then one GET_DEST dump per service, as ipvsadm does.

#include "hadeck/probes/ipvs_backend.h"

#include "hadeck/probes/ipvs_text.h"

#include <linux/ip_vs.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

namespace hadeck::probes {

using proto::ForwardMethod;
using proto::IpvsStats;
using proto::RealServer;
using proto::VirtualService;

namespace {

struct SockDeleter {
    void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct MsgDeleter {
    void operator()(nl_msg* m) const { nlmsg_free(m); }
};
using SockPtr = std::unique_ptr<nl_sock, SockDeleter>;
using MsgPtr = std::unique_ptr<nl_msg, MsgDeleter>;

std::optional<std::uint32_t> u32(const nlattr* a)
{
    if (a == nullptr || nla_len(a) < 4) {
        return std::nullopt;
    }
    return nla_get_u32(const_cast<nlattr*>(a)); // NOLINT: libnl takes non-const
}

std::optional<std::uint16_t> u16(const nlattr* a)
{
    if (a == nullptr || nla_len(a) < 2) {
        return std::nullopt;
    }
    return nla_get_u16(const_cast<nlattr*>(a)); // NOLINT
}

std::uint64_t uAny(const nlattr* a)
{
    if (a == nullptr) {
        return 0;
    }
    auto* m = const_cast<nlattr*>(a); // NOLINT
    if (nla_len(a) >= 8) {
        return nla_get_u64(m);
    }
    if (nla_len(a) >= 4) {
        return nla_get_u32(m);
    }
    return 0;
}

std::string addressText(const nlattr* a, int af)
{
    if (a == nullptr || nla_len(a) < (af == 6 ? 16 : 4)) {
        return {};
    }
    std::array<char, INET6_ADDRSTRLEN> buf{};
    inet_ntop(af == 6 ? AF_INET6 : AF_INET, nla_data(a), buf.data(), buf.size());
    return buf.data();
}

IpvsStats readStats(nlattr* nest)
{
    IpvsStats s;
    if (nest == nullptr) {
        return s;
    }
    std::array<nlattr*, IPVS_STATS_ATTR_MAX + 1> t{};
    if (nla_parse_nested(t.data(), IPVS_STATS_ATTR_MAX, nest, nullptr) < 0) {
        return s;
    }
    s.conns = uAny(t[IPVS_STATS_ATTR_CONNS]);
    s.inPkts = uAny(t[IPVS_STATS_ATTR_INPKTS]);
    s.outPkts = uAny(t[IPVS_STATS_ATTR_OUTPKTS]);
    s.inBytes = uAny(t[IPVS_STATS_ATTR_INBYTES]);
    s.outBytes = uAny(t[IPVS_STATS_ATTR_OUTBYTES]);
    s.cps = uAny(t[IPVS_STATS_ATTR_CPS]);
    s.inPps = uAny(t[IPVS_STATS_ATTR_INPPS]);
    s.outPps = uAny(t[IPVS_STATS_ATTR_OUTPPS]);
    s.inBps = uAny(t[IPVS_STATS_ATTR_INBPS]);
    s.outBps = uAny(t[IPVS_STATS_ATTR_OUTBPS]);
    return s;
}

std::string protocolName(std::uint16_t p)
{
    switch (p) {
    case IPPROTO_TCP: return "tcp";
    case IPPROTO_UDP: return "udp";
    case IPPROTO_SCTP: return "sctp";
    default: return "proto" + std::to_string(p);
    }
}

std::optional<std::uint16_t> protocolNumber(const std::string& p)
{
    if (p == "tcp") {
        return IPPROTO_TCP;
    }
    if (p == "udp") {
        return IPPROTO_UDP;
    }
    if (p == "sctp") {
        return IPPROTO_SCTP;
    }
    return std::nullopt;
}

/// Everything SET_DEST must send back besides the weight.
struct DestExtra {
    std::optional<std::uint32_t> tunType;
    std::optional<std::uint16_t> tunPort;
    std::optional<std::uint16_t> tunFlags;
    std::uint32_t fwdRaw = 0;
};

struct DumpContext {
    std::vector<VirtualService>* services = nullptr;
    std::vector<RealServer>* dests = nullptr;
    std::vector<DestExtra>* extras = nullptr;
    int kernelError = 0; // negative errno from an NLMSG_ERROR
    bool parseError = false;
};

int onError(sockaddr_nl* /*nla*/, nlmsgerr* err, void* arg)
{
    static_cast<DumpContext*>(arg)->kernelError = err->error;
    return NL_STOP;
}

int onService(nl_msg* msg, void* arg)
{
    auto* ctx = static_cast<DumpContext*>(arg);
    std::array<nlattr*, IPVS_CMD_ATTR_MAX + 1> top{};
    if (genlmsg_parse(nlmsg_hdr(msg), 0, top.data(), IPVS_CMD_ATTR_MAX, nullptr) < 0 ||
        top[IPVS_CMD_ATTR_SERVICE] == nullptr) {
        ctx->parseError = true;
        return NL_SKIP;
    }
    std::array<nlattr*, IPVS_SVC_ATTR_MAX + 1> a{};
    if (nla_parse_nested(a.data(), IPVS_SVC_ATTR_MAX, top[IPVS_CMD_ATTR_SERVICE], nullptr) < 0) {
        ctx->parseError = true;
        return NL_SKIP;
    }
    VirtualService vs;
    const auto af = u16(a[IPVS_SVC_ATTR_AF]).value_or(AF_INET);
    vs.af = af == AF_INET6 ? 6 : 4;
    if (const auto mark = u32(a[IPVS_SVC_ATTR_FWMARK]); mark && *mark != 0) {
        vs.fwmark = *mark;
    } else {
        vs.protocol = protocolName(u16(a[IPVS_SVC_ATTR_PROTOCOL]).value_or(0));
        vs.address = addressText(a[IPVS_SVC_ATTR_ADDR], vs.af);
        vs.port = ntohs(u16(a[IPVS_SVC_ATTR_PORT]).value_or(0));
    }
    if (a[IPVS_SVC_ATTR_SCHED_NAME] != nullptr) {
        vs.scheduler = nla_get_string(a[IPVS_SVC_ATTR_SCHED_NAME]);
    }
    if (a[IPVS_SVC_ATTR_PE_NAME] != nullptr) {
        vs.peName = nla_get_string(a[IPVS_SVC_ATTR_PE_NAME]);
    }
    if (a[IPVS_SVC_ATTR_FLAGS] != nullptr && nla_len(a[IPVS_SVC_ATTR_FLAGS]) >= static_cast<int>(sizeof(ip_vs_flags))) {
        ip_vs_flags f{};
        std::memcpy(&f, nla_data(a[IPVS_SVC_ATTR_FLAGS]), sizeof f);
        // HASHED is kernel bookkeeping; ipvsadm hides it too.
        vs.flags = f.flags & ~static_cast<std::uint32_t>(IP_VS_SVC_F_HASHED);
    }
    vs.persistent = (vs.flags & IP_VS_SVC_F_PERSISTENT) != 0;
    vs.timeout = vs.persistent ? u32(a[IPVS_SVC_ATTR_TIMEOUT]).value_or(0) : 0;
    const auto mask = u32(a[IPVS_SVC_ATTR_NETMASK]).value_or(vs.af == 6 ? 128 : 0xffffffffu);
    if (vs.af == 6) {
        vs.netmask = std::to_string(mask); // a prefix length for v6
    } else {
        std::array<char, INET_ADDRSTRLEN> buf{};
        inet_ntop(AF_INET, &mask, buf.data(), buf.size()); // already network order
        vs.netmask = buf.data();
    }
    vs.stats = readStats(a[IPVS_SVC_ATTR_STATS64] != nullptr ? a[IPVS_SVC_ATTR_STATS64] : a[IPVS_SVC_ATTR_STATS]);
    ctx->services->push_back(std::move(vs));
    return NL_OK;
}

int onDest(nl_msg* msg, void* arg)
{
    auto* ctx = static_cast<DumpContext*>(arg);
    std::array<nlattr*, IPVS_CMD_ATTR_MAX + 1> top{};
    if (genlmsg_parse(nlmsg_hdr(msg), 0, top.data(), IPVS_CMD_ATTR_MAX, nullptr) < 0 ||
        top[IPVS_CMD_ATTR_DEST] == nullptr) {
        ctx->parseError = true;
        return NL_SKIP;
    }
    std::array<nlattr*, IPVS_DEST_ATTR_MAX + 1> a{};
    if (nla_parse_nested(a.data(), IPVS_DEST_ATTR_MAX, top[IPVS_CMD_ATTR_DEST], nullptr) < 0) {
        ctx->parseError = true;
        return NL_SKIP;
    }
    RealServer rs;
    const auto af = u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]);
    rs.af = af && *af == AF_INET6 ? 6 : 4;
    if (!af && a[IPVS_DEST_ATTR_ADDR] != nullptr) {
        // Kernels before 4.4 have no ADDR_FAMILY: a dest has its service's family.
        rs.af = ctx->services != nullptr && !ctx->services->empty() ? ctx->services->back().af : 4;
    }
    rs.address = addressText(a[IPVS_DEST_ATTR_ADDR], rs.af);
    rs.port = ntohs(u16(a[IPVS_DEST_ATTR_PORT]).value_or(0));
    DestExtra extra;
    extra.fwdRaw = u32(a[IPVS_DEST_ATTR_FWD_METHOD]).value_or(IP_VS_CONN_F_DROUTE);
    rs.forward = static_cast<ForwardMethod>(extra.fwdRaw & IP_VS_CONN_F_FWD_MASK);
    // WEIGHT is a u32 (moby/ipvs once read it as u16 and lost weights above 65535).
    rs.weight = u32(a[IPVS_DEST_ATTR_WEIGHT]).value_or(0);
    rs.upperThreshold = u32(a[IPVS_DEST_ATTR_U_THRESH]).value_or(0);
    rs.lowerThreshold = u32(a[IPVS_DEST_ATTR_L_THRESH]).value_or(0);
    rs.activeConns = u32(a[IPVS_DEST_ATTR_ACTIVE_CONNS]).value_or(0);
    rs.inactiveConns = u32(a[IPVS_DEST_ATTR_INACT_CONNS]).value_or(0);
    rs.persistentConns = u32(a[IPVS_DEST_ATTR_PERSIST_CONNS]).value_or(0);
    rs.stats = readStats(a[IPVS_DEST_ATTR_STATS64] != nullptr ? a[IPVS_DEST_ATTR_STATS64] : a[IPVS_DEST_ATTR_STATS]);
    extra.tunType = u32(a[IPVS_DEST_ATTR_TUN_TYPE]);
    if (a[IPVS_DEST_ATTR_TUN_TYPE] != nullptr && nla_len(a[IPVS_DEST_ATTR_TUN_TYPE]) == 1) {
        extra.tunType = nla_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
    }
    extra.tunPort = u16(a[IPVS_DEST_ATTR_TUN_PORT]);
    extra.tunFlags = u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
    ctx->dests->push_back(std::move(rs));
    if (ctx->extras != nullptr) {
        ctx->extras->push_back(extra);
    }
    return NL_OK;
}

Failure kernelFailure(int err, const std::string& what)
{
    switch (-err) {
    case EPERM:
    case EACCES:
        return {what + ": permission denied (IPVS needs CAP_NET_ADMIN; run the agent as root or grant the capability)",
                IpvsPermission};
    case ESRCH:
        return {what + ": no such virtual service (it was removed, or keepalived rebuilt the table)", IpvsNoService};
    case ENOENT:
        return {what + ": the real server is not in this virtual service", IpvsNoDest};
    case EINVAL:
        return {what + ": the kernel rejected the request as invalid (a field is missing or out of range)", IpvsInvalid};
    default:
        return {what + ": " + std::strerror(-err), IpvsInvalid};
    }
}

class NetlinkIpvs final : public IpvsBackend {
public:
    NetlinkIpvs(SockPtr sock, int family) : m_sock(std::move(sock)), m_family(family) {}

    std::string name() const override { return "netlink"; }

    /// From /proc/net/ip_vs (this network namespace's table): one read of a text file instead of
    /// a netlink dump per service.
    std::optional<std::uint64_t> structureStamp() override
    {
        const int fd = ::open("/proc/net/ip_vs", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return std::nullopt;
        }
        m_procText.clear();
        std::array<char, 16384> buf{};
        bool ok = true;
        for (;;) {
            const ssize_t n = ::read(fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                ok = false;
            }
            if (n <= 0) {
                break;
            }
            m_procText.append(buf.data(), static_cast<std::size_t>(n));
        }
        ::close(fd);
        if (!ok) {
            return std::nullopt;
        }
        return procIpVsStructureStamp(m_procText);
    }

    Expected<std::vector<VirtualService>> list() override
    {
        std::vector<VirtualService> services;
        DumpContext ctx;
        ctx.services = &services;
        auto msg = newMessage(IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
        if (!msg) {
            return fail("out of memory building an IPVS request", IpvsUnavailable);
        }
        if (auto st = exchange(msg.get(), onService, ctx); !st) {
            return Unexpected<Failure>{kernelFailure(ctx.kernelError != 0 ? ctx.kernelError : -EIO,
                                                     "listing IPVS services: " + st.error().message)};
        }
        for (auto& vs : services) {
            auto dests = listDests(vs, nullptr);
            if (!dests) {
                // Removed between the two dumps: an empty service is the truthful answer.
                if (dests.error().code == IpvsNoService) {
                    continue;
                }
                return Unexpected<Failure>{dests.error()};
            }
            vs.realServers = std::move(*dests);
        }
        return services;
    }

    Status setWeight(const VirtualService& service, const std::string& address, std::uint16_t port,
                     std::uint32_t weight) override
    {
        const std::string what = "setting the weight of " + address + ":" + std::to_string(port) + " in " + service.key();
        std::vector<DestExtra> extras;
        auto dests = listDests(service, &extras);
        if (!dests) {
            return Unexpected<Failure>{dests.error()};
        }
        const std::string want = canonicalAddress(address);
        std::size_t idx = dests->size();
        for (std::size_t i = 0; i < dests->size(); ++i) {
            if ((*dests)[i].address == want && (*dests)[i].port == port) {
                idx = i;
            }
        }
        if (idx == dests->size()) {
            return fail(what + ": the real server is not in this virtual service", IpvsNoDest);
        }
        const auto& cur = (*dests)[idx];
        const auto& extra = extras[idx];
        auto msg = newMessage(IPVS_CMD_SET_DEST, 0);
        if (!msg) {
            return fail("out of memory building an IPVS request", IpvsUnavailable);
        }
        if (!putService(msg.get(), service)) {
            return fail(what + ": cannot encode the service", IpvsInvalid);
        }
        nlattr* d = nla_nest_start(msg.get(), IPVS_CMD_ATTR_DEST);
        std::array<unsigned char, 16> bin{};
        inet_pton(cur.af == 6 ? AF_INET6 : AF_INET, cur.address.c_str(), bin.data());
        // SET_DEST fails with EINVAL unless ADDR, PORT, FWD_METHOD, WEIGHT, U_THRESH and L_THRESH are all present.
        bool ok = d != nullptr && nla_put(msg.get(), IPVS_DEST_ATTR_ADDR, 16, bin.data()) == 0 &&
                  nla_put_u16(msg.get(), IPVS_DEST_ATTR_PORT, htons(cur.port)) == 0 &&
                  nla_put_u32(msg.get(), IPVS_DEST_ATTR_FWD_METHOD, extra.fwdRaw & IP_VS_CONN_F_FWD_MASK) == 0 &&
                  nla_put_u32(msg.get(), IPVS_DEST_ATTR_WEIGHT, weight) == 0 &&
                  nla_put_u32(msg.get(), IPVS_DEST_ATTR_U_THRESH, cur.upperThreshold) == 0 &&
                  nla_put_u32(msg.get(), IPVS_DEST_ATTR_L_THRESH, cur.lowerThreshold) == 0 &&
                  nla_put_u16(msg.get(), IPVS_DEST_ATTR_ADDR_FAMILY, cur.af == 6 ? AF_INET6 : AF_INET) == 0;
        // Tunnel settings are reset unless sent back.
        if (ok && extra.tunType) {
            ok = nla_put_u8(msg.get(), IPVS_DEST_ATTR_TUN_TYPE, static_cast<std::uint8_t>(*extra.tunType)) == 0;
        }
        if (ok && extra.tunPort) {
            ok = nla_put_u16(msg.get(), IPVS_DEST_ATTR_TUN_PORT, *extra.tunPort) == 0;
        }
        if (ok && extra.tunFlags) {
            ok = nla_put_u16(msg.get(), IPVS_DEST_ATTR_TUN_FLAGS, *extra.tunFlags) == 0;
        }
        if (!ok) {
            return fail(what + ": cannot encode the request", IpvsInvalid);
        }
        nla_nest_end(msg.get(), d);
        DumpContext ctx;
        if (auto st = exchange(msg.get(), nullptr, ctx); !st || ctx.kernelError != 0) {
            return Unexpected<Failure>{kernelFailure(ctx.kernelError != 0 ? ctx.kernelError : -EIO, what)};
        }
        return {};
    }

private:
    MsgPtr newMessage(std::uint8_t cmd, int flags) const
    {
        MsgPtr msg(nlmsg_alloc());
        if (!msg || genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, m_family, 0, flags, cmd, IPVS_GENL_VERSION) ==
                        nullptr) {
            return nullptr;
        }
        return msg;
    }

    static bool putService(nl_msg* msg, const VirtualService& s)
    {
        nlattr* n = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
        if (n == nullptr) {
            return false;
        }
        const int af = s.af == 6 ? AF_INET6 : AF_INET;
        if (nla_put_u16(msg, IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(af)) != 0) {
            return false;
        }
        if (s.fwmark != 0) {
            if (nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, s.fwmark) != 0) {
                return false;
            }
        } else {
            const auto proto = protocolNumber(s.protocol);
            std::array<unsigned char, 16> bin{};
            if (!proto || inet_pton(af, s.address.c_str(), bin.data()) != 1) {
                return false;
            }
            if (nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, *proto) != 0 ||
                nla_put(msg, IPVS_SVC_ATTR_ADDR, 16, bin.data()) != 0 ||
                nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(s.port)) != 0) {
                return false;
            }
        }
        nla_nest_end(msg, n);
        return true;
    }

    Expected<std::vector<RealServer>> listDests(const VirtualService& s, std::vector<DestExtra>* extras)
    {
        std::vector<RealServer> dests;
        std::vector<VirtualService> parent{s};
        DumpContext ctx;
        ctx.dests = &dests;
        ctx.extras = extras;
        ctx.services = &parent;
        auto msg = newMessage(IPVS_CMD_GET_DEST, NLM_F_DUMP);
        if (!msg || !putService(msg.get(), s)) {
            return fail("cannot encode the service " + s.key(), IpvsInvalid);
        }
        if (auto st = exchange(msg.get(), onDest, ctx); !st || ctx.kernelError != 0) {
            return Unexpected<Failure>{
                kernelFailure(ctx.kernelError != 0 ? ctx.kernelError : -EIO, "listing real servers of " + s.key())};
        }
        return dests;
    }

    Status exchange(nl_msg* msg, nl_recvmsg_msg_cb_t handler, DumpContext& ctx)
    {
        nl_cb* cb = nl_cb_alloc(NL_CB_DEFAULT);
        if (cb == nullptr) {
            return fail("out of memory");
        }
        if (handler != nullptr) {
            nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, handler, &ctx);
        }
        nl_cb_err(cb, NL_CB_CUSTOM, onError, &ctx);
        int err = nl_send_auto(m_sock.get(), msg);
        if (err >= 0) {
            err = nl_recvmsgs(m_sock.get(), cb);
            // For requests without a dump, nl_recvmsgs returns after the ACK.
            if (err >= 0 && handler == nullptr && ctx.kernelError == 0) {
                err = 0;
            }
        }
        nl_cb_put(cb);
        if (ctx.kernelError != 0) {
            return fail(std::strerror(-ctx.kernelError));
        }
        if (err < 0) {
            return fail(nl_geterror(err));
        }
        if (ctx.parseError) {
            return fail("malformed IPVS netlink message");
        }
        return {};
    }

    SockPtr m_sock;
    int m_family;
    std::string m_procText; // kept: its capacity serves every quick look
};

} // namespace

Expected<std::unique_ptr<IpvsBackend>> makeNetlinkIpvsBackend()
{
    SockPtr sock(nl_socket_alloc());
    if (!sock) {
        return fail("out of memory allocating a netlink socket", IpvsUnavailable);
    }
    if (const int err = genl_connect(sock.get()); err < 0) {
        return fail(std::string("cannot open generic netlink: ") + nl_geterror(err), IpvsUnavailable);
    }
    const int family = genl_ctrl_resolve(sock.get(), IPVS_GENL_NAME);
    if (family < 0) {
        return fail("the kernel has no IPVS (generic netlink family \"IPVS\" not found; load the ip_vs module)",
                    IpvsUnavailable);
    }
    // Replies to dumps of 1000 services can exceed the default buffer.
    nl_socket_set_buffer_size(sock.get(), 1 << 20, 1 << 20);
    nl_socket_enable_msg_peek(sock.get());
    return std::unique_ptr<IpvsBackend>(std::make_unique<NetlinkIpvs>(std::move(sock), family));
}

} // namespace hadeck::probes
