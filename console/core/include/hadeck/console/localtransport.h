#pragma once

#include "hadeck/console/transport.h"

#include <hadeck/protocol/jsonrpc.h>

#include <QLocalSocket>

namespace hadeck::console {

/// Talks to an agent socket on this machine (QLocalSocket: unix socket on Linux,
/// named pipe on Windows).
class LocalTransport final : public Transport {
    Q_OBJECT
public:
    explicit LocalTransport(QString socketPath, QObject* parent = nullptr);
    ~LocalTransport() override;

    void open() override;
    void close() override;
    bool write(const QByteArray& line) override;
    [[nodiscard]] bool isConnected() const override;
    [[nodiscard]] QString describe() const override;
    void setReadPaused(bool paused) override;

private:
    void onReadyRead();
    void scheduleRead();
    void onError(QLocalSocket::LocalSocketError error);
    void onDisconnected();
    void fail(TransportError error);

    QString m_path;
    QLocalSocket* m_socket = nullptr;
    rpc::LineFramer m_framer;
    bool m_connected = false;
    bool m_readScheduled = false;
    static constexpr qint64 kReadChunk = 256 * 1024;
    static constexpr qint64 kReadBudget = 1024 * 1024;
};

} // namespace hadeck::console
