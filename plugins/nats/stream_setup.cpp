#include "nats/stream_setup.hpp"

#include "nats_client/nats_connection.hpp"

#include <algorithm>
#include <stdexcept>

namespace tickd::nats_out {

namespace {

constexpr std::int64_t kNanosPerSecond = 1000000000LL;

struct StreamInfoDeleter {
  void operator()(jsStreamInfo* si) const { jsStreamInfo_Destroy(si); }
};

std::string differences(const jsStreamConfig& have, const StreamSettings& want,
                        const std::vector<std::string>& subjects) {
  std::string out;
  auto add = [&](const std::string& what, const std::string& is, const std::string& yaml) {
    out += (out.empty() ? "" : "; ") + what + " is " + is + " (YAML: " + yaml + ")";
  };
  for (const auto& s : subjects) {
    bool found = false;
    for (int i = 0; i < have.SubjectsLen; ++i) found |= s == have.Subjects[i];
    if (!found) add("subjects", "without " + s, "needs it");
  }
  if (have.Replicas != want.replicas)
    add("replicas", std::to_string(have.Replicas), std::to_string(want.replicas));
  if (have.MaxAge != want.max_age_s * kNanosPerSecond)
    add("max_age", std::to_string(have.MaxAge / kNanosPerSecond) + " s",
        std::to_string(want.max_age_s) + " s");
  if (have.MaxBytes != want.max_bytes)
    add("max_bytes", std::to_string(have.MaxBytes), std::to_string(want.max_bytes));
  if (have.Duplicates != want.duplicate_window_s * kNanosPerSecond)
    add("duplicate window", std::to_string(have.Duplicates / kNanosPerSecond) + " s",
        std::to_string(want.duplicate_window_s) + " s");
  if (have.Retention != js_LimitsPolicy) add("retention", "not limits", "limits (by age and size)");
  if ((have.Storage == js_MemoryStorage) != want.memory)
    add("storage", have.Storage == js_MemoryStorage ? "memory" : "file", want.memory ? "memory" : "file");
  return out;
}

}  // namespace

std::vector<std::string> stream_subjects(const std::string& prefix) {
  return {prefix + ".closed.>", prefix + ".signal.>"};
}

std::string ensure_stream(jsCtx* js, const StreamSettings& settings, const std::string& prefix) {
  const std::vector<std::string> subjects = stream_subjects(prefix);
  jsStreamInfo* raw = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&raw, js, settings.name.c_str(), nullptr, &jerr);
  std::unique_ptr<jsStreamInfo, StreamInfoDeleter> info(raw);
  if (s == NATS_OK) {
    const std::string diff = differences(*info->Config, settings, subjects);
    if (!diff.empty())
      throw std::runtime_error("nats: stream '" + settings.name +
                               "' exists with another configuration: " + diff +
                               ". Change the YAML to match, or edit or delete the stream (nats stream edit " +
                               settings.name + ")");
    return "checked";
  }
  if (s != NATS_NOT_FOUND && jerr != JSStreamNotFoundErr)
    throw std::runtime_error("nats: cannot look up stream '" + settings.name + "': " + nats_error_text(s));
  if (!settings.create)
    throw std::runtime_error("nats: stream '" + settings.name +
                             "' does not exist and stream.create is false");

  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  std::vector<const char*> subject_ptrs;
  for (const auto& x : subjects) subject_ptrs.push_back(x.c_str());
  cfg.Name = settings.name.c_str();
  cfg.Description = "tickd closed candles and signals";
  cfg.Subjects = subject_ptrs.data();
  cfg.SubjectsLen = static_cast<int>(subject_ptrs.size());
  cfg.Retention = js_LimitsPolicy;
  cfg.MaxAge = settings.max_age_s * kNanosPerSecond;
  cfg.MaxBytes = settings.max_bytes;
  cfg.Replicas = settings.replicas;
  cfg.Duplicates = settings.duplicate_window_s * kNanosPerSecond;
  cfg.Storage = settings.memory ? js_MemoryStorage : js_FileStorage;
  cfg.Discard = js_DiscardOld;
  jsStreamInfo* created = nullptr;
  s = js_AddStream(&created, js, &cfg, nullptr, &jerr);
  jsStreamInfo_Destroy(created);
  if (s != NATS_OK) {
    // Another ingest may have created it a moment ago: check that one instead.
    if (jerr == JSStreamNameExistErr) return ensure_stream(js, settings, prefix);
    throw std::runtime_error("nats: cannot create stream '" + settings.name + "': " + nats_error_text(s) +
                             (jerr ? " (JetStream error " + std::to_string(jerr) + ")" : ""));
  }
  return "created";
}

}  // namespace tickd::nats_out
