#include "hadeck/agent/server.h"

#include "hadeck/agent/client_sink.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/permissions.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"

#include <algorithm>
#include <array>
#include <deque>
#include <optional>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <grp.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace hadeck::agent {

namespace {
constexpr std::size_t kReadChunk = 64U * 1024U;
// Per wake-up, so one client streaming a huge frame cannot starve the others;
// epoll is level-triggered and calls us again for the rest.
constexpr std::size_t kReadBudget = 1024U * 1024U;
constexpr int kAcceptBudget = 64;

std::string errnoText(const std::string& what, int err) { return what + ": " + std::strerror(err); }
} // namespace

class Connection final : public ClientSink, public std::enable_shared_from_this<Connection> {
public:
    using Clock = EventLoop::Clock;

    Connection(Server& server, int fd, int id, const PeerIdentity& peer, std::vector<gid_t> peerGroups)
        : m_server(server)
        , m_fd(fd)
        , m_framer(server.m_maxFrame)
        , m_outputLimit(server.m_outputLimit)
        , m_peerGroups(std::move(peerGroups))
        , m_identityAt(server.m_loop.now())
        , m_identityGeneration(server.m_identityGeneration)
        , m_lastActivity(server.m_loop.now())
    {
        m_context.uid = peer.uid;
        m_context.gid = peer.gid;
        m_context.user = peer.user;
        m_context.level = peer.level;
        m_context.clientId = id;
    }

