// Parsing of row query parameters (see row_query.h). BuildScan and cursors are in row_scan.cc.
#include "query/row_query.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "products/value.h"

namespace kilde::query {
namespace {

using products::Schema;

constexpr std::string_view kOperatorList =
    "use eq, neq, lt, lte, gt, gte, in, like, ilike, is.null or not.is.null";

bool IsReserved(std::string_view name) {
  return name == "select" || name == "order" || name == "limit" || name == "cursor" || name == "count" ||
         name == "format";
}

bool Visible(const QueryScope& scope, size_t col) {
  if (!scope.allowed_columns) return true;
  const auto& a = *scope.allowed_columns;
  return std::find(a.begin(), a.end(), col) != a.end();
}

// The visible column named `name`, if any.
std::optional<size_t> FindVisible(const Schema& schema, const QueryScope& scope, std::string_view name) {
  auto pos = schema.Find(name);
  if (!pos || !Visible(scope, *pos)) return std::nullopt;
  return pos;
}

bool TextStored(const products::Column& c) {
  return products::StorageKind(c.type) == products::Value::Kind::kText;
}

// Types one literal for column `c`; on failure returns false and sets `error`.
bool TypeLiteral(const products::Column& c, std::string_view raw, store::Cell& out, std::string& error) {
  products::ParseOptions opt;
  opt.null_markers.clear();  // "eq." is the empty string, never null (use is.null)
  products::CellResult r = products::ParseCell(c, raw, opt);
  if (!r.ok()) {
    error = "'" + std::string(raw) + "' is not valid for column " + c.name + " (" +
            std::string(products::TypeName(c.type)) + "): " + r.error;
    return false;
  }
  switch (r.value.kind) {
    case products::Value::Kind::kNull:
      out = store::Cell{};
      break;
    case products::Value::Kind::kInt:
      out = store::Cell{store::CellKind::kInt, r.value.i, 0, ""};
      break;
    case products::Value::Kind::kReal:
      out = store::Cell{store::CellKind::kReal, 0, r.value.d, ""};
      break;
    case products::Value::Kind::kText:
      out = store::Cell{store::CellKind::kText, 0, 0, std::move(r.value.text)};
      break;
  }
  return true;
}

// Splits the body of in.(...) into raw items; false on bad quoting.
bool SplitList(std::string_view s, std::vector<std::string>& items) {
  size_t i = 0;
  while (true) {
    std::string item;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char ch = s[i++];
        if (ch == '\\' && i < s.size()) {
          item += s[i++];
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          item += ch;
        }
      }
      if (!closed || (i < s.size() && s[i] != ',')) return false;
    } else {
      size_t end = s.find(',', i);
      if (end == std::string_view::npos) end = s.size();
      item = std::string(s.substr(i, end - i));
      if (item.find('"') != std::string::npos) return false;
      i = end;
    }
    items.push_back(std::move(item));
    if (i >= s.size()) return true;
    ++i;  // the ','
  }
}

