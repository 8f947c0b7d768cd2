// Parsing of aggregate query parameters (see aggregate.h).
#include "query/aggregate.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>

namespace kilde::query {
namespace {

using products::ColumnType;
using products::Schema;
using store::AggregateFn;

bool IsReserved(std::string_view name) {
  return name == "group_by" || name == "count" || name == "sum" || name == "avg" || name == "min" ||
         name == "max" || name == "order" || name == "limit" || name == "offset" || name == "format";
}

bool IsAggregate(std::string_view name) {
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max";
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string TypeOf(const products::Column& c) { return std::string(products::TypeName(c.type)); }

// Appends the aggregates of parameter `fn_name` (count, sum, avg, min or max) to `out`.
void ParseAggregates(const Schema& schema, const QueryScope& scope, const std::string& fn_name,
                     std::string_view value, std::vector<AggregateOutput>& out,
                     std::vector<FieldProblem>& problems) {
  const size_t first = out.size();
  for (std::string_view item : SplitCommas(value)) {
    AggregateOutput o;
    if (fn_name == "count" && item == "*") {
      o = {"count", ColumnType::kInteger, AggregateFn::kCountRows, -1, false};
    } else {
      auto col = FindComparableColumn(schema, scope, item, fn_name, problems);
      if (!col) continue;
      const products::Column& c = schema.columns[*col];
      const bool numeric = c.type == ColumnType::kInteger || c.type == ColumnType::kDecimal;
      o.name = fn_name + "_" + c.name;
      o.column = static_cast<int>(*col);
      o.type = c.type;
      if (fn_name == "count") {
        o.fn = AggregateFn::kCount;
        o.type = ColumnType::kInteger;
      } else if (fn_name == "sum" || fn_name == "avg") {
        if (!numeric) {
          problems.push_back(
              {fn_name, "invalid_value",
               fn_name + " needs an integer or decimal column; " + c.name + " is " + TypeOf(c)});
          continue;
        }
        o.fn = fn_name == "sum" ? AggregateFn::kSum : AggregateFn::kAvg;
        if (fn_name == "avg") o.type = ColumnType::kDecimal;
      } else {
        if (c.type == ColumnType::kFodselsnummer) {
          problems.push_back({fn_name, "invalid_value",
                              fn_name + " does not apply to " + c.name + " (" + TypeOf(c) +
                                  "): its values have no meaningful order"});
          continue;
        }
        o.fn = fn_name == "min" ? AggregateFn::kMin : AggregateFn::kMax;
      }
    }
    auto same = [&](const AggregateOutput& x) { return x.name == o.name; };
    if (std::any_of(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), same)) {
      problems.push_back({fn_name, "invalid_value", Quoted(item) + " is listed twice"});
      continue;
    }
    out.push_back(std::move(o));
  }
}

void ParseGroupBy(const Schema& schema, const QueryScope& scope, std::string_view value,
                  std::vector<AggregateOutput>& out, std::vector<FieldProblem>& problems) {
  for (std::string_view item : SplitCommas(value)) {
    auto col = FindComparableColumn(schema, scope, item, "group_by", problems);
    if (!col) {
      continue;
    } else if (std::any_of(out.begin(), out.end(),
                           [&](const AggregateOutput& o) { return o.column == static_cast<int>(*col); })) {
      problems.push_back({"group_by", "invalid_value", Quoted(item) + " is listed twice"});
    } else {
      const products::Column& c = schema.columns[*col];
      out.push_back({c.name, c.type, AggregateFn::kCountRows, static_cast<int>(*col), true});
    }
  }
}

// Output names are unique ignoring case (they become JSON members and CSV headers).
void CheckUniqueNames(const AggregateQuery& q, const std::vector<std::string>& params,
                      std::vector<FieldProblem>& problems) {
  for (size_t i = 0; i < q.outputs.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (products::FoldColumnName(q.outputs[i].name) == products::FoldColumnName(q.outputs[j].name)) {
        problems.push_back({params[i], "conflict",
                            "two output columns would be named " + Quoted(q.outputs[i].name) + " (" +
                                params[j] + " and " + params[i] + "); leave one out"});
        break;
      }
}

std::optional<size_t> FindOutput(const AggregateQuery& q, std::string_view name) {
  const std::string folded = products::FoldColumnName(name);
  for (size_t i = 0; i < q.outputs.size(); ++i)
    if (products::FoldColumnName(q.outputs[i].name) == folded) return i;
  return std::nullopt;
}

// Parses order= against the outputs, then appends the group columns it leaves out (ascending).
void ParseOrder(std::string_view value, AggregateQuery& q, std::vector<FieldProblem>& problems) {
  for (std::string_view item : SplitCommas(value)) {
    // Names may contain '.', so a whole-name match wins over a direction suffix.
    std::optional<size_t> out = FindOutput(q, item);
    bool desc = false;
    if (!out && item.ends_with(".asc")) {
      out = FindOutput(q, item.substr(0, item.size() - 4));
    } else if (!out && item.ends_with(".desc")) {
      out = FindOutput(q, item.substr(0, item.size() - 5));
      desc = true;
    }
    if (!out) {
      std::string names;
      for (const AggregateOutput& o : q.outputs) names += ", " + o.name;
      problems.push_back({"order", "unknown_column",
                          Quoted(item) + " is not an output column (expected name, name.asc or name.desc" +
                              (names.empty() ? "" : "; names: " + names.substr(2)) + ")"});
    } else if (std::any_of(q.order.begin(), q.order.end(), [&](const store::AggregateOrder& o) {
                 return o.output == static_cast<int>(*out);
               })) {
      problems.push_back({"order", "invalid_value", Quoted(item) + " orders by an output twice"});
    } else {
      q.order.push_back({static_cast<int>(*out), desc});
    }
  }
}

void CompleteOrder(AggregateQuery& q) {
  for (size_t g = 0; g < q.group_count; ++g)
    if (std::none_of(q.order.begin(), q.order.end(),
                     [&](const store::AggregateOrder& o) { return o.output == static_cast<int>(g); }))
      q.order.push_back({static_cast<int>(g), false});
}

}  // namespace

Result<AggregateQuery> ParseAggregateQuery(const Schema& schema, const http::Params& params,
                                           const AggregateLimits& limits, const QueryScope& scope) {
  AggregateQuery q;
  q.limit = std::min(limits.default_limit, limits.max_limit);
  std::vector<FieldProblem> problems;
  std::vector<std::string_view> seen;
  std::vector<AggregateOutput> groups, aggregates;
  std::vector<std::string> aggregate_params;  // the parameter of each aggregate, for messages
  std::optional<std::string_view> order;
  for (const auto& [name, value] : params) {
    if (!IsReserved(name)) {
      ParseFilterParam(schema, scope, name, value, q.filters, problems);
      continue;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      problems.push_back(
          {name, "invalid_value", name + " is given more than once; list columns comma-separated"});
      continue;
    }
    seen.push_back(name);
    if (name == "group_by") {
      ParseGroupBy(schema, scope, value, groups, problems);
    } else if (IsAggregate(name)) {
      ParseAggregates(schema, scope, name, value, aggregates, problems);
      aggregate_params.resize(aggregates.size(), name);
    } else if (name == "order") {
      order = value;
    } else if (name == "limit") {
      if (auto n = ParseIntParam(value, 1, limits.max_limit)) {
        q.limit = *n;
      } else {
        problems.push_back({"limit", "invalid_value",
                            "limit must be an integer from 1 to " + std::to_string(limits.max_limit)});
      }
    } else if (name == "offset") {
      if (auto n = ParseIntParam(value, 0, std::numeric_limits<int64_t>::max())) {
        q.offset = *n;
      } else {
        problems.push_back({"offset", "invalid_value", "offset must be an integer from 0"});
      }
    } else if (name == "format") {
      if (value == "json" || value == "ndjson" || value == "csv") {
        q.format = value;
      } else {
        problems.push_back({"format", "invalid_value", "format must be json, ndjson or csv"});
      }
    }
  }
  const bool asked = std::any_of(seen.begin(), seen.end(),
                                 [](std::string_view n) { return n == "group_by" || IsAggregate(n); });
  if (!asked)
    problems.push_back({"group_by", "required",
                        "give at least one of group_by, count, sum, avg, min or max (e.g. count=*)"});
  q.group_count = groups.size();
  q.outputs = std::move(groups);
  q.outputs.insert(q.outputs.end(), aggregates.begin(), aggregates.end());
  std::vector<std::string> output_params(q.group_count, "group_by");
  output_params.insert(output_params.end(), aggregate_params.begin(), aggregate_params.end());
  CheckUniqueNames(q, output_params, problems);
  if (order) ParseOrder(*order, q, problems);
  if (!problems.empty()) return Status::Invalid("invalid aggregate query", std::move(problems));
  CompleteOrder(q);
  q.filters.insert(q.filters.end(), scope.row_filters.begin(), scope.row_filters.end());
  if (scope.subject_column)
    for (size_t g = 0; g < q.group_count; ++g)
      if (q.outputs[g].column == static_cast<int>(*scope.subject_column)) q.subject_output = g;
  return q;
}

store::AggregateScan BuildAggregateScan(const AggregateQuery& q) {
  store::AggregateScan scan;
  scan.where = FilterSql(q.filters, scan.params);
  for (const AggregateOutput& o : q.outputs) {
    if (o.group) {
      scan.group_by.push_back(o.column);
    } else {
      scan.aggregates.push_back({o.fn, o.column});
    }
  }
  scan.order = q.order;
  scan.limit = q.limit + 1;
  scan.offset = q.offset;
  return scan;
}

Status SumOverflowError(const AggregateQuery& q, const Status& s) {
  if (s.code() != Code::kInvalidArgument || s.message() != "integer overflow") return s;
  std::string names;
  for (const AggregateOutput& o : q.outputs)
    if (o.fn == AggregateFn::kSum && o.type == ColumnType::kInteger)
      names += (names.empty() ? "" : ", ") + o.name;
  std::string msg = "the integer sum " + names +
                    " exceeds the 64-bit range (±9223372036854775807) in at least one group; "
                    "use avg, group more finely or filter";
  return Status::Invalid("invalid aggregate query", {{"sum", "out_of_range", msg}});
}

}  // namespace kilde::query