    ~Connection() override { close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Status start()
    {
        auto source = m_server.m_loop.addIo(m_fd, EPOLLIN, [this](std::uint32_t revents) { onIo(revents); });
        if (!source) {
            return Unexpected<Failure>{source.error()};
        }
        m_source = std::move(*source);
        return {};
    }

    [[nodiscard]] int clientId() const override { return m_context.clientId; }
    [[nodiscard]] const CallContext& context() const { return m_context; }
    [[nodiscard]] uid_t uid() const { return m_context.uid; }

    void sendLine(std::string_view line) override
    {
        if (m_dead) {
            return;
        }
        // What waits behind the line being sent counts: that one line may be larger than the
        // limit (a 30,000-row snapshot is 7.8 MiB), and a ping's answer may follow it.
        if (pendingOutput() > 0 && queuedBehindHead() + line.size() + 1 > m_outputLimit) {
            logWarning("client " + std::to_string(clientId()) + " (" + m_context.user + ") does not read its output; " +
                       "dropped with " + std::to_string(pendingOutput()) + " bytes queued (limit " +
                       std::to_string(m_outputLimit) + ")");
            m_server.drop(clientId());
            return;
        }
        m_out.append(line);
        m_out.push_back('\n');
        flush();
    }

    void replyOwed() override { ++m_owed; }

    void replyPaid() override
    {
        if (m_owed > 0) {
            --m_owed;
        }
        if (m_owed == 0 && m_readClosed) {
            updateEvents(); // the last late reply after a half-close: the connection may go now
        }
    }

    void close()
    {
        m_dead = true;
        m_source.reset();
        m_resume.reset();
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

    /// Re-reads the caller's level when it is older than kIdentityCache or a reload came since.
    /// @return the level now.
    proto::PermissionLevel refreshIdentity(Clock::time_point now)
    {
        if (m_context.uid == 0 ||
            (m_identityGeneration == m_server.m_identityGeneration && now - m_identityAt < kIdentityCache)) {
            return m_context.level;
        }
        const PeerIdentity peer = identify(m_context.uid, m_context.gid, &m_peerGroups);
        if (peer.level != m_context.level) {
            logInfo("client " + std::to_string(clientId()) + " (" + m_context.user + "): permission now " +
                    std::string(proto::toString(peer.level)) + ", was " +
                    std::string(proto::toString(m_context.level)));
        }
        m_context.level = peer.level;
        m_identityAt = now;
        m_identityGeneration = m_server.m_identityGeneration;
        return m_context.level;
    }

    /// Called by the server's sweep: @return why the connection should go, or empty.
    [[nodiscard]] std::string expired(Clock::time_point now) const
    {
        if (m_dead) {
            return {};
        }
        if (m_partialSince && now - *m_partialSince > m_server.m_frameTimeout) {
            return "a request line was not completed within " + std::to_string(m_server.m_frameTimeout.count()) +
                   " ms";
        }
        if (now - m_lastActivity > m_server.m_idleTimeout && m_pending.empty() && pendingOutput() == 0 &&
            m_server.m_publisher.topicCount(clientId()) == 0) {
            return "idle for " + std::to_string(m_server.m_idleTimeout.count()) + " ms";
        }
        return {};
    }

    void sendClosing(const std::string& why)
    {
        sendLine(rpc::encode(rpc::makeError(nullptr, rpc::Unavailable, "closing the connection: " + why)));
    }

private:
    // Requests handled per turn of the loop: the rest waits for the next turn,
    // after every other ready source (root's call among them).
    static constexpr std::size_t kLinesPerTurn = 32;
    // ... and at most this long (at least one request), so slow requests yield sooner.
    static constexpr std::chrono::milliseconds kTimePerTurn{2};
    // Lines read but not yet handled; reading stops while this many wait.
    static constexpr std::size_t kMaxPendingLines = 1024;
    // The permission level behind operate and admin calls is looked up again after this.
    static constexpr std::chrono::seconds kIdentityCache{5};

    [[nodiscard]] std::size_t pendingOutput() const { return m_out.size() - m_outOffset; }

    /// Unread output behind the line at the head of the queue (the one being sent).
    std::size_t queuedBehindHead()
    {
        if (pendingOutput() == 0) {
            return 0;
        }
        if (m_headEnd <= m_outOffset) {
            // The head moved on: find where the new one ends (each line is scanned once).
            const auto nl = m_out.find('\n', m_outOffset);
            m_headEnd = nl == std::string::npos ? m_out.size() : nl + 1;
        }
        return m_out.size() - m_headEnd;
    }
    [[nodiscard]] bool budgeted() const { return m_context.uid != 0; }

    void onIo(std::uint32_t revents)
    {
        const auto self = shared_from_this(); // a drop() below must not free us mid-call
        if ((revents & EPOLLOUT) != 0U) {
            flush();
        }
        if (!m_dead && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0U && !m_readClosed &&
            m_pending.size() < kMaxPendingLines) {
            readAvailable();
        }
        processPending();
        if (!m_dead && m_readClosed && pendingOutput() == 0 && m_pending.empty() && m_owed == 0) {
            m_server.drop(clientId());
        }
    }

    void readAvailable()
    {
        std::array<char, kReadChunk> buffer{};
        std::size_t total = 0;
        while (!m_dead && total < kReadBudget && m_pending.size() < kMaxPendingLines) {
            const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), 0);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    m_server.drop(clientId());
                }
                return;
            }
            if (n == 0) {
                // The client half-closed: answer what it sent, then go.
                m_readClosed = true;
                updateEvents();
                return;
            }
            total += static_cast<std::size_t>(n);
            m_lastActivity = m_server.m_loop.now();
            m_lines.clear();
            const bool ok = m_framer.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), m_lines);
            for (auto& line : m_lines) {
                m_pending.push_back(std::move(line));
            }
            if (m_framer.buffered() == 0) {
                m_partialSince.reset();
            } else if (!m_partialSince || !m_lines.empty()) {
                m_partialSince = m_lastActivity; // a new line started
            }
            if (!ok) {
                frameTooLarge();
                return;
            }
        }
    }

    void processPending()
    {
        std::size_t handled = 0;
        const auto started = std::chrono::steady_clock::now();
        while (!m_dead && !m_pending.empty()) {
            if (handled == kLinesPerTurn ||
                (handled > 0 && std::chrono::steady_clock::now() - started > kTimePerTurn)) {
                scheduleResume(std::chrono::milliseconds(0));
                break;
            }
            if (budgeted()) {
                refill();
                Server::Budget& b = budget();
                if (b.tokens < 1.0) {
                    const auto wait = std::chrono::milliseconds(
                        1 + static_cast<long>((1.0 - b.tokens) * 1000.0 / static_cast<double>(m_server.m_requestRate)));
                    scheduleResume(wait);
                    break;
                }
                b.tokens -= 1.0;
            }
            std::string line = std::move(m_pending.front());
            m_pending.pop_front();
            ++handled;
            handleLine(line);
        }
        updateEvents();
    }

    /// The budget is the uid's, shared by all its connections.
    Server::Budget& budget() { return m_server.budgetFor(m_context.uid); }

    void refill()
    {
        Server::Budget& b = budget();
        const auto now = m_server.m_loop.now();
        const double rate = static_cast<double>(m_server.m_requestRate);
        const double elapsed = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min(rate * 2.0, b.tokens + elapsed * rate);
        b.at = now;
    }

    void scheduleResume(std::chrono::milliseconds after)
    {
        if (m_resume.valid()) {
            return;
        }
        auto timer = m_server.m_loop.addTimer(after, false, [weak = weak_from_this()] {
            if (auto self = weak.lock()) {
                self->m_resume.reset();
                self->processPending();
                if (!self->m_dead && self->m_readClosed && self->pendingOutput() == 0 && self->m_pending.empty() &&
                    self->m_owed == 0) {
                    self->m_server.drop(self->clientId());
                }
            }
        });
        if (timer) {
            m_resume = std::move(*timer);
        }
    }

    void frameTooLarge()
    {
        logWarning("client " + std::to_string(clientId()) + " (" + m_context.user + ") sent a frame over " +
                   std::to_string(m_framer.maxFrame()) + " bytes; closing");
        sendLine(rpc::encode(rpc::makeError(nullptr, rpc::FrameTooLarge,
                                            "message exceeds the frame limit of " +
                                                std::to_string(m_framer.maxFrame()) +
                                                " bytes; closing the connection",
                                            Json{{"limit", m_framer.maxFrame()}})));
        m_partialSince.reset();
        m_readClosed = true;
        updateEvents();
    }

    /// Every call gets a level at most a few seconds old, and fresh after a reload.
    void revalidate(const rpc::Request& request)
    {
        const MethodInfo* info = m_server.m_registry.find(request.method);
        if (info == nullptr || info->needed < proto::PermissionLevel::Read) {
            return;
        }
        refreshIdentity(m_server.m_loop.now());
    }

    void handleLine(const std::string& line)
    {
        auto message = rpc::decode(line);
        if (!message) {
            const auto& e = message.error();
            sendLine(rpc::encode(rpc::makeError(e.id, e.error.code, e.error.message)));
            return;
        }
        if (auto* request = std::get_if<rpc::Request>(&*message)) {
            revalidate(*request);
            Responder responder(weak_from_this(), request->id, true, request->method);
            m_server.m_registry.dispatch(m_context, *request, std::move(responder));
        } else if (auto* note = std::get_if<rpc::Notification>(&*message)) {
            rpc::Request asRequest{nullptr, note->method, note->params};
            revalidate(asRequest);
            Responder responder(weak_from_this(), nullptr, false, note->method);
            m_server.m_registry.dispatch(m_context, asRequest, std::move(responder));
        }
        // Responses from a client answer nothing: the agent sends no requests.
    }

    void flush()
    {
        while (!m_dead && pendingOutput() > 0) {
            const ssize_t n = ::send(m_fd, m_out.data() + m_outOffset, pendingOutput(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    break;
                }
                m_server.drop(clientId());
                return;
            }
            m_outOffset += static_cast<std::size_t>(n);
            m_lastActivity = m_server.m_loop.now();
        }
        if (m_dead) {
            return;
        }
        if (pendingOutput() == 0) {
            m_out.clear();
            m_outOffset = 0;
            m_headEnd = 0;
            if (m_out.capacity() > 64U * 1024U) {
                m_out.shrink_to_fit(); // idle clients keep no large buffers
            }
        } else if (m_outOffset > 1024U * 1024U && m_outOffset > m_out.size() / 2) {
            m_out.erase(0, m_outOffset);
            m_headEnd = m_headEnd > m_outOffset ? m_headEnd - m_outOffset : 0;
            m_outOffset = 0;
        }
        updateEvents();
    }

    void updateEvents()
    {
        if (m_dead || !m_source.valid()) {
            return;
        }
        std::uint32_t events = 0;
        if (!m_readClosed && m_pending.size() < kMaxPendingLines && m_pending.empty()) {
            events |= EPOLLIN; // read more only once what was read is handled
        }
        if (pendingOutput() > 0) {
            events |= EPOLLOUT;
        }
        if (events != m_events) {
            m_events = events;
            (void)m_source.setIoEvents(events);
        }
        if (events == 0 && m_readClosed && m_pending.empty() && m_owed == 0) {
            // Nothing left to read or write.
            loop().defer([weak = weak_from_this()] {
                if (auto self = weak.lock()) {
                    self->m_server.drop(self->clientId());
                }
            });
        }
    }

    EventLoop& loop() { return m_server.m_loop; }

    Server& m_server;
    int m_fd;
    CallContext m_context;
    rpc::LineFramer m_framer;
    std::vector<std::string> m_lines;
    std::deque<std::string> m_pending;
    std::string m_out;
    std::size_t m_outOffset = 0;
    std::size_t m_headEnd = 0; // where the head line ends in m_out (stale once m_outOffset passes it)
    std::size_t m_outputLimit;
    std::vector<gid_t> m_peerGroups;
    Clock::time_point m_identityAt;
    unsigned m_identityGeneration;
    Clock::time_point m_lastActivity;
    std::optional<Clock::time_point> m_partialSince;
    EventSource m_source;
    EventSource m_resume;
    std::uint32_t m_events = EPOLLIN;
    bool m_readClosed = false;
    std::size_t m_owed = 0; // replies not yet sent to requests dispatched
    bool m_dead = false;
};

