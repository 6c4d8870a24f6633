#include "hadeck/agent/actions/notify.h"

#include "hadeck/agent/alarm_module.h"
#include "hadeck/agent/log.h"

#include <algorithm>

namespace hadeck::agent {

struct NotifyModule::ChannelState {
    NotifyChannel config;
    std::deque<proto::AlarmEvent> queue;
    bool inFlight = false;
    int attempts = 0; // failed attempts of the head of the queue
    std::deque<EventLoop::Clock::time_point> sent; // deliveries in the last minute
    EventSource timer;
    bool failing = false;
    std::uint64_t givenUp = 0;
    std::uint64_t overflowed = 0;
};

NotifyModule::~NotifyModule() = default;

void NotifyModule::start(AgentContext& context)
{
    m_context = &context;
    configure(context.config);
    m_alarms.addListener([this](std::string_view change, const proto::Alarm& a) {
        enqueue(proto::AlarmEvent{m_context->config.nodeName, std::string(change), a});
    });
}

void NotifyModule::reload(const AgentConfig& config) { configure(config); }

void NotifyModule::configure(const AgentConfig& config)
{
    const auto it = config.modules.find("notify");
    std::vector<std::string> warnings;
    auto channels = parseNotifyChannels(it == config.modules.end() ? rpc::Json() : *it, warnings);
    for (const auto& w : warnings) {
        logWarning("notify: " + w);
    }
    if (!channels) {
        // Keep what runs; say so on the node, where it will be seen.
        logError("notify: " + channels.error().message + "; keeping the previous channels");
        m_alarms.raiseExternal(alarm_rules::kChannelFailing, "config", channels.error().message,
                               proto::AlarmSeverity::Warning);
        return;
    }
    m_alarms.clearExternal(alarm_rules::kChannelFailing, "config");
    std::vector<std::shared_ptr<ChannelState>> next;
    for (auto& ch : *channels) {
        auto st = std::make_shared<ChannelState>();
        // A channel kept across a reload keeps its queue.
        const auto old = std::find_if(m_channels.begin(), m_channels.end(),
                                      [&](const auto& o) { return o->config.name == ch.name; });
        if (old != m_channels.end()) {
            st->failing = (*old)->failing;
            st->sent = (*old)->sent; // a reload does not reset the rate limit
            if (!(*old)->inFlight) {
                st->queue = std::move((*old)->queue);
            }
        }
        st->config = std::move(ch);
        next.push_back(std::move(st));
    }
    m_channels = std::move(next);
    for (const auto& st : m_channels) {
        pump(st);
    }
}

void NotifyModule::enqueue(const proto::AlarmEvent& ev)
{
    for (const auto& st : m_channels) {
        if (!channelWants(st->config, ev)) {
            continue;
        }
        if (st->queue.size() >= st->config.queueLimit) {
            ++st->overflowed;
            st->queue.pop_front(); // the oldest goes; it is counted and reported
            m_alarms.raiseExternal(alarm_rules::kChannelFailing, st->config.name,
                                   "channel " + st->config.name + " cannot keep up: " +
                                       std::to_string(st->overflowed) + " notifications dropped from its full queue",
                                   proto::AlarmSeverity::Warning);
        }
        st->queue.push_back(ev);
        pump(st);
    }
}

void NotifyModule::pump(const std::shared_ptr<ChannelState>& st)
{
    if (st->inFlight || st->queue.empty() || m_context == nullptr || st->timer.valid()) {
        return;
    }
    const auto now = m_context->loop.now();
    while (!st->sent.empty() && now - st->sent.front() >= std::chrono::minutes(1)) {
        st->sent.pop_front();
    }
    if (st->sent.size() >= static_cast<std::size_t>(st->config.ratePerMinute)) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(st->sent.front() +
                                                                                 std::chrono::minutes(1) - now);
        std::weak_ptr<ChannelState> weak = st;
        auto t = m_context->loop.addTimer(std::max(wait, std::chrono::milliseconds(1)), false, [this, weak] {
            if (auto s = weak.lock()) {
                s->timer.reset();
                pump(s);
            }
        });
        if (t) {
            st->timer = std::move(*t);
        }
        return;
    }
    attempt(st);
}

void NotifyModule::attempt(const std::shared_ptr<ChannelState>& st)
{
    st->inFlight = true;
    std::weak_ptr<ChannelState> weak = st;
    m_context->loop.offload(
        [ch = st->config, ev = st->queue.front()]() -> rpc::Json { return rpc::Json(deliverOnce(ch, ev)); },
        [this, weak](rpc::Json result) {
            auto s = weak.lock();
            if (!s) {
                return; // the channel went away in a reload
            }
            s->inFlight = false;
            std::string why =
                result.is_string() ? result.get<std::string>() : result.value("error", std::string("failed"));
            if (why.empty()) {
                s->queue.pop_front();
                s->attempts = 0;
                s->sent.push_back(m_context->loop.now());
                if (s->failing) {
                    s->failing = false;
                    m_alarms.clearExternal(alarm_rules::kChannelFailing, s->config.name);
                }
                pump(s);
                return;
            }
            ++s->attempts;
            logWarning("notify: channel " + s->config.name + " attempt " + std::to_string(s->attempts) + ": " + why);
            if (s->attempts <= s->config.retries) {
                const auto delay = s->config.backoff * (1LL << std::min(s->attempts - 1, 16));
                std::weak_ptr<ChannelState> w2 = s;
                s->inFlight = true; // the retry owns the head of the queue
                auto t = m_context->loop.addTimer(delay, false, [this, w2] {
                    if (auto x = w2.lock()) {
                        x->timer.reset();
                        attempt(x);
                    }
                });
                if (t) {
                    s->timer = std::move(*t);
                    return;
                }
                s->inFlight = false;
            }
            failed(s, why);
        });
}

void NotifyModule::failed(const std::shared_ptr<ChannelState>& st, const std::string& why)
{
    st->queue.pop_front();
    st->attempts = 0;
    st->inFlight = false;
    ++st->givenUp;
    st->failing = true;
    m_alarms.raiseExternal(alarm_rules::kChannelFailing, st->config.name,
                           "notification channel " + st->config.name + " fails after " +
                               std::to_string(st->config.retries + 1) + " attempts: " + why + " (" +
                               std::to_string(st->givenUp) + " notifications not delivered)",
                           proto::AlarmSeverity::Warning);
    pump(st);
}

} // namespace hadeck::agent
