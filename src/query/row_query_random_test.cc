// Randomized test: random data, filters, order and limit against SQLite, paging by cursor, compared
// with filtering and sorting done in C++ by brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "query/query_test_util.h"

namespace kilde::query::testing {
namespace {

using store::Cell;
using store::CellKind;

// Literal pools per column (as query text); null is produced separately.
const std::vector<std::vector<std::string>> kLiterals = {
    {"Alna", "alna", "Ålesund", "ålesund", "ÅSEN", "åsen", "a_b", "a%b", "a*b", "", "Østensjø", "z"},
    {"2018", "2019", "2020", "2021", "2022", "-1"},
    {"0.5", "1.25", "-3", "10000000000", "0", "0.1"},
    {"true", "false"},
    {"Alna", "Frogner", "Gamle Oslo"},
    {"2020-01-01", "2020-06-30", "2021-12-31", "2022-02-28"},
};
const std::vector<std::string> kPatterns = {"*",     "a*",  "A*", "*b",   "*_*", "*%*", "å*",   "Å*",
                                            "*sund", "a*b", "",   "ÅSEN", "*ø",  "Ø*",  "*s*n*"};

class RowQueryRandom : public QueryStoreTest {};

TEST_F(RowQueryRandom, PagedResultsMatchBruteForce) {
  std::mt19937 rng(20261123);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  // Random data: literals typed by ParseCell via a filter parse, ~15% NULL.
  std::vector<std::vector<Cell>> rows;
  for (int r = 0; r < 300; ++r) {
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
  // Read back what the store holds (ordinals and cells) as the reference data.
  std::vector<std::pair<int64_t, std::vector<Cell>>> data;
  store::RowScan all;
  all.columns = {0, 1, 2, 3, 4, 5};
  ASSERT_TRUE(store_->products()
                  .Scan(edition_, all,
                        [&](int64_t row, const std::vector<Cell>& cells) {
                          data.emplace_back(row, cells);
                          return Status::Ok();
                        })
                  .ok());
  ASSERT_EQ(data.size(), 300u);

  static const std::vector<std::string> kOps = {"eq", "neq", "lt",  "lte",  "gt",   "gte",
                                                "in", "is",  "not", "like", "ilike"};
  for (int iter = 0; iter < 300; ++iter) {
    http::Params params;
    for (size_t n = pick(3); n > 0; --n) {
      params.push_back(RandomFilter(schema_, kLiterals, kPatterns, kOps, pick));
    }
    std::string order;
    std::vector<size_t> cols = {0, 1, 2, 3, 4, 5};
    std::shuffle(cols.begin(), cols.end(), rng);
    for (size_t k = 0, m = pick(4); k < m; ++k)
      order += (k ? "," : "") + schema_.columns[cols[k]].name + (pick(2) ? ".desc" : ".asc");
    if (!order.empty()) params.emplace_back("order", order);
    params.emplace_back("limit", std::to_string(1 + pick(60)));

    auto q = ParseRowQuery(schema_, params, Limits{});
    ASSERT_TRUE(q.ok()) << q.status().message() << " " << q.status().details().at(0).message;
    std::vector<std::pair<int64_t, std::vector<Cell>>> expected;
    for (const auto& d : data)
      if (std::all_of(q->filters.begin(), q->filters.end(),
                      [&](const Filter& f) { return Matches(f, d.second[f.column]); }))
        expected.push_back(d);
    std::stable_sort(expected.begin(), expected.end(), [&](const auto& a, const auto& b) {
      for (const OrderBy& o : q->order) {
        int c = Compare(a.second[o.column], b.second[o.column]);
        if (c != 0) return o.desc ? c > 0 : c < 0;
      }
      return a.first < b.first;
    });
    std::vector<int64_t> want;
    for (const auto& e : expected) want.push_back(e.first);
    std::string desc;
    for (const auto& [k, v] : params) desc += k + "=" + v + "&";
    EXPECT_EQ(RunAll(params), want) << desc;
    EXPECT_EQ(*store_->products().Count(edition_, CountScan(*q)), static_cast<int64_t>(want.size())) << desc;
  }
}

}  // namespace
}  // namespace kilde::query::testing
