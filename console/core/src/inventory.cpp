#include "hadeck/console/inventory.h"

#include <hadeck/protocol/toml_guard.h>

#define TOML_EXCEPTIONS 0
// The reader asserts things of its input that malformed input breaks (a date followed by a
// blank and a digit, "[}]", "[=]"). Without NDEBUG those asserts abort the console; with it they
// become compiler assumptions, undefined behaviour where the compiler takes them (clang, MSVC).
// Both are off here: the reader then reports such input as invalid TOML. (The agent links the
// packaged library, built without either.)
#ifdef NDEBUG
#define HADECK_TOML_NDEBUG
#undef NDEBUG
#endif
#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/toml.h>
#ifdef HADECK_TOML_NDEBUG
#define NDEBUG
#undef HADECK_TOML_NDEBUG
#endif

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <sstream>
#include <string>

namespace hadeck::console {

namespace {

using OJson = nlohmann::ordered_json;

// The inventory's texts, under the catalog context "Inventory".
struct Text {
    Q_DECLARE_TR_FUNCTIONS(Inventory)
};

QString where(const QString& origin)
{
    return origin.isEmpty() ? Text::tr("inventory") : origin;
}

Unexpected<Failure> failQ(const QString& message)
{
    return fail(message.toStdString());
}

/// 1-based line and column of byte @p offset.
std::pair<int, int> lineColumn(const QByteArray& text, std::size_t offset)
{
    int line = 1;
    int col = 1;
    const auto end = std::min<std::size_t>(offset, static_cast<std::size_t>(text.size()));
    for (std::size_t i = 0; i < end; ++i) {
        if (text[static_cast<qsizetype>(i)] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

bool isTomlOrigin(const QString& origin)
{
    return origin.endsWith(QLatin1String(".toml"), Qt::CaseInsensitive);
}

Expected<QString> stringField(const OJson& obj, const char* key, const QString& context, bool required,
                              const QString& fallback = {})
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required)
            return failQ(Text::tr("%1: missing \"%2\"").arg(context, QLatin1String(key)));
        return fallback;
    }
    if (!it->is_string())
        return failQ(Text::tr("%1: \"%2\" must be a string").arg(context, QLatin1String(key)));
    return QString::fromStdString(it->get<std::string>());
}

Expected<NodeSpec> parseNode(const OJson& j, int index, const QString& origin)
{
    QString context = Text::tr("%1: node #%2").arg(where(origin)).arg(index + 1);
    if (!j.is_object())
        return failQ(Text::tr("%1: must be an object").arg(context));
    NodeSpec n;
    auto name = stringField(j, "name", context, true);
    if (!name)
        return Unexpected<Failure>{name.error()};
    n.name = name->trimmed();
    if (n.name.isEmpty())
        return failQ(Text::tr("%1: \"name\" is empty").arg(context));
    context = Text::tr("%1: node \"%2\"").arg(where(origin), n.name);

    auto transport = stringField(j, "transport", context, false, QStringLiteral("ssh"));
    if (!transport)
        return Unexpected<Failure>{transport.error()};
    if (*transport == QLatin1String("ssh"))
        n.transport = NodeSpec::TransportKind::Ssh;
    else if (*transport == QLatin1String("local"))
        n.transport = NodeSpec::TransportKind::Local;
    else
        return failQ(Text::tr("%1: \"transport\" must be \"ssh\" or \"local\", not \"%2\"").arg(context, *transport));

    const bool ssh = n.transport == NodeSpec::TransportKind::Ssh;
    auto address = stringField(j, "address", context, ssh);
    if (!address)
        return Unexpected<Failure>{address.error()};
    n.address = address->trimmed();
    if (ssh && n.address.isEmpty())
        return failQ(Text::tr("%1: \"address\" is empty").arg(context));

    if (auto it = j.find("port"); it != j.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 65535)
            return failQ(Text::tr("%1: \"port\" must be a number from 1 to 65535, not %2")
                             .arg(context, QString::fromStdString(it->dump())));
        n.port = static_cast<quint16>(it->get<long long>());
    }
    for (auto [key, member] : {std::pair{"user", &NodeSpec::user}, std::pair{"key", &NodeSpec::key},
                               std::pair{"jump", &NodeSpec::jump}}) {
        auto v = stringField(j, key, context, false);
        if (!v)
            return Unexpected<Failure>{v.error()};
        n.*member = v->trimmed();
    }
    auto socket = stringField(j, "socket", context, false, n.socket);
    if (!socket)
        return Unexpected<Failure>{socket.error()};
    n.socket = socket->trimmed().isEmpty() ? NodeSpec{}.socket : socket->trimmed();

