#pragma once

// Cluster inventory: one file per cluster, shared by a team. JSON, keys as the
// lab writes them:
// {"name":"gaokao-lab","knownHosts":"/run/hadeck-lab/known_hosts","nodes":[
//   {"name":"dir1","address":"198.18.0.11","port":22,"user":"root",
//    "key":"/run/hadeck-lab/id_ed25519","jump":"","roles":["director"],
//    "socket":"/run/hadeck/agent.sock"}]}
// Optional per node: "transport": "ssh" (default) or "local" (the agent socket
// on this machine; address, user and key are then ignored).
// The same keys in TOML (name, knownHosts, [[nodes]]) for files ending in .toml.

#include <hadeck/protocol/expected.h>

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

namespace hadeck::console {

struct NodeSpec {
    enum class TransportKind { Ssh, Local };

    QString name;
    QString address;
    quint16 port = 22;
    QString user;  ///< empty: the console user's login name
    QString key;   ///< private key file; empty: ssh-agent only
    QString jump;  ///< name of another node in this inventory, or empty
    QStringList roles; ///< hints; the agent's hello is authoritative
    QString socket = QStringLiteral("/run/hadeck/agent.sock");
    TransportKind transport = TransportKind::Ssh;

    friend bool operator==(const NodeSpec&, const NodeSpec&) = default;
};

struct ClusterInventory {
    enum class Format { Json, Toml };

    QString name;
    QString knownHosts; ///< empty: ~/.ssh/known_hosts
    QVector<NodeSpec> nodes;
    QString sourcePath; ///< file it was loaded from; not serialized
    Format format = Format::Json; ///< kept so a save writes what was read

    [[nodiscard]] const NodeSpec* node(const QString& nodeName) const;
    friend bool operator==(const ClusterInventory& a, const ClusterInventory& b)
    {
        return a.name == b.name && a.knownHosts == b.knownHosts && a.nodes == b.nodes;
    }
};

/// Parses inventory text (TOML when @p origin ends in ".toml", JSON otherwise). Errors name the origin, line and column for syntax
/// errors, and the node and field for invalid content (duplicate names, unknown
/// jump host, bad port, ...). Pure: no file access.
Expected<ClusterInventory> parseInventory(const QByteArray& text, const QString& origin = {});
/// Checks references and values; parseInventory() calls it.
Status validateInventory(const ClusterInventory& inventory);
/// Serializes in the same format and key order the parser reads.
QByteArray serializeInventory(const ClusterInventory& inventory);

/// Directory of per-cluster files: <AppConfigLocation>/clusters.
QString clustersDirectory();
/// Cluster names found in clustersDirectory() (file base names).
QStringList availableClusters();
/// Loads a file path, or a cluster name looked up in clustersDirectory().
Expected<ClusterInventory> loadInventory(const QString& fileOrName);
/// Writes atomically (QSaveFile). Validates first.
Status saveInventory(const ClusterInventory& inventory, const QString& path);

} // namespace hadeck::console
