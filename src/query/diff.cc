#include "query/diff.h"

#include <cassert>
#include <set>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "query/filter.h"
#include "query/row_writer.h"

namespace kilde::query {
namespace {

using store::Cell;
using store::CellKind;
using store::DiffOp;

constexpr DiffOp kAllOps[] = {DiffOp::kAdded, DiffOp::kRemoved, DiffOp::kChanged};

// Equal as the store compares them (IS): NULL equals NULL, numbers by value, text by bytes.
bool SameCell(const Cell& a, const Cell& b) {
  if (a.kind == CellKind::kNull || b.kind == CellKind::kNull) return a.kind == b.kind;
  if (a.kind == CellKind::kText || b.kind == CellKind::kText) return a.kind == b.kind && a.text == b.text;
  const double x = a.kind == CellKind::kInt ? static_cast<double>(a.i) : a.d;
  const double y = b.kind == CellKind::kInt ? static_cast<double>(b.i) : b.d;
  if (a.kind == CellKind::kInt && b.kind == CellKind::kInt) return a.i == b.i;
  return x == y;
}

// The index of schema position `col` in a returned-columns list (it is always there).
size_t IndexOf(const std::vector<int>& columns, int col) {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == col) return i;
  assert(false && "compared column not returned");
  return 0;
}

Status BadCursor() {
  const std::string msg =
      "malformed cursor, or one made for other editions or op=; start again without cursor";
  return Status::Invalid(msg, {{"cursor", "invalid_value", msg}});
}

std::string OpsCode(const DiffQuery& q) {
  std::string code;
  for (DiffOp op : q.ops) code += DiffOpName(op)[0];
  return code;
}

}  // namespace

const char* DiffOpName(DiffOp op) {
  switch (op) {
    case DiffOp::kAdded:
      return "added";
    case DiffOp::kRemoved:
      return "removed";
    case DiffOp::kChanged:
      return "changed";
  }
  return "";
}

Result<DiffPlan> PlanDiff(const products::Schema& from, const products::Schema& to,
                          const std::optional<std::string>& key) {
  return PlanDiff(from, to, key, QueryScope{}, QueryScope{});
}

