#include "hadeck/agent/server.h"

#include "hadeck/agent/client_sink.h"
#include "hadeck/agent/log.h"
#include "hadeck/agent/permissions.h"
#include "hadeck/agent/publisher.h"
#include "hadeck/agent/registry.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <grp.h>
#include <sys/epoll.h>
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
    Connection(Server& server, int fd, int id, const PeerIdentity& peer, std::size_t maxFrame, std::size_t outputLimit)
        : m_server(server), m_fd(fd), m_framer(maxFrame), m_outputLimit(outputLimit)
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

    void sendLine(std::string_view line) override
    {
        if (m_dead) {
            return;
        }
        if (pendingOutput() + line.size() + 1 > m_outputLimit) {
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

    void close()
    {
        m_dead = true;
        m_source.reset();
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

private:
    [[nodiscard]] std::size_t pendingOutput() const { return m_out.size() - m_outOffset; }

    void onIo(std::uint32_t revents)
    {
        const auto self = shared_from_this(); // a drop() below must not free us mid-call
        if ((revents & EPOLLOUT) != 0U) {
            flush();
        }
        if (!m_dead && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0U && !m_readClosed) {
            readAvailable();
        }
        if (!m_dead && m_readClosed && pendingOutput() == 0) {
            m_server.drop(clientId());
        }
    }

    void readAvailable()
    {
        std::array<char, kReadChunk> buffer{};
        std::size_t total = 0;
        while (!m_dead && total < kReadBudget) {
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
            m_lines.clear();
            const bool ok = m_framer.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), m_lines);
            for (const auto& line : m_lines) {
                if (m_dead) {
                    return;
                }
                handleLine(line);
            }
            if (!ok) {
                frameTooLarge();
                return;
            }
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
        m_readClosed = true;
        updateEvents();
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
            Responder responder(weak_from_this(), request->id, true, request->method);
            m_server.m_registry.dispatch(m_context, *request, std::move(responder));
        } else if (auto* note = std::get_if<rpc::Notification>(&*message)) {
            rpc::Request asRequest{nullptr, note->method, note->params};
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
        }
        if (m_dead) {
            return;
        }
        if (pendingOutput() == 0) {
            m_out.clear();
            m_outOffset = 0;
            if (m_out.capacity() > 64U * 1024U) {
                m_out.shrink_to_fit(); // idle clients keep no large buffers
            }
        } else if (m_outOffset > 1024U * 1024U && m_outOffset > m_out.size() / 2) {
            m_out.erase(0, m_outOffset);
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
        if (!m_readClosed) {
            events |= EPOLLIN;
        }
        if (pendingOutput() > 0) {
            events |= EPOLLOUT;
        }
        if (events != m_events) {
            m_events = events;
            (void)m_source.setIoEvents(events);
            if (events == 0 && m_readClosed) {
                // Nothing left to read or write.
                loop().defer([weak = weak_from_this()] {
                    if (auto self = weak.lock()) {
                        self->m_server.drop(self->clientId());
                    }
                });
            }
        }
    }

    EventLoop& loop() { return m_server.m_loop; }

    Server& m_server;
    int m_fd;
    CallContext m_context;
    rpc::LineFramer m_framer;
    std::vector<std::string> m_lines;
    std::string m_out;
    std::size_t m_outOffset = 0;
    std::size_t m_outputLimit;
    EventSource m_source;
    std::uint32_t m_events = EPOLLIN;
    bool m_readClosed = false;
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
    m_maxClients = config.maxClients;
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
    return {};
}

void Server::onAccept()
{
    for (int i = 0; i < kAcceptBudget; ++i) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                logWarning(errnoText("accept", errno)); // EMFILE and the like: retry on the next wake-up
            }
            return;
        }
        if (m_connections.size() >= m_maxClients) {
            const std::string refusal =
                rpc::encode(rpc::makeError(nullptr, rpc::Unavailable,
                                           "too many clients (" + std::to_string(m_maxClients) +
                                               "); raise socket.max_clients or close idle consoles")) +
                "\n";
            (void)::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(fd);
            continue;
        }
        ucred cred{};
        socklen_t len = sizeof cred;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
            logWarning(errnoText("SO_PEERCRED", errno));
            ::close(fd);
            continue;
        }
        const PeerIdentity peer = identify(cred.uid, cred.gid);
        const int id = m_nextId++;
        auto connection = std::make_shared<Connection>(*this, fd, id, peer, m_maxFrame, m_outputLimit);
        if (auto started = connection->start(); !started) {
            logWarning("cannot watch client: " + started.error().message);
            continue; // the connection closes the fd
        }
        logDebug("client " + std::to_string(id) + " connected: " + peer.user + " (" +
                 std::string(proto::toString(peer.level)) + ")");
        m_publisher.addClient(connection);
        m_connections.emplace(id, std::move(connection));
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
    m_publisher.removeClient(clientId);
    connection->close();
}

void Server::stop()
{
    auto connections = std::move(m_connections);
    m_connections.clear();
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
}

} // namespace hadeck::agent
