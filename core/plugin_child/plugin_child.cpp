#include "plugin_child/plugin_child.hpp"

#include "plugin/plugin_observer.hpp"
#include "process/protocol.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace tickd::core {

namespace {
constexpr std::size_t kMaxLine = 64u << 20;  // the hello carries the whole config block
// A plugin thread asking the daemon gives up after this long (the daemon is
// gone or stuck; it answers within milliseconds otherwise).
constexpr std::chrono::seconds kAnswerTimeout{30};

std::string_view view(tickd_str s) { return s.size ? std::string_view(s.data, s.size) : std::string_view(); }

// A plugin built against an older, shorter struct: read only what it wrote.
tickd_signal sized_copy(const tickd_signal* s) {
  tickd_signal out{};
  std::memcpy(&out, s, std::min<std::size_t>(s->struct_size, sizeof(out)));
  return out;
}
}  // namespace

PluginChild::PluginChild(std::string plugin_path, int in_fd, int out_fd)
    : plugin_path_(std::move(plugin_path)), inbox_(in_fd, kMaxLine), outbox_(out_fd) {}

std::string_view PluginChild::intern(std::string_view symbol) {
  std::lock_guard<std::mutex> lock(symbols_mu_);
  auto it = symbols_.find(symbol);
  if (it == symbols_.end()) it = symbols_.emplace(symbol).first;
  return *it;
}

bool PluginChild::read_hello(std::string& error) {
  std::string line;
  if (!inbox_.first_line(line)) {
    error = "no hello from the daemon";
    return false;
  }
  auto hello = nlohmann::json::parse(line, nullptr, false);
  if (!hello.is_object() || hello.value("type", "") != "hello") {
    error = "the first line is not a hello";
    return false;
  }
  if (hello.value("protocol", 0) != protocol::kBaseVersion) {
    error = "the daemon speaks protocol " + std::to_string(hello.value("protocol", 0)) + ", this host " +
            std::to_string(protocol::kBaseVersion) + " to " + std::to_string(protocol::kVersion);
    return false;
  }
  // The newest version both speak; a daemon that offers no list speaks 1.
  for (const auto& v : hello.value("protocols", nlohmann::json::array()))
    if (v.is_number_integer() && v.get<int>() <= protocol::kVersion)
      protocol_ = std::max(protocol_, v.get<int>());
  observer_ = hello.value("observer", "");
  config_json_ = hello.contains("config") ? hello["config"].dump() : "{}";
  for (const auto& s : hello.value("symbols", nlohmann::json::array()))
    if (s.is_string()) intern(s.get<std::string>());
  for (const auto& i : hello.value("intervals", nlohmann::json::array()))
    if (auto interval = i.is_string() ? Interval::parse(i.get<std::string>()) : std::nullopt)
      intervals_.push_back(interval->seconds());
  history_capacity_ = hello.value("history_capacity", 0u);
  return true;
}