Server::Server(EventLoop& loop, MethodRegistry& registry, Publisher& publisher)
    : m_loop(loop), m_registry(registry), m_publisher(publisher)
{
}

Server::~Server() { stop(); }

void Server::applyLimits(const AgentConfig& config)
{
    m_maxFrame = config.maxFrame;
    m_outputLimit = config.clientOutputLimit;
    m_maxClientsPerUser = config.maxClientsPerUser;
    m_requestRate = config.requestRate;
    m_idleTimeout = config.idleTimeout;
    m_frameTimeout = config.frameTimeout;
    ++m_identityGeneration; // a reload re-reads every caller's groups before its next change
    // Leave room under the fd limit for everything else the agent opens (state
    // files, netlink, the bus, children's pipes): a full house of clients must
    // not make a drain fail to open its files.
    constexpr std::size_t kFdHeadroom = 64;
    rlimit lim{};
    std::size_t fit = config.maxClients;
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
        const auto soft = static_cast<std::size_t>(lim.rlim_cur);
        fit = soft > 2 * kFdHeadroom ? soft - kFdHeadroom : soft / 2;
    }
    if (fit < config.maxClients) {
        logWarning("socket.max_clients " + std::to_string(config.maxClients) + " lowered to " + std::to_string(fit) +
                   " to stay under the open-file limit (" + std::to_string(lim.rlim_cur) +
                   "); raise LimitNOFILE to allow more");
    }
    m_maxClients = std::max<std::size_t>(1, std::min(fit, config.maxClients));
}

