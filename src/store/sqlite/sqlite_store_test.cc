#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite/migrations.h"

namespace kilde::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kilde_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = OpenSqliteStore(dir_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static ResourceRow Row(std::string kind, std::string id) {
    ResourceRow r;
    r.kind = std::move(kind);
    r.id = std::move(id);
    r.created = r.modified = "2026-01-01T00:00:00Z";
    r.version = 1;
    r.doc = "{}";
    return r;
  }
  CatalogStore& cat() { return store_->catalog(); }
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, InsertGetRoundTripsColumnsThemesAndRefs) {
  ASSERT_TRUE(cat().Insert(Row("organizations", "oslo")).ok());
  ResourceRow d = Row("datasets", "ds");
  d.publisher = "oslo";
  d.status = "published";
  d.themes = {"EDUC", "GOVE"};
  d.refs = {{"organizations", "oslo"}};
  d.doc = R"({"id":"ds"})";
  ASSERT_TRUE(cat().Insert(d).ok());
  auto got = cat().Get("datasets", "ds");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->publisher, "oslo");
  EXPECT_EQ(got->themes, (std::vector<std::string>{"EDUC", "GOVE"}));
  EXPECT_EQ(got->refs, (std::vector<Ref>{{"organizations", "oslo"}}));
  EXPECT_EQ(got->doc, R"({"id":"ds"})");
  EXPECT_EQ(cat().Insert(d).code(), Code::kAlreadyExists);
  EXPECT_EQ(cat().Get("datasets", "nope").status().code(), Code::kNotFound);
}

TEST_F(SqliteStoreTest, ReferenceToMissingRowIsRejectedAndNothingWritten) {
  ResourceRow d = Row("datasets", "ds");
  d.refs = {{"organizations", "missing"}};
  Status s = cat().Insert(d);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("missing"), std::string::npos);
  EXPECT_EQ(cat().Get("datasets", "ds").status().code(), Code::kNotFound);
}

TEST_F(SqliteStoreTest, ReferencedRowCannotBeDeletedChildrenGoWithParent) {
  ASSERT_TRUE(cat().Insert(Row("organizations", "oslo")).ok());
  ResourceRow d = Row("datasets", "ds");
  d.refs = {{"organizations", "oslo"}};
  ASSERT_TRUE(cat().Insert(d).ok());
  ResourceRow dist = Row("distributions", "csv");
  dist.parent = Ref{"datasets", "ds"};
  ASSERT_TRUE(cat().Insert(dist).ok());

  Status s = cat().Delete("organizations", "oslo", std::nullopt);
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_NE(s.message().find("datasets 'ds'"), std::string::npos) << s.message();
  EXPECT_TRUE(cat().Get("organizations", "oslo").ok());

  ASSERT_TRUE(cat().Delete("datasets", "ds", 1).ok());
  EXPECT_EQ(cat().Get("distributions", "csv").status().code(), Code::kNotFound);
  EXPECT_TRUE(cat().Delete("organizations", "oslo", std::nullopt).ok());
}

TEST_F(SqliteStoreTest, UpdateChecksVersion) {
  ASSERT_TRUE(cat().Insert(Row("organizations", "oslo")).ok());
  ResourceRow r = Row("organizations", "oslo");
  r.version = 2;
  r.doc = R"({"v":2})";
  ASSERT_TRUE(cat().Update(r, 1).ok());
  r.version = 3;
  EXPECT_EQ(cat().Update(r, 1).code(), Code::kFailedPrecondition);
  EXPECT_EQ(cat().Get("organizations", "oslo")->version, 2);
  EXPECT_EQ(cat().Delete("organizations", "oslo", 1).code(), Code::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, ListPagesByIdWithFilters) {
  for (int i = 0; i < 7; ++i) {
    ResourceRow r = Row("datasets", "d" + std::to_string(i));
    r.status = i % 2 ? "published" : "draft";
    r.themes = {i < 3 ? "EDUC" : "HEAL"};
    r.modified = "2026-01-0" + std::to_string(i + 1) + "T00:00:00Z";
    ASSERT_TRUE(cat().Insert(r).ok());
  }
  ListQuery q;
  q.kind = "datasets";
  q.limit = 3;
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    auto rows = cat().List(q);
    ASSERT_TRUE(rows.ok());
    for (auto& r : *rows) seen.push_back(r.id);
    if (rows->size() < 3) break;
    q.after_id = rows->back().id;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"d0", "d1", "d2", "d3", "d4", "d5", "d6"}));

  ListQuery f;
  f.kind = "datasets";
  f.limit = 100;
  f.status = "published";
  f.theme = "HEAL";
  f.modified_since = "2026-01-05T00:00:00Z";
  auto rows = cat().List(f);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].id, "d5");
}

TEST_F(SqliteStoreTest, UpsertBatchIsAllOrNothing) {
  ResourceRow d = Row("datasets", "ds");
  d.refs = {{"organizations", "oslo"}};  // defined later in the batch: allowed
  ASSERT_TRUE(cat().UpsertBatch({d, Row("organizations", "oslo")}).ok());
  EXPECT_EQ(cat().Get("datasets", "ds")->version, 1);
  ASSERT_TRUE(cat().UpsertBatch({d}).ok());
  EXPECT_EQ(cat().Get("datasets", "ds")->version, 2);

  ResourceRow bad = Row("datasets", "bad");
  bad.refs = {{"organizations", "nowhere"}};
  EXPECT_FALSE(cat().UpsertBatch({Row("organizations", "new-org"), bad}).ok());
  EXPECT_EQ(cat().Get("organizations", "new-org").status().code(), Code::kNotFound);
  EXPECT_EQ(cat().Get("datasets", "bad").status().code(), Code::kNotFound);
  // The connection is usable after the failed batch.
  EXPECT_TRUE(cat().Insert(Row("organizations", "after")).ok());
}

TEST_F(SqliteStoreTest, DataSurvivesReopen) {
  ASSERT_TRUE(cat().Insert(Row("organizations", "oslo")).ok());
  store_.reset();
  auto again = OpenSqliteStore(dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->catalog().Get("organizations", "oslo").ok());
  EXPECT_TRUE((*again)->Ping().ok());
  EXPECT_EQ((*again)->schema_version(), sqlite::LatestSchemaVersion());
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefusedWithClearMessage) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future')", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto s = OpenSqliteStore(dir_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("schema version 999"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace kilde::store
