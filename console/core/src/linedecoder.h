#pragma once

// Parses an agent's lines on a worker thread. A 30,000-row IPVS snapshot is
// megabytes of JSON; parsing it on the GUI thread froze the console for
// seconds. The decoder keeps the lines' order, and the client drops what a
// closed connection left in flight.

#include "hadeck/console/agentclient.h"

#include <QByteArray>
#include <QObject>

#include <any>
#include <atomic>
#include <memory>

namespace hadeck::console::detail {

struct DecodedLine {
    Expected<rpc::Message, rpc::DecodeError> message;
    std::any decoded; ///< what the NotificationDecoder made of a notification, if one is set
    qint64 size = 0;  ///< bytes of the line, for the client's backlog accounting
    bool superseded = false; ///< a later snapshot of its topic replaces it (set on the client's thread)
};

class LineDecoder final : public QObject {
    Q_OBJECT
public:
    /// @param current the client's connection generation, read before each parse: lines
    ///        of a connection that has closed (or a client going away) are dropped unparsed.
    LineDecoder(AgentClient::NotificationDecoder decoder, std::shared_ptr<const std::atomic<quint64>> current)
        : m_decoder(std::move(decoder)), m_current(std::move(current))
    {
    }

    /// Runs on the decoder's thread; emits decoded() with the same @p generation,
    /// unless the generation is no longer current.
    void decode(quint64 generation, const QByteArray& line);

signals:
    void decoded(quint64 generation, std::shared_ptr<hadeck::console::detail::DecodedLine> line);

private:
    AgentClient::NotificationDecoder m_decoder;
    std::shared_ptr<const std::atomic<quint64>> m_current;
};

} // namespace hadeck::console::detail

Q_DECLARE_METATYPE(std::shared_ptr<hadeck::console::detail::DecodedLine>)
