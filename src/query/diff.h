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
//
// Access grants: each edition is read within the QueryScope of its own schema version (filter.h).
// Only visible columns are returned, paired and compared (so a change in a hidden column is no
// change); pseudonymised columns are returned as pseudonyms; the key must be visible and clear in
// both (otherwise it is not a key for the caller: 400 for key=, 409 when no default remains). With
// row filters the diff is that of the two editions restricted to their scopes' rows (diff_read.h):
// a row that leaves the scope is "removed", one that enters it "added". All functions are pure
// and thread safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "http/message.h"
#include "products/schema.h"
#include "query/row_query.h"
#include "query/scope_output.h"
#include "store/product_store.h"

namespace kilde::query {

struct DiffPlan {
  std::string key;  // key column name (as in `to`)
  // spec.from_columns / to_columns: the side's visible columns in schema order, then its subject
  // column when the caller may not see it (the cells the store returns follow this).
  store::DiffSpec spec;
  // Output columns per side (the visible ones), parallel to the first from_names.size() /
  // to_names.size() entries of spec.from_columns / spec.to_columns.
  std::vector<std::string> from_names, to_names;
  std::vector<products::ColumnType> from_types, to_types;
  size_t key_in_from = 0, key_in_to = 0;                    // index of the key in from_names / to_names
  std::vector<std::string> compared;                        // names of the compared columns (not the key)
  std::vector<std::string> columns_added, columns_removed;  // only in `to` / only in `from` (visible)
  OutputMask from_mask, to_mask;                            // pseudonyms of the output cells
  std::optional<size_t> from_subject, to_subject;           // index of the subject in the returned cells
  std::vector<Filter> from_filters, to_filters;             // the scopes' row filters (schema positions)
};

// Pairs the columns of two schema versions within the callers' scopes (for `from` and `to`).
// `key`: a column name, or nullopt for the default. kInvalidArgument (field "key") when the named
// column is not a visible key in both (problem forbidden when pseudonymised); kConflict when the
// editions have no such key column in common.
Result<DiffPlan> PlanDiff(const products::Schema& from, const products::Schema& to,
                          const std::optional<std::string>& key, const QueryScope& from_scope,
                          const QueryScope& to_scope);
// The same with empty scopes (everything, in clear).
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

// Where a page starts: the index into DiffStreams (diff_read.h; without row filters that is
// DiffQuery::ops) and the store row ordinal after which to go on.
struct DiffPosition {
  size_t op_index = 0;
  int64_t after_row = 0;
};
// The position encoded by q.cursor (the start when absent). The cursor is bound to the two
// edition ids and q.ops; kInvalidArgument (field "cursor") otherwise. It holds no values, only
// row ordinals, so a forged one can only move the start.
Result<DiffPosition> DiffStart(const DiffQuery& q, const std::string& from_id, const std::string& to_id);
std::string DiffCursor(const DiffQuery& q, const std::string& from_id, const std::string& to_id,
                       DiffPosition next);

// "added" / "removed" / "changed".
const char* DiffOpName(store::DiffOp op);

// Appends one difference as a JSON object:
//   {"op":"added","key":K,"row":{...}}   {"op":"removed","key":K,"row":{...}}
//   {"op":"changed","key":K,"columns":["value"],"before":{...},"after":{...}}
// `from` / `to` are the cells the store returned for that op (see store::DiffFn); only the
// visible columns are written, pseudonymised as the plan says.
void AppendDiffItem(const DiffPlan& plan, store::DiffOp op, const std::vector<store::Cell>& from,
                    const std::vector<store::Cell>& to, std::string& out);

// Adds the clear subjects of one difference (the sides AppendDiffItem writes) to `out`.
void AddDiffSubjects(const DiffPlan& plan, store::DiffOp op, const std::vector<store::Cell>& from,
                     const std::vector<store::Cell>& to, std::set<std::string>& out);

}  // namespace kilde::query