    if (auto it = j.find("roles"); it != j.end() && !it->is_null()) {
        if (!it->is_array())
            return failQ(Text::tr("%1: \"roles\" must be a list of strings").arg(context));
        for (const auto& r : *it) {
            if (!r.is_string())
                return failQ(Text::tr("%1: \"roles\" must be a list of strings").arg(context));
            n.roles << QString::fromStdString(r.get<std::string>());
        }
    }
    return n;
}

Expected<ClusterInventory> fromJson(const OJson& root, const QString& origin)
{
    if (!root.is_object())
        return failQ(Text::tr("%1: the top level must be an object with \"name\" and \"nodes\"").arg(where(origin)));
    ClusterInventory inv;
    const QString ctx = where(origin);
    auto name = stringField(root, "name", ctx, false, QFileInfo(origin).completeBaseName());
    if (!name)
        return Unexpected<Failure>{name.error()};
    inv.name = *name;
    auto kh = stringField(root, "knownHosts", ctx, false);
    if (!kh)
        return Unexpected<Failure>{kh.error()};
    inv.knownHosts = *kh;
    auto nodes = root.find("nodes");
    if (nodes == root.end())
        return failQ(Text::tr("%1: missing \"nodes\"").arg(ctx));
    if (!nodes->is_array())
        return failQ(Text::tr("%1: \"nodes\" must be a list").arg(ctx));
    int i = 0;
    for (const auto& nj : *nodes) {
        auto n = parseNode(nj, i++, origin);
        if (!n)
            return Unexpected<Failure>{n.error()};
        inv.nodes.push_back(std::move(*n));
    }
    inv.sourcePath = origin;
    if (auto ok = validateInventory(inv); !ok)
        return failQ(ctx + QStringLiteral(": ") + QString::fromStdString(ok.error().message));
    return inv;
}

Expected<OJson> parseJsonText(const QByteArray& text, const QString& origin)
{
    try {
        return OJson::parse(text.constBegin(), text.constEnd());
    } catch (const OJson::parse_error& e) {
        // e.byte is 1-based and points just past the offending character.
        const auto [line, col] = lineColumn(text, e.byte > 0 ? e.byte - 1 : 0);
        std::string what = e.what();
        // Keep nlohmann's reason, drop its own "[json.exception...] parse error at line..." prefix.
        if (auto p = what.rfind(": "); p != std::string::npos)
            what = what.substr(p + 2);
        return failQ(Text::tr("%1:%2:%3: invalid JSON: %4")
                         .arg(where(origin))
                         .arg(line)
                         .arg(col)
                         .arg(QString::fromStdString(what)));
    } catch (const OJson::exception& e) {
        // A number too large for any type (out_of_range 406) is not a parse_error and has no
        // position; its text names the number.
        std::string what = e.what();
        if (auto p = what.find("] "); p != std::string::npos)
            what = what.substr(p + 2);
        return failQ(Text::tr("%1: invalid JSON: %2").arg(where(origin), QString::fromStdString(what)));
    }
}

Expected<OJson> parseTomlText(const QByteArray& text, const QString& origin)
{
    const std::string_view sv(text.constData(), static_cast<std::size_t>(text.size()));
    if (const auto bad = proto::findTomlTextProblem(sv)) {
        return failQ(Text::tr("%1:%2:%3: the character U+%4 is not accepted in an inventory file")
                         .arg(where(origin))
                         .arg(bad->line)
                         .arg(bad->column)
                         .arg(QString::number(static_cast<uint>(bad->codePoint), 16)
                                  .toUpper()
                                  .rightJustified(4, QLatin1Char('0'))));
    }
    toml::parse_result result = toml::parse(sv, origin.toStdString());
    if (!result) {
        const auto& err = result.error();
        return failQ(Text::tr("%1:%2:%3: invalid TOML: %4")
                         .arg(where(origin))
                         .arg(err.source().begin.line)
                         .arg(err.source().begin.column)
                         .arg(QString::fromUtf8(err.description().data(),
                                                static_cast<qsizetype>(err.description().size()))));
    }
    std::ostringstream out;
    out << toml::json_formatter{result.table()};
    try {
        return OJson::parse(out.str());
    } catch (const std::exception& e) {
        return failQ(Text::tr("%1: cannot read TOML values: %2").arg(where(origin), QString::fromUtf8(e.what())));
    }
}

OJson nodeToJson(const NodeSpec& n)
{
    OJson j = OJson::object();
    j["name"] = n.name.toStdString();
    if (n.transport == NodeSpec::TransportKind::Local)
        j["transport"] = "local";
    j["address"] = n.address.toStdString();
    j["port"] = n.port;
    j["user"] = n.user.toStdString();
    j["key"] = n.key.toStdString();
    j["jump"] = n.jump.toStdString();
    OJson roles = OJson::array();
    for (const auto& r : n.roles)
        roles.push_back(r.toStdString());
    j["roles"] = std::move(roles);
    j["socket"] = n.socket.toStdString();
    return j;
}

} // namespace