Status Server::listen(const AgentConfig& config)
{
    applyLimits(config);
    const std::filesystem::path& path = config.socketPath;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.native().size() >= sizeof addr.sun_path) {
        return fail("socket path " + path.string() + " is longer than " + std::to_string(sizeof addr.sun_path - 1) +
                    " bytes");
    }
    std::memcpy(addr.sun_path, path.c_str(), path.native().size() + 1);

    std::error_code ec;
    if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            return fail("cannot create " + path.parent_path().string() + ": " + ec.message());
        }
        ::chmod(path.parent_path().c_str(), 0755);
    }

    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return fail(errnoText("socket", errno));
    }
    // A socket file left by a crashed agent is removed; a live agent is not displaced.
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            ::close(fd);
            return fail(path.string() + " exists and is not a socket; remove it or set socket.path");
        }
        const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const bool live = probe >= 0 && ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
        if (probe >= 0) {
            ::close(probe);
        }
        if (live) {
            ::close(fd);
            return fail("another agent is already listening on " + path.string());
        }
        ::unlink(path.c_str());
    }
    // Bind with a tight umask so the socket is never reachable with looser bits.
    const mode_t old = ::umask(0177);
    const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    const int bindErr = errno;
    ::umask(old);
    if (bound < 0) {
        ::close(fd);
        return fail(errnoText("cannot bind " + path.string(), bindErr));
    }
    if (!config.socketGroup.empty()) {
        std::array<char, 16384> buf{};
        group gr{};
        group* found = nullptr;
        if (getgrnam_r(config.socketGroup.c_str(), &gr, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
            if (::chown(path.c_str(), static_cast<uid_t>(-1), found->gr_gid) < 0) {
                logWarning(errnoText("cannot give " + path.string() + " to group " + config.socketGroup, errno));
            }
        } else {
            logWarning("group " + config.socketGroup + " does not exist; only root can use " + path.string() +
                       " (create it with: groupadd --system " + config.socketGroup + ")");
        }
    }
    if (::chmod(path.c_str(), config.socketMode) < 0) {
        logWarning(errnoText("cannot chmod " + path.string(), errno));
    }
    if (::listen(fd, SOMAXCONN) < 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        return fail(errnoText("cannot listen on " + path.string(), err));
    }
    auto source = m_loop.addIo(fd, EPOLLIN, [this](std::uint32_t) { onAccept(); });
    if (!source) {
        ::close(fd);
        ::unlink(path.c_str());
        return Unexpected<Failure>{source.error()};
    }
    m_listenFd = fd;
    m_listenSource = std::move(*source);
    m_socketPath = path;
    m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    // Partial frames and idle clients are checked a few times per timeout.
    const auto period = std::clamp(std::min(m_frameTimeout, m_idleTimeout) / 4, std::chrono::milliseconds(50),
                                   std::chrono::milliseconds(1000));
    if (auto timer = m_loop.addTimer(period, true, [this] { sweep(); }); timer) {
        m_sweepTimer = std::move(*timer);
    }
    return {};
}

