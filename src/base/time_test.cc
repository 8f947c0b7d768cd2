#include "base/time.h"

#include <gtest/gtest.h>

#include <vector>

#include "base/encoding.h"

namespace kilde {
namespace {

TEST(Time, NormalizesDatesAndOffsets) {
  EXPECT_EQ(NormalizeTimestamp("2026-11-23"), "2026-11-23T00:00:00Z");
  EXPECT_EQ(NormalizeTimestamp("2026-11-23T18:00:00Z"), "2026-11-23T18:00:00Z");
  EXPECT_EQ(NormalizeTimestamp("2026-11-23T19:00:00.123+01:00"), "2026-11-23T18:00:00Z");
  // Regression: far-future times once overflowed through system_clock (2999 became 1829).
  EXPECT_EQ(NormalizeTimestamp("2999-01-01T00:00:00Z"), "2999-01-01T00:00:00Z");
  EXPECT_EQ(NormalizeTimestamp("9999-12-31T23:59:59Z"), "9999-12-31T23:59:59Z");
  EXPECT_FALSE(NormalizeTimestamp("2026-02-30"));
  EXPECT_FALSE(NormalizeTimestamp("2026-11-23T25:00:00Z"));
  EXPECT_FALSE(NormalizeTimestamp("yesterday"));
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_EQ(NowRfc3339().size(), 20u);
}

TEST(Encoding, Base64UrlRoundTrips) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "id:x", std::string("\xff\x00\x10", 3)}) {
    auto d = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, s);
  }
  EXPECT_FALSE(Base64UrlDecode("a+b/"));
  EXPECT_EQ(RandomHex(8).size(), 16u);
  EXPECT_NE(RandomHex(8), RandomHex(8));
}

}  // namespace
}  // namespace kilde
