// A PNG of candles, drawn with cairo (no browser): green bodies for candles
// that closed at or above their open, red for the others, wicks from low to
// high, the price range labelled on the right and the title on top.
#pragma once

#include <tickd/types.hpp>

#include <string>
#include <vector>

namespace tickd::telegram {

struct ChartStyle {
  int width = 800;
  int height = 420;
};

// The PNG file's bytes. Throws std::runtime_error when cairo fails; an empty
// `candles` gives a chart that says so.
std::string render_candle_chart(const std::vector<Candle>& candles, const std::string& title,
                                const ChartStyle& style = {});

}  // namespace tickd::telegram
