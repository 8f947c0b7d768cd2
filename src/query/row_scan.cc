// BuildScan, CountScan and cursors (see row_query.h).
//
// SQL text is assembled only from fixed fragments and column names c<N> made from integers; every
// value (filter literals, patterns, cursor values) is a bound `?` parameter.
//
// Cursor: base64url of the JSON array [1, edition_id, order_spec, last_row, [order values]] where
// order_spec is e.g. "2a,5d" (schema position + a/d). It is not secret: a forged cursor can only
// move the page start, because its values are type-checked against the schema and bound.
#include <cassert>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "products/value.h"
#include "query/row_query.h"

namespace kilde::query {
namespace {

using store::Cell;
using store::CellKind;

std::string Col(size_t c) { return "c" + std::to_string(c); }

std::string OrderSpec(const RowQuery& q) {
  std::string s;
  for (const OrderBy& o : q.order) {
    if (!s.empty()) s += ',';
    s += std::to_string(o.column) + (o.desc ? "d" : "a");
  }
  return s;
}

Status BadCursor(std::string msg) { return Status::Invalid(msg, {{"cursor", "invalid_value", msg}}); }

struct Position {
  int64_t row = 0;
  std::vector<Cell> values;
};

Result<Position> DecodeCursor(const products::Schema& schema, const RowQuery& q,
                              const std::string& edition_id) {
  auto raw = Base64UrlDecode(*q.cursor);
  if (!raw) return BadCursor("malformed cursor");
  nlohmann::json j = nlohmann::json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array() || j.size() != 5 || j[0] != 1 || !j[1].is_string() || !j[2].is_string() ||
      !j[3].is_number_integer() || !j[4].is_array())
    return BadCursor("malformed cursor");
  if (j[1].get<std::string>() != edition_id || j[2].get<std::string>() != OrderSpec(q))
    return BadCursor("the cursor belongs to another edition or order; start again without cursor");
  if (j[4].size() != q.order.size()) return BadCursor("malformed cursor");
  Position p;
  p.row = j[3].get<int64_t>();
  for (size_t k = 0; k < q.order.size(); ++k) {
    const nlohmann::json& v = j[4][k];
    Cell c;
    switch (products::StorageKind(schema.columns[q.order[k].column].type)) {
      case products::Value::Kind::kInt:
        if (v.is_number_integer()) c = Cell{CellKind::kInt, v.get<int64_t>(), 0, ""};
        break;
      case products::Value::Kind::kReal:
        if (v.is_number()) c = Cell{CellKind::kReal, 0, v.get<double>(), ""};
        break;
      default:
        if (v.is_string()) c = Cell{CellKind::kText, 0, 0, v.get<std::string>()};
        break;
    }
    if (c.kind == CellKind::kNull && !v.is_null()) return BadCursor("malformed cursor");
    p.values.push_back(std::move(c));
  }
  return p;
}

// The keyset condition "strictly after `p` in scan order", in the expanded OR form:
//   (k1 after v1) OR (k1 = v1 AND k2 after v2) OR ... OR (k1 = v1 AND ... AND kn = vn AND _row > r).
// SQLite sorts NULL lowest: ascending, after NULL is IS NOT NULL and after v is > v; descending,
// nothing is after NULL and after v is (< v OR IS NULL). Equality with NULL is IS NULL.
std::string KeysetWhere(const RowQuery& q, const Position& p, std::vector<Cell>& params) {
  std::string out;
  std::string prefix;  // "k1 = ? AND ... " for the equal leading keys
  std::vector<Cell> prefix_params;
  auto add_term = [&](const std::string& last, const std::optional<Cell>& last_param) {
    if (!out.empty()) out += " OR ";
    out += prefix.empty() ? last : "(" + prefix + last + ")";
    params.insert(params.end(), prefix_params.begin(), prefix_params.end());
    if (last_param) params.push_back(*last_param);
  };
  for (size_t k = 0; k < q.order.size(); ++k) {
    const std::string c = Col(q.order[k].column);
    const Cell& v = p.values[k];
    const bool null = v.kind == CellKind::kNull;
    if (!q.order[k].desc) {
      add_term(null ? c + " IS NOT NULL" : c + " > ?", null ? std::nullopt : std::optional<Cell>(v));
    } else if (!null) {
      add_term("(" + c + " < ? OR " + c + " IS NULL)", v);
    }
    prefix += null ? c + " IS NULL AND " : c + " = ? AND ";
    if (!null) prefix_params.push_back(v);
  }
  add_term("_row > ?", Cell{CellKind::kInt, p.row, 0, ""});
  return out;
}

}  // namespace

Result<store::RowScan> BuildScan(const products::Schema& schema, const RowQuery& q,
                                 const std::string& edition_id) {
  store::RowScan scan;
  scan.where = FilterSql(q.filters, scan.params);
  if (q.cursor) {
    KILDE_ASSIGN_OR_RETURN(Position p, DecodeCursor(schema, q, edition_id));
    std::string keyset = KeysetWhere(q, p, scan.params);
    scan.where = scan.where.empty() ? "(" + keyset + ")" : scan.where + " AND (" + keyset + ")";
  }
  for (const OrderBy& o : q.order) scan.order += Col(o.column) + (o.desc ? " DESC, " : " ASC, ");
  scan.order += "_row ASC";
  for (size_t c : q.select) scan.columns.push_back(static_cast<int>(c));
  for (const OrderBy& o : q.order) scan.columns.push_back(static_cast<int>(o.column));
  if (q.subject) scan.columns.push_back(static_cast<int>(*q.subject));
  scan.limit = q.limit + 1;
  return scan;
}

store::RowScan CountScan(const RowQuery& q) {
  store::RowScan scan;
  scan.where = FilterSql(q.filters, scan.params);
  return scan;
}

std::vector<Cell> OrderValues(const RowQuery& q, const std::vector<Cell>& scanned) {
  assert(scanned.size() == q.select.size() + q.order.size() + (q.subject ? 1 : 0));
  const auto first = scanned.begin() + static_cast<std::ptrdiff_t>(q.select.size());
  return std::vector<Cell>(first, first + static_cast<std::ptrdiff_t>(q.order.size()));
}

void OutputCells(const RowQuery& q, const std::vector<Cell>& scanned, std::vector<Cell>& out) {
  assert(scanned.size() >= q.select.size());
  out.assign(scanned.begin(), scanned.begin() + static_cast<std::ptrdiff_t>(q.select.size()));
  q.mask.Apply(out);
}

Cell SubjectCell(const RowQuery& q, const std::vector<Cell>& scanned) {
  if (!q.subject) return Cell{};
  assert(scanned.size() == q.select.size() + q.order.size() + 1);
  return scanned.back();
}

std::string NextCursor(const RowQuery& q, const std::string& edition_id, int64_t last_row,
                       const std::vector<Cell>& last_order_values) {
  assert(last_order_values.size() == q.order.size());
  nlohmann::json values = nlohmann::json::array();
  for (const Cell& c : last_order_values) {
    switch (c.kind) {
      case CellKind::kNull:
        values.push_back(nullptr);
        break;
      case CellKind::kInt:
        values.push_back(c.i);
        break;
      case CellKind::kReal:
        values.push_back(c.d);
        break;
      case CellKind::kText:
        values.push_back(c.text);
        break;
    }
  }
  nlohmann::json j = nlohmann::json::array({1, edition_id, OrderSpec(q), last_row, values});
  return Base64UrlEncode(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace kilde::query
