#include "mail_message.hpp"

#include <ctime>

namespace tickd::email_alert {
namespace {

std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

std::string base64(const std::string& in) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

std::string encode_subject(const std::string& subject) {
  for (char c : subject)
    if (static_cast<unsigned char>(c) >= 0x80) return "=?UTF-8?B?" + base64(subject) + "?=";
  return subject;
}

std::string rfc5322_date(TimeMs ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

void append_body(std::string& out, const std::string& body) {
  constexpr std::size_t kMaxLine = 998;
  std::size_t line = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
      line = 0;
      continue;
    }
    if (line == kMaxLine) {
      out += "\r\n";
      line = 0;
    }
    out += c;
    ++line;
  }
  if (line != 0) out += "\r\n";
}

}  // namespace

std::string render_message(const MailMessage& m, const std::string& message_id) {
  std::string to;
  for (const auto& addr : m.to) to += (to.empty() ? "" : ", ") + one_line(addr);
  std::string out;
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "From: " + one_line(m.from) + "\r\n";
  out += "To: " + to + "\r\n";
  out += "Message-ID: <" + one_line(message_id) + ">\r\n";
  out += "Subject: " + encode_subject(one_line(m.subject)) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  out += "\r\n";
  append_body(out, m.body);
  return out;
}

}  // namespace tickd::email_alert
