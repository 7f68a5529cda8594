#include "frame.hpp"

#include <memory>

namespace tickd::ws {
namespace {

std::string frame_header(websocketpp::frame::opcode::value opcode, std::size_t n) {
  std::string h;
  h.push_back(static_cast<char>(0x80 | opcode));  // FIN + opcode
  if (n < 126) {
    h.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    h.push_back(static_cast<char>(126));
    h.push_back(static_cast<char>((n >> 8) & 0xFF));
    h.push_back(static_cast<char>(n & 0xFF));
  } else {
    h.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8)
      h.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
  }
  return h;
}

MessagePtr prepared(std::string header, std::string payload,
                    websocketpp::frame::opcode::value opcode = websocketpp::frame::opcode::text) {
  auto m = std::make_shared<WsppConfig::message_type>(WsppConfig::con_msg_manager_type::ptr(), opcode, 0);
  m->set_header(header);
  m->get_raw_payload().swap(payload);
  m->set_prepared(true);
  return m;
}

// One whole frame: header and payload, unmasked.
MessagePtr whole_frame(websocketpp::frame::opcode::value opcode, std::string payload) {
  auto header = frame_header(opcode, payload.size());
  return prepared(std::move(header), std::move(payload), opcode);
}

}  // namespace

MessagePtr make_text_frame(std::string payload) {
  return whole_frame(websocketpp::frame::opcode::text, std::move(payload));
}

MessagePtr make_pong(std::string payload) {
  return whole_frame(websocketpp::frame::opcode::pong, std::move(payload));
}

MessagePtr make_batch(std::string bytes) { return prepared(std::string(), std::move(bytes)); }

}  // namespace tickd::ws
