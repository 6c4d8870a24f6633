#pragma once

// Notification channels for the agent's alarms: an exec hook (the alarm event
// as JSON on stdin), email over SMTP (STARTTLS when the server offers it, via
// libcurl), and webhooks in the DingTalk (钉钉, optional signed URL), WeCom
// (企业微信), Feishu (飞书) and generic JSON formats. Delivery runs off the
// agent's loop (EventLoop::offload), one at a time per channel; each channel has
// a rate limit (a bounded queue behind it) and retries with exponential backoff.
// A channel that still fails after its retries raises the alarm
// "notify.channelFailing" on the node (cleared by its next success); a full
// queue raises it too, so nothing is dropped silently.
//
//   [modules.notify.channels.ops]          # any name
//   type = "dingtalk"                      # exec, smtp, dingtalk, wecom, feishu, webhook
//   url = "https://oapi.dingtalk.com/robot/send?access_token=..."
//   secret = "SEC..."                      # dingtalk: sign the URL (timestamp + HMAC-SHA256)
//   min_severity = "warning"               # info, warning, critical
//   changes = ["raised", "cleared"]        # also "acknowledged"
//   rate_per_minute = 20                   # deliveries; the rest wait in the queue (100)
//   retries = 3                            # after the first attempt
//   backoff_ms = 1000                      # doubled at each retry
//   timeout_ms = 5000
//   command = ["/usr/local/bin/hook"]      # exec
//   from = "hadeck@example.com"            # smtp (url = "smtp://host:25" or "smtps://host:465")
//   to = ["ops@example.com"]
//   username = "", password = ""

#include "hadeck/agent/module.h"
#include "hadeck/agent/event_loop.h"
#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/expected.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace hadeck::agent {

class AlarmModule;

enum class ChannelType { Exec, Smtp, DingTalk, WeCom, Feishu, Webhook };

struct NotifyChannel {
    std::string name;
    ChannelType type = ChannelType::Webhook;
    std::string url;
    std::string secret;
    std::vector<std::string> command;
    std::string from;
    std::vector<std::string> to;
    std::string username;
    std::string password;
    proto::AlarmSeverity minSeverity = proto::AlarmSeverity::Info;
    std::vector<std::string> changes{"raised", "cleared"};
    int ratePerMinute = 20;
    int retries = 3;
    std::chrono::milliseconds backoff{1000};
    std::chrono::milliseconds timeout{5000};
    std::size_t queueLimit = 100;
};

/// The channels of [modules.notify.channels]; unknown keys go to @p warnings,
/// a bad value is an error naming the channel and key.
Expected<std::vector<NotifyChannel>> parseNotifyChannels(const rpc::Json& notifyTable, std::vector<std::string>& warnings);

/// Whether @p ch wants this change of this alarm.
bool channelWants(const NotifyChannel& ch, const proto::AlarmEvent& ev);

/// One line of text for people: "[HaDeck 告警] lb1 critical 触发 raised: VRRP instance VI_1 is in FAULT".
std::string alarmText(const proto::AlarmEvent& ev);
/// The HTTP body for a webhook channel of type @p type.
rpc::Json webhookPayload(ChannelType type, const proto::AlarmEvent& ev);
/// DingTalk's signed URL: url&timestamp=ms&sign=urlencode(base64(HMAC-SHA256(secret, "ms\nsecret"))).
std::string dingtalkSignedUrl(const std::string& url, const std::string& secret, std::int64_t unixMs);
/// Whether a webhook answer means delivered: 2xx, and for DingTalk/WeCom errcode 0,
/// for Feishu code 0 (or StatusCode 0) when the body is JSON. Otherwise @p why says what.
bool webhookAccepted(ChannelType type, long httpStatus, const std::string& body, std::string& why);
/// RFC 5322 message for SMTP (UTF-8 subject, base64 not needed for the body: 8bit).
std::string emailMessage(const NotifyChannel& ch, const proto::AlarmEvent& ev, std::int64_t unixTime);

/// Delivers once, blocking (run on a worker). Empty string on success, else why not.
std::string deliverOnce(const NotifyChannel& ch, const proto::AlarmEvent& ev);

/// Puts the channels on the agent: listens to the AlarmModule's changes.
class NotifyModule final : public Module {
public:
    explicit NotifyModule(AlarmModule& alarms) : m_alarms(alarms) {}
    ~NotifyModule() override;
    [[nodiscard]] std::string_view name() const override { return "notify"; }
    std::vector<proto::Role> detectRoles() override { return {}; }
    void start(AgentContext& context) override;
    void reload(const AgentConfig& config) override;

    struct ChannelState;

private:
    void configure(const AgentConfig& config);
    void enqueue(const proto::AlarmEvent& ev);
    void pump(const std::shared_ptr<ChannelState>& st);
    void attempt(const std::shared_ptr<ChannelState>& st);
    void failed(const std::shared_ptr<ChannelState>& st, const std::string& why);

    AlarmModule& m_alarms;
    AgentContext* m_context = nullptr;
    std::vector<std::shared_ptr<ChannelState>> m_channels;
};

} // namespace hadeck::agent
