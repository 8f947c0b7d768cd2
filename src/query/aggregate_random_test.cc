// Randomized test: random data in a real SQLite store, random filters, group_by, aggregates, order
// and pages (limit/offset), compared with grouping, aggregating and sorting done in C++ by brute
// force. Decimals are multiples of 1/4, so sums and averages are exact in any summation order and
// the results compare exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "query/aggregate.h"
#include "query/query_test_util.h"

namespace kilde::query::testing {
namespace {

using store::AggregateFn;
using store::Cell;
using store::CellKind;

// Literal pools per column of TestSchema (as query text).
const std::vector<std::vector<std::string>> kLiterals = {
    {"Alna", "alna", "Ålesund", "ÅSEN", "a_b", "", "Østensjø", "z"},
    {"2018", "2019", "2020", "2021", "-1", "4000000000"},
    {"0.5", "1.25", "-3", "10000000000", "0", "0.75"},
    {"true", "false"},
    {"Alna", "Frogner", "Gamle Oslo"},
    {"2020-01-01", "2020-06-30", "2021-12-31", "2022-02-28"},
};
const std::vector<std::string> kPatterns = {"*", "a*", "A*", "*b", "å*", "*ø", "Ø*", "*s*n*"};

bool IsNull(const Cell& c) { return c.kind == CellKind::kNull; }

// One aggregate over the cells of one group's rows, as SQLite computes it.
Cell Reference(const AggregateOutput& o, const std::vector<const std::vector<Cell>*>& rows) {
  if (o.fn == AggregateFn::kCountRows) return Int(static_cast<int64_t>(rows.size()));
  std::vector<Cell> values;
  for (const auto* r : rows)
    if (!IsNull((*r)[static_cast<size_t>(o.column)])) values.push_back((*r)[static_cast<size_t>(o.column)]);
  if (o.fn == AggregateFn::kCount) return Int(static_cast<int64_t>(values.size()));
  if (values.empty()) return Null();
  switch (o.fn) {
    case AggregateFn::kSum:
    case AggregateFn::kAvg: {
      int64_t isum = 0;
      double dsum = 0;
      for (const Cell& v : values) {
        isum += v.kind == CellKind::kInt ? v.i : 0;
        dsum += v.kind == CellKind::kInt ? static_cast<double>(v.i) : v.d;
      }
      if (o.fn == AggregateFn::kAvg) return Real(dsum / static_cast<double>(values.size()));
      return values[0].kind == CellKind::kInt ? Int(isum) : Real(dsum);
    }
    case AggregateFn::kMin:
      return *std::min_element(values.begin(), values.end(),
                               [](const Cell& a, const Cell& b) { return Compare(a, b) < 0; });
    default:
      return *std::max_element(values.begin(), values.end(),
                               [](const Cell& a, const Cell& b) { return Compare(a, b) < 0; });
  }
}

std::string Show(const std::vector<std::vector<Cell>>& rows) {
  std::string s;
  for (const auto& r : rows) {
    s += "(";
    for (const Cell& c : r) {
      switch (c.kind) {
        case CellKind::kNull:
          s += "null";
          break;
        case CellKind::kInt:
          s += std::to_string(c.i);
          break;
        case CellKind::kReal:
          s += std::to_string(c.d) + "r";
          break;
        case CellKind::kText:
          s += "'" + c.text + "'";
          break;
      }
      s += " ";
    }
    s += ") ";
  }
  return s;
}

bool SameCell(const Cell& a, const Cell& b) {
  if (a.kind != b.kind) return false;
  return Compare(a, b) == 0;
}

class AggregateRandom : public QueryStoreTest {};

TEST_F(AggregateRandom, PagedResultsMatchBruteForce) {
  std::mt19937 rng(20261124);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<std::vector<Cell>> rows;
  for (int r = 0; r < 400; ++r) {
    std::vector<Cell> row;
    for (size_t c = 0; c < kLiterals.size(); ++c) {
      if (pick(100) < 15) {
        row.push_back(Null());
        continue;
      }
      auto f =
          ParseFilters(schema_, {{schema_.columns[c].name, "eq." + kLiterals[c][pick(kLiterals[c].size())]}});
      ASSERT_TRUE(f.ok());
      row.push_back((*f)[0].values[0]);
    }
    rows.push_back(std::move(row));
  }
  MakeEdition("e1", rows);
  // The reference data: what the store holds (REAL columns read back as reals).
  std::vector<std::vector<Cell>> data;
  store::RowScan all;
  all.columns = {0, 1, 2, 3, 4, 5};
  ASSERT_TRUE(store_->products()
                  .Scan(edition_, all,
                        [&](int64_t, const std::vector<Cell>& cells) {
                          data.push_back(cells);
                          return Status::Ok();
                        })
                  .ok());
  ASSERT_EQ(data.size(), 400u);

  static const std::vector<std::string> kOps = {"eq", "neq", "lt", "gte", "in", "is", "not", "like", "ilike"};
  static const char* kFns[] = {"count", "sum", "avg", "min", "max"};
  const std::vector<size_t> numeric = {1, 2};
  int nonempty = 0;
  for (int iter = 0; iter < 400; ++iter) {
    http::Params params;
    for (size_t n = pick(3); n > 0; --n) {
      params.push_back(RandomFilter(schema_, kLiterals, kPatterns, kOps, pick));
    }
    std::vector<size_t> cols = {0, 1, 2, 3, 4, 5};
    std::shuffle(cols.begin(), cols.end(), rng);
    std::string group_by;
    for (size_t k = 0, m = pick(4); k < m; ++k) group_by += (k ? "," : "") + schema_.columns[cols[k]].name;
    if (!group_by.empty()) params.emplace_back("group_by", group_by);
    bool any_aggregate = false;
    for (const char* fn : kFns) {
      if (pick(2)) continue;
      const bool number = std::string(fn) == "sum" || std::string(fn) == "avg";
      std::vector<std::string> names;
      for (size_t c : number ? numeric : std::vector<size_t>{0, 1, 2, 3, 4, 5})
        names.push_back(schema_.columns[c].name);
      if (std::string(fn) == "count") names.push_back("*");
      std::shuffle(names.begin(), names.end(), rng);
      std::string list = names[0];
      if (pick(2)) list += "," + names[1];
      params.emplace_back(fn, list);
      any_aggregate = true;
    }
    if (group_by.empty() && !any_aggregate) params.emplace_back("count", "*");
    auto q0 = ParseAggregateQuery(schema_, params, AggregateLimits{}, QueryScope{});
    ASSERT_TRUE(q0.ok()) << q0.status().message() << " " << q0.status().details().at(0).message;
    // A random order over the outputs.
    std::vector<size_t> idx(q0->outputs.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::shuffle(idx.begin(), idx.end(), rng);
    std::string order;
    for (size_t k = 0, m = pick(3); k < m && k < idx.size(); ++k)
      order += (k ? "," : "") + q0->outputs[idx[k]].name + (pick(2) ? ".desc" : "");
    if (!order.empty()) params.emplace_back("order", order);
    const size_t limit = 1 + pick(12);
    params.emplace_back("limit", std::to_string(limit));
    auto q = ParseAggregateQuery(schema_, params, AggregateLimits{}, QueryScope{});
    ASSERT_TRUE(q.ok()) << q.status().details().at(0).message;

    // Brute force: filter, group (NULLs equal), aggregate, sort.
    std::vector<std::pair<std::vector<Cell>, std::vector<const std::vector<Cell>*>>> groups;
    for (const auto& d : data) {
      if (!std::all_of(q->filters.begin(), q->filters.end(),
                       [&](const Filter& f) { return Matches(f, d[f.column]); }))
        continue;
      std::vector<Cell> key;
      for (size_t g = 0; g < q->group_count; ++g) key.push_back(d[static_cast<size_t>(q->outputs[g].column)]);
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& grp) {
        for (size_t g = 0; g < key.size(); ++g)
          if (Compare(grp.first[g], key[g]) != 0) return false;
        return true;
      });
      if (it == groups.end()) {
        groups.push_back({key, {}});
        it = groups.end() - 1;
      }
      it->second.push_back(&d);
    }
    if (q->group_count == 0 && groups.empty()) groups.push_back({{}, {}});  // one row, also over no rows
    std::vector<std::vector<Cell>> want;
    for (const auto& [key, members] : groups) {
      std::vector<Cell> r = key;
      for (size_t o = q->group_count; o < q->outputs.size(); ++o)
        r.push_back(Reference(q->outputs[o], members));
      want.push_back(std::move(r));
    }
    std::sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
      for (const auto& o : q->order) {
        int c = Compare(a[static_cast<size_t>(o.output)], b[static_cast<size_t>(o.output)]);
        if (c != 0) return o.desc ? c > 0 : c < 0;
      }
      return false;
    });