// Parses one filter `name=value`; appends problems (field = name) on failure.
void ParseOneFilter(const Schema& schema, const QueryScope& scope, const std::string& name,
                    std::string_view value, std::vector<Filter>& out, std::vector<FieldProblem>& problems) {
  auto col = FindVisible(schema, scope, name);
  if (!col) {
    problems.push_back({name, "unknown_column", "'" + name + "' is not a column of this data product"});
    return;
  }
  const products::Column& c = schema.columns[*col];
  auto bad_op = [&](std::string msg) { problems.push_back({name, "unknown_operator", std::move(msg)}); };
  auto bad_value = [&](std::string msg) { problems.push_back({name, "invalid_value", std::move(msg)}); };
  if (value.starts_with("not.")) {
    if (value == "not.is.null") {
      out.push_back({*col, Op::kNotNull, {}});
    } else {
      bad_op("only not.is.null is supported with not; " + std::string(kOperatorList));
    }
    return;
  }
  size_t dot = value.find('.');
  if (dot == std::string_view::npos) {
    bad_op("expected operator.value, e.g. eq.42; " + std::string(kOperatorList));
    return;
  }
  std::string_view op = value.substr(0, dot), arg = value.substr(dot + 1);
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"eq", Op::kEq},   {"neq", Op::kNeq}, {"lt", Op::kLt},     {"lte", Op::kLte},     {"gt", Op::kGt},
      {"gte", Op::kGte}, {"in", Op::kIn},   {"like", Op::kLike}, {"ilike", Op::kIlike}, {"is", Op::kIsNull}};
  auto it = std::find_if(std::begin(kOps), std::end(kOps), [&](const auto& p) { return p.first == op; });
  if (it == std::end(kOps)) {
    bad_op("'" + std::string(op) + "' is not an operator; " + std::string(kOperatorList));
    return;
  }
  Filter f{*col, it->second, {}};
  std::string error;
  switch (f.op) {
    case Op::kIsNull:
      if (arg != "null") return bad_value("is accepts only null (is.null; not.is.null for the opposite)");
      break;
    case Op::kLike:
    case Op::kIlike:
      if (!TextStored(c)) return bad_value("like and ilike apply to text columns only");
      if (!products::IsValidUtf8(arg)) return bad_value("the pattern is not valid UTF-8");
      f.values.push_back(store::Cell{store::CellKind::kText, 0, 0, std::string(arg)});
      break;
    case Op::kIn: {
      std::vector<std::string> items;
      if (arg.size() < 2 || arg.front() != '(' || arg.back() != ')' ||
          !SplitList(arg.substr(1, arg.size() - 2), items) || arg.size() == 2)
        return bad_value("expected in.(value,value,...) with optional \"double quotes\"");
      for (const std::string& item : items) {
        store::Cell cell;
        if (!TypeLiteral(c, item, cell, error)) return bad_value(error);
        f.values.push_back(std::move(cell));
      }
      break;
    }
    default: {
      store::Cell cell;
      if (!TypeLiteral(c, arg, cell, error)) return bad_value(error);
      f.values.push_back(std::move(cell));
    }
  }
  out.push_back(std::move(f));
}

// Splits a comma-separated list; empty items are kept (and rejected by the caller).
std::vector<std::string_view> SplitCommas(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(',', start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

void ParseSelect(const Schema& schema, const QueryScope& scope, std::string_view v, RowQuery& q,
                 std::vector<FieldProblem>& problems) {
  for (std::string_view name : SplitCommas(v)) {
    auto col = FindVisible(schema, scope, name);
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
    std::optional<size_t> col = FindVisible(schema, scope, item);
    bool desc = false;
    if (!col && item.ends_with(".asc")) {
      col = FindVisible(schema, scope, item.substr(0, item.size() - 4));
    } else if (!col && item.ends_with(".desc")) {
      col = FindVisible(schema, scope, item.substr(0, item.size() - 5));
      desc = true;
    }
    if (!col) {
      problems.push_back(
          {"order", "unknown_column",
           "'" + std::string(item) + "' is not a column (expected column, column.asc or column.desc)"});
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
      ParseOneFilter(schema, scope, name, value, q.filters, problems);
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
      int64_t n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || ptr != value.data() + value.size() || n < 1 || n > limits.max_limit) {
        problems.push_back({"limit", "invalid_value",
                            "limit must be an integer from 1 to " + std::to_string(limits.max_limit)});
      } else {
        q.limit = n;
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
      if (Visible(scope, i)) q.select.push_back(i);
  }
  if (!problems.empty()) return Status::Invalid("invalid row query", std::move(problems));
  q.filters.insert(q.filters.end(), scope.row_filters.begin(), scope.row_filters.end());
  return q;
}

Result<std::vector<Filter>> ParseFilters(const Schema& schema, const http::Params& params) {
  std::vector<Filter> filters;
  std::vector<FieldProblem> problems;
  for (const auto& [name, value] : params) {
    if (IsReserved(name)) {
      problems.push_back({name, "unknown_column", "'" + name + "' is not a column filter"});
    } else {
      ParseOneFilter(schema, QueryScope{}, name, value, filters, problems);
    }
  }
  if (!problems.empty()) return Status::Invalid("invalid row filter", std::move(problems));
  return filters;
}

}  // namespace kilde::query
