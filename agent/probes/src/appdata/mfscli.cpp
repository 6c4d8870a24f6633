#include "hadeck/probes/appdata/mfscli.h"

#include "../text_util.h"

#include <string>

namespace hadeck::probes {

namespace {

struct Row {
    std::string_view table; // title without the trailing ':'
    std::vector<std::string_view> fields;
};

std::vector<Row> rows(std::string_view text)
{
    std::vector<Row> out;
    for (const auto raw : text::lines(text)) {
        const auto line = text::trim(raw);
        const auto sep = line.find(kMfscliSeparator);
        if (line.empty() || sep == std::string_view::npos || sep == 0 || line[sep - 1] != ':') {
            continue; // blank lines, "chunk loop|no data"-style remarks
        }
        Row r;
        r.table = line.substr(0, sep - 1);
        std::string_view rest = line.substr(sep + 1);
        while (true) {
            const auto next = rest.find(kMfscliSeparator);
            r.fields.push_back(text::trim(rest.substr(0, next)));
            if (next == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(next + 1);
        }
        out.push_back(std::move(r));
    }
    return out;
}

template <typename T>
bool num(std::string_view s, T& out)
{
    if (const auto v = text::number<T>(s)) {
        out = *v;
        return true;
    }
    return false;
}

std::string maintenanceText(std::string_view s)
{
    if (s == "maintenance_off" || s == "off") {
        return "off";
    }
    if (s == "maintenance_on" || s == "on") {
        return "on";
    }
    if (s == "maintenance_temp_on" || s == "maintenance_tmp_on" || s == "on (temp)") {
        return "on (temp)";
    }
    return std::string(s); // "-" when no leader was found
}

} // namespace

Expected<proto::MfsMasterInfo> parseMfsMasterInfo(std::string_view text)
{
    proto::MfsMasterInfo info;
    bool sawVersion = false;
    bool sawChunks = false;
    for (const auto& r : rows(text)) {
        if (r.table == "master info" && r.fields.size() == 2) {
            const auto key = r.fields[0];
            const auto value = r.fields[1];
            bool ok = true;
            if (key == "master version") {
                info.version = std::string(value);
                sawVersion = true;
            } else if (key == "RAM used") {
                ok = value == "not available" || num(value, info.ramUsedBytes);
            } else if (key == "total space") {
                ok = num(value, info.totalSpaceBytes);
            } else if (key == "avail space") {
                ok = num(value, info.availSpaceBytes);
            } else if (key == "files") {
                ok = num(value, info.files);
            } else if (key == "directories") {
                ok = num(value, info.directories);
            } else if (key == "chunks") {
                ok = num(value, info.chunks);
                sawChunks = ok;
            }
            if (!ok) {
                return fail("mfscli -SIN: '" + std::string(key) + "' is not a number");
            }
        } else if (r.table == "all chunks matrix" && r.fields.size() == 2) {
            std::uint64_t n = 0;
            const auto key = r.fields[0];
            if (key == "chunkclass missing:" || key == "chunkclass endangered:" || key == "chunkclass undergoal:") {
                if (!num(r.fields[1], n)) {
                    return fail("mfscli -SIN: '" + std::string(key) + "' is not a number");
                }
                (key == "chunkclass missing:" ? info.missingChunks : info.undergoalChunks) += n;
            }
        }
    }
    if (!sawVersion || !sawChunks) {
        return fail("not mfscli -SIN output (no master version and chunks)");
    }
    return info;
}

Expected<std::vector<proto::MfsChunkserver>> parseMfsChunkservers(std::string_view text)
{
    std::vector<proto::MfsChunkserver> out;
    for (const auto& r : rows(text)) {
        proto::MfsChunkserver cs;
        const auto& f = r.fields;
        if (r.table == "chunk servers") {
            // 3.0.38+: host port id labels version load maintenance chunks used total mfr tdchunks tdused tdtotal
            if (f.size() < 10) {
                return fail("mfscli -SCS: a chunk server row has " + std::to_string(f.size()) + " fields, expected 14");
            }
            cs.host = std::string(f[0]);
            cs.labels = std::string(f[3]);
            cs.version = std::string(f[4]);
            cs.maintenance = maintenanceText(f[6]);
            if (!num(f[1], cs.port) || !num(f[2], cs.id) || !num(f[7], cs.chunks) || !num(f[8], cs.usedBytes) ||
                !num(f[9], cs.totalBytes)) {
                return fail("mfscli -SCS: a number of chunk server " + cs.host + " does not parse");
            }
        } else if (r.table == "Disconnected chunk servers" || r.table == "disconnected chunk servers") {
            // host port id maintenance
            if (f.size() < 2) {
                return fail("mfscli -SCS: a disconnected server row is too short");
            }
            cs.host = std::string(f[0]);
            cs.connected = false;
            if (!num(f[1], cs.port) || (f.size() > 2 && !num(f[2], cs.id))) {
                return fail("mfscli -SCS: a number of disconnected server " + cs.host + " does not parse");
            }
            if (f.size() > 3) {
                cs.maintenance = maintenanceText(f[3]);
            }
        } else {
            continue;
        }
        out.push_back(std::move(cs));
    }
    return out;
}

Expected<std::vector<proto::MfsMetalogger>> parseMfsMetaloggers(std::string_view text)
{
    std::vector<proto::MfsMetalogger> out;
    for (const auto& r : rows(text)) {
        if (r.table != "metadata backup loggers") {
            continue;
        }
        if (r.fields.size() < 2) {
            return fail("mfscli -SMB: a metalogger row is too short");
        }
        out.push_back({std::string(r.fields[0]), std::string(r.fields[1])});
    }
    return out;
}

Expected<std::vector<proto::MfsDisk>> parseMfsDisks(std::string_view text)
{
    std::vector<proto::MfsDisk> out;
    for (const auto& r : rows(text)) {
        if (r.table != "disks") {
            continue;
        }
        const auto& f = r.fields;
        // ip:port:path chunks lasterror status rbw wbw ravg wavg favg rops wops fops used total
        if (f.size() < 6) {
            return fail("mfscli -SHD: a disk row is too short");
        }
        proto::MfsDisk d;
        const auto first = f[0].find(':');
        const auto second = first == std::string_view::npos ? first : f[0].find(':', first + 1);
        if (second == std::string_view::npos) {
            return fail("mfscli -SHD: '" + std::string(f[0].substr(0, 80)) + "' is not ip:port:path");
        }
        d.server = std::string(f[0].substr(0, second));
        d.path = std::string(f[0].substr(second + 1));
        d.status = std::string(f[3]);
        // "no errors" or the time of the last error; MooseFS keeps only the last one.
        d.errors = f[2] == "no errors" ? 0 : 1;
        if (!num(f[1], d.chunks) || !num(f[f.size() - 2], d.usedBytes) || !num(f[f.size() - 1], d.totalBytes)) {
            return fail("mfscli -SHD: a number of disk " + d.path + " does not parse");
        }
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace hadeck::probes