int PluginChild::run() {
  loop_thread_ = std::this_thread::get_id();
  std::string error;
  if (!read_hello(error)) {
    std::fprintf(stderr, "tickd-plugin-host: %s\n", error.c_str());
    return 2;
  }
  try {
    library_ = PluginLibrary::load(plugin_path_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tickd-plugin-host: %s\n", e.what());
    return 2;
  }
  // From here on a plugin may ask the daemon (history in its start, say).
  inbox_.start([this] { send_metrics(); });
  const tickd_plugin_api& plugin = library_->api();
  api_.struct_size = sizeof(api_);
  api_.ctx = this;
  api_.observer_name = tickd_str{observer_.data(), observer_.size()};
  api_.config_json = tickd_str{config_json_.data(), config_json_.size()};
  api_.log = &PluginChild::log;
  api_.history = &PluginChild::history;
  api_.publish = &PluginChild::publish;
  api_.symbols = &PluginChild::symbols;
  api_.interval_count = intervals_.size();
  api_.intervals = intervals_.data();
  api_.history_capacity = history_capacity_;
  api_.status_json = &PluginChild::status_json;
  tickd_plugin_instance* instance = nullptr;
  if (plugin.create(&api_, &instance, {error_, sizeof error_}) != TICKD_OK || !instance) {
    std::fprintf(stderr, "tickd-plugin-host: %s: create failed: %s\n", plugin_path_.c_str(), error_);
    return 2;
  }
  if (plugin.start(instance, {error_, sizeof error_}) != TICKD_OK) {
    std::fprintf(stderr, "tickd-plugin-host: %s: start failed: %s\n", plugin_path_.c_str(), error_);
    plugin.destroy(instance);
    return 2;
  }
  {
    std::lock_guard<std::mutex> lock(instance_mu_);
    instance_ = instance;
  }
  outbox_.write_line([this](std::string& out) {
    out += "{\"type\":\"ready\",\"protocol\":";
    wire::append_integer(out, protocol_);
    out += '}';
  });
  outbox_.flush();

  const int loop_status = event_loop();
  const bool stopped = plugin.stop(instance, {error_, sizeof error_}) == TICKD_OK;
  if (!stopped) std::fprintf(stderr, "tickd-plugin-host: stop failed: %s\n", error_);
  // The figures after stop (what it could not write, say) are the final ones.
  if (protocol_ >= 2) send_metrics();
  {
    std::lock_guard<std::mutex> lock(instance_mu_);
    instance_ = nullptr;
  }
  plugin.destroy(instance);
  outbox_.write_line([this](std::string& out) {
    out += "{\"type\":\"ack\",\"seq\":";
    wire::append_integer(out, handled_seq_);
    out += '}';
  });
  outbox_.flush();
  return loop_status != 0 ? loop_status : stopped ? 0 : 1;
}

int PluginChild::event_loop() {
  auto ack = [this] {
    if (handled_seq_ == acked_seq_) return;
    acked_seq_ = handled_seq_;
    outbox_.write_line([this](std::string& out) {
      out += "{\"type\":\"ack\",\"seq\":";
      wire::append_integer(out, acked_seq_);
      out += '}';
    });
  };
  const std::function<void()> before_wait = [this] { outbox_.flush(); };
  wire::Decoder decoder(kMaxLine);
  wire::FlatObject object;
  wire::Event event;
  std::string batch, error;
  while (inbox_.take(batch, before_wait)) {
    for (std::size_t from = 0; from < batch.size();) {
      const std::size_t end = batch.find('\n', from);
      const std::string_view line(batch.data() + from, end - from);
      from = end + 1;
      if (!decoder.decode(line, event, error)) {  // events, the bulk, first
        if (!object.parse(line, kMaxLine, error)) {
          std::fprintf(stderr, "tickd-plugin-host: unreadable line from the daemon: %s\n", error.c_str());
          return 3;
        }
        const wire::JsonValue* type = object.find("type");
        if (type && type->text == "stop") return 0;
        if (!object.find("v")) continue;  // a control message this version does not need
        wire::Decoder::decode(object, event, error);
        std::fprintf(stderr, "tickd-plugin-host: bad event from the daemon: %s\n", error.c_str());
        return 3;
      }
      if (!handle(event, error)) {
        outbox_.write_line([&](std::string& out) {
          out += "{\"type\":\"error\",\"seq\":";
          wire::append_integer(out, event.seq);
          out += ",\"message\":";
          wire::append_string(out, error);
          out += '}';
        });
      }
      if (event.seq) handled_seq_ = event.seq;
    }
    // One ack per batch keeps the daemon's window open while events keep coming.
    ack();
    outbox_.flush();
  }
  return 0;
}

bool PluginChild::handle(const wire::Event& e, std::string& error) {
  const tickd_plugin_api& plugin = library_->api();
  error_[0] = '\0';
  tickd_error_buf err{error_, sizeof error_};
  tickd_status status = TICKD_OK;
  switch (e.type) {
    case wire::Type::tick: {
      Tick t = e.tick;
      t.symbol = intern(t.symbol);
      tickd_tick c = detail::to_c(t);
      status = plugin.on_tick(instance_, &c, err);
      break;
    }
    case wire::Type::candle: {
      Candle k = e.candle;
      k.symbol = intern(k.symbol);
      tickd_candle c = detail::to_c(k);
      const std::int32_t kind = k.closed ? TICKD_EVENT_CANDLE_CLOSED : TICKD_EVENT_CANDLE_UPDATE;
      status = plugin.on_candle(instance_, kind, &c, err);
      break;
    }
    case wire::Type::signal: {
      tickd_signal c = detail::to_c(e.signal);
      c.symbol = detail::str(intern(e.signal.symbol));
      status = plugin.on_signal(instance_, &c, err);
      break;
    }
  }
  if (status == TICKD_OK) return true;
  error = error_[0] ? error_ : "error without a message";
  return false;
}

void PluginChild::send_metrics() {
  std::vector<ObserverMetric> metrics;
  {
    std::lock_guard<std::mutex> lock(instance_mu_);
    collect_plugin_metrics(library_->api(), instance_, metrics);
  }
  outbox_.write_lines([&](std::string& out) { protocol::append_metrics(out, metrics); });
  outbox_.flush();
}

void PluginChild::log(void* ctx, std::int32_t level, tickd_str message) noexcept {
  static const char* names[] = {"trace", "debug", "info", "warn", "error"};
  auto* self = static_cast<PluginChild*>(ctx);
  try {
    self->outbox_.write_line([&](std::string& out) {
      out += "{\"type\":\"log\",\"level\":\"";
      out += names[std::clamp(level, 0, 4)];
      out += "\",\"message\":";
      wire::append_string(out, view(message));
      out += '}';
    });
    if (std::this_thread::get_id() != self->loop_thread_) self->outbox_.flush();
  } catch (...) {
  }
}

tickd_status PluginChild::publish(void* ctx, const tickd_signal* signal) noexcept {
  auto* self = static_cast<PluginChild*>(ctx);
  if (!signal) return TICKD_ERROR;
  try {
    Signal s = detail::from_c(sized_copy(signal));
    self->outbox_.write_line([&](std::string& out) { wire::append(out, s); });
    if (std::this_thread::get_id() != self->loop_thread_) self->outbox_.flush();
    return TICKD_OK;
  } catch (...) {
    return TICKD_ERROR;
  }
}

tickd_status PluginChild::history(void* ctx, tickd_str symbol, std::int64_t interval_s, std::uint32_t limit,
                                  tickd_candle_sink sink, void* user) noexcept {
  auto* self = static_cast<PluginChild*>(ctx);
  auto interval = Interval::from_seconds(interval_s);
  if (!interval) return TICKD_ERROR;
  try {
    const std::uint64_t id = self->inbox_.new_request();
    self->outbox_.write_line([&](std::string& out) {
      out += "{\"type\":\"history\",\"id\":";
      wire::append_integer(out, id);
      out += ",\"symbol\":";
      wire::append_string(out, view(symbol));
      out += ",\"interval\":\"";
      out += interval->name();
      out += "\",\"limit\":";
      wire::append_integer(out, limit);
      out += '}';
    });
    self->outbox_.flush();
    DaemonInbox::Answer answer;
    if (!self->inbox_.await(id, answer, kAnswerTimeout)) return TICKD_ERROR;
    if (answer.header.find("\"error\"") != std::string::npos) return TICKD_ERROR;
    wire::Decoder decoder(kMaxLine);
    wire::Event event;
    std::string error;
    for (const auto& l : answer.lines) {
      if (!decoder.decode(l, event, error) || event.type != wire::Type::candle) return TICKD_ERROR;
      event.candle.symbol = self->intern(event.candle.symbol);
      tickd_candle c = detail::to_c(event.candle);
      sink(user, &c);
    }
    return TICKD_OK;
  } catch (...) {
    return TICKD_ERROR;
  }
}

void PluginChild::symbols(void* ctx, tickd_str_sink sink, void* user) noexcept {
  auto* self = static_cast<PluginChild*>(ctx);
  std::lock_guard<std::mutex> lock(self->symbols_mu_);
  for (const auto& s : self->symbols_) sink(user, detail::str(s));
}

std::size_t PluginChild::status_json(void* ctx, char* buf, std::size_t cap) noexcept {
  auto* self = static_cast<PluginChild*>(ctx);
  std::string status = "{}";  // a protocol-1 daemon has none to give
  try {
    if (self->protocol_ >= 2) {
      const std::uint64_t id = self->inbox_.new_request();
      self->outbox_.write_lines([&](std::string& out) { protocol::append_status_request(out, id); });
      self->outbox_.flush();
      DaemonInbox::Answer answer;
      wire::FlatObject header;
      std::string error;
      const wire::JsonValue* value = nullptr;
      if (self->inbox_.await(id, answer, kAnswerTimeout) &&
          header.parse(answer.header, answer.header.size(), error) && (value = header.find("status")) &&
          value->type == wire::JsonValue::Type::nested)
        status.assign(value->text);
    }
  } catch (...) {
  }
  std::memcpy(buf, status.data(), std::min(cap, status.size()));
  return status.size();
}

}  // namespace tickd::core