const NodeSpec* ClusterInventory::node(const QString& nodeName) const
{
    for (const auto& n : nodes) {
        if (n.name == nodeName)
            return &n;
    }
    return nullptr;
}

Status validateInventory(const ClusterInventory& inv)
{
    QSet<QString> names;
    for (const auto& n : inv.nodes) {
        if (n.name.isEmpty())
            return failQ(Text::tr("a node has no name"));
        if (names.contains(n.name))
            return failQ(Text::tr("node \"%1\" appears more than once; node names must be unique").arg(n.name));
        names.insert(n.name);
        if (n.port == 0)
            return failQ(Text::tr("node \"%1\": port 0 is not valid").arg(n.name));
        if (n.transport == NodeSpec::TransportKind::Ssh && n.address.isEmpty())
            return failQ(Text::tr("node \"%1\": no address").arg(n.name));
        if (n.socket.isEmpty())
            return failQ(Text::tr("node \"%1\": the agent socket path is empty").arg(n.name));
    }
    for (const auto& n : inv.nodes) {
        if (n.jump.isEmpty())
            continue;
        if (n.transport == NodeSpec::TransportKind::Local)
            return failQ(Text::tr("node \"%1\": a local node cannot have a jump host").arg(n.name));
        if (n.jump == n.name)
            return failQ(Text::tr("node \"%1\" names itself as its jump host").arg(n.name));
        const NodeSpec* j = inv.node(n.jump);
        if (!j)
            return failQ(Text::tr("node \"%1\": jump host \"%2\" is not a node of this cluster").arg(n.name, n.jump));
        if (j->transport != NodeSpec::TransportKind::Ssh)
            return failQ(Text::tr("node \"%1\": jump host \"%2\" is not reached over SSH").arg(n.name, n.jump));
        if (!j->jump.isEmpty())
            return failQ(Text::tr("node \"%1\": jump host \"%2\" has a jump host itself; chained jumps are not supported")
                             .arg(n.name, n.jump));
    }
    return {};
}

Expected<ClusterInventory> parseInventory(const QByteArray& text, const QString& origin)
{
    const bool toml = isTomlOrigin(origin);
    auto root = toml ? parseTomlText(text, origin) : parseJsonText(text, origin);
    if (!root)
        return Unexpected<Failure>{root.error()};
    auto inv = fromJson(*root, origin);
    if (inv)
        inv->format = toml ? ClusterInventory::Format::Toml : ClusterInventory::Format::Json;
    return inv;
}

