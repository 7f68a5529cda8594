// The process-observer protocol's own messages (docs/PROCESS_OBSERVERS.md):
// what the daemon writes, and what it accepts from a child, version 2's
// metrics and status and version 3's config errors included; anything else is
// an error with a message.
#include "process/protocol.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace tickd::core::protocol {
namespace {

struct Parsed {
  bool ok;
  ChildMessage message;
  std::string error;
};

Parsed parse(const std::string& line) {
  static ChildMessageParser parser(1 << 20);
  static std::string text;
  text = line;
  Parsed p;
  p.ok = parser.parse(text, p.message, p.error);
  return p;
}

TEST(ProcessProtocol, TheHelloOffersVersionsOneToThreeAndNamesOneForOldChildren) {
  Hello hello;
  hello.observer = "x";
  hello.config_json = R"({"a":1})";
  hello.symbols = {"BTCUSDT"};
  hello.interval_seconds = {60};
  std::string out;
  append_hello(out, hello);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["protocol"], 1);
  EXPECT_EQ(j["protocols"], nlohmann::json::array({1, 2, 3}));
  EXPECT_EQ(j["config"]["a"], 1);
  EXPECT_EQ(j["intervals"], nlohmann::json::array({"1m"}));
}

TEST(ProcessProtocol, MetricsSnapshotsRoundTripThroughTheParser) {
  std::vector<ObserverMetric> metrics(3);
  metrics[0] = {"records_written", "Records \"written\"", true, false, 12, "", ""};
  metrics[1] = {"records_buffered", "Held", false, true, 3.5, "", ""};
  metrics[2] = {"sent", "Per peer", true, false, NAN, "peer", "a b"};
  std::string out;
  append_metrics(out, metrics);
  std::vector<std::string> lines;
  for (std::size_t from = 0, end; (end = out.find('\n', from)) != std::string::npos; from = end + 1)
    lines.push_back(out.substr(from, end - from));
  ASSERT_EQ(lines.size(), 4u);
  auto header = parse(lines[0]);
  ASSERT_TRUE(header.ok) << header.error;
  EXPECT_EQ(header.message.type, ChildMessageType::metrics);
  EXPECT_EQ(header.message.count, 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    auto m = parse(lines[i + 1]);
    ASSERT_TRUE(m.ok) << m.error << " in " << lines[i + 1];
    EXPECT_EQ(m.message.type, ChildMessageType::metric);
    const ObserverMetric& got = m.message.metric;
    EXPECT_EQ(got.name, metrics[i].name);
    EXPECT_EQ(got.help, metrics[i].help);
    EXPECT_EQ(got.counter, metrics[i].counter);
    EXPECT_EQ(got.loss, metrics[i].loss);
    EXPECT_EQ(got.label_name, metrics[i].label_name);
    EXPECT_EQ(got.label_value, metrics[i].label_value);
    if (std::isnan(metrics[i].value))
      EXPECT_TRUE(std::isnan(got.value));  // written null, read back as NaN
    else
      EXPECT_EQ(got.value, metrics[i].value);
  }
}

TEST(ProcessProtocol, BadMetricLinesAreErrorsThatSayWhy) {
  auto bad = [](const std::string& line) {
    auto p = parse(line);
    EXPECT_FALSE(p.ok) << line;
    return p.error;
  };
  EXPECT_EQ(bad(R"({"type":"metric","name":"Bad-Name","help":"","kind":"counter","value":1})"),
            "field 'name' must match [a-z][a-z0-9_]* (at most 100 bytes)");
  EXPECT_EQ(bad(R"({"type":"metric","name":"a","help":"","kind":"histogram","value":1})"),
            "field 'kind' must be counter or gauge");
  EXPECT_EQ(bad(R"({"type":"metric","name":"a","help":"","kind":"gauge","value":"1"})"),
            "field 'value' must be a number");
  EXPECT_EQ(bad(R"({"type":"metric","name":"a","help":"","kind":"gauge","value":1,"loss":1})"),
            "field 'loss' must be a boolean");
  EXPECT_EQ(bad(R"({"type":"metric","name":"a","help":"","kind":"gauge","value":1,"label":"x"})"),
            "missing field 'label_value'");
  EXPECT_EQ(bad(R"({"type":"metrics","count":-1})"), "field 'count' must be an integer in range");
  EXPECT_EQ(bad(R"({"type":"status"})"), "missing field 'id'");
}

TEST(ProcessProtocol, ConfigErrorsNameTheKeyByItsPointer) {
  auto header = parse(R"({"type":"config_error","count":2})");
  ASSERT_TRUE(header.ok) << header.error;
  EXPECT_EQ(header.message.type, ChildMessageType::config_error);
  EXPECT_EQ(header.message.count, 2u);
  auto problem = parse(
      R"({"type":"config_problem","pointer":"/above","at_key":false,"message":"'config.above' must be a number, got 'x'"})");
  ASSERT_TRUE(problem.ok) << problem.error;
  EXPECT_EQ(problem.message.type, ChildMessageType::config_problem);
  EXPECT_EQ(problem.message.pointer, "/above");
  EXPECT_FALSE(problem.message.at_key);
  EXPECT_EQ(problem.message.text, "'config.above' must be a number, got 'x'");
  auto unknown =
      parse(R"({"type":"config_problem","pointer":"/abve","at_key":true,"message":"unknown key"})");
  ASSERT_TRUE(unknown.ok) << unknown.error;
  EXPECT_TRUE(unknown.message.at_key);
  for (const char* line :
       {R"({"type":"config_error"})", R"({"type":"config_error","count":-1})",
        R"({"type":"config_problem","message":"m"})", R"({"type":"config_problem","pointer":"/a"})",
        R"({"type":"config_problem","pointer":"/a","message":"m","at_key":1})"}) {
    auto p = parse(line);
    EXPECT_FALSE(p.ok) << line;
    EXPECT_FALSE(p.error.empty()) << line;
  }
}

TEST(ProcessProtocol, StatusRequestsAndAnswers) {
  std::string request;
  append_status_request(request, 7);
  auto p = parse(request.substr(0, request.size() - 1));
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.message.type, ChildMessageType::status);
  EXPECT_EQ(p.message.id, 7u);
  std::string answer;
  append_status_answer(answer, 7, R"({"feed":{"state":"live"}})");
  auto j = nlohmann::json::parse(answer);
  EXPECT_EQ(j["id"], 7);
  EXPECT_EQ(j["status"]["feed"]["state"], "live");
}

}  // namespace
}  // namespace tickd::core::protocol
