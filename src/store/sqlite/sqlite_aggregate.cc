// SqliteProductStore::Aggregate and CountGroups: GROUP BY queries over an edition's table.
//
// The SQL text is built only from the edition table name (an integer), column positions c<N>,
// the fixed function names of AggregateFn, result-column numbers for ORDER BY and the `where`
// fragment of the query layer (fixed grammar, `?` placeholders). Values, LIMIT and OFFSET are bound.
// Statements are prepared per call and not cached: aggregate SQL varies with every query.
#include <cassert>
#include <cstring>
#include <string>

#include "store/sqlite/sqlite_products.h"

namespace kilde::store::sqlite {
namespace {

std::string Col(int c) { return "c" + std::to_string(c); }

std::string Term(const AggregateTerm& t) {
  switch (t.fn) {
    case AggregateFn::kCountRows:
      return "COUNT(*)";
    case AggregateFn::kCount:
      return "COUNT(" + Col(t.column) + ")";
    case AggregateFn::kSum:
      return "SUM(" + Col(t.column) + ")";
    case AggregateFn::kAvg:
      return "AVG(" + Col(t.column) + ")";
    case AggregateFn::kMin:
      return "MIN(" + Col(t.column) + ")";
    case AggregateFn::kMax:
      return "MAX(" + Col(t.column) + ")";
  }
  return "NULL";
}

// "FROM t [WHERE ...] [GROUP BY ...]"
std::string FromWhereGroup(const std::string& table, const AggregateScan& scan) {
  std::string sql = " FROM " + table;
  if (!scan.where.empty()) sql += " WHERE " + scan.where;
  for (size_t i = 0; i < scan.group_by.size(); ++i) sql += (i ? ", " : " GROUP BY ") + Col(scan.group_by[i]);
  return sql;
}

void BindParams(Statement& s, const std::vector<Cell>& params) {
  for (size_t i = 0; i < params.size(); ++i) BindCell(s, static_cast<int>(i + 1), params[i]);
}

// The Status for a failed step: SUM's integer overflow is the caller's input, the rest internal.
Status StepError(Connection& c, std::string_view what) {
  if (std::strcmp(sqlite3_errmsg(c.raw()), "integer overflow") == 0)
    return Status::Invalid("integer overflow");
  return c.Error(what);
}

}  // namespace

std::string AggregateSql(const std::string& table, const AggregateScan& scan, bool count_groups) {
  if (count_groups) {
    if (scan.group_by.empty()) return "SELECT 1";  // an aggregate without GROUP BY has one row
    return "SELECT COUNT(*) FROM (SELECT 1" + FromWhereGroup(table, scan) + ")";
  }
  assert(!scan.group_by.empty() || !scan.aggregates.empty());
  std::string sql = "SELECT ";
  size_t n = 0;
  for (int col : scan.group_by) sql += (n++ ? ", " : "") + Col(col);
  for (const AggregateTerm& t : scan.aggregates) sql += (n++ ? ", " : "") + Term(t);
  sql += FromWhereGroup(table, scan);
  for (size_t i = 0; i < scan.order.size(); ++i) {
    // Result-column numbers (1-based) name the outputs, so no expression is repeated.
    sql += (i ? ", " : " ORDER BY ") + std::to_string(scan.order[i].output + 1) +
           (scan.order[i].desc ? " DESC" : " ASC");
  }
  return sql + " LIMIT ? OFFSET ?";
}

Status SqliteProductStore::Aggregate(const EditionRow& edition, const AggregateScan& scan, const RowFn& fn) {
  if (scan.group_by.empty() && scan.aggregates.empty()) return Status::Internal("aggregate without outputs");
  for (const AggregateOrder& o : scan.order)
    if (o.output < 0 || static_cast<size_t>(o.output) >= scan.group_by.size() + scan.aggregates.size())
      return Status::Internal("aggregate order out of range");
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(auto s, PrepareOnce(*c, AggregateSql(EditionTable(edition.seq), scan, false)));
  BindParams(*s, scan.params);
  const int next = static_cast<int>(scan.params.size()) + 1;
  s->Bind(next, scan.limit).Bind(next + 1, scan.offset);
  std::vector<Cell> cells(scan.group_by.size() + scan.aggregates.size());
  int64_t row = 0;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    for (size_t i = 0; i < cells.size(); ++i) cells[i] = ReadCell(*s, static_cast<int>(i));
    KILDE_RETURN_IF_ERROR(fn(++row, cells));
  }
  if (rc != SQLITE_DONE) return Counted(StepError(*c, "aggregate edition"));
  return Status::Ok();
}

Result<int64_t> SqliteProductStore::CountGroups(const EditionRow& edition, const AggregateScan& scan) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(auto s, PrepareOnce(*c, AggregateSql(EditionTable(edition.seq), scan, true)));
  if (!scan.group_by.empty()) BindParams(*s, scan.params);
  if (s->Step() != SQLITE_ROW) return Counted(c->Error("count groups"));
  return s->Int(0);
}

}  // namespace kilde::store::sqlite