QByteArray serializeInventory(const ClusterInventory& inv)
{
    if (inv.format == ClusterInventory::Format::Toml) {
        toml::table root;
        root.insert("name", inv.name.toStdString());
        root.insert("knownHosts", inv.knownHosts.toStdString());
        toml::array nodes;
        for (const auto& n : inv.nodes) {
            toml::table t;
            t.insert("name", n.name.toStdString());
            if (n.transport == NodeSpec::TransportKind::Local)
                t.insert("transport", "local");
            t.insert("address", n.address.toStdString());
            t.insert("port", static_cast<int64_t>(n.port));
            t.insert("user", n.user.toStdString());
            t.insert("key", n.key.toStdString());
            t.insert("jump", n.jump.toStdString());
            toml::array roles;
            for (const auto& r : n.roles)
                roles.push_back(r.toStdString());
            t.insert("roles", std::move(roles));
            t.insert("socket", n.socket.toStdString());
            nodes.push_back(std::move(t));
        }
        root.insert("nodes", std::move(nodes));
        // Basic strings only, with escapes: the writer's literal and multi-line forms are not safe
        // for every text (a name holding ''' was written as a multi-line literal string that the
        // ''' inside ended, and the file could not be read back).
        constexpr auto flags = toml::toml_formatter::default_flags & ~(toml::format_flags::allow_literal_strings |
                                                                       toml::format_flags::allow_multi_line_strings);
        std::ostringstream out;
        out << toml::toml_formatter(root, flags) << '\n';
        return QByteArray::fromStdString(out.str());
    }
    OJson root = OJson::object();
    root["name"] = inv.name.toStdString();
    root["knownHosts"] = inv.knownHosts.toStdString();
    OJson nodes = OJson::array();
    for (const auto& n : inv.nodes)
        nodes.push_back(nodeToJson(n));
    root["nodes"] = std::move(nodes);
    return QByteArray::fromStdString(root.dump(2) + "\n");
}

QString clustersDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/clusters");
}

QStringList availableClusters()
{
    QDir dir(clustersDirectory());
    QStringList names;
    for (const auto& fi : dir.entryInfoList({QStringLiteral("*.json"), QStringLiteral("*.toml")}, QDir::Files,
                                            QDir::Name))
        names << fi.completeBaseName();
    names.removeDuplicates();
    return names;
}

Expected<ClusterInventory> loadInventory(const QString& fileOrName)
{
    QString path = fileOrName;
    if (!QFileInfo::exists(path) && !fileOrName.contains(QLatin1Char('/')) &&
        !fileOrName.contains(QLatin1Char('\\'))) {
        const QString dir = clustersDirectory();
        for (const char* ext : {".json", ".toml"}) {
            const QString candidate = dir + QLatin1Char('/') + fileOrName + QLatin1String(ext);
            if (QFileInfo::exists(candidate)) {
                path = candidate;
                break;
            }
        }
        if (path == fileOrName)
            return failQ(Text::tr("no cluster named \"%1\": neither a file nor an inventory in %2").arg(fileOrName, dir));
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return failQ(Text::tr("cannot read %1: %2").arg(path, f.errorString()));
    constexpr qint64 kMaxInventory = 16 * 1024 * 1024;
    if (f.size() > kMaxInventory)
        return failQ(Text::tr("%1 is larger than 16 MiB; not an inventory").arg(path));
    return parseInventory(f.readAll(), path);
}

Status saveInventory(const ClusterInventory& inv, const QString& path)
{
    if (auto ok = validateInventory(inv); !ok)
        return ok;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return failQ(Text::tr("cannot write %1: %2").arg(path, f.errorString()));
    ClusterInventory copy = inv;
    copy.format = isTomlOrigin(path) ? ClusterInventory::Format::Toml
                                     : (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
                                            ? ClusterInventory::Format::Json
                                            : inv.format);
    f.write(serializeInventory(copy));
    if (!f.commit())
        return failQ(Text::tr("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace hadeck::console
