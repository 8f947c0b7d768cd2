// The audit store on real SQLite: listings by product and time with keyset paging, lookups by
// data subject, the last entry, the verification scan, that the listings are answered from indexes
// (the log grows forever) — and the journal appends go through: copied soon, recovered after a crash,
// one appender at a time.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/audit_journal.h"
#include "store/sqlite/migrations.h"
#include "store/store_test_util.h"

namespace kilde::store {
namespace {

class SqliteAuditTest : public testing::StoreTest {
 protected:
  AuditStore& audit() { return store_->audit(); }

  // Appends one entry (seq assigned after the last; hashes are placeholders: the store does not
  // check the chain, audit/chain.h does).
  int64_t Add(const std::string& product, const std::string& time, std::vector<std::string> subjects = {},
              const std::string& decision = "allowed") {
    int64_t seq = 0;
    auto r = audit().Append([&](const std::optional<SealedAuditEntry>& last) {
      SealedAuditEntry x;
      x.entry.seq = seq = last ? last->entry.seq + 1 : 1;
      x.entry.time = time;
      x.entry.request_id = "req-" + std::to_string(seq);
      x.entry.decision = decision;
      x.entry.consumer = "974760673";
      x.entry.product = product;
      x.entry.subjects = std::move(subjects);
      x.prev_hash = last ? last->hash : "genesis";
      x.hash = "h" + std::to_string(seq);
      return std::vector<SealedAuditEntry>{x};
    });
    EXPECT_TRUE(r.ok()) << r.status().message();
    return seq;
  }
  static std::string T(int minute, int ms = 0) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "2026-11-23T10:%02d:00.%03dZ", minute, ms);
    return buf;
  }
  static std::vector<int64_t> Seqs(const Result<std::vector<SealedAuditEntry>>& r) {
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<int64_t> out;
    if (r.ok())
      for (const auto& x : *r) out.push_back(x.entry.seq);
    return out;
  }
  // Every page of `q` (q.limit per page), following the keyset position.
  std::vector<int64_t> AllPages(AuditQuery q) {
    std::vector<int64_t> out;
    for (int pages = 0; pages < 100; ++pages) {
      auto r = audit().Entries(q);
      EXPECT_TRUE(r.ok());
      if (!r.ok() || r->empty()) break;
      for (const auto& x : *r) out.push_back(x.entry.seq);
      q.after = AuditPosition{r->back().entry.time, r->back().entry.seq};
    }
    return out;
  }
  // SQLite's plan for `sql` on the database file, one line per step.
  std::string Plan(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "audit.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &s, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::string plan;
    while (s && sqlite3_step(s) == SQLITE_ROW)
      plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 3))) + "\n";
    sqlite3_finalize(s);
    sqlite3_close(db);
    return plan;
  }
};

TEST_F(SqliteAuditTest, ListsAProductsEntriesInATimeRangeInTimeOrder) {
  Add("helse", T(1));  // 1
  Add("skole", T(2));  // 2
  Add("helse", T(3));  // 3
  Add("helse", T(5));  // 4
  Add("helse", T(4));  // 5: recorded later than 4, but happened earlier
  Add("helse", T(9));  // 6
  AuditQuery q;
  q.products = {"helse"};
  EXPECT_EQ(Seqs(audit().Entries(q)), (std::vector<int64_t>{1, 3, 5, 4, 6}));
  q.from = T(3);  // inclusive
  q.to = T(9);    // exclusive
  EXPECT_EQ(Seqs(audit().Entries(q)), (std::vector<int64_t>{3, 5, 4}));
  q.limit = 2;
  EXPECT_EQ(Seqs(audit().Entries(q)), (std::vector<int64_t>{3, 5}));
  q.after = AuditPosition{T(4), 5};
  EXPECT_EQ(Seqs(audit().Entries(q)), (std::vector<int64_t>{4}));
  q.products = {"nothing-logged"};
  EXPECT_TRUE(Seqs(audit().Entries(q)).empty());
}

TEST_F(SqliteAuditTest, PagesThroughEqualTimesWithoutLosingOrRepeatingEntries) {
  for (int i = 0; i < 7; ++i) Add("helse", T(1));
  Add("skole", T(1));
  for (int i = 0; i < 3; ++i) Add("helse", T(2));
  AuditQuery q;
  q.products = {"helse"};
  q.limit = 3;
  EXPECT_EQ(AllPages(q), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 9, 10, 11}));
  q.products.clear();  // every product
  q.limit = 2;
  EXPECT_EQ(AllPages(q), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
}

