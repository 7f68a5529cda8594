// libFuzzer: what an edge reads of a NATS message besides its payload - the
// subject and the closed candle's message id (common/nats_client/nats_subjects.hpp).
// Whatever they accept must be what the encoders write: a decoded symbol
// encodes back to its token, a revision back into a message id that reads the same.
#include "nats_client/nats_subjects.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ns = tickd::nats_subjects;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (const auto revision = ns::candle_revision(in)) {
    const std::string id = std::string(in.substr(0, in.rfind('|') + 1)) + std::to_string(*revision);
    check(ns::candle_revision(id) == revision);
  }
  if (const auto symbol = ns::decode_symbol(in)) check(ns::encode_symbol(*symbol) == in);
  if (const auto parsed = ns::parse("tickd", in)) {
    check(!parsed->symbol.empty());
    check(ns::decode_symbol(ns::encode_symbol(parsed->symbol)) == parsed->symbol);
  }
  return 0;
}
