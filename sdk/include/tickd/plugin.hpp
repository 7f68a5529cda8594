// Writing a tickd observer plugin in C++:
//
//   #include <tickd/plugin.hpp>
//   class MyObserver : public tickd::Observer {
//    public:
//     void start(tickd::Host& host) override { host_ = &host; }
//     void on_candle(const tickd::Candle& c) override { if (c.closed) ... }
//    private:
//     tickd::Host* host_ = nullptr;
//   };
//   TICKD_PLUGIN(MyObserver, "my_observer", "1.0.0", "What it does")
//
// The macro generates the C entry points of tickd/abi.h. Any exception thrown
// by a method is caught on the plugin's side and reported to the host as an
// error with its what() text; the host counts it and, after too many in a row,
// suspends the observer. Build the library with -fvisibility=hidden: the macro
// exports exactly the two symbols the host looks for.
#pragma once

#include <tickd/abi.h>
#include <tickd/config_schema.hpp>
#include <tickd/host.hpp>
#include <tickd/metrics.hpp>
#include <tickd/types.hpp>

#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace tickd {

// Threading: start() runs on the daemon's main thread; every on_* and stop() on
// the observer's own worker thread, one at a time, in event order. So plugin
// state touched only from on_* needs no lock.
class Observer {
 public:
  virtual ~Observer() = default;
  // Read the config here: declare a `static tickd::ConfigSchema
  // config_schema()` and read host.config_view(config_schema()); throw a
  // descriptive error for what the schema cannot say (one key against
  // another). `host` outlives the observer.
  // History is already there: the daemon starts the storage observers first,
  // restores history from them (within daemon.warmup_timeout), and only then
  // starts the others, so host.history() here returns the restored candles (a
  // store's own start() runs before the restore and sees none).
  virtual void start(Host& host) { (void)host; }
  virtual void on_tick(const Tick& tick) { (void)tick; }
  // candle.closed is false for an update of the open candle.
  virtual void on_candle(const Candle& candle) { (void)candle; }
  virtual void on_signal(const Signal& signal) { (void)signal; }
  // Flush and release; the last call the observer receives.
  virtual void stop() {}
  // Figures about the observer itself (see tickd/metrics.hpp). Called from
  // any host thread, concurrently with on_*: read atomics only, never block.
  virtual void metrics(Metrics& out) const { (void)out; }
};

// Optional capability of a storage plugin: hand back the newest `limit` closed
// candles of a series, oldest first, so the daemon starts with history. Called
// after start() and before the feed starts, from several warm-up threads at
// once (one series each) and possibly still while on_* runs when the store is
// slow past daemon.warmup_timeout: use a connection or lock of its own.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::vector<Candle> restore(std::string_view symbol, Interval interval, std::uint32_t limit) = 0;
};

