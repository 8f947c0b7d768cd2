// Per-column data quality of an edition, accumulated row by row during ingest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "products/schema.h"
#include "products/value.h"

namespace kilde::products {

// An exact set of distinct values (byte strings, or integers), for counting. Open addressing over a
// flat table: about 24 bytes per value plus the text, no allocation per value. Not thread safe.
class DistinctSet {
 public:
  // Inserts `s` / `v`; true if it was new. A set holds either strings or integers, never both.
  bool AddText(std::string_view s);
  bool AddInt(int64_t v);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint64_t key;       // integers: the value; strings: their hash
    uint32_t off, len;  // strings: bytes in arena_
  };
  template <typename Eq>
  bool Insert(uint64_t hash, uint64_t key, Eq eq, std::string_view text);
  void Grow();

  std::vector<uint32_t> slots_;  // 0 = empty, else 1 + index into entries_; size a power of two
  std::vector<Entry> entries_;
  std::string arena_;
  bool int_mode_ = false;  // holds integers (keys are values, not hashes)
};

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
    DistinctSet distinct;  // of the values' canonical texts (integers by value: the same count)
    bool distinct_capped = false;
  };
  std::vector<Col> cols_;
  int64_t rows_ = 0, rejected_rows_ = 0;
  std::string scratch_;  // canonical text of a value without stored text
};

// Canonical text of a value: integers in decimal, decimals as the shortest text that round-trips
// their double (std::to_chars: "10.10" and "1.01e1" both give "10.1"), text as is. Used for the
// content hash and distinct counts.
std::string CanonicalText(const Value& v);
// Appends CanonicalText(v) to *out (no allocation once *out has grown).
void AppendCanonicalText(const Value& v, std::string* out);

}  // namespace kilde::products
