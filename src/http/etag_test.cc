#include "http/etag.h"

#include <gtest/gtest.h>

namespace kilde::http {
namespace {

TEST(ETag, IfNoneMatchListsWeakTagsAndStar) {
  EXPECT_TRUE(IfNoneMatchHits("\"3\"", "\"3\""));
  EXPECT_TRUE(IfNoneMatchHits("\"1\", \"3\"", "\"3\""));
  EXPECT_TRUE(IfNoneMatchHits("W/\"3\"", "\"3\""));
  EXPECT_TRUE(IfNoneMatchHits("*", "\"3\""));
  EXPECT_FALSE(IfNoneMatchHits("\"31\"", "\"3\""));
  EXPECT_FALSE(IfNoneMatchHits("", "\"3\""));
  EXPECT_FALSE(IfNoneMatchHits("3", "\"3\""));
}

}  // namespace
}  // namespace kilde::http
