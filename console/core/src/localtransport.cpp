#include "hadeck/console/localtransport.h"

#include <QTimer>

#include <string>
#include <vector>

namespace hadeck::console {

LocalTransport::LocalTransport(QString socketPath, QObject* parent) : Transport(parent), m_path(std::move(socketPath))
{
}

LocalTransport::~LocalTransport()
{
    close();
}

void LocalTransport::open()
{
    close();
    m_framer = rpc::LineFramer{kMaxFrame};
    m_socket = new QLocalSocket(this);
    // Qt stops taking from the kernel when this much waits unread: with the
    // client's bounded decode queue, a flooding agent blocks in its own write().
    m_socket->setReadBufferSize(kReadChunk);
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        m_connected = true;
        emit connected();
    });
    connect(m_socket, &QLocalSocket::readyRead, this, &LocalTransport::onReadyRead);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &LocalTransport::onError);
    connect(m_socket, &QLocalSocket::disconnected, this, &LocalTransport::onDisconnected);
    emit progress(tr("connecting to %1").arg(m_path));
    m_socket->connectToServer(m_path);
}

void LocalTransport::close()
{
    m_connected = false;
    if (m_socket) {
        QLocalSocket* s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
}

bool LocalTransport::write(const QByteArray& line)
{
    if (!m_connected || !m_socket)
        return false;
    if (m_socket->bytesToWrite() + line.size() > kMaxWriteBacklog) {
        // An agent that sends requests but never reads the answers: drop the link
        // rather than queue without limit (after this call returns, not inside it).
        QLocalSocket* s = m_socket;
        const qint64 queued = s->bytesToWrite();
        QTimer::singleShot(0, this, [this, s, queued] {
            if (m_socket == s)
                fail({TransportError::Kind::Network,
                      tr("the agent at %1 does not read what the console sends (%2 bytes queued): link dropped")
                          .arg(m_path)
                          .arg(queued)});
        });
        return false;
    }
    m_socket->write(line);
    if (!line.endsWith('\n'))
        m_socket->write("\n", 1);
    return true;
}

bool LocalTransport::isConnected() const
{
    return m_connected;
}

QString LocalTransport::describe() const
{
    return tr("local socket %1").arg(m_path);
}

void LocalTransport::setReadPaused(bool paused)
{
    const bool was = isReadPaused();
    Transport::setReadPaused(paused);
    if (was && !paused)
        scheduleRead();
}

void LocalTransport::scheduleRead()
{
    if (m_readScheduled || !m_socket)
        return;
    m_readScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_readScheduled = false;
        onReadyRead();
    });
}

void LocalTransport::onReadyRead()
{
    if (!m_socket)
        return;
    // Bounded work per call, never readAll(): what is not read stays in the kernel
    // and pushes back on the agent, and other nodes' events run in between.
    qint64 budget = kReadBudget;
    while (!isReadPaused() && budget > 0 && m_socket->bytesAvailable() > 0) {
        const QByteArray data = m_socket->read(std::min<qint64>(kReadChunk, budget));
        if (data.isEmpty())
            break;
        budget -= data.size();
        noteReceived(data.size());
        std::vector<std::string> lines;
        const bool ok = m_framer.feed(std::string_view(data.constData(), static_cast<size_t>(data.size())), lines);
        for (const auto& l : lines) {
            emit lineReceived(QByteArray::fromStdString(l));
            if (!m_socket)
                return; // a slot closed us
        }
        if (!ok) {
            fail({TransportError::Kind::Protocol,
                  tr("the agent at %1 sent a message larger than %2 bytes").arg(m_path).arg(m_framer.maxFrame())});
            return;
        }
    }
    if (!isReadPaused() && m_socket->bytesAvailable() > 0)
        scheduleRead();
}

void LocalTransport::onError(QLocalSocket::LocalSocketError error)
{
    if (!m_socket)
        return;
    if (error == QLocalSocket::PeerClosedError) {
        onDisconnected();
        return;
    }
    TransportError e;
    e.kind = error == QLocalSocket::SocketAccessError ? TransportError::Kind::Permission : TransportError::Kind::Agent;
    if (error == QLocalSocket::ServerNotFoundError || error == QLocalSocket::ConnectionRefusedError)
        e.message = tr("no agent is listening at %1 (is hadeck-agent running?)").arg(m_path);
    else if (e.kind == TransportError::Kind::Permission)
        e.message = tr("permission denied on the agent socket %1: the user must be in the group \"hadeck\"").arg(m_path);
    else
        e.message = tr("cannot reach the agent at %1: %2").arg(m_path, m_socket->errorString());
    fail(e);
}

void LocalTransport::onDisconnected()
{
    if (!m_socket)
        return;
    // The last words before a close often say why (the bridge's refusal).
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
    if (!m_socket)
        return;
    fail({TransportError::Kind::Agent, tr("the agent at %1 closed the connection").arg(m_path)});
}

void LocalTransport::fail(TransportError error)
{
    close();
    emit disconnected(error);
}

} // namespace hadeck::console