void Server::refuse(int fd, const std::string& message)
{
    const std::string refusal = rpc::encode(rpc::makeError(nullptr, rpc::Unavailable, message)) + "\n";
    (void)::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
}

void Server::onFdExhaustion(int err)
{
    // Out of fds: free the reserve one, take the waiting client and refuse it,
    // so the backlog drains and nobody spins on a listening socket that stays ready.
    ++m_fdRefusals;
    if (m_reserveFd >= 0) {
        ::close(m_reserveFd);
        m_reserveFd = -1;
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            refuse(fd, "the agent is out of file descriptors; try again later");
        }
        m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    const auto now = m_loop.now();
    if (m_lastFdWarning == EventLoop::Clock::time_point{} || now - m_lastFdWarning > std::chrono::seconds(10)) {
        logWarning(errnoText("accept", err) + " (" + std::to_string(m_fdRefusals) + " connection(s) refused so; " +
                   std::to_string(m_connections.size()) + " clients; logged at most every 10 s)");
        m_lastFdWarning = now;
        m_fdRefusals = 0;
    }
    if (m_reserveFd < 0) {
        // No reserve: stop accepting for a moment rather than wake up for nothing.
        (void)m_listenSource.setEnabled(false);
        auto timer = m_loop.addTimer(std::chrono::milliseconds(100), false, [this] {
            (void)m_listenSource.setEnabled(true);
            if (m_reserveFd < 0) {
                m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            }
            m_acceptBackoff.reset();
        });
        if (timer) {
            m_acceptBackoff = std::move(*timer);
        } else {
            (void)m_listenSource.setEnabled(true);
        }
    }
}

