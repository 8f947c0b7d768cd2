// Streaming serialisers for rows of an edition: JSON, NDJSON and CSV.
//
// A RowWriter appends to a caller-owned std::string; the caller may send and clear that buffer
// between calls (chunked streaming). Call Begin once, Row per row, End once. Output is
// deterministic: the same rows give the same bytes. Values by storage kind and column type:
// NULL -> JSON null / empty CSV field; integers -> numbers; booleans (stored 0/1) -> true/false;
// decimals -> the shortest text that round-trips the double (std::to_chars, e.g. 0.1, 1e+21);
// text -> JSON string (quotes, backslash and control characters escaped, UTF-8 passed through)
// or CSV field. Not thread safe; one writer per response.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_text.h"
#include "http/message.h"
#include "products/schema.h"
#include "store/product_store.h"

namespace kilde::query {

class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual std::string_view content_type() const = 0;
  // Starts the document; `column_names` are the selected columns in output order.
  virtual void Begin(const std::vector<std::string>& column_names) = 0;
  // One row: cells and types parallel to `column_names`.
  virtual void Row(const std::vector<store::Cell>& cells, const std::vector<products::ColumnType>& types) = 0;
  // Ends the document. JSON writes `next_cursor` (null when absent) and `total` (only when given)
  // into the body; NDJSON and CSV carry them in headers only (see PagingHeaders).
  virtual void End(std::optional<std::string> next_cursor, std::optional<int64_t> total) = 0;
};

// A writer for `format` ("json", "ndjson" or "csv") appending to `*out` (not owned, must outlive
// the writer). "json_array" writes a bare array of row objects (whole-edition downloads) and
// ignores End's arguments. nullptr for any other format.
std::unique_ptr<RowWriter> MakeRowWriter(std::string_view format, std::string* out);

// The format for a request: `format` if not empty, else the first supported media type of the
// Accept header (application/json, application/x-ndjson or application/ndjson, text/csv; */* and
// application/* mean json), else "json" when Accept is empty. nullopt when Accept names only
// unsupported types (406).
std::optional<std::string> ChooseFormat(std::string_view format, std::string_view accept);

// Response headers for paging: X-Next-Cursor (when there is a next page) and X-Total-Count (when
// counted). Sent with every format; NDJSON and CSV have no other place for them.
http::Params PagingHeaders(const std::optional<std::string>& next_cursor, std::optional<int64_t> total);

// Appends one cell as a JSON value (the conventions above) to `out`.
void AppendJsonCell(const store::Cell& c, products::ColumnType type, std::string& out);
// Appends one row as a JSON object {"name":value,...}; `names`, `cells`, `types` are parallel.
void AppendJsonRow(const std::vector<std::string>& names, const std::vector<store::Cell>& cells,
                   const std::vector<products::ColumnType>& types, std::string& out);

using kilde::AppendJsonString;  // base/json_text.h

}  // namespace kilde::query
