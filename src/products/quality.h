// Per-column data quality of an edition, accumulated row by row during ingest.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "products/schema.h"
#include "products/value.h"

namespace kilde::products {

// Personal-data columns report counts only (no min/max values). Memory is bounded: distinct values are
// counted exactly up to kDistinctCap per column, after which the report says "at least". Not thread safe.
class QualityReport {
 public:
  static constexpr size_t kDistinctCap = 100000;
  explicit QualityReport(const Schema& schema);
  void Add(const std::vector<Value>& row);
  void AddInvalid(size_t column) { ++cols_[column].invalid; }
  void AddRejectedRow() { ++rejected_rows_; }
  // {"rows": n, "rejected_rows": k, "columns": [{"name","type","completeness","nulls","distinct",
  //  "distinct_exact","min","max","invalid"}]}
  nlohmann::json ToJson() const;

 private:
  struct Col {
    std::string name;
    ColumnType type = ColumnType::kString;
    bool personal = false;  // min/max are never reported for personal data
    int64_t nulls = 0, invalid = 0;
    bool has_minmax = false;
    Value min, max;
    std::unordered_set<std::string> distinct;
    bool distinct_capped = false;
  };
  std::vector<Col> cols_;
  int64_t rows_ = 0, rejected_rows_ = 0;
};

// Canonical text of a value (numbers as stored, text as is); used for hashing and distinct counts.
std::string CanonicalText(const Value& v);

}  // namespace kilde::products
