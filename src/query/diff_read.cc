#include "query/diff_read.h"

#include <algorithm>
#include <set>
#include <string>

#include "query/filter.h"

namespace kilde::query {
namespace {

using store::Cell;
using store::CellKind;
using store::DiffOp;

// Store differences read per store call (and keys per membership scan).
constexpr int64_t kReadBatch = 500;

bool Filtered(const DiffPlan& plan) { return !plan.from_filters.empty() || !plan.to_filters.empty(); }

bool Wants(const DiffQuery& q, DiffOp op) { return std::find(q.ops.begin(), q.ops.end(), op) != q.ops.end(); }

// A key cell as a set member (kind and value).
std::string KeyString(const Cell& c) {
  switch (c.kind) {
    case CellKind::kNull:
      return "n";
    case CellKind::kInt:
      return "i" + std::to_string(c.i);
    case CellKind::kReal:
      return "r" + std::to_string(c.d);
    case CellKind::kText:
      return "t" + c.text;
  }
  return "";
}

// Which of `keys` (values of key column `key_column`) belong to rows of `edition` that pass
// `filters`: one scan "(filters) AND key IN (...)", decided by SQLite like /rows.
Result<std::set<std::string>> KeysPassing(store::ProductStore& store, const store::EditionRow& edition,
                                          int key_column, const std::vector<Filter>& filters,
                                          const std::vector<Cell>& keys) {
  std::set<std::string> out;
  if (keys.empty()) return out;
  store::RowScan scan;
  scan.where = "(" + FilterSql(filters, scan.params) + ") AND c" + std::to_string(key_column) + " IN (";
  for (size_t i = 0; i < keys.size(); ++i) {
    scan.where += i ? ", ?" : "?";
    scan.params.push_back(keys[i]);
  }
  scan.where += ")";
  scan.columns = {key_column};
  KILDE_RETURN_IF_ERROR(store.Scan(edition, scan, [&](int64_t, const std::vector<Cell>& cells) {
    out.insert(KeyString(cells[0]));
    return Status::Ok();
  }));
  return out;
}

struct StoreItem {
  int64_t row;
  std::vector<Cell> from, to;
};

// The caller's view of one store difference: the op, and which sides it shows; nullopt = none.
struct Mapped {
  DiffOp op;
  bool from, to;
};
std::optional<Mapped> Map(DiffOp store_op, bool f, bool t) {
  switch (store_op) {
    case DiffOp::kAdded:
      if (t) return Mapped{DiffOp::kAdded, false, true};
      break;
    case DiffOp::kRemoved:
      if (f) return Mapped{DiffOp::kRemoved, true, false};
      break;
    case DiffOp::kChanged:
      if (f && t) return Mapped{DiffOp::kChanged, true, true};
      if (f) return Mapped{DiffOp::kRemoved, true, false};
      if (t) return Mapped{DiffOp::kAdded, false, true};
      break;
  }
  return std::nullopt;
}

// Reads up to `n` store differences of `op` after `after_row` and whether each side passes its
// filters. Calls fn(item, mapped) for each (mapped may be nullopt).
Result<int64_t> ReadBatch(store::ProductStore& store, const store::EditionRow& from,
                          const store::EditionRow& to, const DiffPlan& plan, DiffOp op, int64_t after_row,
                          int64_t n,
                          const std::function<Status(const StoreItem&, std::optional<Mapped>)>& fn) {
  std::vector<StoreItem> items;
  KILDE_RETURN_IF_ERROR(store.Diff(from, to, plan.spec, op, after_row, n,
                                   [&](int64_t row, const std::vector<Cell>& f, const std::vector<Cell>& t) {
                                     items.push_back({row, f, t});
                                     return Status::Ok();
                                   }));
  std::set<std::string> from_pass, to_pass;
  if (!plan.from_filters.empty()) {
    std::vector<Cell> keys;
    for (const auto& it : items)
      if (!it.from.empty()) keys.push_back(it.from[plan.key_in_from]);
    KILDE_ASSIGN_OR_RETURN(from_pass, KeysPassing(store, from, plan.spec.key.first, plan.from_filters, keys));
  }
  if (!plan.to_filters.empty()) {
    std::vector<Cell> keys;
    for (const auto& it : items)
      if (!it.to.empty()) keys.push_back(it.to[plan.key_in_to]);
    KILDE_ASSIGN_OR_RETURN(to_pass, KeysPassing(store, to, plan.spec.key.second, plan.to_filters, keys));
  }
  for (const StoreItem& it : items) {
    const bool f = !it.from.empty() &&
                   (plan.from_filters.empty() || from_pass.count(KeyString(it.from[plan.key_in_from])));
    const bool t =
        !it.to.empty() && (plan.to_filters.empty() || to_pass.count(KeyString(it.to[plan.key_in_to])));
    KILDE_RETURN_IF_ERROR(fn(it, Map(op, f, t)));
  }
  return static_cast<int64_t>(items.size());
}

}  // namespace

std::vector<DiffOp> DiffStreams(const DiffPlan& plan, const DiffQuery& q) {
  std::vector<DiffOp> streams;
  if (Wants(q, DiffOp::kAdded)) streams.push_back(DiffOp::kAdded);
  if (Wants(q, DiffOp::kRemoved)) streams.push_back(DiffOp::kRemoved);
  // With row filters, a store "changed" may be an added or removed row for the caller.
  if (Wants(q, DiffOp::kChanged) || (Filtered(plan) && !streams.empty())) streams.push_back(DiffOp::kChanged);
  return streams;
}

Result<bool> ReadDiff(store::ProductStore& store, const store::EditionRow& from, const store::EditionRow& to,
                      const DiffPlan& plan, const DiffQuery& q, DiffPosition& pos, int64_t budget,
                      const DiffItemFn& fn) {
  const std::vector<DiffOp> streams = DiffStreams(plan, q);
  static const std::vector<Cell> kNone;
  while (pos.op_index < streams.size() && budget > 0) {
    const int64_t n = std::min(budget, kReadBatch);
    const size_t stream = pos.op_index;
    KILDE_ASSIGN_OR_RETURN(
        int64_t got,
        ReadBatch(store, from, to, plan, streams[stream], pos.after_row, n,
                  [&](const StoreItem& it, std::optional<Mapped> m) -> Status {
                    if (m && Wants(q, m->op))
                      KILDE_RETURN_IF_ERROR(fn(DiffPosition{stream, it.row}, m->op, m->from ? it.from : kNone,
                                               m->to ? it.to : kNone));
                    pos.after_row = it.row;
                    return Status::Ok();
                  }));
    budget -= got;
    if (got < n) pos = DiffPosition{stream + 1, 0};
  }
  return pos.op_index < streams.size();
}

Result<DiffCounts> CountDiff(store::ProductStore& store, const store::EditionRow& from,
                             const store::EditionRow& to, const DiffPlan& plan) {
  DiffCounts c;
  if (!Filtered(plan)) {
    KILDE_ASSIGN_OR_RETURN(c.added, store.DiffCount(from, to, plan.spec, DiffOp::kAdded));
    KILDE_ASSIGN_OR_RETURN(c.removed, store.DiffCount(from, to, plan.spec, DiffOp::kRemoved));
    KILDE_ASSIGN_OR_RETURN(c.changed, store.DiffCount(from, to, plan.spec, DiffOp::kChanged));
    c.unchanged = std::max<int64_t>(0, to.row_count - c.added - c.changed);
    return c;
  }
  for (DiffOp op : {DiffOp::kAdded, DiffOp::kRemoved, DiffOp::kChanged}) {
    int64_t after = 0;
    while (true) {
      KILDE_ASSIGN_OR_RETURN(int64_t got, ReadBatch(store, from, to, plan, op, after, kReadBatch,
                                                    [&](const StoreItem& it, std::optional<Mapped> m) {
                                                      after = it.row;
                                                      if (!m) return Status::Ok();
                                                      (m->op == DiffOp::kAdded     ? c.added
                                                       : m->op == DiffOp::kRemoved ? c.removed
                                                                                   : c.changed)++;
                                                      return Status::Ok();
                                                    }));
      if (got < kReadBatch) break;
    }
  }
  store::RowScan in_scope;
  in_scope.where = FilterSql(plan.to_filters, in_scope.params);
  KILDE_ASSIGN_OR_RETURN(int64_t to_rows, store.Count(to, in_scope));
  c.unchanged = std::max<int64_t>(0, to_rows - c.added - c.changed);
  return c;
}

}  // namespace kilde::query
