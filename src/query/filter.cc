// The filter grammar (see filter.h): parsing and compiling to SQL.
#include "query/filter.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "products/value.h"

namespace kilde::query {
namespace {

using products::Schema;
using store::Cell;
using store::CellKind;

constexpr std::string_view kOperatorList =
    "use eq, neq, lt, lte, gt, gte, in, like, ilike, is.null or not.is.null";

std::string Col(size_t c) { return "c" + std::to_string(c); }

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

// Appends the glob form of a `*`-wildcard pattern: `*` stays, ? and [ become bracket classes; with
// `fold_case`, letters with an ASCII / Latin-1 case pair become [xX]. `p` is valid UTF-8.
std::string ToGlob(std::string_view p, bool fold_case) {
  std::string g;
  for (size_t i = 0; i < p.size();) {
    unsigned char b = static_cast<unsigned char>(p[i]);
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::string_view ch = p.substr(i, len);
    i += len;
    if (ch == "?" || ch == "[") {
      g += '[';
      g += ch;
      g += ']';
    } else if (fold_case && len == 1 && std::isalpha(b)) {
      g += '[';
      g += static_cast<char>(std::tolower(b));
      g += static_cast<char>(std::toupper(b));
      g += ']';
    } else if (fold_case && len == 2 && b == 0xC3) {
      // U+00C0..U+00DE (not U+00D7) <-> U+00E0..U+00FE (not U+00F7): second byte 0x80..0x9E <-> 0xA0..0xBE.
      unsigned char c2 = static_cast<unsigned char>(ch[1]);
      unsigned char upper = c2 >= 0xA0 ? c2 - 0x20 : c2;
      if (upper <= 0x9E && upper != 0x97) {
        g += "[\xC3";
        g += static_cast<char>(upper);
        g += '\xC3';
        g += static_cast<char>(upper + 0x20);
        g += ']';
      } else {
        g += ch;
      }
    } else {
      g += ch;
    }
  }
  return g;
}

void AppendFilter(const Filter& f, std::string& where, std::vector<Cell>& params) {
  const std::string c = Col(f.column);
  static const char* kCmp[] = {" = ?", " <> ?", " < ?", " <= ?", " > ?", " >= ?"};
  switch (f.op) {
    case Op::kEq:
    case Op::kNeq:
    case Op::kLt:
    case Op::kLte:
    case Op::kGt:
    case Op::kGte:
      where += c + kCmp[static_cast<int>(f.op)];
      params.push_back(f.values.at(0));
      break;
    case Op::kIn:
      where += c + " IN (";
      for (size_t i = 0; i < f.values.size(); ++i) {
        where += i ? ", ?" : "?";
        params.push_back(f.values[i]);
      }
      where += ")";
      break;
    case Op::kLike:
    case Op::kIlike:
      where += c + " GLOB ?";
      params.push_back(Cell{CellKind::kText, 0, 0, ToGlob(f.values.at(0).text, f.op == Op::kIlike)});
      break;
    case Op::kIsNull:
      where += c + " IS NULL";
      break;
    case Op::kNotNull:
      where += c + " IS NOT NULL";
      break;
  }
}

}  // namespace

bool IsVisible(const QueryScope& scope, size_t col) {
  if (!scope.allowed_columns) return true;
  const auto& a = *scope.allowed_columns;
  return std::find(a.begin(), a.end(), col) != a.end();
}

std::optional<size_t> FindVisibleColumn(const Schema& schema, const QueryScope& scope,
                                        std::string_view name) {
  auto pos = schema.Find(name);
  if (!pos || !IsVisible(scope, *pos)) return std::nullopt;
  return pos;
}

bool IsPseudonymised(const QueryScope& scope, size_t col) {
  const auto& p = scope.pseudonymised_columns;
  return IsVisible(scope, col) && std::find(p.begin(), p.end(), col) != p.end();
}

std::string PseudonymisedMessage(std::string_view column) {
  return "column '" + std::string(column) +
         "' is pseudonymised in your grant: it can be returned but not filtered, sorted or aggregated";
}

std::optional<size_t> FindComparableColumn(const Schema& schema, const QueryScope& scope,
                                           std::string_view name, const std::string& field,
                                           std::vector<FieldProblem>& problems) {
  auto col = FindVisibleColumn(schema, scope, name);
  if (!col) {
    problems.push_back(
        {field, "unknown_column", "'" + std::string(name) + "' is not a column of this data product"});
    return std::nullopt;
  }
  if (IsPseudonymised(scope, *col)) {
    problems.push_back({field, "forbidden", PseudonymisedMessage(schema.columns[*col].name)});
    return std::nullopt;
  }
  return col;
}

void ParseFilterParam(const Schema& schema, const QueryScope& scope, const std::string& name,
                      std::string_view value, std::vector<Filter>& out, std::vector<FieldProblem>& problems) {
  auto col = FindComparableColumn(schema, scope, name, name, problems);
  if (!col) return;
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

std::optional<int64_t> ParseIntParam(std::string_view s, int64_t min, int64_t max) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || s.front() == '-' || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  if (n < min || n > max) return std::nullopt;
  return n;
}

std::string FilterSql(const std::vector<Filter>& filters, std::vector<Cell>& params) {
  std::string where;
  for (const Filter& f : filters) {
    if (!where.empty()) where += " AND ";
    AppendFilter(f, where, params);
  }
  return where;
}

}  // namespace kilde::query
