// The filter grammar shared by the row query (row_query.h) and the aggregate query (aggregate.h):
// parsing one PostgREST-style filter parameter `column=op.value` into a Filter, the column scope of
// access grants, and compiling filters to a SQL condition with `?` placeholders.
//
// Filter values (column names matched case-insensitively):
//   eq.v neq.v lt.v lte.v gt.v gte.v  comparisons; `v` is typed with products::ParseCell for the
//                                     column (no null markers, so "eq." is the empty string for
//                                     string columns and an error for other types)
//   in.(a,b,"c,d")                    one of the listed values; values may be double-quoted (then
//                                     `\"` and `\\` are escapes, and `,` `(` `)` are literal)
//   like.pat ilike.pat                text patterns with `*` as the only wildcard (PostgREST); every
//                                     other character, including % _ ? [ ], is literal. `like` is
//                                     case-sensitive; `ilike` folds case for ASCII and Latin-1
//                                     letters (A-Z, À-Þ incl. Æ Ø Å) only — other scripts compare
//                                     case-sensitively. Only for columns stored as text.
//   is.null  not.is.null              NULL / not NULL (the only forms of is/not).
// Comparisons follow SQL: a NULL cell never satisfies eq/neq/lt/lte/gt/gte/in/like/ilike.
// Several filters (also on the same column) are ANDed. All functions are pure and thread safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "products/schema.h"
#include "store/product_store.h"

namespace kilde::query {

enum class Op { kEq, kNeq, kLt, kLte, kGt, kGte, kIn, kLike, kIlike, kIsNull, kNotNull };

// One condition on one column. `values`: one typed value (comparisons), 1+ values (kIn), one kText
// pattern with `*` wildcards as given by the user (kLike, kIlike), none (kIsNull, kNotNull).
struct Filter {
  size_t column;  // schema position
  Op op;
  std::vector<store::Cell> values;
};

// What a caller may see (for access grants). Columns outside `allowed_columns` are reported as
// unknown_column (their existence is not revealed) wherever a query names them (filters, select,
// order, group_by, aggregates, diff key) and are excluded from defaults and from every output;
// `row_filters` are ANDed to the user's filters for every row read (rows, aggregates, downloads,
// both editions of a diff). Every query language over editions takes a QueryScope; an empty
// QueryScope is "everything, in clear".
//
// Pseudonymised columns (a subset of the visible ones; a hidden column stays hidden) are written
// as Pseudonym(pseudonym_key, value) (scope_output.h) in every output, NULL staying NULL. They may
// be selected (output) but not filtered, sorted, grouped, aggregated or used as a diff key: naming
// them there is a 400 (problem "forbidden"), because comparisons would reveal clear values.
// `pseudonym_key` (raw bytes, secret, non-empty when any column is pseudonymised) is per grant, so
// two consumers' pseudonyms cannot be linked.
//
// `subject_column` is the person-identifier column (Schema::PersonIdColumn) whose CLEAR values in
// the rows of a response are collected for the audit log, whether or not the caller may see it.
// Those values never go into a response.
struct QueryScope {
  std::optional<std::vector<size_t>> allowed_columns;  // nullopt = all columns
  std::vector<Filter> row_filters;
  std::vector<size_t> pseudonymised_columns;
  std::string pseudonym_key;
  std::optional<size_t> subject_column;
};

// Whether column `col` is inside `scope`.
bool IsVisible(const QueryScope& scope, size_t col);
// Whether column `col` is visible and pseudonymised in `scope`.
bool IsPseudonymised(const QueryScope& scope, size_t col);

// The position of the visible column named `name` (case-insensitive), if any.
std::optional<size_t> FindVisibleColumn(const products::Schema& schema, const QueryScope& scope,
                                        std::string_view name);

// The position of the column named `name` for use in a condition, order, group or aggregate: a
// visible column that is not pseudonymised. Otherwise appends one FieldProblem (field `field`):
// unknown_column (not visible; the message does not reveal whether it exists) or forbidden
// (pseudonymised) and returns nullopt.
std::optional<size_t> FindComparableColumn(const products::Schema& schema, const QueryScope& scope,
                                           std::string_view name, const std::string& field,
                                           std::vector<FieldProblem>& problems);

// The message for a pseudonymised column named where only clear columns may be.
std::string PseudonymisedMessage(std::string_view column);

// Parses the filter parameter `name=value` (name: a column). Appends the Filter to `out`, or one
// FieldProblem (field = name; unknown_column, forbidden, unknown_operator or invalid_value) to
// `problems`. The column must be comparable in `scope` (FindComparableColumn).
void ParseFilterParam(const products::Schema& schema, const QueryScope& scope, const std::string& name,
                      std::string_view value, std::vector<Filter>& out, std::vector<FieldProblem>& problems);

// Splits a comma-separated parameter value; empty items are kept (callers reject them).
std::vector<std::string_view> SplitCommas(std::string_view s);

// Parses a decimal integer in [min, max]; nullopt for anything else (signs, spaces, overflow).
std::optional<int64_t> ParseIntParam(std::string_view s, int64_t min, int64_t max);

// The filters ANDed as a SQL condition over columns c<N> ("" when there are none); the values are
// appended to `params` in placeholder order. Only fixed fragments and integers become SQL text.
std::string FilterSql(const std::vector<Filter>& filters, std::vector<store::Cell>& params);

}  // namespace kilde::query
