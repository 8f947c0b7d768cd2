#include "products/catalog_summary.h"

#include <gtest/gtest.h>

namespace kilde::products {
namespace {

TEST(QualitySummary, MeansCompletenessSumsInvalidAndListsTheLeastComplete) {
  auto report = nlohmann::json::parse(R"({"rows":10,"rejected_rows":2,"columns":[
    {"name":"a","completeness":1.0,"invalid":0},
    {"name":"b","completeness":0.5,"invalid":3},
    {"name":"c","completeness":0.25,"invalid":1}]})");
  auto s = QualitySummary(report);
  EXPECT_EQ(s["rows"], 10);
  EXPECT_EQ(s["rejected_rows"], 2);
  EXPECT_EQ(s["invalid"], 4);
  EXPECT_DOUBLE_EQ(s["completeness"].get<double>(), 0.5833);
  ASSERT_EQ(s["incomplete_columns"].size(), 2u);
  EXPECT_EQ(s["incomplete_columns"][0]["name"], "c");
  EXPECT_EQ(s["incomplete_columns"][1]["name"], "b");
}

TEST(QualitySummary, EmptyAndBrokenReports) {
  EXPECT_TRUE(QualitySummary(nlohmann::json()).is_null());
  EXPECT_TRUE(QualitySummary(nlohmann::json::array()).is_null());
  auto s = QualitySummary(nlohmann::json::parse(R"({"rows":0,"columns":[]})"));
  EXPECT_EQ(s["completeness"], 1.0);
  EXPECT_EQ(s["incomplete_columns"], nlohmann::json::array());
}

}  // namespace
}  // namespace kilde::products
