#pragma once

// What the server exposes of one client connection to the dispatcher and the
// publisher. Holders keep a weak_ptr: a client may disconnect at any time.

#include "hadeck/protocol/jsonrpc.h"

#include <string_view>

namespace hadeck::agent {

class ClientSink {
public:
    virtual ~ClientSink() = default;
    /// Queues one encoded message (without the newline). Never blocks: a client
    /// whose output buffer overflows is dropped.
    virtual void sendLine(std::string_view line) = 0;
    [[nodiscard]] virtual int clientId() const = 0;
    /// A request that expects a reply was dispatched / its reply was sent: a client that
    /// half-closed its end is answered before the connection goes.
    virtual void replyOwed() {}
    virtual void replyPaid() {}
};

} // namespace hadeck::agent
