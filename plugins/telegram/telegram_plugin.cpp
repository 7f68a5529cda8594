// The shared library's entry points: the telegram observer as plugin "telegram".
#include "telegram_observer.hpp"

TICKD_PLUGIN(tickd::telegram::TelegramObserver, "telegram", "1.0.0",
             "Sends alerts and signals to Telegram chats and answers /price, /candles, /chart, /status")
