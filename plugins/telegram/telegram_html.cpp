#include "telegram_html.hpp"

#include <vector>

namespace tickd::telegram {
namespace {

// Bytes in the UTF-8 sequence that starts with `lead`, and its UTF-16 units.
std::size_t sequence_bytes(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

struct Walker {
  explicit Walker(const std::string* html) : text(html) {}
  const std::string* text;
  std::size_t pos = 0;
  std::size_t visible = 0;
  std::vector<std::string> open;  // tag names, innermost last

  // Advances over one tag, entity or character; false at the end.
  bool step() {
    const std::string& html = *text;
    if (pos >= html.size()) return false;
    const char c = html[pos];
    if (c == '<') {
      const auto end = html.find('>', pos);
      if (end == std::string::npos) {  // not a tag after all: one character
        ++pos;
        ++visible;
        return true;
      }
      const std::string tag = html.substr(pos + 1, end - pos - 1);
      if (!tag.empty() && tag[0] == '/') {
        if (!open.empty()) open.pop_back();
      } else {
        open.push_back(tag.substr(0, tag.find(' ')));
      }
      pos = end + 1;
      return true;
    }
    if (c == '&') {
      const auto end = html.find(';', pos);
      pos = end == std::string::npos || end - pos > 10 ? pos + 1 : end + 1;
      ++visible;
      return true;
    }
    const std::size_t n = sequence_bytes(static_cast<unsigned char>(c));
    pos += n;
    visible += n == 4 ? 2 : 1;
    return true;
  }
};

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::size_t html_visible_length(const std::string& html) {
  Walker w(&html);
  while (w.step()) {
  }
  return w.visible;
}

std::string html_truncate(const std::string& html, std::size_t max_chars) {
  if (html_visible_length(html) <= max_chars) return html;
  const std::size_t budget = max_chars > 1 ? max_chars - 1 : 0;  // room for the ellipsis
  Walker w(&html);
  std::size_t cut = 0;
  std::vector<std::string> open_at_cut;
  for (;;) {
    Walker next = w;
    if (!next.step() || next.visible > budget) break;
    w = next;
    cut = w.pos;
    open_at_cut = w.open;
  }
  std::string out = html.substr(0, std::min(cut, html.size())) + "\xe2\x80\xa6";
  for (auto it = open_at_cut.rbegin(); it != open_at_cut.rend(); ++it) out += "</" + *it + ">";
  return out;
}

}  // namespace tickd::telegram
