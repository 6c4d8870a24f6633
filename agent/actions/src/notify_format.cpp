// Pure parts of the notification channels: configuration, payload formats,
// DingTalk's URL signature, answers, the email message.

#include "hadeck/agent/actions/notify.h"

#include "hadeck/agent/sha256.h"
#include "hadeck/protocol/wire.h"

#include <algorithm>
#include <cstdint>
#include <ctime>

namespace hadeck::agent {

namespace wire = proto::wire;

namespace {

std::optional<ChannelType> channelTypeFrom(std::string_view s)
{
    if (s == "exec") {
        return ChannelType::Exec;
    }
    if (s == "smtp") {
        return ChannelType::Smtp;
    }
    if (s == "dingtalk") {
        return ChannelType::DingTalk;
    }
    if (s == "wecom") {
        return ChannelType::WeCom;
    }
    if (s == "feishu") {
        return ChannelType::Feishu;
    }
    if (s == "webhook") {
        return ChannelType::Webhook;
    }
    return std::nullopt;
}

int severityRank(proto::AlarmSeverity s) { return static_cast<int>(s); }

std::string changeWord(const std::string& change)
{
    if (change == "raised") {
        return "触发 raised";
    }
    if (change == "cleared") {
        return "恢复 cleared";
    }
    if (change == "acknowledged") {
        return "已确认 acknowledged";
    }
    return change;
}

std::string urlEncode(const std::string& s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// RFC 4648 base64 with padding, no line breaks (as DingTalk's signature wants).
std::string base64(const unsigned char* data, std::size_t n)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(4 * ((n + 2) / 3));
    for (std::size_t i = 0; i < n; i += 3) {
        const std::uint32_t b = (std::uint32_t{data[i]} << 16U) | (i + 1 < n ? std::uint32_t{data[i + 1]} << 8U : 0U) |
                                (i + 2 < n ? std::uint32_t{data[i + 2]} : 0U);
        out.push_back(kAlphabet[(b >> 18U) & 63U]);
        out.push_back(kAlphabet[(b >> 12U) & 63U]);
        out.push_back(i + 1 < n ? kAlphabet[(b >> 6U) & 63U] : '=');
        out.push_back(i + 2 < n ? kAlphabet[b & 63U] : '=');
    }
    return out;
}

} // namespace

Expected<std::vector<NotifyChannel>> parseNotifyChannels(const rpc::Json& table, std::vector<std::string>& warnings)
{
    std::vector<NotifyChannel> out;
    if (table.is_null()) {
        return out;
    }
    std::string where = "[modules.notify]";
    try {
        wire::requireObject(table, where);
        for (const auto& [key, value] : table.items()) {
            if (key != "channels") {
                warnings.push_back(where + " unknown key \"" + key + "\"");
            }
        }
        const auto* channels = wire::find(table, "channels");
        if (channels == nullptr) {
            return out;
        }
        wire::requireObject(*channels, "[modules.notify.channels]");
        for (const auto& [name, c] : channels->items()) {
            where = "[modules.notify.channels." + name + "]";
            wire::requireObject(c, where);
            NotifyChannel ch;
            ch.name = name;
            wire::reqEnum(c, "type", ch.type, channelTypeFrom);
            wire::opt(c, "url", ch.url);
            wire::opt(c, "secret", ch.secret);
            wire::opt(c, "command", ch.command);
            wire::opt(c, "from", ch.from);
            wire::opt(c, "to", ch.to);
            wire::opt(c, "username", ch.username);
            wire::opt(c, "password", ch.password);
            wire::optEnum(c, "min_severity", ch.minSeverity, proto::alarmSeverityFromString);
            wire::opt(c, "changes", ch.changes);
            for (const auto& x : ch.changes) {
                if (x != "raised" && x != "cleared" && x != "acknowledged") {
                    wire::fail("changes", "must hold raised, cleared or acknowledged");
                }
            }
            wire::opt(c, "rate_per_minute", ch.ratePerMinute, 1, 6000);
            wire::opt(c, "retries", ch.retries, 0, 20);
            std::int64_t ms = ch.backoff.count();
            wire::opt(c, "backoff_ms", ms, std::int64_t{10}, std::int64_t{600000});
            ch.backoff = std::chrono::milliseconds(ms);
            ms = ch.timeout.count();
            wire::opt(c, "timeout_ms", ms, std::int64_t{100}, std::int64_t{120000});
            ch.timeout = std::chrono::milliseconds(ms);
            std::int64_t q = static_cast<std::int64_t>(ch.queueLimit);
            wire::opt(c, "queue", q, std::int64_t{1}, std::int64_t{10000});
            ch.queueLimit = static_cast<std::size_t>(q);
            for (const auto& [k, _] : c.items()) {
                static const std::vector<std::string> known{
                    "type", "url", "secret", "command", "from", "to", "username", "password", "min_severity",
                    "changes", "rate_per_minute", "retries", "backoff_ms", "timeout_ms", "queue"};
                if (std::find(known.begin(), known.end(), k) == known.end()) {
                    warnings.push_back(where + " unknown key \"" + k + "\"");
                }
            }
            if (ch.type == ChannelType::Exec && ch.command.empty()) {
                wire::fail("command", "is needed for an exec channel");
            }
            if (ch.type != ChannelType::Exec && ch.url.empty()) {
                wire::fail("url", "is needed");
            }
            if (ch.type == ChannelType::Smtp && (ch.from.empty() || ch.to.empty())) {
                wire::fail("to", "and from are needed for an smtp channel");
            }
            out.push_back(std::move(ch));
        }
    } catch (const wire::DecodeError& e) {
        return fail(where + ": " + e.what());
    } catch (const rpc::Json::exception& e) {
        return fail(where + ": " + e.what());
    }
    return out;
}

bool channelWants(const NotifyChannel& ch, const proto::AlarmEvent& ev)
{
    return severityRank(ev.alarm.severity) >= severityRank(ch.minSeverity) &&
           std::find(ch.changes.begin(), ch.changes.end(), ev.change) != ch.changes.end();
}

std::string alarmText(const proto::AlarmEvent& ev)
{
    const auto& a = ev.alarm;
    std::string s = "[HaDeck 告警] " + (ev.node.empty() ? a.node : ev.node) + " " +
                    std::string(proto::toString(a.severity)) + " " + changeWord(ev.change) + ": " + a.message;
    s += " (" + a.rule + (a.subject.empty() ? std::string() : " " + a.subject) + ", #" + std::to_string(a.id) + ")";
    if (ev.change == "acknowledged" && !a.ackBy.empty()) {
        s += " by " + a.ackBy + (a.ackComment.empty() ? std::string() : ": " + a.ackComment);
    }
    return s;
}

rpc::Json webhookPayload(ChannelType type, const proto::AlarmEvent& ev)
{
    const std::string text = alarmText(ev);
    switch (type) {
    case ChannelType::DingTalk:
        // https://open.dingtalk.com/document/robots/custom-robot-access : msgtype text
        return rpc::Json{{"msgtype", "text"}, {"text", {{"content", text}}}};
    case ChannelType::WeCom:
        // https://developer.work.weixin.qq.com/document/path/91770 : msgtype text
        return rpc::Json{{"msgtype", "text"}, {"text", {{"content", text}}}};
    case ChannelType::Feishu:
        // https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot : msg_type text
        return rpc::Json{{"msg_type", "text"}, {"content", {{"text", text}}}};
    case ChannelType::Webhook:
    case ChannelType::Exec:
    case ChannelType::Smtp:
        break;
    }
    return rpc::Json(ev);
}

std::string dingtalkSignedUrl(const std::string& url, const std::string& secret, std::int64_t unixMs)
{
    if (secret.empty()) {
        return url;
    }
    const std::string ts = std::to_string(unixMs);
    const std::string toSign = ts + "\n" + secret;
    const auto mac = hmacSha256(secret, toSign);
    if (!mac) {
        return url; // refused key: DingTalk answers "sign not match", which the delivery reports
    }
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "timestamp=" + ts +
           "&sign=" + urlEncode(base64(mac->data(), mac->size()));
}

bool webhookAccepted(ChannelType type, long httpStatus, const std::string& body, std::string& why)
{
    if (httpStatus < 200 || httpStatus > 299) {
        why = "HTTP " + std::to_string(httpStatus);
        return false;
    }
    const auto j = rpc::Json::parse(body, nullptr, false);
    if (!j.is_object()) {
        return true; // a 2xx without a JSON answer: the receiver took it
    }
    const auto code = [&](const char* key) -> std::optional<std::int64_t> {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_number_integer()) {
            return std::nullopt;
        }
        return it->get<std::int64_t>();
    };
    std::optional<std::int64_t> c;
    if (type == ChannelType::DingTalk || type == ChannelType::WeCom) {
        c = code("errcode");
    } else if (type == ChannelType::Feishu) {
        c = code("code");
        if (!c) {
            c = code("StatusCode");
        }
    }
    if (c && *c != 0) {
        // The receiver's own words, when it gave them as a string: at most 200 bytes, control
        // characters shown as spaces (they go to the log and the alarm's delivery status).
        std::string msg;
        for (const char* key : {"errmsg", "msg"}) {
            const auto it = j.find(key);
            if (it != j.end() && it->is_string() && msg.empty()) {
                msg = it->get<std::string>().substr(0, 200);
            }
        }
        for (char& ch : msg) {
            if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
                ch = ' ';
            }
        }
        why = "refused: code " + std::to_string(*c) + (msg.empty() ? std::string() : " " + msg);
        return false;
    }
    return true;
}

