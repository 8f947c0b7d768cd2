// SqliteEditionWriter: the loader thread, the switch to checked mode when keys stop ascending,
// indexes, locking, abandonment and a process killed at random points.
#include "store/sqlite/edition_writer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "store/store.h"
#include "store/store_test_util.h"

namespace kilde::store {
namespace {

class EditionWriterTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProduct("p");
  }
  void Open() { OpenStore(); }
  ProductStore& products() { return store_->products(); }
  // Column `col` of the first row of SQL run on the database file directly.
  std::string Sql(const std::string& sql, int col = 0) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, col))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  // All rows of `e`, columns `cols`, as text "v,v,...;" in _row order.
  std::string Rows(const EditionRow& e, std::vector<int> cols) {
    RowScan scan;
    scan.columns = std::move(cols);
    std::string out;
    Status s = products().Scan(e, scan, [&](int64_t, const std::vector<Cell>& cells) {
      for (const Cell& c : cells) {
        switch (c.kind) {
          case CellKind::kNull:
            out += "null";
            break;
          case CellKind::kInt:
            out += std::to_string(c.i);
            break;
          case CellKind::kReal:
            out += std::to_string(c.d);
            break;
          case CellKind::kText:
            out += c.text;
            break;
        }
        out += ",";
      }
      out += ";";
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }
  static Cell Int(int64_t v) { return Cell{CellKind::kInt, v, 0, ""}; }
  static Cell Real(double v) { return Cell{CellKind::kReal, 0, v, ""}; }
  static Cell Text(std::string v) { return Cell{CellKind::kText, 0, 0, std::move(v)}; }
  static Cell Null() { return Cell{}; }
};

// key (int), key (text), indexed text, real
const std::vector<StorageColumn> kCols = {{StorageType::kInteger, true, true},
                                          {StorageType::kText, true, true},
                                          {StorageType::kText, true, false},
                                          {StorageType::kReal, false, false}};

std::string Pad(int64_t i) {
  std::string s = std::to_string(i);
  return std::string(8 - s.size(), '0') + s;
}

TEST_F(EditionWriterTest, AscendingKeysLoadInBackgroundThenUnsortedKeysAreChecked) {
  auto w = products().BeginEdition("p", kCols);
  ASSERT_TRUE(w.ok()) << w.status().message();
  const int n = 40000;  // several batches
  for (int i = 0; i < n; ++i)
    ASSERT_TRUE(
        (*w)->Append({Int(i), Text("k" + Pad(i)), Text(i % 2 ? "Frogner" : "Alna"), Real(i * 0.5)}).ok());
  // Keys go backwards: from here on rows are checked one by one.
  ASSERT_TRUE((*w)->Append({Int(-1), Text("a"), Text("Alna"), Null()}).ok());
  EXPECT_EQ((*w)->Append({Int(7), Text("b"), Text("Alna"), Null()}).code(), Code::kAlreadyExists);
  EXPECT_EQ((*w)->Append({Int(-2), Text("k" + Pad(9)), Text("Alna"), Null()}).code(), Code::kAlreadyExists);
  ASSERT_TRUE((*w)->Pause().ok());
  ASSERT_TRUE((*w)->Append({Int(n), Text("z"), Null(), Real(-1.25)}).ok());
  EXPECT_EQ(products().Edition("p", "latest").status().code(), Code::kNotFound);
  ASSERT_TRUE((*w)->Commit(Meta("e1", n + 2)).ok());
  auto e = products().Edition("p", "latest");
  ASSERT_TRUE(e.ok());
  const std::string t = "ed_" + std::to_string(e->seq);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM " + t), std::to_string(n + 2));
  EXPECT_EQ(Sql("SELECT group_concat(c0) FROM (SELECT c0 FROM " + t + " ORDER BY _row LIMIT 3)"), "0,1,2");
  EXPECT_EQ(Sql("SELECT group_concat(c0) FROM (SELECT c0 FROM " + t + " ORDER BY _row DESC LIMIT 2)"),
            std::to_string(n) + ",-1");
  EXPECT_EQ(Sql("SELECT c1 || '|' || c2 || '|' || c3 FROM " + t + " WHERE c0 = 39999"),
            "k00039999|Frogner|19999.5");
  // Unique indexes on both keys, a filter index on the indexed column, and the planner uses it.
  EXPECT_EQ(Sql("SELECT group_concat(name) FROM (SELECT name FROM pragma_index_list('" + t +
                "') WHERE \"unique\" ORDER BY name)"),
            t + "_c0," + t + "_c1");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM pragma_index_list('" + t + "') WHERE name = '" + t + "_c2'"), "1");
  EXPECT_NE(Sql("EXPLAIN QUERY PLAN SELECT _row FROM " + t + " WHERE c2 = 'Alna'", 3).find(t + "_c2"),
            std::string::npos);
  EXPECT_EQ(Sql("PRAGMA integrity_check"), "ok");
}

TEST_F(EditionWriterTest, ReadsBackEveryKindOfValue) {
  auto w = products().BeginEdition("p", kCols);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append({Int(1), Text(""), Null(), Real(0.1)}).ok());
  ASSERT_TRUE((*w)->Append({Int(2), Text("\xC3\xA6\xC3\xB8\xC3\xA5"), Text("x"), Null()}).ok());
  ASSERT_TRUE((*w)->Commit(Meta("e1", 2)).ok());
  auto e = products().Edition("p", "e1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Rows(*e, {0, 1, 2, 3}), "1,,null,0.100000,;2,\xC3\xA6\xC3\xB8\xC3\xA5,x,null,;");
}

TEST_F(EditionWriterTest, ManyColumnsAndLongTexts) {
  std::vector<StorageColumn> cols(500, {StorageType::kText, false, false});
  cols[0] = {StorageType::kInteger, true, true};
  auto w = products().BeginEdition("p", cols);
  ASSERT_TRUE(w.ok());
  const std::string long_text(300000, 'x');  // a batch holds few of these
  for (int r = 0; r < 300; ++r) {
    std::vector<Cell> row(500, Text("v" + std::to_string(r)));
    row[0] = Int(r);
    row[499] = Text(r % 10 == 0 ? long_text : "short");
    ASSERT_TRUE((*w)->Append(row).ok());
  }
  ASSERT_TRUE((*w)->Commit(Meta("e1", 300)).ok());
  auto e = products().Edition("p", "e1");
  ASSERT_TRUE(e.ok());
  const std::string t = "ed_" + std::to_string(e->seq);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM " + t), "300");
  EXPECT_EQ(Sql("SELECT SUM(length(c499)) FROM " + t), std::to_string(30 * 300000 + 270 * 5));
  EXPECT_EQ(Sql("SELECT c250 FROM " + t + " WHERE c0 = 299"), "v299");
}

TEST_F(EditionWriterTest, AbandonedWhileLoadingLeavesNothing) {
  {
    auto w = products().BeginEdition("p", kCols);
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 30000; ++i) ASSERT_TRUE((*w)->Append({Int(i), Text(Pad(i)), Text("a"), Null()}).ok());
  }  // destroyed with batches queued
  {
    auto w = products().BeginEdition("p", kCols);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append({Int(2), Text("b"), Text("a"), Null()}).ok());
    ASSERT_TRUE((*w)->Append({Int(1), Text("a"), Text("a"), Null()}).ok());  // checked mode, open transaction
  }
  EXPECT_TRUE(products().Editions("p")->empty());
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'ed\\_%' ESCAPE '\\'"), "0");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM editions"), "0");
  EXPECT_TRUE(store_->catalog().Insert(Dataset("after")).ok());  // the write lock is free
}

