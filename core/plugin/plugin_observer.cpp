#include "plugin/plugin_observer.hpp"

#include <cstddef>

namespace tickd::core {

PluginObserver::PluginObserver(std::shared_ptr<PluginLibrary> library, std::unique_ptr<PluginHostApi> host)
    : library_(std::move(library)), host_(std::move(host)), symbols_(host_->symbols()) {
  const std::string& name = host_->observer_name();
  if (api().create(host_->api(), &instance_, {error_, sizeof error_}) != TICKD_OK || !instance_)
    throw PluginError("observer '" + name + "' (" + library_->path() + "): create failed: " + error_);
  if (api().start(instance_, {error_, sizeof error_}) != TICKD_OK) {
    std::string msg = error_;
    api().destroy(instance_);
    instance_ = nullptr;
    throw PluginError("observer '" + name + "' (" + library_->path() + "): start failed: " + msg);
  }
}

PluginObserver::~PluginObserver() {
  if (instance_) api().destroy(instance_);
}

bool PluginObserver::handle(const Event& e, std::string& error) noexcept {
  error_[0] = '\0';
  tickd_error_buf err{error_, sizeof error_};
  const SymbolTable& table = symbols_;
  tickd_status status = TICKD_OK;
  switch (e.kind) {
    case EventKind::tick: {
      tickd_tick t = to_abi(e.tick, table.name(e.tick.symbol));
      status = api().on_tick(instance_, &t, err);
      break;
    }
    case EventKind::candle_update:
    case EventKind::candle_closed: {
      tickd_candle c = to_abi(e.candle, table.name(e.candle.symbol));
      status = api().on_candle(instance_, static_cast<std::int32_t>(e.kind), &c, err);
      break;
    }
    case EventKind::signal: {
      tickd_signal s = detail::to_c(e.signal->signal);
      std::string_view name = table.name(e.signal->symbol);  // the long-lived copy
      s.symbol = tickd_str{name.data(), name.size()};
      status = api().on_signal(instance_, &s, err);
      break;
    }
  }
  if (status == TICKD_OK) return true;
  try {
    error = error_[0] ? error_ : "error without a message";
  } catch (...) {
  }
  return false;
}

bool PluginObserver::stop(std::string& error) noexcept {
  error_[0] = '\0';
  if (api().stop(instance_, {error_, sizeof error_}) == TICKD_OK) return true;
  try {
    error = error_;
  } catch (...) {
  }
  return false;
}

void collect_plugin_metrics(const tickd_plugin_api& api, tickd_plugin_instance* instance,
                            std::vector<ObserverMetric>& out) noexcept {
  // A 1.0 plugin's table ends before the field.
  if (!instance || api.struct_size < offsetof(tickd_plugin_api, metrics) + sizeof(api.metrics) ||
      !api.metrics)
    return;
  auto sink = [](void* user, const tickd_metric* m) noexcept {
    if (!m || m->struct_size < offsetof(tickd_metric, label_name)) return;
    try {
      ObserverMetric om;
      om.name.assign(m->name.data ? m->name.data : "", m->name.size);
      om.help.assign(m->help.data ? m->help.data : "", m->help.size);
      om.counter = m->kind != TICKD_METRIC_GAUGE;
      om.loss = (m->flags & TICKD_METRIC_LOSS) != 0;  // on a gauge: records at risk
      om.value = m->value;
      if (m->struct_size >= offsetof(tickd_metric, label_value) + sizeof(m->label_value)) {
        om.label_name.assign(m->label_name.data ? m->label_name.data : "", m->label_name.size);
        om.label_value.assign(m->label_value.data ? m->label_value.data : "", m->label_value.size);
      }
      static_cast<std::vector<ObserverMetric>*>(user)->push_back(std::move(om));
    } catch (...) {
    }
  };
  api.metrics(instance, sink, &out);
}

void PluginObserver::metrics(std::vector<ObserverMetric>& out) const noexcept {
  collect_plugin_metrics(api(), instance_, out);
}

bool PluginObserver::can_restore() const {
  return api().struct_size >= offsetof(tickd_plugin_api, restore) + sizeof(api().restore) && api().restore;
}

bool PluginObserver::restore(SymbolId symbol, Interval interval, std::uint32_t limit,
                             std::vector<CandleData>& out, std::string& error) {
  struct Ctx {
    std::vector<CandleData>* out;
    SymbolId symbol;
  } ctx{&out, symbol};
  auto sink = [](void* user, const tickd_candle* c) noexcept {
    auto* x = static_cast<Ctx*>(user);
    try {
      x->out->push_back(from_abi(*c, x->symbol));
    } catch (...) {
    }
  };
  std::string_view name = symbols_.name(symbol);
  // Its own buffer: restore runs on warm-up threads, several at once and
  // alongside the worker's handle().
  char text[1024] = {};
  if (api().restore(instance_, tickd_str{name.data(), name.size()}, interval.seconds(), limit, sink, &ctx,
                    {text, sizeof text}) == TICKD_OK)
    return true;
  error = text[0] ? text : "error without a message";
  return false;
}

}  // namespace tickd::core
