#include "linedecoder.h"

namespace hadeck::console::detail {

void LineDecoder::decode(quint64 generation, const QByteArray& line)
{
    if (m_current && m_current->load(std::memory_order_acquire) != generation)
        return; // cancelled: its connection closed, or the client is going away
    auto out = std::make_shared<DecodedLine>(
        DecodedLine{rpc::decode(std::string_view(line.constData(), static_cast<std::size_t>(line.size()))), {}});
    out->size = line.size();
    if (out->message && m_decoder) {
        if (auto* note = std::get_if<rpc::Notification>(&*out->message)) {
            try {
                out->decoded = m_decoder(note->method, note->params);
            } catch (const std::exception&) {
                // A decoder that throws on odd input must not take the thread down;
                // subscribers then see the params without a decoded payload.
                out->decoded.reset();
            }
        }
    }
    emit decoded(generation, std::move(out));
}

} // namespace hadeck::console::detail