    // The store, page by page.
    std::vector<std::vector<Cell>> got;
    for (int64_t offset = 0;; offset += static_cast<int64_t>(limit)) {
      q->offset = offset;
      store::AggregateScan scan = BuildAggregateScan(*q);
      int64_t n = 0;
      ASSERT_TRUE(store_->products()
                      .Aggregate(edition_, scan,
                                 [&](int64_t row, const std::vector<Cell>& cells) {
                                   EXPECT_EQ(row, n + 1);
                                   if (++n <= q->limit) got.push_back(cells);
                                   return Status::Ok();
                                 })
                      .ok());
      auto total = store_->products().CountGroups(edition_, scan);
      ASSERT_TRUE(total.ok());
      EXPECT_EQ(*total, static_cast<int64_t>(want.size()));
      if (n <= q->limit) break;
    }
    std::string desc;
    for (const auto& [k, v] : params) desc += k + "=" + v + "&";
    ASSERT_EQ(got.size(), want.size()) << desc << "\n got " << Show(got) << "\nwant " << Show(want);
    for (size_t i = 0; i < got.size(); ++i)
      for (size_t k = 0; k < want[i].size(); ++k)
        EXPECT_TRUE(SameCell(got[i][k], want[i][k]))
            << desc << " row " << i << " output " << q->outputs[k].name << "\n got " << Show({got[i]})
            << "\nwant " << Show({want[i]});
    nonempty += want.size() > 1;
  }
  EXPECT_GT(nonempty, 100);  // the queries were not trivially empty
}

