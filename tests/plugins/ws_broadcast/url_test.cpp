#include "url.hpp"
#include "access_policy.hpp"

#include <gtest/gtest.h>

namespace tickd::ws {
namespace {

TEST(Url, SplitsAndDecodes) {
  auto t = split_target("/candles/BTC%2FUSDT/1m?limit=5&token=a%20b");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/candles/BTC/USDT/1m");
  EXPECT_EQ(t->query, "limit=5&token=a%20b");
  EXPECT_EQ(query_param(t->query, "limit"), "5");
  EXPECT_EQ(query_param(t->query, "token"), "a b");
  EXPECT_FALSE(query_param(t->query, "lim"));
  EXPECT_FALSE(split_target("candles"));
  EXPECT_FALSE(split_target("/a%2"));
  EXPECT_FALSE(split_target("/a%zz"));
  EXPECT_FALSE(split_target("/a%00b"));
  // Not UTF-8 once decoded, or control characters: answered with 400 too.
  EXPECT_FALSE(split_target("/%ff"));
  EXPECT_FALSE(split_target("/%"));
  EXPECT_FALSE(split_target("/%C0%AF"));        // overlong '/'
  EXPECT_FALSE(split_target("/%E0%80%AF"));     // overlong, three bytes
  EXPECT_FALSE(split_target("/%ED%A0%80"));     // a UTF-16 surrogate
  EXPECT_FALSE(split_target("/%F4%90%80%80"));  // above U+10FFFF
  EXPECT_FALSE(split_target("/%E2%82"));        // cut short
  EXPECT_FALSE(split_target("/a%0Db"));
  EXPECT_TRUE(split_target("/candles/%E2%82%AC/1m"));  // the euro sign is fine
  EXPECT_EQ(split_target("/candles/%E2%82%AC/1m")->path, "/candles/\xE2\x82\xAC/1m");
  EXPECT_EQ(path_segments("//ws/candles/"), (std::vector<std::string>{"ws", "candles"}));
  EXPECT_TRUE(path_segments("/").empty());
}

TEST(AccessPolicy, TokenFromHeaderOrQuery) {
  AccessPolicy open("", {});
  EXPECT_FALSE(open.check_token("", ""));
  AccessPolicy p("s3cret", {});
  EXPECT_FALSE(p.check_token("Bearer s3cret", ""));
  EXPECT_FALSE(p.check_token("", "x=1&token=s3cret"));
  auto missing = p.check_token("", "");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->http_status, 401);
  auto wrong = p.check_token("Bearer s3cre", "");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->reason.find("s3cre"), std::string::npos) << "a refusal must not echo the token";
  EXPECT_TRUE(p.check_token("Bearer s3cret!", ""));
  EXPECT_TRUE(p.check_token("", "token="));
}

TEST(AccessPolicy, OriginAllowlist) {
  AccessPolicy any("", {});
  EXPECT_FALSE(any.check_origin("http://evil.example", "127.0.0.1:8080"));
  AccessPolicy p("", {"http://good.example"});
  EXPECT_FALSE(p.check_origin("", "127.0.0.1:8080"));
  EXPECT_FALSE(p.check_origin("http://good.example", "127.0.0.1:8080"));
  EXPECT_FALSE(p.check_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
  auto r = p.check_origin("http://evil.example", "127.0.0.1:8080");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->http_status, 403);
}

}  // namespace
}  // namespace tickd::ws
