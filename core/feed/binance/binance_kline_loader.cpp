#include "feed/binance/binance_kline_loader.hpp"

#include "feed/binance/binance_rest.hpp"
#include "feed/feed.hpp"

#include <tickd/types.hpp>

namespace tickd::core {

struct BinanceKlineLoader::Job {
  KlineRequest request;
  Done done;
  std::vector<CandleData> out;
  TimeMs next_start;
  int pages = 0;
};

void BinanceKlineLoader::load(const KlineRequest& request, Done done) {
  auto job = std::make_shared<Job>();
  job->request = request;
  job->done = std::move(done);
  job->next_start = request.start;
  next_page(std::move(job));
}

void BinanceKlineLoader::next_page(std::shared_ptr<Job> job) {
  const KlineRequest& r = job->request;
  const int wanted = r.limit - static_cast<int>(job->out.size());
  const auto interval = Interval::from_seconds(r.interval_s);
  const std::string name = interval ? std::string(interval->name()) : std::to_string(r.interval_s) + "s";
  const TimeMs end_time = r.end >= 0 ? r.end - 1 : -1;
  const std::string url = rest_url_ + binance_klines_path(r.symbol, name, job->next_start,
                                                          std::min(wanted, kBinanceKlinesMaxLimit), end_time);
  ++job->pages;
  http_.get(url, [this, job](HttpResponse resp) {
    const KlineRequest& req = job->request;
    if (!resp.ok()) {
      job->done(std::move(job->out), resp.error.empty() ? "HTTP " + std::to_string(resp.status) : resp.error);
      return;
    }
    std::vector<CandleData> page;
    std::string error;
    // Closed means ended before `end` (or now): the one still in progress is left out.
    const TimeMs closed_before = req.end >= 0 ? req.end : Feed::wall_clock_ms();
    if (!parse_binance_klines(resp.body, req.id, req.interval_s, closed_before, page, error)) {
      job->done(std::move(job->out), "bad klines answer: " + error);
      return;
    }
    const std::size_t received = page.size();
    for (auto& c : page) {
      if (!c.closed() || (req.end >= 0 && c.open_time >= req.end)) continue;
      if (!job->out.empty() && c.open_time <= job->out.back().open_time) continue;
      job->out.push_back(c);
    }
    // A full page with a start time means there may be more after it; without
    // a start time Binance answered with the latest ones and we are done.
    const bool more = req.start >= 0 && received >= static_cast<std::size_t>(kBinanceKlinesMaxLimit) &&
                      static_cast<int>(job->out.size()) < req.limit && !job->out.empty() && job->pages < 100;
    if (more) {
      job->next_start = job->out.back().open_time + req.interval_s * 1000LL;
      next_page(job);
      return;
    }
    job->done(std::move(job->out), {});
  });
}

}  // namespace tickd::core
