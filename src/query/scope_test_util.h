// Helpers for the randomized QueryScope tests (scope_random_test.cc, scope_diff_random_test.cc):
// an 8-column schema with personal data (fnr: the person id, a key), random editions in a real
// SQLite store, random scopes, and brute-force projections (visible columns, pseudonyms).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "products/id_test_util.h"
#include "query/query_test_util.h"
#include "query/scope_output.h"

namespace kilde::query::testing {

// TestSchema (0 navn personal, 1 year, 2 andel, 3 aktiv, 4 bydel, 5 dato) + 6 fnr (personal, key,
// the person id) + 7 id (integer key).
inline products::Schema PersonSchema() {
  products::Schema s = TestSchema();
  s.columns[0].personal_data = products::PersonalData::kPersonal;
  products::Column fnr;
  fnr.name = "fnr";
  fnr.type = products::ColumnType::kFodselsnummer;
  fnr.key = fnr.required = fnr.indexed = true;
  fnr.personal_data = products::PersonalData::kPersonal;
  s.columns.push_back(fnr);
  products::Column id;
  id.name = "id";
  id.type = products::ColumnType::kInteger;
  id.key = id.required = id.indexed = true;
  s.columns.push_back(id);
  return s;
}

// Distinct valid fødselsnumre; Fnr(n) is the same number for the same n.
inline std::string Fnr(int n) {
  return products::testing::ValidFnr("0101" + std::to_string(80 + n % 20), n / 20);
}

// Literal pools per column as query text (valid for the column's type).
inline std::vector<std::vector<std::string>> PersonLiterals() {
  return {{"Alna", "alna", "Ålesund", "ÅSEN", "a_b", "a*b", "", "Østensjø", "z"},
          {"2018", "2019", "2020", "2021", "2022"},
          {"0.5", "1.25", "-3", "0", "0.1"},
          {"true", "false"},
          {"Alna", "Frogner", "Gamle Oslo"},
          {"2020-01-01", "2020-06-30", "2021-12-31"},
          {Fnr(1), Fnr(5), Fnr(10), Fnr(20), Fnr(33), Fnr(60)},
          {"1", "5", "10", "40", "77"}};
}
inline const std::vector<std::string>& PersonPatterns() {
  static const std::vector<std::string> p = {"*", "a*", "A*", "*b", "å*", "Å*", "*sund", "", "*ø", "*s*n*"};
  return p;
}
inline const std::vector<std::string>& AllOps() {
  static const std::vector<std::string> ops = {"eq", "neq",  "lt",    "lte", "gt", "gte",
                                               "in", "like", "ilike", "is",  "not"};
  return ops;
}

struct RefRow {
  int64_t row;
  std::vector<store::Cell> cells;  // all 8 columns
};

class ScopeStoreTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProduct("p");
  }
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }

  // Random rows: keys fnr = Fnr(k), id = k for distinct k drawn from [0, 200); ~15% NULLs elsewhere.
  std::vector<std::vector<store::Cell>> RandomRows(int n) {
    std::vector<int> keys(200);
    for (int i = 0; i < 200; ++i) keys[static_cast<size_t>(i)] = i;
    std::shuffle(keys.begin(), keys.end(), rng_);
    std::vector<std::vector<store::Cell>> rows;
    for (int r = 0; r < n; ++r) {
      std::vector<store::Cell> row;
      for (size_t c = 0; c < 6; ++c) row.push_back(Pick(100) < 15 ? Null() : RandomValue(c));
      row.push_back(Text(Fnr(keys[static_cast<size_t>(r)])));
      row.push_back(Int(keys[static_cast<size_t>(r)]));
      rows.push_back(std::move(row));
    }
    return rows;
  }
  // A random non-null value of column c (0..5), typed like the store holds it.
  store::Cell RandomValue(size_t c) {
    const auto& lits = literals_[c];
    auto f = ParseFilters(schema_, {{schema_.columns[c].name, "eq." + lits[Pick(lits.size())]}});
    EXPECT_TRUE(f.ok());
    return (*f)[0].values[0];
  }

  // Writes edition `id`; returns it and the rows as the store holds them.
  store::EditionRow MakeEdition(const std::string& id, const std::vector<std::vector<store::Cell>>& rows,
                                std::vector<RefRow>& ref) {
    std::vector<store::StorageColumn> cols = {{store::StorageType::kText},
                                              {store::StorageType::kInteger},
                                              {store::StorageType::kReal},
                                              {store::StorageType::kInteger},
                                              {store::StorageType::kText},
                                              {store::StorageType::kText},
                                              {store::StorageType::kText, true, true},
                                              {store::StorageType::kInteger, true, true}};
    auto w = store_->products().BeginEdition("p", cols);
    EXPECT_TRUE(w.ok());
    for (const auto& r : rows) EXPECT_TRUE((*w)->Append(r).ok());
    EXPECT_TRUE((*w)->Commit(Meta(id, static_cast<int64_t>(rows.size()))).ok());
    auto e = store_->products().Edition("p", id);
    EXPECT_TRUE(e.ok());
    store::RowScan all;
    all.columns = {0, 1, 2, 3, 4, 5, 6, 7};
    ref.clear();
    EXPECT_TRUE(store_->products()
                    .Scan(*e, all,
                          [&](int64_t row, const std::vector<store::Cell>& cells) {
                            ref.push_back({row, cells});
                            return Status::Ok();
                          })
                    .ok());
    return *e;
  }

  // A random scope: visible columns (sometimes all), pseudonymised ones among them, 0-2 row
  // filters, subject = fnr.
  QueryScope RandomScope(const std::string& key) {
    QueryScope s;
    if (Pick(4)) {
      s.allowed_columns.emplace();
      for (size_t c = 0; c < schema_.columns.size(); ++c)
        if (Pick(3)) s.allowed_columns->push_back(c);
    }
    for (size_t c = 0; c < schema_.columns.size(); ++c)
      if (IsVisible(s, c) && Pick(4) == 0) s.pseudonymised_columns.push_back(c);
    if (!s.pseudonymised_columns.empty()) s.pseudonym_key = key;
    for (size_t n = Pick(3); n > 0; --n) {
      auto [name, value] =
          RandomFilter(schema_, literals_, PersonPatterns(), AllOps(), [&](size_t k) { return Pick(k); });
      auto f = ParseFilters(schema_, {{name, value}});
      EXPECT_TRUE(f.ok()) << name << "=" << value;
      if (f.ok()) s.row_filters.push_back((*f)[0]);
    }
    s.subject_column = 6;
    return s;
  }

  static bool PassesAll(const std::vector<Filter>& filters, const std::vector<store::Cell>& cells) {
    return std::all_of(filters.begin(), filters.end(),
                       [&](const Filter& f) { return Matches(f, cells[f.column]); });
  }
  // The output cells of `cells` for output columns `cols`, pseudonymised as `scope` says.
  std::vector<store::Cell> Project(const QueryScope& scope, const std::vector<size_t>& cols,
                                   const std::vector<store::Cell>& cells) const {
    std::vector<store::Cell> out;
    for (size_t c : cols) {
      store::Cell v = cells[c];
      if (IsPseudonymised(scope, c) && v.kind != store::CellKind::kNull)
        v = Text(Pseudonym(scope.pseudonym_key, CellText(v, schema_.columns[c].type)));
      out.push_back(std::move(v));
    }
    return out;
  }
  // The fødselsnumre that must not appear in an output of `scope` over `ref`: all when fnr is not
  // visible in clear, else those of rows outside the row filters.
  std::set<std::string> ForbiddenFnrs(const QueryScope& scope, const std::vector<RefRow>& ref) const {
    const bool clear = IsVisible(scope, 6) && !IsPseudonymised(scope, 6);
    std::set<std::string> out;
    for (const RefRow& r : ref)
      if (!clear || !PassesAll(scope.row_filters, r.cells)) out.insert(r.cells[6].text);
    return out;
  }
  static void ExpectNoneIn(const std::string& text, const std::set<std::string>& forbidden,
                           const std::string& what) {
    for (const std::string& f : forbidden)
      EXPECT_EQ(text.find(f), std::string::npos) << what << " leaks " << f;
  }

  std::mt19937 rng_{20261124};
  products::Schema schema_ = PersonSchema();
  std::vector<std::vector<std::string>> literals_ = PersonLiterals();
};

}  // namespace kilde::query::testing