Result<DiffPlan> PlanDiff(const products::Schema& from, const products::Schema& to,
                          const std::optional<std::string>& key, const QueryScope& from_scope,
                          const QueryScope& to_scope) {
  // The caller's view of each side: its visible columns (a hidden column does not exist for it).
  auto find_from = [&](std::string_view name) { return FindVisibleColumn(from, from_scope, name); };
  auto find_to = [&](std::string_view name) { return FindVisibleColumn(to, to_scope, name); };
  DiffPlan plan;
  std::optional<std::pair<size_t, size_t>> key_pair;
  if (key) {
    auto f = find_from(*key), t = find_to(*key);
    if (!f || !t || !from.columns[*f].key || !to.columns[*t].key) {
      const std::string msg = "'" + *key + "' is not a key column of both editions";
      return Status::Invalid(msg, {{"key", "invalid_value", msg}});
    }
    if (IsPseudonymised(from_scope, *f) || IsPseudonymised(to_scope, *t)) {
      const std::string msg = PseudonymisedMessage(to.columns[*t].name);
      return Status::Invalid(msg, {{"key", "forbidden", msg}});
    }
    key_pair = {*f, *t};
  } else {
    for (size_t t = 0; t < to.columns.size() && !key_pair; ++t) {
      if (!to.columns[t].key || !IsVisible(to_scope, t) || IsPseudonymised(to_scope, t)) continue;
      auto f = find_from(to.columns[t].name);
      if (f && from.columns[*f].key && !IsPseudonymised(from_scope, *f)) key_pair = {*f, t};
    }
    if (!key_pair)
      return Status::Conflict(
          "the two editions have no key column in common; a diff matches rows by a key column");
  }
  plan.key = to.columns[key_pair->second].name;
  plan.spec.key = {static_cast<int>(key_pair->first), static_cast<int>(key_pair->second)};
  std::vector<size_t> from_out, to_out;
  for (size_t f = 0; f < from.columns.size(); ++f) {
    if (!IsVisible(from_scope, f)) continue;
    if (f == key_pair->first) plan.key_in_from = from_out.size();
    from_out.push_back(f);
    plan.spec.from_columns.push_back(static_cast<int>(f));
    plan.from_names.push_back(from.columns[f].name);
    plan.from_types.push_back(from.columns[f].type);
    if (!find_to(from.columns[f].name)) plan.columns_removed.push_back(from.columns[f].name);
  }
  for (size_t t = 0; t < to.columns.size(); ++t) {
    if (!IsVisible(to_scope, t)) continue;
    if (t == key_pair->second) plan.key_in_to = to_out.size();
    to_out.push_back(t);
    plan.spec.to_columns.push_back(static_cast<int>(t));
    plan.to_names.push_back(to.columns[t].name);
    plan.to_types.push_back(to.columns[t].type);
    auto f = find_from(to.columns[t].name);
    if (!f) {
      plan.columns_added.push_back(to.columns[t].name);
    } else if (t != key_pair->second) {
      plan.spec.compared.emplace_back(static_cast<int>(*f), static_cast<int>(t));
      plan.compared.push_back(to.columns[t].name);
    }
  }
  plan.from_mask = OutputMask(from, from_scope, from_out);
  plan.to_mask = OutputMask(to, to_scope, to_out);
  // The subject column is read even when hidden (for the audit log), after the output columns.
  auto subject_index = [](const std::optional<size_t>& subject, const std::vector<size_t>& out,
                          std::vector<int>& columns) -> std::optional<size_t> {
    if (!subject) return std::nullopt;
    for (size_t i = 0; i < out.size(); ++i)
      if (out[i] == *subject) return i;
    columns.push_back(static_cast<int>(*subject));
    return columns.size() - 1;
  };
  plan.from_subject = subject_index(from_scope.subject_column, from_out, plan.spec.from_columns);
  plan.to_subject = subject_index(to_scope.subject_column, to_out, plan.spec.to_columns);
  plan.from_filters = from_scope.row_filters;
  plan.to_filters = to_scope.row_filters;
  return plan;
}

Result<DiffQuery> ParseDiffQuery(const http::Params& params, const Limits& limits) {
  DiffQuery q;
  q.limit = limits.default_limit;
  std::vector<FieldProblem> problems;
  std::set<std::string> seen;
  std::set<DiffOp> ops;
  for (const auto& [name, value] : params) {
    if (!seen.insert(name).second) {
      problems.push_back({name, "invalid_value", "given more than once"});
      continue;
    }
    if (name == "op") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        const std::string item = value.substr(start, comma - start);
        start = comma + 1;
        bool known = false;
        for (DiffOp op : kAllOps)
          if (item == DiffOpName(op)) ops.insert(op), known = true;
        if (!known)
          problems.push_back({"op", "invalid_value", "'" + item + "' is not added, removed or changed"});
      }
    } else if (name == "key") {
      q.key = value;
    } else if (name == "limit") {
      if (auto n = ParseIntParam(value, 1, limits.max_limit))
        q.limit = *n;
      else
        problems.push_back(
            {"limit", "invalid_value", "must be an integer from 1 to " + std::to_string(limits.max_limit)});
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name == "format") {
      if (value != "json" && value != "ndjson")
        problems.push_back({"format", "invalid_value", "'" + value + "' is not json or ndjson"});
      q.format = value;
    } else {
      problems.push_back({name, "unknown_parameter", "diff takes op, key, limit, cursor and format"});
    }
  }
  for (DiffOp op : kAllOps)
    if (ops.empty() || ops.count(op)) q.ops.push_back(op);
  if (!problems.empty()) {
    std::string msg = "invalid diff query: " + problems[0].field + ": " + problems[0].message;
    return Status::Invalid(msg, std::move(problems));
  }
  return q;
}

