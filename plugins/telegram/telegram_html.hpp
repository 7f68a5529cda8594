// Telegram's HTML parse mode, done right: every value placed into a message is
// escaped (& < > " become entities, the only named ones the Bot API knows), and
// a message longer than Telegram's 4096 characters (counted after entities
// are parsed, in UTF-16 code units) is cut on a character boundary outside any
// tag or entity, with the tags still open closed again.
#pragma once

#include <cstddef>
#include <string>

namespace tickd::telegram {

constexpr std::size_t kMaxMessageChars = 4096;
constexpr std::size_t kMaxCaptionChars = 1024;

std::string html_escape(const std::string& text);

// The characters Telegram counts: tags count nothing, an entity counts one,
// a character outside the Basic Multilingual Plane counts two.
std::size_t html_visible_length(const std::string& html);

// `html` when it fits in `max_chars`, else its first part ending in "…" with
// the open tags closed.
std::string html_truncate(const std::string& html, std::size_t max_chars);

}  // namespace tickd::telegram
