// config/examples/: the configuration per broker that a user copies and fills
// in passes `tickd --check-config` with its ${ENV} variables set to
// placeholders (and the brokers' instrument masters, which resolve the names
// the Indian examples use, in the state directory's cache), and names every
// variable it needs when they are not set.
#include "broker_fixture.hpp"
#include "instrument_masters.hpp"

#include <cstdlib>

namespace tickd::e2e {
namespace {

struct Checked {
  int status;
  std::string output;
};

Checked check_config(const std::string& example) {
  TempDir dir("tickd-example");
  const std::string out = dir.file("out.txt");
  ChildProcess p({kTickd, "--check-config", std::string(TICKD_SOURCE_DIR) + "/config/examples/" + example},
                 out);
  const int status = p.wait();
  return {status, read_text(out)};
}

const char* const kVariables[] = {"KITE_API_KEY",      "KITE_ACCESS_TOKEN_FILE",
                                  "SMARTAPI_API_KEY",  "SMARTAPI_CLIENT_CODE",
                                  "SMARTAPI_JWT_FILE", "SMARTAPI_FEED_TOKEN_FILE"};

TEST(ConfigExamples, EachBrokerExamplePassesCheckConfigWithPlaceholders) {
  for (const char* name : kVariables) setenv(name, (std::string("/placeholder/") + name).c_str(), 1);
  // Fetched a moment ago, so fresh: no download (systemd's StateDirectory=).
  TempDir state("tickd-state");
  const auto masters = test_servers::spec_instruments(test_servers::ist_today());
  write_file(state, "kite-instruments.csv", test_servers::kite_instruments_csv(masters));
  write_file(state, "smartapi-scrip-master.json", test_servers::smartapi_scrip_master_json(masters));
  setenv("STATE_DIRECTORY", state.path().c_str(), 1);
  for (const char* example : {"binance.yaml", "kite.yaml", "smartapi.yaml"}) {
    const Checked r = check_config(example);
    EXPECT_EQ(r.status, 0) << example << ":\n" << r.output;
    EXPECT_NE(r.output.find("configuration OK"), std::string::npos) << example << ":\n" << r.output;
    if (std::string(example) != "binance.yaml") {
      EXPECT_NE(r.output.find("names resolved through the instrument master: 405 instruments, from cache"),
                std::string::npos)
          << example << ":\n"
          << r.output;
    }
  }
  unsetenv("STATE_DIRECTORY");
}

TEST(ConfigExamples, AnUnsetVariableIsNamed) {
  for (const char* name : kVariables) unsetenv(name);
  const Checked kite = check_config("kite.yaml");
  EXPECT_EQ(kite.status, 1) << kite.output;
  EXPECT_NE(kite.output.find("KITE_API_KEY"), std::string::npos) << kite.output;
  const Checked smartapi = check_config("smartapi.yaml");
  EXPECT_EQ(smartapi.status, 1) << smartapi.output;
  EXPECT_NE(smartapi.output.find("SMARTAPI_JWT_FILE"), std::string::npos) << smartapi.output;
}

}  // namespace
}  // namespace tickd::e2e
