// Parsing of row query parameters (see row_query.h). BuildScan and cursors are in row_scan.cc.
#include "query/row_query.h"

#include <algorithm>
#include <string_view>

namespace kilde::query {
namespace {

using products::Schema;

bool IsReserved(std::string_view name) {
  return name == "select" || name == "order" || name == "limit" || name == "cursor" || name == "count" ||
         name == "format";
}

void ParseSelect(const Schema& schema, const QueryScope& scope, std::string_view v, RowQuery& q,
                 std::vector<FieldProblem>& problems) {
  for (std::string_view name : SplitCommas(v)) {
    auto col = FindVisibleColumn(schema, scope, name);
    if (!col) {
      problems.push_back({"select", "unknown_column", "'" + std::string(name) + "' is not a column"});
    } else if (std::find(q.select.begin(), q.select.end(), *col) != q.select.end()) {
      problems.push_back({"select", "invalid_value", "column '" + std::string(name) + "' is listed twice"});
    } else {
      q.select.push_back(*col);
    }
  }
}

void ParseOrder(const Schema& schema, const QueryScope& scope, std::string_view v, RowQuery& q,
                std::vector<FieldProblem>& problems) {
  for (std::string_view item : SplitCommas(v)) {
    // Column names may contain '.', so a whole-name match wins over a direction suffix.
    std::optional<size_t> col = FindVisibleColumn(schema, scope, item);
    bool desc = false;
    if (!col && item.ends_with(".asc")) {
      col = FindVisibleColumn(schema, scope, item.substr(0, item.size() - 4));
    } else if (!col && item.ends_with(".desc")) {
      col = FindVisibleColumn(schema, scope, item.substr(0, item.size() - 5));
      desc = true;
    }
    if (!col) {
      problems.push_back(
          {"order", "unknown_column",
           "'" + std::string(item) + "' is not a column (expected column, column.asc or column.desc)"});
    } else if (IsPseudonymised(scope, *col)) {
      problems.push_back({"order", "forbidden", PseudonymisedMessage(schema.columns[*col].name)});
    } else if (std::any_of(q.order.begin(), q.order.end(),
                           [&](const OrderBy& o) { return o.column == *col; })) {
      problems.push_back({"order", "invalid_value", "'" + std::string(item) + "' orders by a column twice"});
    } else {
      q.order.push_back({*col, desc});
    }
  }
}

}  // namespace

Result<RowQuery> ParseRowQuery(const Schema& schema, const http::Params& params, const Limits& limits) {
  return ParseRowQuery(schema, params, limits, QueryScope{});
}

Result<RowQuery> ParseRowQuery(const Schema& schema, const http::Params& params, const Limits& limits,
                               const QueryScope& scope) {
  RowQuery q;
  q.limit = limits.default_limit;
  std::vector<FieldProblem> problems;
  std::vector<std::string_view> seen;
  bool has_select = false;
  for (const auto& [name, value] : params) {
    if (!IsReserved(name)) {
      ParseFilterParam(schema, scope, name, value, q.filters, problems);
      continue;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      problems.push_back({name, "invalid_value", name + " is given more than once"});
      continue;
    }
    seen.push_back(name);
    if (name == "select") {
      has_select = true;
      ParseSelect(schema, scope, value, q, problems);
    } else if (name == "order") {
      ParseOrder(schema, scope, value, q, problems);
    } else if (name == "limit") {
      if (auto n = ParseIntParam(value, 1, limits.max_limit)) {
        q.limit = *n;
      } else {
        problems.push_back({"limit", "invalid_value",
                            "limit must be an integer from 1 to " + std::to_string(limits.max_limit)});
      }
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name == "count") {
      if (value == "exact") {
        q.count_exact = true;
      } else {
        problems.push_back({"count", "invalid_value", "count accepts only exact"});
      }
    } else if (name == "format") {
      if (value == "json" || value == "ndjson" || value == "csv") {
        q.format = value;
      } else {
        problems.push_back({"format", "invalid_value", "format must be json, ndjson or csv"});
      }
    }
  }
  if (!has_select) {
    for (size_t i = 0; i < schema.columns.size(); ++i)
      if (IsVisible(scope, i)) q.select.push_back(i);
  }
  if (!problems.empty()) return Status::Invalid("invalid row query", std::move(problems));
  q.filters.insert(q.filters.end(), scope.row_filters.begin(), scope.row_filters.end());
  q.mask = OutputMask(schema, scope, q.select);
  q.subject = scope.subject_column;
  return q;
}

Result<std::vector<Filter>> ParseFilters(const Schema& schema, const http::Params& params) {
  std::vector<Filter> filters;
  std::vector<FieldProblem> problems;
  for (const auto& [name, value] : params) {
    if (IsReserved(name)) {
      problems.push_back({name, "unknown_column", "'" + name + "' is not a column filter"});
    } else {
      ParseFilterParam(schema, QueryScope{}, name, value, filters, problems);
    }
  }
  if (!problems.empty()) return Status::Invalid("invalid row filter", std::move(problems));
  return filters;
}

}  // namespace kilde::query
