// Interned symbols: a symbol is a small integer on the hot path and a
// string_view that stays valid for the daemon's whole life everywhere else.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tickd::core {

using SymbolId = std::uint32_t;

// Any thread may intern or look up; name() is lock-free so that worker threads
// can turn ids back into names without contending with the feed thread.
class SymbolTable {
 public:
  static constexpr std::size_t kCapacity = 1u << 16;

  SymbolTable() : names_(new std::atomic<const std::string*>[kCapacity]) {
    for (std::size_t i = 0; i < kCapacity; ++i) names_[i].store(nullptr, std::memory_order_relaxed);
  }
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;

  // Returns the id of `name`, adding it if new; nullopt when the table is full.
  std::optional<SymbolId> intern(std::string_view name) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    if (storage_.size() >= kCapacity) return std::nullopt;
    storage_.emplace_back(name);
    auto id = static_cast<SymbolId>(storage_.size() - 1);
    index_.emplace(storage_.back(), id);
    names_[id].store(&storage_.back(), std::memory_order_release);
    size_.store(storage_.size(), std::memory_order_release);
    return id;
  }

  std::optional<SymbolId> find(std::string_view name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  // Empty for an id never handed out.
  std::string_view name(SymbolId id) const {
    if (id >= kCapacity) return {};
    const std::string* s = names_[id].load(std::memory_order_acquire);
    return s ? std::string_view(*s) : std::string_view();
  }

  std::size_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mu_;
  std::deque<std::string> storage_;  // deque: addresses never move
  std::unordered_map<std::string_view, SymbolId> index_;
  std::unique_ptr<std::atomic<const std::string*>[]> names_;
  std::atomic<std::size_t> size_{0};
};

}  // namespace tickd::core
