#include "products/catalog_summary.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace kilde::products {
namespace {

double Round4(double v) { return std::round(v * 10000.0) / 10000.0; }

}  // namespace

nlohmann::json QualitySummary(const nlohmann::json& report) {
  if (!report.is_object()) return nullptr;
  const nlohmann::json& cols = report.contains("columns") && report["columns"].is_array()
                                   ? report["columns"]
                                   : nlohmann::json::array();
  double sum = 0;
  int64_t invalid = 0;
  std::vector<std::pair<double, std::string>> incomplete;
  for (const auto& c : cols) {
    const double completeness = c.value("completeness", 1.0);
    sum += completeness;
    invalid += c.value("invalid", int64_t{0});
    if (completeness < 1.0) incomplete.emplace_back(completeness, c.value("name", ""));
  }
  std::stable_sort(incomplete.begin(), incomplete.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json worst = nlohmann::json::array();
  for (size_t i = 0; i < incomplete.size() && i < 10; ++i)
    worst.push_back({{"name", incomplete[i].second}, {"completeness", Round4(incomplete[i].first)}});
  return {{"rows", report.value("rows", int64_t{0})},
          {"rejected_rows", report.value("rejected_rows", int64_t{0})},
          {"completeness", cols.empty() ? 1.0 : Round4(sum / static_cast<double>(cols.size()))},
          {"invalid", invalid},
          {"incomplete_columns", std::move(worst)}};
}

}  // namespace kilde::products
