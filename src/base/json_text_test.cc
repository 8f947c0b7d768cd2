#include "base/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace kilde {
namespace {

// nlohmann's strict dump throws on invalid UTF-8: the reference for IsValidUtf8.
bool NlohmannAccepts(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

std::string Literal(std::string_view s) {
  std::string out;
  AppendJsonString(s, out);
  return out;
}

TEST(JsonTextTest, EscapesLikeJsonLibrary) {
  EXPECT_EQ(Literal(""), "\"\"");
  EXPECT_EQ(Literal("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Literal("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Literal(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(Literal("Tøyen § 3-2 €"), "\"Tøyen § 3-2 €\"");
  EXPECT_EQ(Literal("\x7f"), "\"\x7f\"");
}

TEST(JsonTextTest, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("æøå ÆØÅ 𝄞 \xef\xbf\xbd"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("a\x80"));  // lone continuation byte
}

// Random byte strings, biased towards the interesting ones: every verdict and every literal agrees
// with nlohmann::json (the audit chain's canonical form was defined by its dump).
TEST(JsonTextTest, RandomStringsAgreeWithJsonLibrary) {
  std::mt19937 rng(20261124);
  const std::string pieces[] = {
      "a",        "\"",      "\\",   "\n",   "\x01",     "\x7f",         "ø",
      "€",        "𝄞",       "\x80", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80",
      "\xf0\x9f", "\xc0\xaf"};
  int valid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) {
      if (rng() % 4 == 0)
        s.push_back(static_cast<char>(rng() % 256));
      else
        s += pieces[rng() % std::size(pieces)];
    }
    const bool ok = NlohmannAccepts(s);
    ASSERT_EQ(IsValidUtf8(s), ok) << nlohmann::json(s).dump(-1, ' ', true,
                                                            nlohmann::json::error_handler_t::replace);
    if (ok) {
      ++valid;
      ASSERT_EQ(Literal(s), nlohmann::json(s).dump());
    }
  }
  EXPECT_GT(valid, 2000);  // both kinds were exercised
  EXPECT_LT(valid, 18000);
}

}  // namespace
}  // namespace kilde
