// The plugin's entry points: the two C symbols the daemon looks for.
#include "price_alert.hpp"

TICKD_PLUGIN(PriceAlert, "price_alert", "1.0.0", "Signals when a closed candle crosses a price level")
