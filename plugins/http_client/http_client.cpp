#include "http_client/http_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace tickd::http {
namespace {

struct Sink {
  std::string* body;
  std::size_t limit;
  bool too_large = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->body->size() + n > sink->limit) {
    sink->too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::size_t n = size * count;
  std::string line(data, n);
  static const std::string kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string head = line.substr(0, kName.size());
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == kName) {
      try {
        const long long seconds = std::stoll(line.substr(kName.size()));
        if (seconds >= 0 && seconds < 86400) *static_cast<std::int64_t*>(user) = seconds * 1000;
      } catch (const std::exception&) {
        // An HTTP date instead of seconds: ignored, the caller's backoff applies.
      }
    }
  }
  return n;
}

int check_abort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct MimeFree {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};

}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

void HttpClient::global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

HttpResponse HttpClient::perform(const HttpRequest& request, const std::atomic<bool>& abort) {
  HttpResponse response;
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the connection cache
  Sink sink{&response.body, options_.max_response_bytes};
  char error[CURL_ERROR_SIZE] = {0};

  curl_slist* raw_headers = nullptr;
  // No "Expect: 100-continue" round trip before larger bodies.
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  if (!request.get && request.form.empty())
    raw_headers = curl_slist_append(raw_headers, ("Content-Type: " + request.content_type).c_str());
  for (const auto& h : request.headers) raw_headers = curl_slist_append(raw_headers, h.c_str());
  std::unique_ptr<curl_slist, SlistFree> headers(raw_headers);
  std::unique_ptr<curl_mime, MimeFree> mime;

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (request.get) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (!request.form.empty()) {
    mime.reset(curl_mime_init(c));
    for (const auto& part : request.form) {
      curl_mimepart* p = curl_mime_addpart(mime.get());
      curl_mime_name(p, part.name.c_str());
      curl_mime_data(p, part.value.data(), part.value.size());
      if (!part.filename.empty()) curl_mime_filename(p, part.filename.c_str());
      if (!part.content_type.empty()) curl_mime_type(p, part.content_type.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(request.timeout_ms > 0 ? request.timeout_ms : options_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &read_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.retry_after_ms);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &check_abort);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &abort);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  if (code == CURLE_OK) return response;
  response.status = 0;
  if (sink.too_large) {
    response.error = "answer larger than " + std::to_string(options_.max_response_bytes) + " bytes";
  } else {
    response.error = curl_easy_strerror(code);
    if (error[0] && response.error != error) response.error += ": " + std::string(error);
  }
  return response;
}

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return "(url)";
  const auto host_end = url.find_first_of("/?#", scheme + 3);
  std::string authority =
      url.substr(scheme + 3, host_end == std::string::npos ? std::string::npos : host_end - scheme - 3);
  const auto at = authority.rfind('@');
  if (at != std::string::npos) authority = authority.substr(at + 1);  // never user:password
  return url.substr(0, scheme + 3) + authority + (host_end == std::string::npos ? "" : "/…");
}

}  // namespace tickd::http
