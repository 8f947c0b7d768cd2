// Helpers for the query tests: brute-force references (Compare, Matches) and a fixture with a
// real SQLite store in a temp dir with one product and an
// edition of a small fixed schema (see QueryStoreTest::schema()).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "products/schema.h"
#include "query/row_query.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace kilde::query::testing {

inline store::Cell Null() { return store::Cell{}; }
inline store::Cell Int(int64_t v) { return store::Cell{store::CellKind::kInt, v, 0, ""}; }
inline store::Cell Real(double v) { return store::Cell{store::CellKind::kReal, 0, v, ""}; }
inline store::Cell Text(std::string v) { return store::Cell{store::CellKind::kText, 0, 0, std::move(v)}; }

// Columns: 0 navn string, 1 year integer, 2 andel decimal, 3 aktiv boolean, 4 bydel enum, 5 dato date.
inline products::Schema TestSchema() {
  using products::ColumnType;
  products::Schema s;
  auto add = [&](std::string name, ColumnType t) {
    products::Column c;
    c.name = std::move(name);
    c.type = t;
    if (t == ColumnType::kEnum) c.enum_values = {"Alna", "Frogner", "Gamle Oslo"};
    s.columns.push_back(std::move(c));
  };
  add("navn", ColumnType::kString);
  add("year", ColumnType::kInteger);
  add("andel", ColumnType::kDecimal);
  add("aktiv", ColumnType::kBoolean);
  add("bydel", ColumnType::kEnum);
  add("dato", ColumnType::kDate);
  return s;
}

// Brute-force references for the randomized tests.

// -1 / 0 / 1 in SQLite's order for cells of one column (NULL lowest, text bytewise).
inline int Compare(const store::Cell& a, const store::Cell& b) {
  if (a.kind == store::CellKind::kNull || b.kind == store::CellKind::kNull)
    return (a.kind != store::CellKind::kNull) - (b.kind != store::CellKind::kNull);
  if (a.kind == store::CellKind::kText) return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  double x = a.kind == store::CellKind::kInt ? static_cast<double>(a.i) : a.d;
  double y = b.kind == store::CellKind::kInt ? static_cast<double>(b.i) : b.d;
  if (a.kind == store::CellKind::kInt && b.kind == store::CellKind::kInt)
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

// Code points of UTF-8 `s`; with `fold`, A-Z and Latin-1 upper case letters lowered.
inline std::u32string Decode(const std::string& s, bool fold) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (fold && ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))) cp += 0x20;
    out.push_back(cp);
  }
  return out;
}

// Whether s[si..] matches the `*`-wildcard pattern p[pi..].
inline bool Wild(const std::u32string& p, size_t pi, const std::u32string& s, size_t si) {
  if (pi == p.size()) return si == s.size();
  if (p[pi] == U'*') {
    for (size_t k = si; k <= s.size(); ++k)
      if (Wild(p, pi + 1, s, k)) return true;
    return false;
  }
  return si < s.size() && p[pi] == s[si] && Wild(p, pi + 1, s, si + 1);
}

// Whether cell `c` passes filter `f` (SQL semantics: NULL passes only is.null).
inline bool Matches(const Filter& f, const store::Cell& c) {
  switch (f.op) {
    case Op::kIsNull:
      return c.kind == store::CellKind::kNull;
    case Op::kNotNull:
      return c.kind != store::CellKind::kNull;
    default:
      break;
  }
  if (c.kind == store::CellKind::kNull) return false;
  const store::Cell& v = f.values[0];
  switch (f.op) {
    case Op::kEq:
      return Compare(c, v) == 0;
    case Op::kNeq:
      return Compare(c, v) != 0;
    case Op::kLt:
      return Compare(c, v) < 0;
    case Op::kLte:
      return Compare(c, v) <= 0;
    case Op::kGt:
      return Compare(c, v) > 0;
    case Op::kGte:
      return Compare(c, v) >= 0;
    case Op::kIn:
      return std::any_of(f.values.begin(), f.values.end(),
                         [&](const store::Cell& x) { return Compare(c, x) == 0; });
    case Op::kLike:
    case Op::kIlike: {
      bool fold = f.op == Op::kIlike;
      return Wild(Decode(v.text, fold), 0, Decode(c.text, fold), 0);
    }
    default:
      return false;
  }
}

