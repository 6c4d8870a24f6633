// Outside input of the alarm and notification code: a webhook receiver's answer
// (DingTalk/WeCom/Feishu JSON or anything else) and the alarms.* params and
// events decoded from a socket. First byte picks the decoder.

#include "hadeck/agent/actions/notify.h"
#include "hadeck/protocol/alarms.h"
#include "hadeck/protocol/types.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    using hadeck::agent::ChannelType;
    std::string why;
    switch (data[0] % 4) {
    case 0:
        for (auto t : {ChannelType::DingTalk, ChannelType::WeCom, ChannelType::Feishu, ChannelType::Webhook}) {
            (void)hadeck::agent::webhookAccepted(t, 200, text, why);
        }
        break;
    default: {
        const auto j = hadeck::rpc::Json::parse(text, nullptr, false);
        if (j.is_discarded()) {
            return 0;
        }
        if (data[0] % 4 == 1) {
            (void)hadeck::proto::fromJson<hadeck::proto::AlarmAckParams>(j);
            (void)hadeck::proto::fromJson<hadeck::proto::AlarmsListParams>(j);
        } else if (data[0] % 4 == 2) {
            (void)hadeck::proto::fromJson<hadeck::proto::AlarmEvent>(j);
        } else {
            std::vector<std::string> w;
            (void)hadeck::agent::parseNotifyChannels(j, w);
            (void)hadeck::proto::fromJson<hadeck::proto::AlarmsListResult>(j);
        }
    }
    }
    return 0;
}