TEST_F(AggregateRandom, IntegerSumOverflowIsAnInputError) {
  MakeEdition("big", {{Text("a"), Int(INT64_MAX), Real(1), Int(1), Text("Alna"), Null()},
                      {Text("a"), Int(1), Real(1), Int(1), Text("Alna"), Null()},
                      {Text("b"), Int(5), Real(1), Int(1), Text("Alna"), Null()}});
  auto q = ParseAggregateQuery(schema_, {{"group_by", "navn"}, {"sum", "year,andel"}, {"avg", "year"}},
                               AggregateLimits{}, QueryScope{});
  ASSERT_TRUE(q.ok());
  Status s = store_->products().Aggregate(edition_, BuildAggregateScan(*q),
                                          [](int64_t, const auto&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "integer overflow");
  Status mapped = SumOverflowError(*q, s);
  EXPECT_EQ(mapped.details().at(0).problem, "out_of_range");
  // avg does not overflow (SQLite averages in floating point); nor does a filter that avoids it.
  q = ParseAggregateQuery(schema_, {{"avg", "year"}, {"count", "*"}}, AggregateLimits{}, QueryScope{});
  std::vector<Cell> got;
  ASSERT_TRUE(store_->products()
                  .Aggregate(edition_, BuildAggregateScan(*q),
                             [&](int64_t, const auto& cells) {
                               got = cells;
                               return Status::Ok();
                             })
                  .ok());
  EXPECT_EQ(got[1].i, 3);
  EXPECT_GT(got[0].d, 3e18);
  q = ParseAggregateQuery(schema_, {{"sum", "year"}, {"navn", "eq.b"}}, AggregateLimits{}, QueryScope{});
  ASSERT_TRUE(store_->products()
                  .Aggregate(edition_, BuildAggregateScan(*q),
                             [&](int64_t, const auto& cells) {
                               got = cells;
                               return Status::Ok();
                             })
                  .ok());
  EXPECT_EQ(got[0].i, 5);
}

}  // namespace
}  // namespace kilde::query::testing
