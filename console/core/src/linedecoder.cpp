#include "linedecoder.h"

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
    auto batch = std::make_shared<DecodedBatch>();
    batch->reserve(lines.size());
    for (QByteArray& line : lines) {
        if (cancelled())
            return;
        auto out = std::make_shared<DecodedLine>(
            DecodedLine{rpc::decode(std::string_view(line.constData(), static_cast<std::size_t>(line.size()))), {}});
        out->size = line.size();
        line = QByteArray(); // parsed: its bytes are not needed any more
        readDeltaHead(*out);
        batch->push_back(std::move(out));
    }
    // The typed decoding (the costly part of a small notification) only for what will be
    // handled; a superseded line's document is freed here too, not on the GUI thread (perf
    // showed freeing them was most of the GUI thread's share of a flood).
    markSuperseded(*batch);
    for (auto& line : *batch) {
        if (!line->message)
            continue;
        auto* note = std::get_if<rpc::Notification>(&*line->message);
        if (note == nullptr)
            continue;
        if (line->superseded) {
            rpc::Json().swap(note->params);
            continue;
        }
        if (m_decoder) {
            if (cancelled())
                return;
            try {
                line->decoded = m_decoder(note->method, note->params);
            } catch (const std::exception&) {
                // A decoder that throws on odd input must not take the thread down;
                // subscribers then see the params without a decoded payload.
                line->decoded.reset();
            }
        }
    }
    emit decoded(generation, std::move(batch));
}

} // namespace hadeck::console::detail
