#include "query/diff.h"

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
  DiffPlan plan;
  std::optional<std::pair<size_t, size_t>> key_pair;
  if (key) {
    auto f = from.Find(*key), t = to.Find(*key);
    if (!f || !t || !from.columns[*f].key || !to.columns[*t].key) {
      const std::string msg = "'" + *key + "' is not a key column of both editions";
      return Status::Invalid(msg, {{"key", "invalid_value", msg}});
    }
    key_pair = {*f, *t};
  } else {
    for (size_t t = 0; t < to.columns.size() && !key_pair; ++t) {
      if (!to.columns[t].key) continue;
      auto f = from.Find(to.columns[t].name);
      if (f && from.columns[*f].key) key_pair = {*f, t};
    }
    if (!key_pair)
      return Status::Conflict(
          "the two editions have no key column in common; a diff matches rows by a key column");
  }
  plan.key = to.columns[key_pair->second].name;
  plan.spec.key = {static_cast<int>(key_pair->first), static_cast<int>(key_pair->second)};
  plan.key_in_from = key_pair->first;
  plan.key_in_to = key_pair->second;
  for (size_t f = 0; f < from.columns.size(); ++f) {
    plan.spec.from_columns.push_back(static_cast<int>(f));
    plan.from_names.push_back(from.columns[f].name);
    plan.from_types.push_back(from.columns[f].type);
    if (!to.Find(from.columns[f].name)) plan.columns_removed.push_back(from.columns[f].name);
  }
  for (size_t t = 0; t < to.columns.size(); ++t) {
    plan.spec.to_columns.push_back(static_cast<int>(t));
    plan.to_names.push_back(to.columns[t].name);
    plan.to_types.push_back(to.columns[t].type);
    auto f = from.Find(to.columns[t].name);
    if (!f) {
      plan.columns_added.push_back(to.columns[t].name);
    } else if (t != key_pair->second) {
      plan.spec.compared.emplace_back(static_cast<int>(*f), static_cast<int>(t));
      plan.compared.push_back(to.columns[t].name);
    }
  }
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
      !j[3].is_number_unsigned() || !j[4].is_number_integer() || j[3].get<size_t>() >= q.ops.size())
    return BadCursor();
  return DiffPosition{j[3].get<size_t>(), j[4].get<int64_t>()};
}

std::string DiffCursor(const DiffQuery& q, const std::string& from_id, const std::string& to_id,
                       DiffPosition next) {
  nlohmann::json j = {from_id, to_id, OpsCode(q), next.op_index, next.after_row};
  return Base64UrlEncode(j.dump());
}

void AppendDiffItem(const DiffPlan& plan, DiffOp op, const std::vector<Cell>& from,
                    const std::vector<Cell>& to, std::string& out) {
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
        if (SameCell(from[static_cast<size_t>(f)], to[static_cast<size_t>(t)])) continue;
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

}  // namespace kilde::query