Result<DiffPosition> DiffStart(const DiffQuery& q, const std::string& from_id, const std::string& to_id) {
  if (!q.cursor) return DiffPosition{};
  auto raw = Base64UrlDecode(*q.cursor);
  if (!raw) return BadCursor();
  auto j = nlohmann::json::parse(*raw, nullptr, false);
  if (!j.is_array() || j.size() != 5 || j[0] != from_id || j[1] != to_id || j[2] != OpsCode(q) ||
      !j[3].is_number_unsigned() || !j[4].is_number_integer() || j[3].get<size_t>() >= 3)
    return BadCursor();
  return DiffPosition{j[3].get<size_t>(), j[4].get<int64_t>()};
}

std::string DiffCursor(const DiffQuery& q, const std::string& from_id, const std::string& to_id,
                       DiffPosition next) {
  nlohmann::json j = {from_id, to_id, OpsCode(q), next.op_index, next.after_row};
  return Base64UrlEncode(j.dump());
}

void AppendDiffItem(const DiffPlan& plan, DiffOp op, const std::vector<Cell>& from_cells,
                    const std::vector<Cell>& to_cells, std::string& out) {
  // The output cells: the visible columns only (the store may return the subject after them),
  // pseudonymised.
  std::vector<Cell> from, to;
  if (!from_cells.empty()) {
    from.assign(from_cells.begin(), from_cells.begin() + static_cast<std::ptrdiff_t>(plan.from_names.size()));
    plan.from_mask.Apply(from);
  }
  if (!to_cells.empty()) {
    to.assign(to_cells.begin(), to_cells.begin() + static_cast<std::ptrdiff_t>(plan.to_names.size()));
    plan.to_mask.Apply(to);
  }
  out += "{\"op\":\"";
  out += DiffOpName(op);
  out += "\",\"key\":";
  if (op == DiffOp::kRemoved) {
    AppendJsonCell(from[plan.key_in_from], plan.from_types[plan.key_in_from], out);
    out += ",\"row\":";
    AppendJsonRow(plan.from_names, from, plan.from_types, out);
  } else {
    AppendJsonCell(to[plan.key_in_to], plan.to_types[plan.key_in_to], out);
    if (op == DiffOp::kAdded) {
      out += ",\"row\":";
      AppendJsonRow(plan.to_names, to, plan.to_types, out);
    } else {
      out += ",\"columns\":[";
      bool first = true;
      for (size_t i = 0; i < plan.spec.compared.size(); ++i) {
        const auto [f, t] = plan.spec.compared[i];
        // Compared on the clear cells: positions in the returned cells, not the schema.
        const size_t fi = IndexOf(plan.spec.from_columns, f), ti = IndexOf(plan.spec.to_columns, t);
        if (SameCell(from_cells[fi], to_cells[ti])) continue;
        if (!first) out += ',';
        first = false;
        AppendJsonString(plan.compared[i], out);
      }
      out += "],\"before\":";
      AppendJsonRow(plan.from_names, from, plan.from_types, out);
      out += ",\"after\":";
      AppendJsonRow(plan.to_names, to, plan.to_types, out);
    }
  }
  out += '}';
}

void AddDiffSubjects(const DiffPlan& plan, DiffOp op, const std::vector<Cell>& from,
                     const std::vector<Cell>& to, std::set<std::string>& out) {
  if (op != DiffOp::kAdded && plan.from_subject && *plan.from_subject < from.size())
    AddSubject(from[*plan.from_subject], out);
  if (op != DiffOp::kRemoved && plan.to_subject && *plan.to_subject < to.size())
    AddSubject(to[*plan.to_subject], out);
}

}  // namespace kilde::query
