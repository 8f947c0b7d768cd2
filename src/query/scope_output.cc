#include "query/scope_output.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>

#include "base/secret.h"
#include "base/sha256.h"

namespace kilde::query {
namespace {

using store::Cell;
using store::CellKind;

// "<length>:<bytes>", so that no text can imitate a separator.
void AppendField(std::string_view s, std::string& out) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

void AppendCell(const Cell& c, std::string& out) {
  switch (c.kind) {
    case CellKind::kNull:
      out += 'n';
      break;
    case CellKind::kInt:
      out += 'i' + std::to_string(c.i);
      break;
    case CellKind::kReal: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, c.d);
      out += 'r';
      out.append(buf, r.ptr);
      break;
    }
    case CellKind::kText:
      out += 't';
      AppendField(c.text, out);
      break;
  }
}

std::vector<size_t> Sorted(std::vector<size_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

std::string CellText(const Cell& c, products::ColumnType type) {
  switch (c.kind) {
    case CellKind::kNull:
      return "";
    case CellKind::kInt:
      if (type == products::ColumnType::kBoolean) return c.i ? "true" : "false";
      return std::to_string(c.i);
    case CellKind::kReal: {
      if (!std::isfinite(c.d)) return "";
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, c.d);
      return std::string(buf, r.ptr);
    }
    case CellKind::kText:
      return c.text;
  }
  return "";
}

std::string Pseudonym(std::string_view key, std::string_view canonical_text) {
  return HmacSha256Hex(key, canonical_text).substr(0, 32);
}

OutputMask::OutputMask(const products::Schema& schema, const QueryScope& scope,
                       const std::vector<size_t>& columns) {
  bool any = false;
  std::vector<std::optional<products::ColumnType>> types(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!IsPseudonymised(scope, columns[i])) continue;
    types[i] = schema.columns[columns[i]].type;
    any = true;
  }
  if (!any) return;
  assert(!scope.pseudonym_key.empty() && "a scope with pseudonymised columns needs a key");
  types_ = std::move(types);
  key_ = scope.pseudonym_key;
}

void OutputMask::Apply(std::vector<Cell>& cells) const {
  for (size_t i = 0; i < types_.size() && i < cells.size(); ++i) {
    if (!types_[i] || cells[i].kind == CellKind::kNull) continue;
    cells[i] = Cell{CellKind::kText, 0, 0, Pseudonym(key_, CellText(cells[i], *types_[i]))};
  }
}

void AddSubject(const Cell& c, std::set<std::string>& out) {
  if (c.kind == CellKind::kNull) return;
  out.insert(c.kind == CellKind::kText ? c.text : CellText(c, products::ColumnType::kString));
}

bool IsUnrestricted(const QueryScope& scope) {
  return !scope.allowed_columns && scope.row_filters.empty() && scope.pseudonymised_columns.empty();
}

std::string ScopeFingerprint(const QueryScope& scope) {
  std::string out = "cols=";
  if (!scope.allowed_columns) {
    out += '*';
  } else {
    for (size_t c : Sorted(*scope.allowed_columns)) out += std::to_string(c) + ',';
  }
  out += ";rows=";
  for (const Filter& f : scope.row_filters) {
    out += std::to_string(f.column) + '.' + std::to_string(static_cast<int>(f.op)) + '(';
    for (const Cell& v : f.values) AppendCell(v, out), out += ',';
    out += ')';
  }
  out += ";pseudo=";
  std::vector<size_t> pseudo;
  for (size_t c : scope.pseudonymised_columns)
    if (IsVisible(scope, c)) pseudo.push_back(c);
  for (size_t c : Sorted(pseudo)) out += std::to_string(c) + ',';
  if (!pseudo.empty()) out += ";key=" + Sha256Hex(scope.pseudonym_key);
  out += ";subject=";
  if (scope.subject_column) out += std::to_string(*scope.subject_column);
  return out;
}

}  // namespace kilde::query