TEST_F(SqliteAuditTest, SeveralProductsAreMergedInTimeOrder) {
  Add("a", T(5));  // 1
  Add("b", T(1));  // 2
  Add("c", T(2));  // 3
  Add("a", T(3));  // 4
  Add("b", T(4));  // 5
  Add("a", T(1));  // 6
  AuditQuery q;
  q.products = {"a", "b", "a"};  // duplicates do not repeat entries
  EXPECT_EQ(Seqs(audit().Entries(q)), (std::vector<int64_t>{2, 6, 4, 5, 1}));
  q.limit = 2;
  EXPECT_EQ(AllPages(q), (std::vector<int64_t>{2, 6, 4, 5, 1}));
  q.from = T(2);
  q.to = T(5);
  EXPECT_EQ(AllPages(q), (std::vector<int64_t>{4, 5}));
}

TEST_F(SqliteAuditTest, FindsTheEntriesOfADataSubjectNewestFirst) {
  Add("helse", T(1), {"anna", "bo"});      // 1
  Add("helse", T(2), {"bo"});              // 2
  Add("skole", T(3), {"anna"});            // 3
  Add("helse", T(4), {}, "denied");        // 4
  Add("helse", T(5), {"anna"}, "denied");  // 5 (a denied entry carrying subjects)
  Add("skole", T(6), {"anna", "cato"});    // 6
  AuditSubjectQuery q;
  q.subject = "anna";
  EXPECT_EQ(Seqs(audit().EntriesForSubject(q)), (std::vector<int64_t>{6, 5, 3, 1}));
  q.decision = "allowed";
  EXPECT_EQ(Seqs(audit().EntriesForSubject(q)), (std::vector<int64_t>{6, 3, 1}));
  q.limit = 2;
  EXPECT_EQ(Seqs(audit().EntriesForSubject(q)), (std::vector<int64_t>{6, 3}));
  q.before_seq = 3;
  EXPECT_EQ(Seqs(audit().EntriesForSubject(q)), (std::vector<int64_t>{1}));
  q = AuditSubjectQuery{};
  q.subject = "cato";
  EXPECT_EQ(Seqs(audit().EntriesForSubject(q)), (std::vector<int64_t>{6}));
  q.subject = "nobody";
  EXPECT_TRUE(Seqs(audit().EntriesForSubject(q)).empty());
  // The entry comes back whole (the route decides what to show).
  q.subject = "bo";
  auto r = audit().EntriesForSubject(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].entry.subjects, (std::vector<std::string>{"anna", "bo"}));
  EXPECT_EQ((*r)[1].entry.request_id, "req-1");
}

TEST_F(SqliteAuditTest, LastAndTheVerificationScan) {
  auto empty = audit().Last();
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(*empty);
  for (int i = 1; i <= 5; ++i) Add("helse", T(i));
  auto last = audit().Last();
  ASSERT_TRUE(last.ok() && *last);
  EXPECT_EQ((*last)->entry.seq, 5);
  EXPECT_EQ((*last)->hash, "h5");

  ASSERT_TRUE(audit().AddCheckpoint({2, "h2", T(2), "sig2"}).ok());
  ASSERT_TRUE(audit().AddCheckpoint({9, "h9", T(9), "sig9"}).ok());  // names an entry the log lacks
  ASSERT_TRUE(audit().AddCheckpoint({7, "h7", T(7), "sig7"}).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(audit()
                  .ScanForVerify(
                      [&](const SealedAuditEntry& e, const AuditCheckpoint* at) {
                        seen.push_back(std::to_string(e.entry.seq) +
                                       (at ? "@" + std::to_string(at->seq) + at->signature : ""));
                        return Status::Ok();
                      },
                      [&](const AuditCheckpoint& c) {
                        seen.push_back("orphan " + std::to_string(c.seq) + " " + c.hash + " " + c.time);
                        return Status::Ok();
                      })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2@2sig2", "3", "4", "5", "orphan 7 h7 " + T(7),
                                            "orphan 9 h9 " + T(9)}));
  // A callback's error stops the scan and is returned.
  int calls = 0;
  Status stop = audit().ScanForVerify(
      [&](const SealedAuditEntry&, const AuditCheckpoint*) {
        return ++calls == 2 ? Status::Invalid("stop") : Status::Ok();
      },
      [](const AuditCheckpoint&) { return Status::Ok(); });
  EXPECT_EQ(stop.message(), "stop");
  EXPECT_EQ(calls, 2);
}

