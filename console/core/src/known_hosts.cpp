// known_hosts read the way libssh reads it, for the changed-key question: which keys the file
// records for a host (plain, comma-listed or hashed names), as type and SHA-256 fingerprint.

#include "sshsession.h"

#include <QFile>

namespace hadeck::console::detail {

void ensureLibsshInit()
{
    static const int once = ssh_init();
    (void)once;
}

QString fingerprintOf(ssh_key key)
{
    unsigned char* hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK)
        return {};
    char* fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    QString out = QString::fromLatin1(fp ? fp : "");
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
    return out;
}

QString knownHostsName(const QString& host, quint16 port)
{
    return port == 22 ? host : QStringLiteral("[%1]:%2").arg(host).arg(port);
}

} // namespace hadeck::console::detail

namespace hadeck::console {

QList<HostKey> knownHostKeys(const QString& knownHostsFile, const QString& host, quint16 port)
{
    detail::ensureLibsshInit();
    QList<HostKey> out;
    QFile f(knownHostsFile);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QByteArray name = detail::knownHostsName(host, port).toUtf8();
    while (!f.atEnd()) {
        QByteArray line = f.readLine().trimmed();
        if (line.startsWith('@'))
            line = line.mid(line.indexOf(' ') + 1).trimmed(); // @cert-authority / @revoked: the key still shows
        struct ssh_knownhosts_entry* entry = nullptr;
        // SSH_OK for a line that names the host (plain, comma list or hashed); SSH_AGAIN otherwise.
        if (ssh_known_hosts_parse_line(name.constData(), line.constData(), &entry) == SSH_OK && entry &&
            entry->publickey) {
            out << HostKey{QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(entry->publickey))),
                           detail::fingerprintOf(entry->publickey)};
        }
        ssh_knownhosts_entry_free(entry);
    }
    return out;
}

} // namespace hadeck::console