// Between Appends in checked mode, after Pause, other writers are not kept waiting; two ingests at
// once both complete.
TEST_F(EditionWriterTest, OtherWritersProceedWhileIngestsRun) {
  auto w1 = products().BeginEdition("p", kCols);
  ASSERT_TRUE(w1.ok());
  ASSERT_TRUE((*w1)->Append({Int(5), Text("e"), Text("a"), Null()}).ok());
  ASSERT_TRUE((*w1)->Append({Int(4), Text("d"), Text("a"), Null()}).ok());  // checked mode
  ASSERT_TRUE((*w1)->Pause().ok());
  auto insert = std::async(std::launch::async, [&] { return store_->catalog().Insert(Dataset("d1")); });
  ASSERT_EQ(insert.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(insert.get().ok());

  auto load = [&](int base, bool descending, std::string id) {
    auto w = products().BeginEdition("p", kCols);
    if (!w.ok()) return w.status();
    for (int i = 0; i < 20000; ++i) {
      const int k = descending ? base - i : base + i;
      KILDE_RETURN_IF_ERROR((*w)->Append({Int(k), Text(Pad(k)), Text("a"), Real(k)}));
      if (i % 1000 == 0) KILDE_RETURN_IF_ERROR((*w)->Pause());
    }
    return (*w)->Commit(Meta(std::move(id), 20000));
  };
  auto a = std::async(std::launch::async, load, 0, false, "a");
  auto b = std::async(std::launch::async, load, 100000, true, "b");
  ASSERT_TRUE((*w1)->Append({Int(3), Text("c"), Text("a"), Null()}).ok());
  ASSERT_TRUE((*w1)->Pause().ok());
  EXPECT_TRUE(a.get().ok());
  EXPECT_TRUE(b.get().ok());
  ASSERT_TRUE((*w1)->Commit(Meta("w1", 3)).ok());
  EXPECT_EQ(products().Editions("p")->size(), 3u);
  EXPECT_EQ(Sql("PRAGMA integrity_check"), "ok");
}

// A process killed at any moment of an ingest (loading, building indexes, committing, checkpointing)
// leaves a store that opens cleanly with only complete editions.
TEST_F(EditionWriterTest, KilledAtRandomMomentsLeavesOnlyCompleteEditions) {
  store_.reset();
  size_t complete = 0;
  for (int delay_ms : {5, 30, 80, 150, 250, 400}) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {  // child: ingest edition after edition until killed
      std::thread([delay_ms] {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        ::kill(::getpid(), SIGKILL);
      }).detach();
      auto s = OpenSqliteStore(dir_);
      if (!s.ok()) _exit(2);
      for (int ed = 0;; ++ed) {
        auto w = (*s)->products().BeginEdition("p", kCols);
        if (!w.ok()) _exit(3);
        for (int i = 0; i < 50000; ++i)
          if (!(*w)->Append({Int(i), Text(Pad(i)), Text(i % 3 ? "x" : "y"), Real(i)}).ok()) _exit(4);
        if (!(*w)->Commit(Meta("k" + std::to_string(delay_ms) + "-" + std::to_string(ed), 50000)).ok())
          _exit(5);
      }
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
    Open();
    EXPECT_EQ(Sql("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(Sql("SELECT COUNT(*) FROM editions WHERE state <> 'ready'"), "0");
    auto eds = products().Editions("p");
    ASSERT_TRUE(eds.ok());
    for (const auto& e : *eds)
      EXPECT_EQ(Sql("SELECT COUNT(*) FROM ed_" + std::to_string(e.seq)), "50000") << e.id;
    EXPECT_EQ(
        Sql("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ed\\_%' ESCAPE '\\'"),
        std::to_string(eds->size()));
    complete += eds->size();
    store_.reset();
  }
  EXPECT_GT(complete, 0u);  // some runs were killed after commits, not only during the first load
}

}  // namespace
}  // namespace kilde::store
