// A complete server-to-client WebSocket text frame, built once and shared by
// every subscriber. Server frames are unmasked (RFC 6455 5.1), so the bytes are
// identical for all clients and websocketpp can write the same prepared message
// to each connection without copying or re-framing it.
#pragma once

#include "wspp.hpp"

#include <string>

namespace tickd::ws {

// Takes ownership of `payload`.
MessagePtr make_text_frame(std::string payload);

// The answer to a client's ping (`payload` is the ping's, at most 125 bytes).
MessagePtr make_pong(std::string payload);

// Several frames concatenated into one prepared message: the client's whole
// backlog leaves in one write.
MessagePtr make_batch(std::string bytes);

inline std::size_t frame_size(const MessagePtr& m) {
  return m->get_header().size() + m->get_payload().size();
}

}  // namespace tickd::ws
