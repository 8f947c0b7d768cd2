#include "store/sqlite/sqlite_products.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite/edition_writer.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace kilde::store {
namespace {

class SqliteProductsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProduct("befolkning");
  }
  void Open() { OpenStore(); }
  ProductStore& products() { return store_->products(); }
  static Cell Int(int64_t v) { return Cell{CellKind::kInt, v, 0, ""}; }
  static Cell Text(std::string v) { return Cell{CellKind::kText, 0, 0, std::move(v)}; }
};

const std::vector<StorageColumn> kCols = {{StorageType::kInteger, true, true},
                                          {StorageType::kText, true, false}};

TEST_F(SqliteProductsTest, EditionVisibleOnlyAfterCommitAndScansFilter) {
  auto w = products().BeginEdition("befolkning", kCols);
  ASSERT_TRUE(w.ok()) << w.status().message();
  for (int i = 0; i < 50000; ++i)  // crosses the internal batch size
    ASSERT_TRUE((*w)->Append({Int(i), Text(i % 2 ? "Frogner" : "Alna")}).ok());
  EXPECT_EQ(products().Edition("befolkning", "latest").status().code(), Code::kNotFound);
  ASSERT_TRUE((*w)->Commit(Meta("e1", 50000)).ok());
  auto e = products().Edition("befolkning", "latest");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->id, "e1");
  RowScan scan;
  scan.where = "c1 = ? AND c0 < ?";
  scan.params = {Text("Frogner"), Int(10)};
  scan.columns = {0, 1};
  std::vector<int64_t> got;
  ASSERT_TRUE(products()
                  .Scan(*e, scan,
                        [&](int64_t, const std::vector<Cell>& c) {
                          got.push_back(c[0].i);
                          return Status::Ok();
                        })
                  .ok());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 3, 5, 7, 9}));
  EXPECT_EQ(*products().Count(*e, scan), 5);
}

TEST_F(SqliteProductsTest, AbandonedWriterLeavesNothingAndDuplicateKeyIsReported) {
  {
    auto w = products().BeginEdition("befolkning", kCols);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append({Int(1), Text("a")}).ok());
    EXPECT_EQ((*w)->Append({Int(1), Text("b")}).code(), Code::kAlreadyExists);
  }  // destroyed without Commit
  EXPECT_TRUE(products().Editions("befolkning")->empty());
  EXPECT_TRUE(products().Delete("befolkning", std::nullopt).ok());  // no editions hold it
}

TEST_F(SqliteProductsTest, CrashedIngestIsRemovedOnReopen) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO editions (seq, product, state) VALUES (77, 'befolkning', 'staging');"
                         "CREATE TABLE ed_77 (_row INTEGER PRIMARY KEY, c0 INTEGER);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Open();
  EXPECT_TRUE(products().Editions("befolkning")->empty());
  ASSERT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sqlite_master WHERE name='ed_77'", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(SqliteProductsTest, ProductWithEditionsCannotBeDeletedAndDatasetIsHeld) {
  auto w = products().BeginEdition("befolkning", kCols);
  ASSERT_TRUE((*w)->Commit(Meta("e1", 0)).ok());
  Status s = products().Delete("befolkning", std::nullopt);
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_EQ(store_->catalog().Delete("datasets", "ds", std::nullopt).code(), Code::kConflict);
  ASSERT_TRUE(products().DeleteEdition("befolkning", "e1").ok());
  EXPECT_TRUE(products().Delete("befolkning", std::nullopt).ok());
}

// Regression: opening the data dir a second time (another kilde process: `kilde ingest`,
// `kilde audit verify`) removed every staging edition, including one still being loaded, whose
// ingest then failed. Now only editions no live writer holds are removed.
TEST_F(SqliteProductsTest, ASecondOpenLeavesAnIngestInProgressAlone) {
  auto w = products().BeginEdition("befolkning", kCols);
  ASSERT_TRUE(w.ok()) << w.status().message();
  for (int i = 0; i < 50000; ++i) ASSERT_TRUE((*w)->Append({Int(i), Text("Alna")}).ok());
  {
    auto other = OpenSqliteStore(dir_);  // recovers staging editions on open
    ASSERT_TRUE(other.ok()) << other.status().message();
  }
  for (int i = 50000; i < 60000; ++i) ASSERT_TRUE((*w)->Append({Int(i), Text("Sagene")}).ok());
  ASSERT_TRUE((*w)->Commit(Meta("e1", 60000)).ok());
  auto e = products().Edition("befolkning", "latest");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(*products().Count(*e, RowScan{}), 60000);
  const auto lock_file = dir_ / ("kilde.db.staging-" + std::to_string(e->seq) + ".lock");
  EXPECT_TRUE(std::filesystem::exists(lock_file));
  w->reset();
  EXPECT_FALSE(std::filesystem::exists(lock_file)) << "the writer removes its lock file";
}

// A committed edition is never dropped as if it were staging (DropStaging checks the state in the
// transaction that drops).
TEST_F(SqliteProductsTest, DropStagingLeavesACommittedEdition) {
  auto w = products().BeginEdition("befolkning", kCols);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append({Int(1), Text("a")}).ok());
  ASSERT_TRUE((*w)->Commit(Meta("e1", 1)).ok());
  auto e = products().Edition("befolkning", "e1");
  ASSERT_TRUE(e.ok());
  auto c = sqlite::Connection::Open((dir_ / "kilde.db").string());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(sqlite::DropStaging(**c, e->seq).ok());
  EXPECT_EQ(*products().Count(*e, RowScan{}), 1);
}

}  // namespace
}  // namespace kilde::store
