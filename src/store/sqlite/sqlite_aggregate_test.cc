// SqliteProductStore::Aggregate / CountGroups: the SQL, results on a small edition, and that a
// filter on an indexed column is answered through its index (EXPLAIN QUERY PLAN).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite/sqlite_products.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace kilde::store {
namespace {

Cell Int(int64_t v) { return Cell{CellKind::kInt, v, 0, ""}; }
Cell Real(double v) { return Cell{CellKind::kReal, 0, v, ""}; }
Cell Text(std::string v) { return Cell{CellKind::kText, 0, 0, std::move(v)}; }

class SqliteAggregateTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProduct("p");
    // c0 bydel TEXT indexed, c1 year INTEGER, c2 value REAL. Bydel i of n rows: "b<i % 20>".
    auto w = store_->products().BeginEdition(
        "p", {{StorageType::kText, true, false}, {StorageType::kInteger}, {StorageType::kReal}});
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 2000; ++i) {
      Cell bydel = i % 20 == 19 ? Cell{} : Text("b" + std::to_string(i % 20 + 10));
      ASSERT_TRUE((*w)->Append({bydel, Int(2000 + i % 3), Real(i % 4 * 0.5)}).ok());
    }
    EditionRow e;
    e.id = "e1";
    e.created = "2026-01-01T00:00:00Z";
    e.row_count = 2000;
    e.schema_version = 1;
    e.sha256 = "abc";
    e.quality = "{}";
    ASSERT_TRUE((*w)->Commit(e).ok());
    edition_ = *store_->products().Edition("p", "e1");
  }
  std::vector<std::vector<Cell>> Run(const AggregateScan& scan) {
    std::vector<std::vector<Cell>> out;
    Status s = store_->products().Aggregate(edition_, scan, [&](int64_t, const std::vector<Cell>& cells) {
      out.push_back(cells);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  // The query plan of `scan` (all detail lines).
  std::string Plan(const AggregateScan& scan) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2((dir_ / "kilde.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    const std::string sql =
        "EXPLAIN QUERY PLAN " + sqlite::AggregateSql(sqlite::EditionTable(edition_.seq), scan, false);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW)
      plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("\n");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return plan;
  }

  EditionRow edition_;
};

TEST_F(SqliteAggregateTest, SqlIsFixedGrammar) {
  AggregateScan scan;
  scan.where = "c0 = ?";
  scan.params = {Text("x")};
  scan.group_by = {1};
  scan.aggregates = {{AggregateFn::kCountRows, -1}, {AggregateFn::kSum, 2}, {AggregateFn::kAvg, 2},
                     {AggregateFn::kMin, 0},        {AggregateFn::kMax, 0}, {AggregateFn::kCount, 0}};
  scan.order = {{2, true}, {0, false}};
  EXPECT_EQ(sqlite::AggregateSql("ed_7", scan, false),
            "SELECT c1, COUNT(*), SUM(c2), AVG(c2), MIN(c0), MAX(c0), COUNT(c0) FROM ed_7 WHERE c0 = ? "
            "GROUP BY c1 ORDER BY 3 DESC, 1 ASC LIMIT ? OFFSET ?");
  EXPECT_EQ(sqlite::AggregateSql("ed_7", scan, true),
            "SELECT COUNT(*) FROM (SELECT 1 FROM ed_7 WHERE c0 = ? GROUP BY c1)");
  scan.group_by.clear();
  EXPECT_EQ(sqlite::AggregateSql("ed_7", scan, true), "SELECT 1");
}

TEST_F(SqliteAggregateTest, GroupsOrderPagesAndNulls) {
  AggregateScan scan;
  scan.group_by = {0};
  scan.aggregates = {{AggregateFn::kCountRows, -1}, {AggregateFn::kSum, 1}, {AggregateFn::kAvg, 2}};
  scan.order = {{0, false}};
  auto rows = Run(scan);
  ASSERT_EQ(rows.size(), 20u);
  EXPECT_EQ(rows[0][0].kind, CellKind::kNull);  // NULL is a group, first ascending
  EXPECT_EQ(rows[0][1].i, 100);
  EXPECT_EQ(rows[1][0].text, "b10");
  EXPECT_EQ(rows[1][2].kind, CellKind::kInt);
  EXPECT_EQ(rows[1][3].kind, CellKind::kReal);
  EXPECT_EQ(*store_->products().CountGroups(edition_, scan), 20);

  scan.order = {{0, true}};
  scan.limit = 3;
  scan.offset = 18;
  rows = Run(scan);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].text, "b10");
  EXPECT_EQ(rows[1][0].kind, CellKind::kNull);  // last descending

  // Filtered, no group: one row, also when no row matches (count 0, sum null).
  AggregateScan none;
  none.where = "c1 > ?";
  none.params = {Int(9999)};
  none.aggregates = {{AggregateFn::kCountRows, -1}, {AggregateFn::kSum, 1}, {AggregateFn::kMax, 0}};
  rows = Run(none);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].i, 0);
  EXPECT_EQ(rows[0][1].kind, CellKind::kNull);
  EXPECT_EQ(rows[0][2].kind, CellKind::kNull);
  EXPECT_EQ(*store_->products().CountGroups(edition_, none), 1);
  none.group_by = {0};
  EXPECT_EQ(*store_->products().CountGroups(edition_, none), 0);
  EXPECT_TRUE(Run(none).empty());
}

TEST_F(SqliteAggregateTest, CallbackStopsTheScan) {
  AggregateScan scan;
  scan.group_by = {0};
  int n = 0;
  Status s = store_->products().Aggregate(edition_, scan, [&](int64_t, const std::vector<Cell>&) {
    return ++n == 2 ? Status::Exists("enough") : Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(n, 2);
  EXPECT_EQ(store_->products().Aggregate(edition_, AggregateScan{}, nullptr).code(), Code::kInternal);
}

TEST_F(SqliteAggregateTest, FilterOnIndexedColumnUsesTheIndex) {
  AggregateScan scan;
  scan.where = "c0 = ?";
  scan.params = {Text("b12")};
  scan.group_by = {1};
  scan.aggregates = {{AggregateFn::kSum, 2}};
  const std::string index = "INDEX " + sqlite::EditionTable(edition_.seq) + "_c0";
  EXPECT_NE(Plan(scan).find(index), std::string::npos) << Plan(scan);
  scan.where = "c0 IN (?, ?)";
  EXPECT_NE(Plan(scan).find(index), std::string::npos) << Plan(scan);
  auto rows = Run(AggregateScan{"c0 = ?", {Text("b12")}, {}, {{AggregateFn::kCountRows, -1}}, {}, -1, 0});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].i, 100);
}

}  // namespace
}  // namespace kilde::store
