#pragma once

// The console's fast reader for the one large message an agent sends: the
// `state.delta` notification, whose "ipvs" snapshot is megabytes of JSON for
// 30,000 real servers. rpc::decode builds a generic JSON tree of it (a map and
// strings per field) that the typed from_json then walks; that cost seconds per
// snapshot. This reader parses the line with simdjson (a validating parser: the
// whole line must be JSON and UTF-8) and fills the protocol's structs directly.
//
// It decides nothing on its own: every check is the checked decoder's (wire.h,
// the from_json of each type), and whatever it does not accept in full (a
// request, a null, a float where an integer goes, a missing field, a key it does
// not read twice over...) it leaves to the generic path, which then accepts or
// refuses it with its own error message. So a line it accepts decodes exactly as
// rpc::decode and proto::fromJson would decode it (tests/protocol tst_fastwire
// and the fuzz target compare the two).
//
// Built only where simdjson is available; elsewhere available() is false and the
// reader accepts nothing.

#include "hadeck/protocol/payloads.h"

#include <memory>
#include <optional>
#include <string_view>

namespace hadeck::rpc {

class FastReader {
public:
    FastReader();
    ~FastReader();
    FastReader(const FastReader&) = delete;
    FastReader& operator=(const FastReader&) = delete;

    /// Whether this build has the fast reader at all.
    [[nodiscard]] static bool available();

    /**
     * Parses @p line. True when it is a JSON-RPC 2.0 notification "state.delta" whose
     * params are an object with the head rpc::decode and proto::StateDeltaHead accept;
     * false for anything else (the caller takes the generic path for it).
     */
    bool readStateDelta(std::string_view line);
    /// The head of the line last read with success.
    [[nodiscard]] const proto::StateDeltaHead& head() const;
    /// The params of the line last read, as the "ipvs" topic; nullopt when the topic is
    /// another one or anything in them is not accepted in full (the generic path decides).
    [[nodiscard]] std::optional<proto::IpvsTopic> ipvsTopic() const;
    /// Frees the parser's buffers (they grow to the largest line read).
    void release();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace hadeck::rpc