TEST_F(SqliteAuditTest, ListingsAreAnsweredFromIndexesWithoutSorting) {
  // The statements of sqlite_audit.cc: each must walk an index in the order it returns.
  const std::string cols = "SELECT seq, time FROM audit_entries ";
  for (const std::string& sql :
       {cols + "INDEXED BY audit_entries_time WHERE time >= ?1 AND time < ?2 AND (time > ?3 OR seq > ?4) "
               "ORDER BY time, seq LIMIT ?5",
        cols + "INDEXED BY audit_entries_product WHERE product = ?1 AND time >= ?2 AND time < ?3 AND "
               "(time > ?4 OR seq > ?5) ORDER BY time, seq LIMIT ?6",
        std::string("SELECT e.seq FROM audit_subjects s JOIN audit_entries e ON e.seq = s.seq WHERE "
                    "s.subject = ?1 AND s.seq < ?2 AND (?3 IS NULL OR e.decision = ?3) ORDER BY s.seq DESC "
                    "LIMIT ?4")}) {
    const std::string plan = Plan(sql);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
    EXPECT_NE(plan.find("USING"), std::string::npos) << sql << "\n" << plan;
    EXPECT_EQ(plan.find("SCAN e"), std::string::npos) << sql << "\n" << plan;
  }
}

// Runs `sql` on the data dir's database file `file`, as an older kilde (or someone with the disk) would.
void RunSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << "\n"
                                                                              << sql;
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST_F(SqliteAuditTest, TheLogLivesInItsOwnFileNotInTheMainDatabase) {
  Add("p", T(1), {"s1"});
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'audit%'", -1, &st, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0) << "kilde.db keeps no audit tables";
  sqlite3_finalize(st);
  sqlite3_close(db);
  OpenStore();
  EXPECT_EQ(Seqs(audit().Entries(AuditQuery{})), (std::vector<int64_t>{1}));
}

// A data dir from before schema version 6 kept the log in kilde.db: opening it moves every entry,
// subject and checkpoint to audit.db (and drops the old tables), once.
TEST_F(SqliteAuditTest, ALogFromBeforeVersionSixMovesToTheAuditDatabase) {
  Add("p", T(1), {"s1"});  // already in audit.db: kept
  store_.reset();
  const std::string cols =
      "seq, time, request_id, decision, consumer, client_id, supplier, product, edition, grant_id, purpose, "
      "legal_basis, query, rows, subjects, prev_hash, hash";
  RunSql(dir_ / "kilde.db",
         std::string(sqlite::AuditTablesSql()) + "INSERT INTO audit_entries (" + cols +
             ") VALUES "
             "(1, '" +
             T(1) +
             "', 'req-1', 'allowed', '974760673', '', '', 'p', '', '', '', '', '', 0, '[\"s1\"]', 'genesis', "
             "'h1'),"
             "(2, '" +
             T(2) +
             "', 'req-2', 'denied', '974760673', '', '', 'p', '', '', '', '', '', 0, '[\"s2\"]', 'h1', 'h2'),"
             "(3, '" +
             T(3) +
             "', 'req-3', 'allowed', '974760673', '', '', 'q', '', '', '', '', '', 0, '[]', 'h2', 'h3');"
             "INSERT INTO audit_subjects VALUES ('s1', 1), ('s2', 2);"
             "INSERT INTO audit_checkpoints VALUES (2, 'h2', '" +
             T(2) +
             "', 'sig');"
             "DELETE FROM schema_migrations WHERE version > 5;");
  OpenStore();
  EXPECT_EQ(store_->schema_version(), sqlite::LatestSchemaVersion());
  EXPECT_EQ(Seqs(audit().Entries(AuditQuery{})), (std::vector<int64_t>{1, 2, 3}));
  AuditSubjectQuery by_subject;
  by_subject.subject = "s2";
  EXPECT_EQ(Seqs(audit().EntriesForSubject(by_subject)), (std::vector<int64_t>{2}));
  auto cps = audit().Checkpoints();
  ASSERT_TRUE(cps.ok());
  ASSERT_EQ(cps->size(), 1u);
  EXPECT_EQ((*cps)[0].hash, "h2");
  EXPECT_EQ(Add("p", T(4)), 4) << "appends continue the moved chain";
  OpenStore();  // nothing left to move; nothing doubled
  EXPECT_EQ(Seqs(audit().Entries(AuditQuery{})), (std::vector<int64_t>{1, 2, 3, 4}));
}

