// Differences between two editions of one product, by key:
// GET /api/v1/products/{id}/editions/{from}/diff/{to}.
//
// Rows are matched on one key column (`key=`, default: the first column that is a key in both
// editions' schema versions). A row is *added* when its key is only in `to`, *removed* when only
// in `from`, *changed* when present in both and any column present in both (by name) differs.
// Columns only in one schema version are listed, not compared.
//
// Query parameters:
//   op=added,removed,changed   which differences to list (default all; the summary counts all)
//   key=col                    the key column (must be a key in both schema versions)
//   limit=N, cursor=...        JSON pages (default 100, max Limits::max_limit); items are ordered
//                              added, removed, changed, each by row ordinal
//   format=json|ndjson         or Accept; NDJSON streams every difference (no limit/cursor)
// All functions are pure and thread safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "http/message.h"
#include "products/schema.h"
#include "query/row_query.h"
#include "store/product_store.h"

namespace kilde::query {

struct DiffPlan {
  std::string key;  // key column name (as in `to`)
  store::DiffSpec spec;
  // Returned columns per side (all of that side's schema, in order), parallel to
  // spec.from_columns / spec.to_columns.
  std::vector<std::string> from_names, to_names;
  std::vector<products::ColumnType> from_types, to_types;
  size_t key_in_from = 0, key_in_to = 0;                    // index of the key in from_names / to_names
  std::vector<std::string> compared;                        // names of the compared columns (not the key)
  std::vector<std::string> columns_added, columns_removed;  // only in `to` / only in `from`
};

// Pairs the columns of two schema versions. `key`: a column name, or nullopt for the default.
// kInvalidArgument (field "key") when the named column is not a key in both; kConflict when the
// editions have no key column in common.
Result<DiffPlan> PlanDiff(const products::Schema& from, const products::Schema& to,
                          const std::optional<std::string>& key);

struct DiffQuery {
  std::vector<store::DiffOp> ops;  // in listing order: added, removed, changed
  std::optional<std::string> key;
  int64_t limit = 100;
  std::optional<std::string> cursor;
  std::string format;  // "json" | "ndjson" | "" (from Accept)
};

// Parses the query parameters; every problem at once (kInvalidArgument, field = parameter).
Result<DiffQuery> ParseDiffQuery(const http::Params& params, const Limits& limits);

// Where a page starts: the index into DiffQuery::ops and the row ordinal after which to go on.
struct DiffPosition {
  size_t op_index = 0;
  int64_t after_row = 0;
};
// The position encoded by q.cursor (the start when absent). The cursor is bound to the two
// edition ids and q.ops; kInvalidArgument (field "cursor") otherwise.
Result<DiffPosition> DiffStart(const DiffQuery& q, const std::string& from_id, const std::string& to_id);
std::string DiffCursor(const DiffQuery& q, const std::string& from_id, const std::string& to_id,
                       DiffPosition next);

// "added" / "removed" / "changed".
const char* DiffOpName(store::DiffOp op);

// Appends one difference as a JSON object:
//   {"op":"added","key":K,"row":{...}}   {"op":"removed","key":K,"row":{...}}
//   {"op":"changed","key":K,"columns":["value"],"before":{...},"after":{...}}
// `from` / `to` are the cells the store returned for that op (see store::DiffFn).
void AppendDiffItem(const DiffPlan& plan, store::DiffOp op, const std::vector<store::Cell>& from,
                    const std::vector<store::Cell>& to, std::string& out);

}  // namespace kilde::query
