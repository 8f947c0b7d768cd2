// The audit log on a real SQLite store: entries recorded durably with checkpoints, and tampering
// with the database file (edit, delete, reorder — going around the append-only triggers) found at
// the entry it touched.
#include "audit/log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store_test_util.h"

namespace kilde::audit {
namespace {

class AuditLogTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MakeLog();
  }
  void MakeLog() {
    auto signer = Signer::LoadOrCreate(Log::KeyPath(dir_.string()));
    ASSERT_TRUE(signer.ok()) << signer.status().message();
    log_ = std::make_unique<Log>(&store_->audit(), std::move(*signer), 10);
  }
  void RecordN(int n) {
    std::vector<Entry> batch;
    for (int i = 0; i < n; ++i) {
      Entry e;
      e.time = "2026-11-23T22:40:00.000Z";
      e.request_id = "r" + std::to_string(i);
      e.decision = "allowed";
      e.consumer = "974760673";
      e.product = "helse";
      e.purpose = "Saksbehandling";
      e.query = "/api/v1/products/helse/editions/latest/rows";
      e.rows = i;
      e.subjects = {"s" + std::to_string(i % 4)};
      batch.push_back(e);
      if (batch.size() == 7 || i == n - 1) {
        auto r = log_->Record(std::move(batch));
        ASSERT_TRUE(r.ok()) << r.status().message();
        batch.clear();
      }
    }
  }
  // Runs SQL on the database file directly, as someone with access to the disk could.
  void Tamper(const std::string& sql) {
    log_.reset();
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "audit.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
    OpenStore();
    MakeLog();
  }
  std::string Problem() {
    auto r = log_->VerifyStored();
    EXPECT_TRUE(r.ok());
    return r.ok() && r->finding ? r->finding->problem : "";
  }
  std::unique_ptr<Log> log_;
};

constexpr const char* kUnlock =
    "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;";

TEST_F(AuditLogTest, RecordsAChainWithCheckpointsThatVerifies) {
  RecordN(35);
  auto r = log_->VerifyStored();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->entries, 35);
  EXPECT_EQ(r->checkpoints, 3);  // at 10, 20, 30
  EXPECT_FALSE(r->finding) << r->finding->problem;
  ASSERT_TRUE(log_->CheckpointNow("2026-11-23T22:41:00Z").ok());
  EXPECT_EQ(log_->VerifyStored()->checkpoints, 4);
  OpenStore();  // survives a restart
  MakeLog();
  EXPECT_EQ(log_->VerifyStored()->entries, 35);
}

TEST_F(AuditLogTest, TheStoreRefusesChangesThroughSql) {
  RecordN(12);  // with a checkpoint at 10
  log_.reset();
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "audit.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_entries SET rows = 0", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_entries WHERE seq = 2", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_checkpoints", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(AuditLogTest, AnEditedEntryIsNamed) {
  RecordN(25);
  Tamper(std::string(kUnlock) + "UPDATE audit_entries SET consumer = '958935420' WHERE seq = 13;");
  EXPECT_EQ(Problem(), "entry 13 was changed");
}

TEST_F(AuditLogTest, ADeletedEntryIsNamed) {
  RecordN(25);
  Tamper(std::string(kUnlock) + "DELETE FROM audit_entries WHERE seq = 8;");
  EXPECT_EQ(Problem(), "entry 8 is missing");
}

TEST_F(AuditLogTest, ReorderedEntriesAreNamed) {
  RecordN(25);
  // Swap the contents of entries 5 and 6 (keeping the seq column), i.e. store them in the other order.
  Tamper(
      std::string(kUnlock) +
      "CREATE TEMP TABLE t AS SELECT * FROM audit_entries WHERE seq IN (5, 6);"
      "DELETE FROM audit_entries WHERE seq IN (5, 6);"
      "INSERT INTO audit_entries SELECT 11 - seq, time, request_id, decision, consumer, client_id, supplier,"
      " product, edition, grant_id, purpose, legal_basis, query, rows, subjects, prev_hash, hash FROM t;");
  EXPECT_EQ(Problem(), "entry 5 was changed");
}

TEST_F(AuditLogTest, ACutOffTailIsFoundByTheLastCheckpoint) {
  RecordN(25);
  Tamper(std::string(kUnlock) + "DELETE FROM audit_entries WHERE seq > 20;");
  EXPECT_EQ(Problem(), "");  // entries 21-25 had no checkpoint yet: a cut there is not provable
  Tamper(std::string(kUnlock) + "DELETE FROM audit_entries WHERE seq > 17;");
  EXPECT_EQ(Problem(), "entries after 17 are missing (checkpoint at entry 20)");
}

}  // namespace
}  // namespace kilde::audit
