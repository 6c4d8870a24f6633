#pragma once

// JSON-RPC 2.0 over newline-delimited UTF-8 JSON (one message per line), the
// wire format between hadeck-agent and its clients. Portable: linked by both
// the agent (Linux) and the console (Linux, Windows).

#include "hadeck/protocol/expected.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hadeck::rpc {

using Json = nlohmann::json;

/// JSON-RPC error codes. -32768..-32000 is reserved by the spec; HaDeck's own
/// codes live in -32099..-32000 ("server error").
enum ErrorCode : int {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    PermissionDenied = -32001,
    FrameTooLarge = -32002,
    Timeout = -32003,      // client side: no answer in time
    Unavailable = -32004,  // the subsystem is not present on this node
    PreconditionFailed = -32005, // a preflight check refused the action
    ActionFailed = -32006,       // the action ran and failed; data says where
    Disconnected = -32007,       // client side: the transport went away
};

struct Error {
    int code = InternalError;
    std::string message;
    Json data; // null when absent
};

struct Request {
    Json id; // number or string
    std::string method;
    Json params; // object, array or null
};

struct Notification {
    std::string method;
    Json params;
};

struct Response {
    Json id; // null when the request's id could not be read
    std::optional<Json> result;
    std::optional<Error> error;

    [[nodiscard]] bool ok() const { return !error.has_value(); }
};

using Message = std::variant<Request, Notification, Response>;

/// A decode failure carries the JSON-RPC error to send back and, when it could
/// be read, the id of the offending request.
struct DecodeError {
    Error error;
    Json id;
};

/// Decodes one line. Never throws; hostile input yields a DecodeError.
[[nodiscard]] Expected<Message, DecodeError> decode(std::string_view line);

/// Encodes without the trailing newline. Invalid UTF-8 in strings is replaced.
[[nodiscard]] std::string encode(const Message& message);
[[nodiscard]] std::string encode(const Request& r);
[[nodiscard]] std::string encode(const Notification& n);
[[nodiscard]] std::string encode(const Response& r);

[[nodiscard]] Response makeResult(Json id, Json result);
[[nodiscard]] Response makeError(Json id, int code, std::string message, Json data = nullptr);

/// Splits a byte stream into lines and enforces the frame limit. A frame that
/// exceeds the limit puts the framer into the overflow state: the caller
/// answers FrameTooLarge and closes the connection.
class LineFramer {
public:
    static constexpr std::size_t kDefaultMaxFrame = 16U * 1024U * 1024U;

    explicit LineFramer(std::size_t maxFrame = kDefaultMaxFrame) : m_maxFrame(maxFrame) {}

    /// Appends bytes and moves any complete lines (without '\n', '\r' stripped)
    /// into @p out. @return false once a frame exceeded the limit.
    bool feed(std::string_view bytes, std::vector<std::string>& out);

    [[nodiscard]] bool overflowed() const { return m_overflow; }
    [[nodiscard]] std::size_t buffered() const { return m_buffer.size(); }
    [[nodiscard]] std::size_t maxFrame() const { return m_maxFrame; }

private:
    std::string m_buffer;
    std::size_t m_scanFrom = 0;
    std::size_t m_maxFrame;
    bool m_overflow = false;
};

} // namespace hadeck::rpc
