// HTTP GET for REST bootstrap and backfill without blocking the feed thread:
// libcurl runs on a worker thread of its own, and each result is posted back
// to the io_context. Requests run one at a time, in order.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tickd::core {

struct HttpOptions {
  std::string ca_file;  // empty = system CA store
  bool verify = true;
  std::int64_t timeout_ms = 15000;
  std::size_t max_body_bytes = 16u << 20;  // a larger answer is an error, not an allocation
};

// A REST call: GET by default; POST when `body` is set (broker APIs that take
// JSON). Header values may hold credentials: they are never logged.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;  // HTTP status; 0 when no answer
  std::string body;
  std::string error;               // transport error; empty when an answer came
  std::int64_t retry_after_s = 0;  // the server's Retry-After (429, 503), 0 = none
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

class HttpFetcher {
 public:
  HttpFetcher(boost::asio::io_context& io, HttpOptions options);
  // Aborts what is in flight and joins the worker; pending callbacks never run.
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // `done` runs on the io thread, unless the fetcher is destroyed first.
  void get(std::string url, std::function<void(HttpResponse)> done);
  void fetch(HttpRequest request, std::function<void(HttpResponse)> done);

 private:
  struct Request {
    HttpRequest http;
    std::function<void(HttpResponse)> done;
  };
  void run();
  HttpResponse perform(const HttpRequest& request);

  boost::asio::io_context& io_;
  HttpOptions options_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // posted results check it on the io thread
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Request> queue_;
  bool stop_ = false;
  std::atomic<bool> abort_{false};  // read by curl's progress callback
  std::thread worker_;
};

}  // namespace tickd::core
