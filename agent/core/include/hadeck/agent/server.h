#pragma once

// The unix-socket JSON-RPC server: accepts clients, identifies them with
// SO_PEERCRED, frames lines, dispatches requests and queues output with a hard
// per-client limit. Runs entirely on the loop thread.

#include "hadeck/agent/config.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/protocol/expected.h"

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>

#include <sys/types.h>

namespace hadeck::agent {

class MethodRegistry;
class Publisher;
class Connection;

class Server {
public:
    Server(EventLoop& loop, MethodRegistry& registry, Publisher& publisher);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and listens on config.socketPath (creating its directory, removing
    /// a stale socket, applying group and mode).
    Status listen(const AgentConfig& config);
    /// Applies limits from a reloaded config (new clients and new frames).
    void applyLimits(const AgentConfig& config);
    /// Closes all clients and removes the socket file.
    void stop();

    [[nodiscard]] std::size_t clientCount() const { return m_connections.size(); }
    /// The client limit in force: socket.max_clients, lowered to fit the fd limit.
    [[nodiscard]] std::size_t maxClients() const { return m_maxClients; }

private:
    friend class Connection;
    void onAccept();
    void onFdExhaustion(int err);
    void refuse(int fd, const std::string& message);
    void sweep();
    void drop(int clientId);
    /// Requests a uid may still send now (token bucket, refilled at requestRate per second).
    /// It is the uid's and outlives its connections until it is full again: closing and
    /// reconnecting buys no new burst.
    struct Budget {
        double tokens = 0;
        EventLoop::Clock::time_point at{};
    };
    Budget& budgetFor(uid_t uid);

    EventLoop& m_loop;
    MethodRegistry& m_registry;
    Publisher& m_publisher;
    int m_listenFd = -1;
    EventSource m_listenSource;
    std::filesystem::path m_socketPath;
    std::size_t m_maxFrame = 0;
    std::size_t m_outputLimit = 0;
    std::size_t m_maxClients = 0;
    std::size_t m_maxClientsPerUser = 0;
    std::size_t m_requestRate = 0;
    std::chrono::milliseconds m_idleTimeout{0};
    std::chrono::milliseconds m_frameTimeout{0};
    int m_nextId = 1;
    std::map<int, std::shared_ptr<Connection>> m_connections;
    std::map<uid_t, std::size_t> m_perUser;
    std::map<uid_t, Budget> m_budgets;
    /// Bumped on reload: every cached permission level is looked up again.
    unsigned m_identityGeneration = 0;
    /// Held open so that on EMFILE one fd can be freed to accept and refuse.
    int m_reserveFd = -1;
    EventSource m_sweepTimer;
    EventSource m_acceptBackoff;
    EventLoop::Clock::time_point m_lastFdWarning{};
    std::size_t m_fdRefusals = 0;
};

} // namespace hadeck::agent