// One random filter parameter `column=op.value` for the randomized tests: the operator drawn from
// `ops` (names as in filter.h, plus "is" for is.null and "not" for not.is.null), values from
// `literals[column]`, like/ilike patterns from `patterns` on column 0 (the text column).
inline std::pair<std::string, std::string> RandomFilter(const products::Schema& schema,
                                                        const std::vector<std::vector<std::string>>& literals,
                                                        const std::vector<std::string>& patterns,
                                                        const std::vector<std::string>& ops,
                                                        const std::function<size_t(size_t)>& pick) {
  size_t c = pick(literals.size());
  const std::string op = ops[pick(ops.size())];
  const auto& lits = literals[c];
  std::string value;
  if (op == "is") {
    value = "is.null";
  } else if (op == "not") {
    value = "not.is.null";
  } else if (op == "like" || op == "ilike") {
    c = 0;
    value = op + "." + patterns[pick(patterns.size())];
  } else if (op == "in") {
    value = "in.(";
    for (size_t k = 0, m = 1 + pick(3); k < m; ++k)
      value += (k ? ",\"" : "\"") + lits[pick(lits.size())] + "\"";
    value += ")";
  } else {
    value = op + "." + lits[pick(lits.size())];
  }
  return {schema.columns[c].name, value};
}

class QueryStoreTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProduct("p");
  }

  // Writes and commits edition `id` with `rows` (one Cell per schema column).
  void MakeEdition(const std::string& id, const std::vector<std::vector<store::Cell>>& rows) {
    std::vector<store::StorageColumn> cols = {{store::StorageType::kText}, {store::StorageType::kInteger},
                                              {store::StorageType::kReal}, {store::StorageType::kInteger},
                                              {store::StorageType::kText}, {store::StorageType::kText}};
    auto w = store_->products().BeginEdition("p", cols);
    ASSERT_TRUE(w.ok()) << w.status().message();
    for (const auto& r : rows) ASSERT_TRUE((*w)->Append(r).ok());
    store::EditionRow e;
    e.id = id;
    e.created = "2026-01-01T00:00:00Z";
    e.row_count = static_cast<int64_t>(rows.size());
    e.schema_version = 1;
    e.sha256 = "abc";
    e.quality = "{}";
    ASSERT_TRUE((*w)->Commit(e).ok());
    auto got = store_->products().Edition("p", id);
    ASSERT_TRUE(got.ok());
    edition_ = *got;
  }

  struct Page {
    std::vector<int64_t> rows;
    std::vector<std::vector<store::Cell>> cells;  // selected columns only
    std::optional<std::string> next;
  };
  // Runs one page of `params` against the current edition; a failed Status is returned as is.
  Result<Page> RunPage(const http::Params& params) {
    KILDE_ASSIGN_OR_RETURN(RowQuery q, ParseRowQuery(schema_, params, Limits{}));
    KILDE_ASSIGN_OR_RETURN(store::RowScan scan, BuildScan(schema_, q, edition_.id));
    Page page;
    std::vector<store::Cell> last_order;
    int64_t n = 0;
    KILDE_RETURN_IF_ERROR(store_->products().Scan(edition_, scan, [&](int64_t row, const auto& cells) {
      if (++n > q.limit) {
        page.next = NextCursor(q, edition_.id, page.rows.back(), last_order);
        return Status::Ok();
      }
      page.rows.push_back(row);
      page.cells.emplace_back(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(q.select.size()));
      last_order = OrderValues(q, cells);
      return Status::Ok();
    }));
    return page;
  }
  // Ordinals of all matching rows, following cursors; fails the test on errors.
  std::vector<int64_t> RunAll(http::Params params) {
    std::vector<int64_t> all;
    std::optional<std::string> cursor;
    for (int guard = 0; guard < 10000; ++guard) {
      http::Params p = params;
      if (cursor) p.emplace_back("cursor", *cursor);
      auto page = RunPage(p);
      EXPECT_TRUE(page.ok()) << page.status().message();
      if (!page.ok()) break;
      all.insert(all.end(), page->rows.begin(), page->rows.end());
      cursor = page->next;
      if (!cursor) break;
    }
    return all;
  }

  products::Schema schema_ = TestSchema();
  store::EditionRow edition_;
};

}  // namespace kilde::query::testing
