#include "outbox.hpp"

#include <algorithm>

namespace tickd::ws {

bool Outbox::push(const MessagePtr& frame, std::uint64_t key, std::size_t in_transport) {
  std::size_t size = frame_size(frame);
  if (key != 0 && bytes_ + in_transport + size > limits_.soft_bytes) {
    if (!indexed_) build_index();
    auto it = index_.find(key);
    if (it != index_.end()) {
      Entry& e = entries_[it->second];
      bytes_ = bytes_ - e.size + size;
      e.frame = frame;
      e.size = size;
      ++coalesced_;
      return bytes_ + in_transport <= limits_.hard_bytes;
    }
  }
  if (key != 0 && indexed_) index_[key] = entries_.size();
  entries_.push_back(Entry{frame, size, key});
  bytes_ += size;
  return bytes_ + in_transport <= limits_.hard_bytes;
}

void Outbox::gather(std::vector<iovec>& out, std::size_t max_iov) const {
  for (const auto& e : entries_) {
    if (out.size() + 2 > max_iov) return;
    const std::string& header = e.frame->get_header();
    const std::string& payload = e.frame->get_payload();
    if (!header.empty()) out.push_back(iovec{const_cast<char*>(header.data()), header.size()});
    out.push_back(iovec{const_cast<char*>(payload.data()), payload.size()});
  }
}

MessagePtr Outbox::take_from(std::size_t offset) {
  MessagePtr out;
  if (offset < bytes_) {
    std::string bytes;
    bytes.reserve(bytes_ - offset);
    auto append = [&](const std::string& part) {
      const std::size_t skip = std::min(offset, part.size());
      bytes.append(part, skip, std::string::npos);
      offset -= skip;
    };
    for (const auto& e : entries_) {
      append(e.frame->get_header());
      append(e.frame->get_payload());
    }
    out = make_batch(std::move(bytes));
  }
  clear();
  return out;
}

void Outbox::build_index() {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].key != 0) index_[entries_[i].key] = i;
  indexed_ = true;
}

void Outbox::clear() {
  entries_.clear();
  if (indexed_) index_.clear();
  indexed_ = false;
  bytes_ = 0;
}

}  // namespace tickd::ws
