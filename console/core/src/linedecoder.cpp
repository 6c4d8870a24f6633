#include "linedecoder.h"

#include <hadeck/protocol/fastwire.h>
#include <hadeck/protocol/methods.h>

namespace hadeck::console::detail {

void readDeltaHead(DecodedLine& line)
{
    if (!line.message)
        return;
    const auto* note = std::get_if<rpc::Notification>(&*line.message);
    if (note == nullptr || note->method != proto::notify::StateDelta || !note->params.is_object())
        return;
    auto head = proto::fromJson<proto::StateDeltaHead>(note->params);
    if (!head)
        return;
    line.topic = std::move(head->topic);
    line.snapshot = head->snapshot;
}

LineDecoder::LineDecoder(AgentClient::NotificationDecoder decoder, AgentClient::FastDeltaDecoder fast,
                         std::shared_ptr<const std::atomic<quint64>> current, std::shared_ptr<LineInbox> inbox)
    : m_decoder(std::move(decoder))
    , m_fast(std::move(fast))
    , m_reader(std::make_unique<rpc::FastReader>())
    , m_current(std::move(current))
    , m_inbox(std::move(inbox))
{}

LineDecoder::~LineDecoder() = default;

std::shared_ptr<DecodedLine> LineDecoder::decodeGeneric(std::string_view text,
                                                        std::set<std::string, std::less<>>& replaced)
{
    auto out = std::make_shared<DecodedLine>(DecodedLine{rpc::decode(text), {}});
    readDeltaHead(*out);
    if (!out->topic.empty()) {
        if (replaced.count(out->topic) != 0)
            out->superseded = true;
        else if (out->snapshot)
            replaced.insert(out->topic);
    }
    if (!out->message)
        return out;
    auto* note = std::get_if<rpc::Notification>(&*out->message);
    if (note == nullptr)
        return out;
    if (out->superseded) {
        // Its document is freed here, not on the GUI thread (perf showed freeing them
        // was most of the GUI thread's share of a flood).
        rpc::Json().swap(note->params);
        return out;
    }
    if (m_decoder) {
        try {
            out->decoded = m_decoder(note->method, note->params);
        } catch (const std::exception&) {
            // A decoder that throws on odd input must not take the thread down;
            // subscribers then see the params without a decoded payload.
            out->decoded.reset();
        }
    }
    return out;
}

void LineDecoder::decodeInbox()
{
    std::vector<QByteArray> lines;
    quint64 generation = 0;
    {
        std::lock_guard lock(m_inbox->mutex);
        lines.swap(m_inbox->lines);
        generation = m_inbox->generation;
        m_inbox->woken = false;
    }
    const auto cancelled = [&] { return m_current && m_current->load(std::memory_order_acquire) != generation; };
    if (lines.empty() || cancelled())
        return; // cancelled: its connection closed, or the client is going away
    auto batch = std::make_shared<DecodedBatch>(lines.size());
    // Newest first, with markSuperseded's rule: a line whose topic a later snapshot
    // replaces is superseded, and is neither decoded nor handled. The typed decoding
    // (the costly part of a small notification) is done only for what will be handled.
    std::set<std::string, std::less<>> replaced;
    for (std::size_t i = lines.size(); i-- > 0;) {
        if (cancelled())
            return;
        QByteArray& line = lines[i];
        const std::string_view text(line.constData(), static_cast<std::size_t>(line.size()));
        std::shared_ptr<DecodedLine> out;
        if (m_reader->readStateDelta(text)) {
            const proto::StateDeltaHead& head = m_reader->head();
            if (replaced.count(head.topic) != 0) {
                // Valid, and replaced: never handled, so no params at all (a document made here
                // would be freed on the GUI thread).
                out = std::make_shared<DecodedLine>(DecodedLine{
                    rpc::Message{rpc::Notification{std::string(proto::notify::StateDelta), rpc::Json()}}, {}});
                out->topic = head.topic;
                out->snapshot = head.snapshot;
                out->superseded = true;
            } else {
                std::any fast;
                if (m_fast) {
                    try {
                        fast = m_fast(*m_reader);
                    } catch (const std::exception&) {
                        fast.reset(); // the generic path decides
                    }
                }
                if (fast.has_value()) {
                    out = std::make_shared<DecodedLine>(DecodedLine{
                        rpc::Message{rpc::Notification{std::string(proto::notify::StateDelta), proto::toJson(head)}},
                        std::move(fast)});
                    out->topic = head.topic;
                    out->snapshot = head.snapshot;
                    if (out->snapshot)
                        replaced.insert(out->topic);
                } else {
                    out = decodeGeneric(text, replaced);
                }
            }
        } else {
            out = decodeGeneric(text, replaced);
        }
        out->size = line.size();
        line = QByteArray(); // decoded: its bytes are not needed any more
        (*batch)[i] = std::move(out);
    }
    m_reader->release(); // a 12 MB snapshot's buffers are not kept for the next small line
    emit decoded(generation, std::move(batch));
}

} // namespace hadeck::console::detail
