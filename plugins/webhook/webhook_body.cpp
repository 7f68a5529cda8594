#include "webhook_body.hpp"

namespace tickd::webhook {
namespace {

using nlohmann::json;

constexpr std::size_t kDiscordMaxChars = 2000;

// A symbol or a signal's text may hold invalid UTF-8: replaced, never a throw.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void validate(const json& node, const std::string& what) {
  if (node.is_string()) {
    alerts::MessageTemplate(node.get<std::string>(), what);
  } else if (node.is_object()) {
    for (const auto& item : node.items()) validate(item.value(), what + "." + item.key());
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) validate(node[i], what + "[" + std::to_string(i) + "]");
  }
}

}  // namespace

BodyRenderer::BodyRenderer(const TargetConfig& target, const std::string& what)
    : preset_(target.preset), message_(target.message, what + ".message"), body_(target.body), what_(what) {
  if (!body_.is_null()) validate(body_, what + ".body");
}

json BodyRenderer::render_template(const json& node, const alerts::Alert& alert) const {
  if (node.is_string()) return alerts::MessageTemplate(node.get<std::string>(), what_).render(alert);
  if (node.is_object()) {
    json out = json::object();
    for (const auto& item : node.items()) out[item.key()] = render_template(item.value(), alert);
    return out;
  }
  if (node.is_array()) {
    json out = json::array();
    for (const auto& item : node) out.push_back(render_template(item, alert));
    return out;
  }
  return node;  // numbers, booleans and null stay as written
}

std::string BodyRenderer::render(const alerts::Alert& alert, const alerts::MessageTemplate* rule_message,
                                 std::string_view observer) const {
  const alerts::MessageTemplate& message = rule_message ? *rule_message : message_;
  switch (preset_) {
    case Preset::slack:
      return dump({{"text", message.render(alert, &slack_escape)}});
    case Preset::discord:
      return dump({{"content", truncate_utf8(message.render(alert), kDiscordMaxChars)},
                   {"allowed_mentions", {{"parse", json::array()}}}});
    case Preset::json:
      break;
  }
  if (!body_.is_null()) return dump(render_template(body_, alert));
  return dump({{"version", 1},
               {"observer", std::string(observer)},
               {"rule", alert.rule},
               {"symbol", alert.symbol},
               {"price", alert.price},
               {"time", alert.time},
               {"time_iso", alerts::format_time_utc(alert.time)},
               {"side", alert.side},
               {"source", alert.source},
               {"text", alert.text},
               {"interval", alert.interval.empty() ? json(nullptr) : json(alert.interval)},
               {"strength", alert.strength},
               {"message", message.render(alert)}});
}

std::string slack_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string truncate_utf8(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (chars == max_chars) return text.substr(0, i);
    ++chars;
  }
  return text;
}

}  // namespace tickd::webhook
