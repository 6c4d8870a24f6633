#include "hadeck/protocol/jsonrpc.h"

#include <algorithm>

namespace hadeck::rpc {

namespace {

constexpr int kMaxDepth = 64;

// Hostile input may nest arrays millions deep; refuse it before building a
// tree whose construction and teardown would recurse that far.
bool nestingWithin(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth > maxDepth) {
                return false;
            }
            break;
        case ']':
        case '}': --depth; break;
        default: break;
        }
    }
    return true;
}

Unexpected<DecodeError> decodeError(int code, std::string message, Json id = nullptr)
{
    return Unexpected<DecodeError>{DecodeError{Error{code, std::move(message), nullptr}, std::move(id)}};
}

bool validId(const Json& id)
{
    return id.is_string() || id.is_number_integer() || id.is_number_unsigned() || id.is_null();
}

Expected<Error, DecodeError> decodeErrorObject(const Json& e, const Json& id)
{
    if (!e.is_object()) {
        return decodeError(InvalidRequest, "\"error\" must be an object", id);
    }
    const auto code = e.find("code");
    const auto message = e.find("message");
    if (code == e.end() || !code->is_number_integer()) {
        return decodeError(InvalidRequest, "\"error.code\" must be an integer", id);
    }
    Error out;
    out.code = code->get<int>();
    if (message != e.end() && message->is_string()) {
        out.message = message->get<std::string>();
    }
    if (const auto data = e.find("data"); data != e.end()) {
        out.data = *data;
    }
    return out;
}

} // namespace

Expected<Message, DecodeError> decode(std::string_view line)
{
    if (!nestingWithin(line, kMaxDepth)) {
        return decodeError(ParseError, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        return decodeError(ParseError, "malformed JSON");
    }
    if (!j.is_object()) {
        // Batches are not part of HaDeck's protocol: one message per line.
        return decodeError(InvalidRequest, j.is_array() ? "batch requests are not supported" : "message must be an object");
    }
    Json id = nullptr;
    const auto idIt = j.find("id");
    const bool hasId = idIt != j.end();
    if (hasId) {
        if (!validId(*idIt)) {
            return decodeError(InvalidRequest, "\"id\" must be a string, an integer or null");
        }
        id = *idIt;
    }
    const auto version = j.find("jsonrpc");
    if (version == j.end() || !version->is_string() || version->get_ref<const std::string&>() != "2.0") {
        return decodeError(InvalidRequest, "\"jsonrpc\" must be \"2.0\"", id);
    }

    if (const auto m = j.find("method"); m != j.end()) {
        if (!m->is_string()) {
            return decodeError(InvalidRequest, "\"method\" must be a string", id);
        }
        Json params = nullptr;
        if (const auto p = j.find("params"); p != j.end()) {
            if (!p->is_object() && !p->is_array()) {
                return decodeError(InvalidRequest, "\"params\" must be an object or an array", id);
            }
            params = std::move(*p); // j is ours: a 30,000-row snapshot is not copied
        }
        if (!hasId) {
            return Message{Notification{m->get<std::string>(), std::move(params)}};
        }
        return Message{Request{std::move(id), m->get<std::string>(), std::move(params)}};
    }

    const auto result = j.find("result");
    const auto error = j.find("error");
    if (!hasId || (result == j.end()) == (error == j.end())) {
        return decodeError(InvalidRequest, "a response needs an id and exactly one of \"result\" or \"error\"", id);
    }
    Response r;
    r.id = std::move(id);
    if (result != j.end()) {
        r.result = std::move(*result);
    } else {
        auto e = decodeErrorObject(*error, r.id);
        if (!e) {
            return Unexpected<DecodeError>{e.error()};
        }
        r.error = std::move(*e);
    }
    return Message{std::move(r)};
}

namespace {
std::string dump(const Json& j)
{
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}
} // namespace

std::string encode(const Request& r)
{
    Json j{{"jsonrpc", "2.0"}, {"id", r.id}, {"method", r.method}};
    if (!r.params.is_null()) {
        j["params"] = r.params;
    }
    return dump(j);
}

std::string encode(const Notification& n)
{
    Json j{{"jsonrpc", "2.0"}, {"method", n.method}};
    if (!n.params.is_null()) {
        j["params"] = n.params;
    }
    return dump(j);
}

std::string encode(const Response& r)
{
    Json j{{"jsonrpc", "2.0"}, {"id", r.id}};
    if (r.error) {
        Json e{{"code", r.error->code}, {"message", r.error->message}};
        if (!r.error->data.is_null()) {
            e["data"] = r.error->data;
        }
        j["error"] = std::move(e);
    } else {
        j["result"] = r.result.value_or(Json(nullptr));
    }
    return dump(j);
}

std::string encode(const Message& message)
{
    return std::visit([](const auto& m) { return encode(m); }, message);
}

Response makeResult(Json id, Json result)
{
    Response r;
    r.id = std::move(id);
    r.result = std::move(result);
    return r;
}

Response makeError(Json id, int code, std::string message, Json data)
{
    Response r;
    r.id = std::move(id);
    r.error = Error{code, std::move(message), std::move(data)};
    return r;
}

bool LineFramer::feed(std::string_view bytes, std::vector<std::string>& out)
{
    if (m_overflow) {
        return false;
    }
    m_buffer.append(bytes);
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = m_buffer.find('\n', std::max(start, m_scanFrom));
        if (nl == std::string::npos) {
            break;
        }
        std::size_t end = nl;
        if (end > start && m_buffer[end - 1] == '\r') {
            --end;
        }
        if (end - start > m_maxFrame) {
            m_overflow = true;
            m_buffer.clear();
            return false;
        }
        if (end > start) { // blank lines are keep-alives, not messages
            out.emplace_back(m_buffer, start, end - start);
        }
        start = nl + 1;
        m_scanFrom = start;
    }
    m_buffer.erase(0, start);
    m_scanFrom = m_buffer.size();
    if (m_buffer.size() > m_maxFrame) {
        m_overflow = true;
        m_buffer.clear();
        return false;
    }
    return true;
}

} // namespace hadeck::rpc
