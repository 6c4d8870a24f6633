#pragma once

// Parses an agent's lines on a worker thread. A 30,000-row IPVS snapshot is
// megabytes of JSON; parsing it on the GUI thread froze the console for
// seconds. A flood of small notifications is handled in batches: the client
// appends lines to an inbox and wakes the decoder once, the decoder takes the
// whole inbox, and hands the batch back in one event. It reads the batch newest
// first, each state.delta's head with the fast reader (rpc::FastReader), so a line
// whose topic a later snapshot in the batch replaces is marked superseded without
// being decoded at all; a kept one goes through the fast decoder (the IPVS table,
// straight into structs) or else the generic JSON tree. The batch keeps the lines'
// order, and the client drops what a closed connection left in flight.

#include "hadeck/console/agentclient.h"

#include <QByteArray>
#include <QObject>

#include <any>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace hadeck::console::detail {

struct DecodedLine {
    Expected<rpc::Message, rpc::DecodeError> message;
    std::any decoded; ///< what the NotificationDecoder made of a notification, if one is set
    qint64 size = 0;  ///< bytes of the line, for the client's backlog accounting
    bool superseded = false; ///< a later snapshot of its topic replaces it
    /// A state.delta's head, read once on the decode thread (empty topic: not a state.delta).
    std::string topic = {};
    bool snapshot = false;
};

using DecodedBatch = std::vector<std::shared_ptr<DecodedLine>>;

/// Lines waiting for the decoder, shared by the client (producer, its own thread)
/// and the decoder (consumer, the decode thread).
struct LineInbox {
    std::mutex mutex;
    std::vector<QByteArray> lines;
    quint64 generation = 0; ///< the connection the lines came from
    bool woken = false;     ///< a decodeInbox() call is queued and has not taken the lines yet
};

/// The state.delta head of a parsed line (topic empty when it is not one).
void readDeltaHead(DecodedLine& line);

/// Marks superseded every line of a topic that a later snapshot in @p lines replaces
/// (a snapshot replaces its topic's table).
template <typename Lines>
void markSuperseded(Lines& lines)
{
    std::set<std::string, std::less<>> replaced;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        DecodedLine& line = **it;
        if (line.topic.empty() || line.superseded)
            continue;
        if (replaced.count(line.topic) != 0)
            line.superseded = true;
        else if (line.snapshot)
            replaced.insert(line.topic);
    }
}

class LineDecoder final : public QObject {
    Q_OBJECT
public:
    /// @param current the client's connection generation, read before each parse: lines
    ///        of a connection that has closed (or a client going away) are dropped unparsed.
    /// @param fast decodes what it can of a state.delta from the line itself (may be empty).
    LineDecoder(AgentClient::NotificationDecoder decoder, AgentClient::FastDeltaDecoder fast,
                std::shared_ptr<const std::atomic<quint64>> current, std::shared_ptr<LineInbox> inbox);
    ~LineDecoder() override;

    /// Runs on the decoder's thread: takes every line in the inbox and emits
    /// decoded() once with their results, unless their generation is no longer current.
    void decodeInbox();

signals:
    void decoded(quint64 generation, std::shared_ptr<hadeck::console::detail::DecodedBatch> batch);

private:
    /// The generic path for one line: parse, head, and the NotificationDecoder unless superseded.
    std::shared_ptr<DecodedLine> decodeGeneric(std::string_view text, std::set<std::string, std::less<>>& replaced);

    AgentClient::NotificationDecoder m_decoder;
    AgentClient::FastDeltaDecoder m_fast;
    std::unique_ptr<rpc::FastReader> m_reader; ///< state.delta heads, and the fast path's parse
    std::shared_ptr<const std::atomic<quint64>> m_current;
    std::shared_ptr<LineInbox> m_inbox;
};

} // namespace hadeck::console::detail

Q_DECLARE_METATYPE(std::shared_ptr<hadeck::console::detail::DecodedBatch>)
