#include "api/response_cache.h"

#include <gtest/gtest.h>

namespace kilde::api {
namespace {

http::Response Body(std::string b) {
  http::Response r;
  r.body = std::move(b);
  r.headers.emplace_back("X-Next-Cursor", "c");
  return r;
}

TEST(ResponseCache, HitsReturnCopiesAndLeastRecentlyUsedGoesFirst) {
  ResponseCache c(16 * 1200);  // room for about 16 entries of ~1 KB
  EXPECT_FALSE(c.Get("a"));
  c.Put("a", Body(std::string(1000, 'a')));
  auto hit = c.Get("a");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->response.body, std::string(1000, 'a'));
  EXPECT_EQ(hit->response.headers, (http::Params{{"X-Next-Cursor", "c"}}));
  EXPECT_EQ(c.hits(), 1u);
  EXPECT_EQ(c.misses(), 1u);
  for (int i = 0; i < 40; ++i) {
    c.Put("k" + std::to_string(i), Body(std::string(1000, 'x')));
    c.Get("a");  // keeps "a" recent
  }
  EXPECT_TRUE(c.Get("a")) << "recently used entries stay";
  EXPECT_FALSE(c.Get("k0")) << "old ones are evicted";
  EXPECT_TRUE(c.Get("k39"));
  EXPECT_LE(c.bytes(), 16u * 1200);
  c.Clear();
  EXPECT_FALSE(c.Get("a"));
  EXPECT_EQ(c.bytes(), 0u);
}

TEST(ResponseCache, AHitCarriesTheOutcomeOfTheRead) {
  ResponseCache c(1 << 20);
  c.Put("k", Body("x"), ReadOutcome{2, {"01010112345", "02020212345"}});
  auto hit = c.Get("k");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->outcome.rows, 2);
  EXPECT_EQ(hit->outcome.subjects, (std::vector<std::string>{"01010112345", "02020212345"}));
}

TEST(ResponseCache, DisabledOversizedAndStreamedAreNotKept) {
  ResponseCache off(0);
  off.Put("a", Body("x"));
  EXPECT_FALSE(off.Get("a"));
  ResponseCache small(16 * 100);
  small.Put("big", Body(std::string(200, 'b')));  // > capacity / 16
  EXPECT_FALSE(small.Get("big"));
}

TEST(ResponseCache, EditionKeyTellsAReusedOrdinalApart) {
  store::EditionRow a, b;
  a.seq = b.seq = 7;
  a.id = "2026-11-23-aaaaaa";
  b.id = "2026-11-24-bbbbbb";
  a.sha256 = b.sha256 = "h";
  EXPECT_NE(EditionKey(a), EditionKey(b));
}

}  // namespace
}  // namespace kilde::api
