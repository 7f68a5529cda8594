#include "event.hpp"

namespace tickd::ws {

const MessagePtr& Event::frame_for(Stream stream) {
  auto i = static_cast<std::size_t>(stream);
  if (!frames_done[i]) {
    std::string text =
        is_signal() ? signal_message(stream, *signal, ts_ms) : candle_message(stream, candle, ts_ms);
    if (!text.empty()) frames[i] = make_text_frame(std::move(text));
    frames_done[i] = true;
  }
  return frames[i];
}

}  // namespace tickd::ws
