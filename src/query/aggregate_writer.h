// Serialises aggregate results (one row per group) as JSON, NDJSON or CSV, with the value
// conventions of row_writer.h (booleans true/false, decimals shortest round-trip, NULL null / an
// empty CSV field). Decimal sums and averages are first rounded to 15 significant digits (what a
// double holds exactly), so that floating-point summation noise does not show: 0.1 + 0.2 is
// written 0.3, not 0.30000000000000004.
//
//   json    {"edition":"<id>","rows":[{"bydel":"Alna","count":3},...],"total_groups":N,
//            "truncated":false,"next_offset":null}
//   ndjson  one object per group, one per line
//   csv     a header line of the output names, then one line per group (CRLF)
// NDJSON and CSV carry total_groups and next_offset in headers only (AggregateHeaders).
// Appends to a caller-owned string; call Begin once, Row per group, End once. Not thread safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "query/aggregate.h"
#include "query/row_writer.h"

namespace kilde::query {

class AggregateWriter {
 public:
  // A writer for `format` ("json", "ndjson" or "csv") of the outputs of `q`, appending to `*out`
  // (not owned; must outlive the writer). nullptr for any other format.
  static std::unique_ptr<AggregateWriter> Make(std::string_view format, const AggregateQuery& q,
                                               std::string* out);
  std::string_view content_type() const { return json_ ? "application/json" : rows_->content_type(); }
  // Starts the document for edition `edition_id`.
  void Begin(const std::string& edition_id);
  // One group: cells parallel to the query's outputs.
  void Row(const std::vector<store::Cell>& cells);
  // `next_offset`: the offset of the next page, when this page is truncated.
  void End(int64_t total_groups, std::optional<int64_t> next_offset);

 private:
  AggregateWriter() = default;
  bool json_ = false;
  std::string* out_ = nullptr;
  std::string line_;                 // JSON: one row rendered by the NDJSON writer
  std::unique_ptr<RowWriter> rows_;  // renders the values
  std::vector<std::string> names_;
  std::vector<products::ColumnType> types_;
  std::vector<bool> round_;  // per output: a sum or an average (rounded when decimal)
  std::vector<store::Cell> cells_;
  int64_t count_ = 0;
};

// `d` rounded to 15 significant digits (non-finite values unchanged).
double RoundSignificant15(double d);

// X-Total-Count (groups) and, when truncated, X-Next-Offset.
http::Params AggregateHeaders(int64_t total_groups, std::optional<int64_t> next_offset);

}  // namespace kilde::query
