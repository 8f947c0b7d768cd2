// SqliteProductStore::Diff and DiffCount: differences between two editions' tables by key.
//
// Both editions live in the same database, so a diff is a join: rows of `to` whose key is
// absent from `from` (added), the reverse (removed), and rows present in both whose paired
// columns differ (changed, compared with IS NOT so that NULLs compare as values). Key columns
// are unique and indexed in every edition, so each probe is an index lookup. The SQL is built
// only from table names (integers) and column positions; values are bound.
#include <string>

#include "store/sqlite/sqlite_products.h"

namespace kilde::store::sqlite {
namespace {

std::string Col(const char* alias, int c) { return std::string(alias) + ".c" + std::to_string(c); }

// "FROM ... WHERE ..." of the rows of kind `op`; the primary side is aliased p, the other o.
// Placeholder ?1 is the row ordinal after which to continue.
std::string FromWhere(const EditionRow& from, const EditionRow& to, const DiffSpec& spec, DiffOp op) {
  const std::string from_t = EditionTable(from.seq), to_t = EditionTable(to.seq);
  switch (op) {
    case DiffOp::kAdded:
      return " FROM " + to_t + " p WHERE p._row > ?1 AND NOT EXISTS (SELECT 1 FROM " + from_t + " o WHERE " +
             Col("o", spec.key.first) + " = " + Col("p", spec.key.second) + ")";
    case DiffOp::kRemoved:
      return " FROM " + from_t + " p WHERE p._row > ?1 AND NOT EXISTS (SELECT 1 FROM " + to_t + " o WHERE " +
             Col("o", spec.key.second) + " = " + Col("p", spec.key.first) + ")";
    case DiffOp::kChanged: {
      std::string differs;
      for (const auto& [f, t] : spec.compared)
        differs += (differs.empty() ? "" : " OR ") + Col("p", t) + " IS NOT " + Col("o", f);
      if (differs.empty()) differs = "0";
      return " FROM " + to_t + " p JOIN " + from_t + " o ON " + Col("o", spec.key.first) + " = " +
             Col("p", spec.key.second) + " WHERE p._row > ?1 AND (" + differs + ")";
    }
  }
  return "";
}

}  // namespace

Status SqliteProductStore::Diff(const EditionRow& from, const EditionRow& to, const DiffSpec& spec, DiffOp op,
                                int64_t after_row, int64_t limit, const DiffFn& fn) {
  // Columns selected: p._row, then the from side's columns, then the to side's.
  const char* from_alias = op == DiffOp::kRemoved ? "p" : "o";
  const bool with_from = op != DiffOp::kAdded, with_to = op != DiffOp::kRemoved;
  std::string sql = "SELECT p._row";
  if (with_from)
    for (int c : spec.from_columns) sql += ", " + Col(from_alias, c);
  if (with_to)
    for (int c : spec.to_columns) sql += ", " + Col("p", c);
  sql += FromWhere(from, to, spec, op) + " ORDER BY p._row LIMIT ?2";
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(auto s, PrepareOnce(*c, sql));
  s->Bind(1, after_row).Bind(2, limit);
  std::vector<Cell> from_cells(with_from ? spec.from_columns.size() : 0);
  std::vector<Cell> to_cells(with_to ? spec.to_columns.size() : 0);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    int col = 1;
    for (auto& cell : from_cells) cell = ReadCell(*s, col++);
    for (auto& cell : to_cells) cell = ReadCell(*s, col++);
    KILDE_RETURN_IF_ERROR(fn(s->Int(0), from_cells, to_cells));
  }
  if (rc != SQLITE_DONE) return Counted(c->Error("diff editions"));
  return Status::Ok();
}

Result<int64_t> SqliteProductStore::DiffCount(const EditionRow& from, const EditionRow& to,
                                              const DiffSpec& spec, DiffOp op) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(auto s, PrepareOnce(*c, "SELECT COUNT(*)" + FromWhere(from, to, spec, op)));
  s->Bind(1, int64_t{0});
  if (s->Step() != SQLITE_ROW) return Counted(c->Error("count differences"));
  return s->Int(0);
}

}  // namespace kilde::store::sqlite