void Server::onAccept()
{
    for (int i = 0; i < kAcceptBudget; ++i) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            const int err = errno;
            if (err == EINTR || err == ECONNABORTED) {
                continue;
            }
            if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
                onFdExhaustion(err);
            } else if (err != EAGAIN && err != EWOULDBLOCK) {
                logWarning(errnoText("accept", err));
            }
            return;
        }
        ucred cred{};
        socklen_t len = sizeof cred;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
            logWarning(errnoText("SO_PEERCRED", errno));
            ::close(fd);
            continue;
        }
        // Root is never shut out by others' connections: it may go a little over the limit.
        const std::size_t limit = cred.uid == 0 ? m_maxClients + 16 : m_maxClients;
        if (m_connections.size() >= limit) {
            refuse(fd, "too many clients (" + std::to_string(m_maxClients) +
                           "); raise socket.max_clients or close idle consoles");
            continue;
        }
        std::size_t& mine = m_perUser[cred.uid];
        if (cred.uid != 0 && mine >= m_maxClientsPerUser) {
            refuse(fd, "too many connections from uid " + std::to_string(cred.uid) + " (" +
                           std::to_string(m_maxClientsPerUser) +
                           " at once); close some, or raise socket.max_clients_per_user");
            continue;
        }
        std::vector<gid_t> peerGroups = peerGroupsOf(fd, cred.gid);
        const PeerIdentity peer = identify(cred.uid, cred.gid, &peerGroups);
        const int id = m_nextId++;
        auto connection = std::make_shared<Connection>(*this, fd, id, peer, std::move(peerGroups));
        if (auto started = connection->start(); !started) {
            logWarning("cannot watch client: " + started.error().message);
            continue; // the connection closes the fd
        }
        logDebug("client " + std::to_string(id) + " connected: " + peer.user + " (" +
                 std::string(proto::toString(peer.level)) + ")");
        ++mine;
        m_publisher.addClient(connection);
        m_connections.emplace(id, std::move(connection));
    }
}

Server::Budget& Server::budgetFor(uid_t uid)
{
    auto [it, added] = m_budgets.try_emplace(uid);
    if (added) {
        it->second.tokens = static_cast<double>(m_requestRate) * 2.0;
        it->second.at = m_loop.now();
    }
    return it->second;
}

void Server::sweep()
{
    const auto now = m_loop.now();
    std::vector<std::pair<int, std::string>> expired;
    for (const auto& [id, connection] : m_connections) {
        if (auto why = connection->expired(now); !why.empty()) {
            expired.emplace_back(id, std::move(why));
        } else if (m_publisher.topicCount(id) > 0 && connection->refreshIdentity(now) < proto::PermissionLevel::Read) {
            // A subscriber sends nothing, yet receives every change: its right to read is
            // checked here too, so a revoked viewer stops receiving within seconds.
            expired.emplace_back(id, "no longer allowed to read (not in the hadeck group)");
        }
    }
    // A budget whose uid holds no connection goes once it would be full again: nothing is lost.
    const double full = static_cast<double>(m_requestRate) * 2.0;
    std::erase_if(m_budgets, [&](const auto& entry) {
        const auto& [uid, b] = entry;
        const double elapsed = std::chrono::duration<double>(now - b.at).count();
        const auto held = m_perUser.find(uid);
        return (held == m_perUser.end() || held->second == 0) &&
               b.tokens + elapsed * static_cast<double>(m_requestRate) >= full;
    });
    for (const auto& [id, why] : expired) {
        const auto it = m_connections.find(id);
        if (it == m_connections.end()) {
            continue;
        }
        const auto connection = it->second;
        logDebug("client " + std::to_string(id) + " (" + connection->context().user + "): " + why + "; closing");
        connection->sendClosing(why);
        drop(id);
    }
}

void Server::drop(int clientId)
{
    const auto it = m_connections.find(clientId);
    if (it == m_connections.end()) {
        return;
    }
    const auto connection = it->second; // keep alive until this returns
    m_connections.erase(it);
    if (const auto u = m_perUser.find(connection->uid()); u != m_perUser.end() && --u->second == 0) {
        m_perUser.erase(u); // its budget stays until refilled (sweep)
    }
    m_publisher.removeClient(clientId);
    connection->close();
}

void Server::stop()
{
    m_sweepTimer.reset();
    m_acceptBackoff.reset();
    auto connections = std::move(m_connections);
    m_connections.clear();
    m_perUser.clear();
    m_budgets.clear();
    for (auto& [id, connection] : connections) {
        m_publisher.removeClient(id);
        connection->close();
    }
    m_listenSource.reset();
    if (m_listenFd >= 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
        ::unlink(m_socketPath.c_str());
    }
    if (m_reserveFd >= 0) {
        ::close(m_reserveFd);
        m_reserveFd = -1;
    }
}

} // namespace hadeck::agent
