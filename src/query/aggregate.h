// The aggregate query of GET /api/v1/products/{id}/editions/{edition}/aggregate: grouped counts,
// sums, averages, minima and maxima over the rows that pass the filters of the row query.
//
// Query parameters (reserved names: group_by, count, sum, avg, min, max, order, limit, offset,
// format; every other parameter is a filter `column=op.value` in the grammar of filter.h, applied
// before grouping). Column lists are comma-separated; names match columns case-insensitively.
//   group_by=a,b      group columns (0..n); none = one result row over all filtered rows (also
//                     when no row passes: count 0, the others null). NULL is a group of its own.
//   count=*,a         `*` counts rows (output `count`), a column counts its non-null values
//                     (`count_<col>`)
//   sum=a  avg=a      integer and decimal columns only (`sum_<col>`, `avg_<col>`). The sum of an
//                     integer column is an integer (SUM; its overflow is an error, see
//                     SumOverflowError), of a decimal column a decimal; avg is a decimal. Nulls are
//                     skipped; with no values the result is null.
//   min=a  max=a      any type but fødselsnummer (whose digit order, day first, is meaningless):
//                     numbers numerically, booleans false < true, other types by their canonical
//                     text bytewise (dates and datetimes chronologically) (`min_<col>`, `max_<col>`)
//   order=o.desc,...  by output names (group columns by name, aggregates as above; `.asc` may be
//                     omitted). Group columns not named follow ascending, so the order is total
//                     and pages are stable (editions are immutable). Default: group columns
//                     ascending. NULLs sort first ascending and last descending.
//   limit=N offset=N  page of result rows: limit 1..Limits::max_limit (default
//                     min(1000, max_limit)), offset >= 0 (default 0)
//   format=json|ndjson|csv (default: from the Accept header, see row_writer.h)
// At least one of group_by, count, sum, avg, min, max is required. Output names must be unique
// (ignoring case like column names): `group_by=count&count=*` is an error. Every problem is reported
// at once (kInvalidArgument with FieldProblems naming the parameter: unknown_column,
// unknown_operator, invalid_value, required, conflict).
//
// Access grants: the QueryScope applies as for rows — columns outside it are unknown wherever they
// are named, pseudonymised columns cannot be grouped or aggregated (forbidden; so every output
// value is clear and computed only from rows inside the scope), and its row filters are ANDed to
// the user's. All functions are pure and thread safe.
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
#include "store/product_store.h"

namespace kilde::query {

struct AggregateLimits {
  int64_t default_limit = 1000;  // capped at max_limit
  int64_t max_limit = 10000;
};

// One output column of an aggregate result.
struct AggregateOutput {
  std::string name;           // `bydel`, `count`, `sum_value`, ...
  products::ColumnType type;  // how its values are written (see row_writer.h)
  store::AggregateFn fn;      // for group columns: unused (kCountRows)
  int column = -1;            // schema position (-1 for count=*)
  bool group = false;         // a group_by column
};

struct AggregateQuery {
  std::vector<Filter> filters;               // ANDed (the scope's row filters included)
  std::vector<AggregateOutput> outputs;      // group columns first (in group_by order), then the
                                             // aggregates in the order of their parameters,
                                             // columns in list order
  size_t group_count = 0;                    // outputs[0, group_count) are the group columns
  std::vector<store::AggregateOrder> order;  // complete: every group column appears
  int64_t limit = 1000;
  int64_t offset = 0;
  std::string format;  // "json" | "ndjson" | "csv" ("" = from Accept)
  // The group output holding the scope's subject column, when grouped by it: its values are the
  // subjects of the response. Otherwise an aggregate exposes no individual (no subjects).
  std::optional<size_t> subject_output;
};

// Parses the query parameters (see above) within `scope`.
Result<AggregateQuery> ParseAggregateQuery(const products::Schema& schema, const http::Params& params,
                                           const AggregateLimits& limits, const QueryScope& scope);

// The store scan for one page: limit + 1 rows (one more tells that the page is truncated).
store::AggregateScan BuildAggregateScan(const AggregateQuery& q);

// The error for the store's kInvalidArgument "integer overflow": a 400 naming the integer sums
// that can overflow. Any other status is returned unchanged.
Status SumOverflowError(const AggregateQuery& q, const Status& s);

}  // namespace kilde::query