// Rows of audit_entries in audit.db as another process (`kilde audit verify`) sees them.
int64_t CountInDb(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_entries", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

// Appends are durable in the journal; the materializer copies them into audit.db soon after, where
// other processes read them, without anyone in this process reading.
TEST_F(SqliteAuditTest, AppendedEntriesReachAuditDbForOtherProcessesSoon) {
  for (int i = 0; i < 100; ++i) Add("p", T(i % 60), {"s" + std::to_string(i)});
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (CountInDb(dir_ / "audit.db") < 100 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(CountInDb(dir_ / "audit.db"), 100);
}

// Closing copies everything and empties the journal: nothing is replayed over audit.db afterwards.
TEST_F(SqliteAuditTest, ClosingCopiesEverythingAndEmptiesTheJournal) {
  for (int i = 0; i < 5; ++i) Add("p", T(i));
  store_.reset();
  EXPECT_EQ(CountInDb(dir_ / "audit.db"), 5);
  auto journal = sqlite::AuditJournal::TryOpen(dir_);
  ASSERT_TRUE(journal.ok() && *journal);
  auto left = (*journal)->ReadAll();
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
}

// What a process that died after its appends left only in the journal (durable, answered, but not
// yet copied) is in audit.db as soon as the data dir is opened again; entries audit.db already has
// are not doubled, and appends continue the chain.
TEST_F(SqliteAuditTest, EntriesLeftInTheJournalAreRecoveredOnOpen) {
  Add("p", T(1), {"s1"});
  store_.reset();
  {
    auto journal = sqlite::AuditJournal::TryOpen(dir_);
    ASSERT_TRUE(journal.ok() && *journal);
    ASSERT_TRUE((*journal)->Clear().ok());
    std::vector<SealedAuditEntry> batch;
    for (int64_t seq = 1; seq <= 4; ++seq) {  // entry 1 was copied before the "crash"
      SealedAuditEntry x;
      x.entry.seq = seq;
      x.entry.time = T(static_cast<int>(seq));
      x.entry.decision = "allowed";
      x.entry.product = "p";
      x.entry.subjects = {"s" + std::to_string(seq)};
      x.prev_hash = seq == 1 ? "genesis" : "h" + std::to_string(seq - 1);
      x.hash = "h" + std::to_string(seq);
      batch.push_back(x);
      if (seq == 2 || seq == 4) {
        ASSERT_TRUE((*journal)->Append(batch).ok());
        batch.clear();
      }
    }
  }  // the process "dies": the journal is not cleared
  EXPECT_EQ(CountInDb(dir_ / "audit.db"), 1);
  OpenStore();
  EXPECT_EQ(CountInDb(dir_ / "audit.db"), 4) << "recovered when opened, before any append or read";
  EXPECT_EQ(Seqs(audit().Entries(AuditQuery{})), (std::vector<int64_t>{1, 2, 3, 4}));
  AuditSubjectQuery q;
  q.subject = "s3";
  EXPECT_EQ(Seqs(audit().EntriesForSubject(q)), (std::vector<int64_t>{3}));
  EXPECT_EQ(Add("p", T(5)), 5);
  auto last = audit().Last();
  ASSERT_TRUE(last.ok() && *last);
  EXPECT_EQ((*last)->prev_hash, "h4");
  OpenStore();
  EXPECT_EQ(Seqs(audit().Entries(AuditQuery{})), (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

// `kilde audit verify` beside a running server: every entry the server made durable is verified,
// also those still only in its journal (copied into audit.db up to 25 ms later).
TEST_F(SqliteAuditTest, AVerifierBesideTheAppenderSeesEveryDurableEntry) {
  Add("p", T(1));
  auto beside = OpenSqliteStore(dir_);
  ASSERT_TRUE(beside.ok()) << beside.status().message();
  for (int round = 2; round <= 6; ++round) {
    Add("p", T(round));
    std::vector<int64_t> seen;
    ASSERT_TRUE((*beside)
                    ->audit()
                    .ScanForVerify(
                        [&](const SealedAuditEntry& e, const AuditCheckpoint*) {
                          seen.push_back(e.entry.seq);
                          return Status::Ok();
                        },
                        [](const AuditCheckpoint&) { return Status::Ok(); })
                    .ok());
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.size(), static_cast<size_t>(round)) << "round " << round;
    EXPECT_EQ(seen.back(), round);
  }
}

// One appending process per log: a second one (here a second store on the same data dir) is told
// which lock it waited for, and can still read.
TEST_F(SqliteAuditTest, ASecondAppenderIsRefusedByName) {
  Add("p", T(1));
  auto second = OpenSqliteStore(dir_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  Status s = (*second)->audit().StartAppending();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("another kilde process is writing the audit log"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("audit.journal-0"), std::string::npos) << s.message();
  EXPECT_EQ(Add("p", T(2)), 2) << "the first one goes on";
  second->reset();
  store_.reset();
  EXPECT_EQ(CountInDb(dir_ / "audit.db"), 2);
}

// Regression: with checkpoints only in the background, a writer appending without pause never let
// the WAL restart, and it grew by megabytes a second. It stays near SQLite's 1000-page bound.
TEST_F(SqliteAuditTest, TheWalStaysBoundedUnderContinuousAppends) {
  for (int i = 0; i < 2500; ++i) Add("p", T(i % 60));
  const auto wal = std::filesystem::file_size(dir_ / "audit.db-wal");
  EXPECT_LT(wal, 12u << 20) << "2500 appends left a WAL of " << wal << " bytes";
}

}  // namespace
}  // namespace kilde::store
