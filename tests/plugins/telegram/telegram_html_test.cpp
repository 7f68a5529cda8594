// HTML escaping and the 4096-character limit, checked against the test Bot
// API's parser (which rejects what Telegram rejects).
#include "telegram_html.hpp"
#include "telegram_bot_api.hpp"

#include <gtest/gtest.h>

namespace tickd::telegram {
namespace {

using tickd::test::TelegramBotApi;

TEST(TelegramHtmlTest, EscapesEveryCharacterTheParserWouldTakeAsMarkup) {
  const std::string hostile = "<b>BTC&USDT</b> \"x\" 'y' &amp; <a href=\"javascript:x\">z</a> > <";
  const std::string escaped = html_escape(hostile);
  EXPECT_EQ(escaped,
            "&lt;b&gt;BTC&amp;USDT&lt;/b&gt; &quot;x&quot; 'y' &amp;amp; &lt;a "
            "href=&quot;javascript:x&quot;&gt;z&lt;/a&gt; "
            "&gt; &lt;");
  EXPECT_EQ(TelegramBotApi::html_error(escaped), "");
  EXPECT_NE(TelegramBotApi::html_error(hostile), "");  // unescaped, Telegram would refuse it
  EXPECT_EQ(html_visible_length(escaped), hostile.size());
}

TEST(TelegramHtmlTest, CountsLikeTelegram) {
  EXPECT_EQ(html_visible_length("<b>ab</b>&lt;"), 3u);
  EXPECT_EQ(html_visible_length("\xe2\x82\xac"), 1u);      // euro sign: one UTF-16 unit
  EXPECT_EQ(html_visible_length("\xf0\x9f\x93\x88"), 2u);  // chart emoji: a surrogate pair
}

TEST(TelegramHtmlTest, TruncatesOutsideTagsAndEntitiesAndClosesWhatIsOpen) {
  std::string long_text = "<b>head</b>\n<pre>";
  for (int i = 0; i < 3000; ++i) long_text += "&lt;\xe2\x82\xac";
  long_text += "</pre>";
  ASSERT_GT(html_visible_length(long_text), kMaxMessageChars);
  const std::string cut = html_truncate(long_text, kMaxMessageChars);
  EXPECT_LE(html_visible_length(cut), kMaxMessageChars);
  EXPECT_GE(html_visible_length(cut), kMaxMessageChars - 1);
  EXPECT_EQ(cut.substr(cut.size() - 9), "\xe2\x80\xa6</pre>");
  EXPECT_EQ(TelegramBotApi::html_error(cut), "");
  EXPECT_EQ(html_truncate("short", kMaxMessageChars), "short");
}

}  // namespace
}  // namespace tickd::telegram
