// The row query language of GET /api/v1/products/{id}/editions/{edition}/rows: parsing the
// PostgREST-style query parameters into a RowQuery and turning a RowQuery into a store::RowScan.
//
// Query parameters (reserved names: select, order, limit, cursor, count, format; every other
// parameter is a column filter `column=op.value` in the grammar of filter.h):
//   select=a,b            columns to return, in that order (default: all, in schema order)
//   order=a.asc,b.desc    sort (default ascending; `.asc` may be omitted); rows with equal keys are
//                         ordered by row ordinal ascending. NULLs sort first ascending and last
//                         descending (SQLite's order; the same for every page).
//   limit=N               1..Limits::max_limit (default Limits::default_limit)
//   cursor=...            opaque cursor from a previous page (NextCursor)
//   count=exact           also report the number of matching rows
//   format=json|ndjson|csv (default: from the Accept header, see row_writer.h)
//
// Access grants: the QueryScope (filter.h) applies completely: hidden columns are unknown wherever
// they are named and are not selected by default; pseudonymised columns may be selected but not
// filtered or ordered (so cursors only ever hold clear values of comparable columns); the scope's
// row filters are ANDed to the user's (also under a cursor, which can only move the page start).
// Output cells must go through OutputCells (pseudonyms); SubjectCell gives the clear subject value
// of a scanned row for the audit log. All functions are pure and thread safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "http/message.h"
#include "products/schema.h"
#include "query/filter.h"
#include "query/scope_output.h"
#include "store/product_store.h"

namespace kilde::query {

struct OrderBy {
  size_t column;  // schema position
  bool desc;
};

struct RowQuery {
  std::vector<Filter> filters;  // ANDed
  std::vector<size_t> select;   // schema positions, in requested order (all visible columns by default)
  std::vector<OrderBy> order;   // empty = by row ordinal; never repeats a column
  int64_t limit = 100;
  std::optional<std::string> cursor;  // raw opaque cursor
  bool count_exact = false;
  std::string format;             // "json" | "ndjson" | "csv" ("" = from Accept)
  OutputMask mask;                // pseudonymises the selected cells (see OutputCells)
  std::optional<size_t> subject;  // the scope's subject column: scanned after the order columns
};

struct Limits {
  int64_t default_limit = 100;
  int64_t max_limit = 10000;
};

// Parses the query parameters. On failure kInvalidArgument with one FieldProblem per problem (all
// at once), `field` naming the parameter: unknown_column, unknown_operator, invalid_value.
Result<RowQuery> ParseRowQuery(const products::Schema& schema, const http::Params& params,
                               const Limits& limits);
Result<RowQuery> ParseRowQuery(const products::Schema& schema, const http::Params& params,
                               const Limits& limits, const QueryScope& scope);

// Parses filter parameters only (e.g. the row filter of a grant, "bydel=eq.Frogner&year=gte.2020");
// reserved names are rejected as unknown_column.
Result<std::vector<Filter>> ParseFilters(const products::Schema& schema, const http::Params& params);

// The scan for one page: WHERE (filters AND the keyset condition of q.cursor) with `?` placeholders
// only, ORDER BY the order columns then _row, LIMIT q.limit + 1 (one more row tells that there is a
// next page). scan.columns is q.select, then the order columns (OrderValues extracts them), then
// q.subject when set (SubjectCell).
// `edition_id` is the resolved id (never "latest"). kInvalidArgument (field "cursor") if the cursor
// is malformed or was made for another edition or order.
Result<store::RowScan> BuildScan(const products::Schema& schema, const RowQuery& q,
                                 const std::string& edition_id);

// The scan for count=exact: the filters only, no order, no limit.
store::RowScan CountScan(const RowQuery& q);

// The order-column values of a row scanned with BuildScan's scan (cells as passed to RowFn).
std::vector<store::Cell> OrderValues(const RowQuery& q, const std::vector<store::Cell>& scanned);
// The output cells of such a row: the selected columns, pseudonymised as the scope says. Written
// into `out` (resized), so a caller can reuse one vector.
void OutputCells(const RowQuery& q, const std::vector<store::Cell>& scanned, std::vector<store::Cell>& out);
// The clear subject cell of such a row (NULL when q.subject is not set).
store::Cell SubjectCell(const RowQuery& q, const std::vector<store::Cell>& scanned);

// The cursor for the page after the row with ordinal `last_row` whose order-column values are
// `last_order_values` (one per q.order entry). Base64url; bound to `edition_id` and q.order.
std::string NextCursor(const RowQuery& q, const std::string& edition_id, int64_t last_row,
                       const std::vector<store::Cell>& last_order_values);

}  // namespace kilde::query
