#include "trade_feed.hpp"

#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace tickd::bench {
namespace {

using WsServer = websocketpp::server<websocketpp::config::asio>;

// Prices step by a cent from 100.00 and wrap after kWindow trades per symbol:
// a run at 1,000 ticks/s over 20 symbols wraps after 2,000 s.
constexpr std::size_t kWindow = 200000;
constexpr double kBase = 100.0;
constexpr double kStep = 0.01;

double price_of(std::uint64_t n) { return kBase + static_cast<double>(n % kWindow) * kStep; }

}  // namespace

struct TradeFeed::Impl {
  Impl(std::uint16_t port, std::vector<std::string> syms, double rate)
      : symbols(std::move(syms)),
        ticks_per_second(rate),
        sent_ms(new std::atomic<double>[symbols.size() * kWindow]),
        next_seq(symbols.size(), 0) {
    for (std::size_t i = 0; i < symbols.size() * kWindow; ++i) sent_ms[i].store(-1.0);
    for (const auto& s : symbols) {
      std::string lower;
      for (char ch : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      streams.push_back(lower + "@aggTrade");
    }
    server.clear_access_channels(websocketpp::log::alevel::all);
    server.clear_error_channels(websocketpp::log::elevel::all);
    server.init_asio();
    server.set_reuse_addr(true);
    server.set_tcp_post_init_handler([this](websocketpp::connection_hdl h) {
      boost::system::error_code ec;  // one trade per frame, sent at once
      server.get_con_from_hdl(h)->get_raw_socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
    });
    server.set_open_handler([this](websocketpp::connection_hdl h) {
      std::lock_guard<std::mutex> lock(mu);
      peers.insert(h);
      ++connected;
    });
    server.set_close_handler([this](websocketpp::connection_hdl h) {
      std::lock_guard<std::mutex> lock(mu);
      peers.erase(h);
    });
    boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    server.listen(ep);
    server.start_accept();
    timer = std::make_unique<boost::asio::steady_timer>(server.get_io_service());
    start = std::chrono::steady_clock::now();
    arm();
    thread = std::thread([this] { server.run(); });
  }

  ~Impl() {
    boost::asio::post(server.get_io_service(), [this] {
      stopping = true;
      timer->cancel();
      websocketpp::lib::error_code ec;
      server.stop_listening(ec);
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& h : peers) server.close(h, websocketpp::close::status::going_away, "done", ec);
    });
    thread.join();
  }

  // Every millisecond, send what is due since the start: the rate holds even
  // when a round runs late.
  void arm() {
    timer->expires_after(std::chrono::milliseconds(1));
    timer->async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      auto due = static_cast<std::uint64_t>(elapsed * ticks_per_second);
      std::lock_guard<std::mutex> lock(mu);
      if (peers.empty()) {
        sent = due;  // nobody listens yet: start the clock when the daemon connects
      }
      while (sent < due) send_one();
      arm();
    });
  }

  // Caller holds mu.
  void send_one() {
    // Which symbol trades next is random, as in a real market: a fixed round
    // robin would line up every symbol's throttle window into one burst.
    const std::size_t sym = std::uniform_int_distribution<std::size_t>(0, symbols.size() - 1)(rng);
    const std::uint64_t n = next_seq[sym]++;
    const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    char text[384];
    int len = std::snprintf(
        text, sizeof text,
        "{\"stream\":\"%s\",\"data\":{\"e\":\"aggTrade\",\"E\":%lld,\"s\":\"%s\",\"a\":%llu,"
        "\"p\":\"%.2f\",\"q\":\"1.00000000\",\"f\":%llu,\"l\":%llu,\"T\":%lld,\"m\":%s,"
        "\"M\":true}}",
        streams[sym].c_str(), static_cast<long long>(wall_ms), symbols[sym].c_str(),
        static_cast<unsigned long long>(n), price_of(n), static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(n), static_cast<long long>(wall_ms), n % 2 ? "true" : "false");
    sent_ms[sym * kWindow + n % kWindow].store(TradeFeed::steady_ms(), std::memory_order_relaxed);
    ++sent;
    total.store(total.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    for (const auto& h : peers) {
      websocketpp::lib::error_code ec;
      server.send(h, text, static_cast<std::size_t>(len), websocketpp::frame::opcode::text, ec);
    }
  }

  std::vector<std::string> symbols;
  std::vector<std::string> streams;
  double ticks_per_second;
  // Written under mu, read by client threads without it.
  std::unique_ptr<std::atomic<double>[]> sent_ms;
  std::vector<std::uint64_t> next_seq;
  std::uint64_t sent = 0;
  std::mt19937_64 rng{42};
  std::atomic<std::uint64_t> total{0};
  std::atomic<int> connected{0};
  std::chrono::steady_clock::time_point start;
  WsServer server;
  std::unique_ptr<boost::asio::steady_timer> timer;
  std::set<websocketpp::connection_hdl, std::owner_less<websocketpp::connection_hdl>> peers;
  std::mutex mu;
  bool stopping = false;
  std::thread thread;
};

TradeFeed::TradeFeed(std::uint16_t port, std::vector<std::string> symbols, double ticks_per_second)
    : impl_(std::make_unique<Impl>(port, std::move(symbols), ticks_per_second)) {}

TradeFeed::~TradeFeed() = default;

int TradeFeed::connections() const { return impl_->connected.load(); }

std::uint64_t TradeFeed::trades_sent() const { return impl_->total.load(std::memory_order_relaxed); }

bool TradeFeed::sent_at(std::size_t symbol, double price, double& ms) const {
  const double steps = std::round((price - kBase) / kStep);
  if (symbol >= impl_->symbols.size() || steps < 0 || steps >= static_cast<double>(kWindow)) return false;
  ms = impl_->sent_ms[symbol * kWindow + static_cast<std::size_t>(steps)].load(std::memory_order_relaxed);
  return ms >= 0;
}

int TradeFeed::symbol_index(const char* name, std::size_t length) const {
  for (std::size_t i = 0; i < impl_->symbols.size(); ++i)
    if (impl_->symbols[i].size() == length && impl_->symbols[i].compare(0, length, name, length) == 0)
      return static_cast<int>(i);
  return -1;
}

}  // namespace tickd::bench