namespace detail {

template <class T>
struct Instance {
  explicit Instance(const tickd_host_api* api) : host(api) {}
  Host host;
  T object;
};

inline void write_error(tickd_error_buf err, const char* text) noexcept {
  if (!err.data || err.cap == 0) return;
  std::snprintf(err.data, err.cap, "%s", text ? text : "unknown error");
}

// Runs f, turning any exception into TICKD_ERROR plus its message.
template <class F>
tickd_status guarded(tickd_error_buf err, F&& f) noexcept {
  try {
    f();
    return TICKD_OK;
  } catch (const std::exception& e) {
    write_error(err, e.what());
  } catch (...) {
    write_error(err, "non-standard exception");
  }
  return TICKD_ERROR;
}

template <class T>
T& object_of(tickd_plugin_instance* self) {
  return reinterpret_cast<Instance<T>*>(self)->object;
}

// A plugin class may declare its config keys with a static `config_schema()`
// returning a tickd::ConfigSchema (or the schema's JSON text).
template <class T, class = void>
struct has_config_schema : std::false_type {};
template <class T>
struct has_config_schema<T, std::void_t<decltype(T::config_schema())>> : std::true_type {};

template <class T>
const std::string& schema_text() {
  static const std::string text = [] {
    auto schema = T::config_schema();
    if constexpr (std::is_same<decltype(schema), ConfigSchema>::value)
      return schema.dump();
    else
      return std::string(schema);
  }();
  return text;
}

template <class T>
const tickd_plugin_api* make_api(const char* name, const char* version, const char* description) {
  static_assert(std::is_base_of<Observer, T>::value, "TICKD_PLUGIN class must derive from tickd::Observer");
  static const tickd_plugin_api api = [&] {
    tickd_plugin_api a{};
    a.struct_size = sizeof(a);
    a.abi_version = TICKD_ABI_VERSION;
    a.name = name;
    a.version = version;
    a.description = description;
    a.create = [](const tickd_host_api* host, tickd_plugin_instance** out, tickd_error_buf err) noexcept {
      return guarded(err, [&] { *out = reinterpret_cast<tickd_plugin_instance*>(new Instance<T>(host)); });
    };
    a.start = [](tickd_plugin_instance* self, tickd_error_buf err) noexcept {
      auto* inst = reinterpret_cast<Instance<T>*>(self);
      return guarded(err, [&] { inst->object.start(inst->host); });
    };
    a.on_tick = [](tickd_plugin_instance* self, const tickd_tick* t, tickd_error_buf err) noexcept {
      return guarded(err, [&] { object_of<T>(self).on_tick(from_c(*t)); });
    };
    a.on_candle = [](tickd_plugin_instance* self, std::int32_t, const tickd_candle* c,
                     tickd_error_buf err) noexcept {
      return guarded(err, [&] { object_of<T>(self).on_candle(from_c(*c)); });
    };
    a.on_signal = [](tickd_plugin_instance* self, const tickd_signal* s, tickd_error_buf err) noexcept {
      return guarded(err, [&] { object_of<T>(self).on_signal(from_c(*s)); });
    };
    a.stop = [](tickd_plugin_instance* self, tickd_error_buf err) noexcept {
      return guarded(err, [&] { object_of<T>(self).stop(); });
    };
    a.destroy = [](tickd_plugin_instance* self) noexcept {
      try {
        delete reinterpret_cast<Instance<T>*>(self);
      } catch (...) {
      }
    };
    a.metrics = [](tickd_plugin_instance* self, tickd_metric_sink sink, void* user) noexcept {
      try {
        Metrics m(sink, user);
        object_of<T>(self).metrics(m);
        return TICKD_OK;
      } catch (...) {
        return TICKD_ERROR;
      }
    };
    if constexpr (has_config_schema<T>::value) a.config_schema = schema_text<T>().c_str();
    if constexpr (std::is_base_of<Storage, T>::value) {
      a.restore = [](tickd_plugin_instance* self, tickd_str symbol, std::int64_t interval_s,
                     std::uint32_t limit, tickd_candle_sink sink, void* user, tickd_error_buf err) noexcept {
        return guarded(err, [&] {
          auto interval = Interval::from_seconds(interval_s);
          if (!interval) return;
          for (const auto& c : object_of<T>(self).restore(view(symbol), *interval, limit)) {
            auto cc = to_c(c);
            sink(user, &cc);
          }
        });
      };
    }
    return a;
  }();
  return &api;
}

}  // namespace detail
}  // namespace tickd

// Declares `Class` (derived from tickd::Observer, default-constructible) as this
// library's plugin. Use once per shared library, at namespace scope.
#define TICKD_PLUGIN(Class, name, version, description)                                              \
  extern "C" TICKD_EXPORT std::uint32_t tickd_plugin_abi_version(void) { return TICKD_ABI_VERSION; } \
  extern "C" TICKD_EXPORT const tickd_plugin_api* tickd_plugin_get_api(void) {                       \
    return ::tickd::detail::make_api<Class>(name, version, description);                             \
  }
