#include "feed/connection/http_fetcher.hpp"

#include <curl/curl.h>
#include <boost/asio/post.hpp>

#include <atomic>
#include <mutex>

namespace tickd::core {

namespace {

struct Transfer {
  std::string body;
  std::size_t limit;
  bool too_large = false;
  const std::atomic<bool>* stop;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->body.size() + n > t->limit) {
    t->too_large = true;
    return 0;  // makes curl fail the transfer
  }
  t->body.append(data, n);
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop->load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace

HttpFetcher::HttpFetcher(boost::asio::io_context& io, HttpOptions options)
    : io_(io), options_(std::move(options)) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  worker_ = std::thread([this] { run(); });
}

HttpFetcher::~HttpFetcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    queue_.clear();
    abort_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void HttpFetcher::get(std::string url, std::function<void(HttpResponse)> done) {
  HttpRequest request;
  request.url = std::move(url);
  fetch(std::move(request), std::move(done));
}

void HttpFetcher::fetch(HttpRequest request, std::function<void(HttpResponse)> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Request{std::move(request), std::move(done)});
  }
  cv_.notify_one();
}

void HttpFetcher::run() {
  for (;;) {
    Request req;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      req = std::move(queue_.front());
      queue_.pop_front();
    }
    HttpResponse resp = perform(req.http);
    boost::asio::post(io_, [alive = std::weak_ptr<int>(alive_), done = std::move(req.done),
                            resp = std::move(resp)]() mutable {
      if (alive.lock()) done(std::move(resp));
    });
  }
}

HttpResponse HttpFetcher::perform(const HttpRequest& request) {
  HttpResponse resp;
  CURL* curl = curl_easy_init();
  if (!curl) {
    resp.error = "curl_easy_init failed";
    return resp;
  }
  Transfer t{{}, options_.max_body_bytes, false, &abort_};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers)
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tickd");
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
      resp.retry_after_s = static_cast<std::int64_t>(retry_after);
    resp.body = std::move(t.body);
  } else if (t.too_large) {
    resp.error = "answer larger than " + std::to_string(options_.max_body_bytes) + " bytes";
  } else {
    resp.error = error[0] ? error : curl_easy_strerror(rc);
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  return resp;
}

}  // namespace tickd::core
