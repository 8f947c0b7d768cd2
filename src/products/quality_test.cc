#include "products/quality.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_set>

namespace kilde::products {
namespace {

TEST(DistinctSet, CountsLikeAHashSet) {
  DistinctSet texts, ints;
  std::unordered_set<std::string> want_texts;
  std::unordered_set<int64_t> want_ints;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const int64_t v = static_cast<int64_t>(rng() % 50000) - 25000;
    std::string s = "v" + std::to_string(v * 7919);
    if (i % 1000 == 0) s.clear();  // the empty string is a value too
    EXPECT_EQ(texts.AddText(s), want_texts.insert(s).second);
    EXPECT_EQ(ints.AddInt(v), want_ints.insert(v).second);
  }
  EXPECT_EQ(texts.size(), want_texts.size());
  EXPECT_EQ(ints.size(), want_ints.size());
  EXPECT_TRUE(ints.AddInt(INT64_MIN));
  EXPECT_TRUE(ints.AddInt(INT64_MAX));
  EXPECT_FALSE(ints.AddInt(INT64_MIN));
}

Schema OneColumn(ColumnType t, PersonalData pd = PersonalData::kNone) {
  Schema s;
  Column c;
  c.name = "c";
  c.type = t;
  c.personal_data = pd;
  s.columns.push_back(c);
  return s;
}

Value Int(int64_t i) {
  Value v;
  v.kind = Value::Kind::kInt;
  v.i = i;
  return v;
}

TEST(QualityReport, DistinctIsExactUpToTheCap) {
  QualityReport q(OneColumn(ColumnType::kInteger));
  for (int64_t i = 0; i < static_cast<int64_t>(QualityReport::kDistinctCap) - 1; ++i) q.Add({Int(i)});
  q.Add({Int(0)});
  auto j = q.ToJson();
  EXPECT_EQ(j["columns"][0]["distinct"], QualityReport::kDistinctCap - 1);
  EXPECT_EQ(j["columns"][0]["distinct_exact"], true);
  q.Add({Int(-1)});  // the cap is reached: from now on "at least"
  q.Add({Int(-2)});
  j = q.ToJson();
  EXPECT_EQ(j["columns"][0]["distinct"], QualityReport::kDistinctCap);
  EXPECT_EQ(j["columns"][0]["distinct_exact"], false);
  EXPECT_EQ(j["columns"][0]["min"], -2);  // min/max still cover every row
  EXPECT_EQ(j["rows"], QualityReport::kDistinctCap + 2);
}

// Decimals are counted by value, as the hash sees them: 1.5 and 1.50 are one value (regression:
// they counted as two, and a downloaded edition uploaded again got another hash).
TEST(QualityReport, DecimalsCountByValue) {
  QualityReport q(OneColumn(ColumnType::kDecimal));
  for (const char* t : {"1.5", "1.50", "1.5"}) {
    Value v;
    v.kind = Value::Kind::kReal;
    v.d = 1.5;
    v.text = t;
    q.Add({v});
  }
  Value no_text;  // a real without text counts the same
  no_text.kind = Value::Kind::kReal;
  no_text.d = 1.5;
  q.Add({no_text});
  q.Add({Value{}});
  auto j = q.ToJson()["columns"][0];
  EXPECT_EQ(j["distinct"], 1);
  EXPECT_EQ(j["nulls"], 1);
  EXPECT_EQ(j["completeness"], 0.8);
  EXPECT_EQ(j["min"], 1.5);
}

TEST(QualityReport, PersonalDataHasNoMinMax) {
  QualityReport q(OneColumn(ColumnType::kString, PersonalData::kPersonal));
  Value v;
  v.kind = Value::Kind::kText;
  v.text = "x";
  q.Add({v});
  auto j = q.ToJson()["columns"][0];
  EXPECT_TRUE(j["min"].is_null());
  EXPECT_EQ(j["distinct"], 1);
}

TEST(CanonicalText, AppendsWithoutSeparators) {
  std::string out = "a";
  AppendCanonicalText(Int(-42), &out);
  AppendCanonicalText(Value{}, &out);
  Value r;
  r.kind = Value::Kind::kReal;
  r.d = 0.25;
  AppendCanonicalText(r, &out);
  EXPECT_EQ(out, "a-420.25");
  EXPECT_EQ(CanonicalText(Int(7)), "7");
}

}  // namespace
}  // namespace kilde::products
