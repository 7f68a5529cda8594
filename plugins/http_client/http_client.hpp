// One HTTP request at a time over libcurl, for the notifier plugins (webhook,
// telegram): JSON or multipart POSTs and GETs, TLS verified against the system
// store or a CA file, connect and total timeouts, an abort flag checked while
// the transfer runs, a cap on the answer's size, and Retry-After read from the
// answer. Plugins cannot link the core's HttpFetcher (plugins depend on the
// SDK only), so this is the plugins' one HTTP client.
//
// Not thread-safe: each thread that sends owns its HttpClient (the handle is
// kept so that the connection is reused between requests).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace tickd::http {

struct HttpOptions {
  std::string ca_file;  // empty: the system CA store
  std::int64_t connect_timeout_ms = 5000;
  std::int64_t timeout_ms = 10000;
  std::size_t max_response_bytes = 1u << 20;  // a larger answer is an error, not an allocation
};

struct FormPart {
  std::string name;
  std::string value;         // the text, or the file's bytes
  std::string filename;      // set: sent as a file upload
  std::string content_type;  // for a file, e.g. image/png
};

struct HttpRequest {
  std::string url;
  bool get = false;  // else POST
  std::string body;  // POST body when `form` is empty
  std::string content_type = "application/json";
  std::vector<FormPart> form;        // non-empty: multipart/form-data
  std::vector<std::string> headers;  // "Name: value"
  std::int64_t timeout_ms = 0;       // > 0: overrides the options' total timeout (long polling)
};

struct HttpResponse {
  long status = 0;  // 0 when no answer came
  std::string body;
  std::string error;                 // transport error; empty when an answer came
  std::int64_t retry_after_ms = -1;  // from a Retry-After header (seconds), -1 when absent
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Blocks up to the timeouts; returns early (with an error) when `abort` is set.
  HttpResponse perform(const HttpRequest& request, const std::atomic<bool>& abort);

  // Call before any thread sends (curl_global_init); safe to call repeatedly.
  static void global_init();

 private:
  HttpOptions options_;
  void* curl_ = nullptr;  // CURL*, kept for connection reuse
};

// "https://hooks.slack.com/…": scheme and host only, for logs. Webhook paths
// and the Telegram bot token are secrets; no URL is ever logged whole.
std::string redact_url(const std::string& url);

}  // namespace tickd::http
