#pragma once

// The unix-socket JSON-RPC server: accepts clients, identifies them with
// SO_PEERCRED, frames lines, dispatches requests and queues output with a hard
// per-client limit. Runs entirely on the loop thread.

#include "hadeck/agent/config.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/protocol/expected.h"

#include <cstddef>
#include <map>
#include <memory>

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

private:
    friend class Connection;
    void onAccept();
    void drop(int clientId);

    EventLoop& m_loop;
    MethodRegistry& m_registry;
    Publisher& m_publisher;
    int m_listenFd = -1;
    EventSource m_listenSource;
    std::filesystem::path m_socketPath;
    std::size_t m_maxFrame = 0;
    std::size_t m_outputLimit = 0;
    std::size_t m_maxClients = 0;
    int m_nextId = 1;
    std::map<int, std::shared_ptr<Connection>> m_connections;
};

} // namespace hadeck::agent
