#pragma once

// Parses an agent's lines on a worker thread. A 30,000-row IPVS snapshot is
// megabytes of JSON; parsing it on the GUI thread froze the console for
// seconds. The decoder keeps the lines' order, and the client drops what a
// closed connection left in flight.

#include "hadeck/console/agentclient.h"

#include <QByteArray>
#include <QObject>

#include <any>
#include <memory>

namespace hadeck::console::detail {

struct DecodedLine {
    Expected<rpc::Message, rpc::DecodeError> message;
    std::any decoded; ///< what the NotificationDecoder made of a notification, if one is set
};

class LineDecoder final : public QObject {
    Q_OBJECT
public:
    explicit LineDecoder(AgentClient::NotificationDecoder decoder) : m_decoder(std::move(decoder)) {}

    /// Runs on the decoder's thread; emits decoded() with the same @p generation.
    void decode(quint64 generation, const QByteArray& line);

signals:
    void decoded(quint64 generation, std::shared_ptr<hadeck::console::detail::DecodedLine> line);

private:
    AgentClient::NotificationDecoder m_decoder;
};

} // namespace hadeck::console::detail

Q_DECLARE_METATYPE(std::shared_ptr<hadeck::console::detail::DecodedLine>)
