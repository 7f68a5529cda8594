#include "bus/dispatcher.hpp"

#include <algorithm>

namespace tickd::core {

Dispatcher::~Dispatcher() { stop_all(std::chrono::steady_clock::now() + std::chrono::seconds(5)); }

void Dispatcher::add(std::unique_ptr<ObserverWorker> worker) {
  worker->start();
  std::lock_guard<std::mutex> lock(mu_);
  workers_.push_back(std::move(worker));
}

std::unique_ptr<ObserverWorker> Dispatcher::detach(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(workers_.begin(), workers_.end(), [&](const auto& w) { return w->name() == name; });
  if (it == workers_.end()) return nullptr;
  std::unique_ptr<ObserverWorker> worker = std::move(*it);
  workers_.erase(it);
  return worker;
}

void Dispatcher::add_pending(std::unique_ptr<ObserverWorker> worker, bool standby) {
  std::lock_guard<std::mutex> lock(mu_);
  (standby ? standby_ : workers_).push_back(std::move(worker));
}

namespace {
std::unique_ptr<ObserverWorker> take(std::vector<std::unique_ptr<ObserverWorker>>& list,
                                     const ObserverWorker* worker) {
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& w) { return w.get() == worker; });
  if (it == list.end()) return nullptr;
  std::unique_ptr<ObserverWorker> out = std::move(*it);
  list.erase(it);
  return out;
}
}  // namespace

std::unique_ptr<ObserverWorker> Dispatcher::detach(const ObserverWorker* worker) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto w = take(workers_, worker)) return w;
  return take(standby_, worker);
}

void Dispatcher::promote(const ObserverWorker* worker) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto w = take(standby_, worker)) workers_.push_back(std::move(w));
}

std::vector<ObserverSnapshot> Dispatcher::stop_all(std::chrono::steady_clock::time_point deadline) {
  std::vector<std::unique_ptr<ObserverWorker>> stopping;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping.swap(workers_);
    standby_.clear();  // never started: nothing to drain
  }
  for (auto& w : stopping) w->request_stop();  // all drain at once under one deadline
  std::vector<ObserverSnapshot> out;
  for (auto& w : stopping) {
    const bool stopped = w->stop(deadline);
    ObserverSnapshot s = w->snapshot();
    if (!stopped) (void)w.release();  // its thread still runs inside plugin code: never free it
    out.push_back(std::move(s));
  }
  return out;
}

void Dispatcher::request_stop_all() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& w : workers_) w->request_stop();
}

std::vector<std::pair<std::string, ObserverCounters>> Dispatcher::counters() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, ObserverCounters>> out;
  for (const auto& w : workers_) out.emplace_back(w->name(), w->counters());
  return out;
}

std::vector<ObserverSnapshot> Dispatcher::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ObserverSnapshot> out;
  for (const auto& w : workers_) out.push_back(w->snapshot());
  return out;
}

bool Dispatcher::drained() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& w : workers_) {
    ObserverCounters c = w->counters();
    if (c.queue_depth > 0 && !c.suspended) return false;
  }
  return true;
}

std::vector<std::string> Dispatcher::names() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& w : workers_) out.push_back(w->name());
  return out;
}

}  // namespace tickd::core