std::string emailMessage(const NotifyChannel& ch, const proto::AlarmEvent& ev, std::int64_t unixTime)
{
    char date[64];
    const std::time_t t = static_cast<std::time_t>(unixTime);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string to;
    for (const auto& r : ch.to) {
        to += (to.empty() ? "" : ", ") + r;
    }
    std::string subject = alarmText(ev);
    if (subject.size() > 400) {
        subject.resize(400);
    }
    const auto subjectBytes = reinterpret_cast<const unsigned char*>(subject.data());
    std::string msg = "Date: " + std::string(date) + "\r\nFrom: " + ch.from + "\r\nTo: " + to +
                      "\r\nSubject: =?UTF-8?B?" + base64(subjectBytes, subject.size()) +
                      "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n\r\n";
    std::string body = alarmText(ev) + "\n\n" + rpc::Json(ev).dump(2, ' ', false) + "\n";
    // CRLF line ends and dot-stuffing.
    std::string line;
    for (std::size_t i = 0; i <= body.size(); ++i) {
        if (i == body.size() || body[i] == '\n') {
            if (!line.empty() && line[0] == '.') {
                msg += '.';
            }
            msg += line + "\r\n";
            line.clear();
        } else if (body[i] != '\r') {
            line += body[i];
        }
    }
    return msg;
}

} // namespace hadeck::agent
