// `kilde audit verify` over the binary: an intact log verifies (exit 0); a log edited in the
// database file names the entry (exit 2). And one server per data directory appends to the log.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/log.h"
#include "fixtures.h"
#include "store/store.h"

namespace kilde::it {
namespace {

TEST(AuditCli, VerifyNamesTheFirstTamperedEntry) {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  {
    auto store = store::OpenSqliteStore(data);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto signer = audit::Signer::LoadOrCreate(audit::Log::KeyPath(data));
    ASSERT_TRUE(signer.ok());
    audit::Log log(&(*store)->audit(), std::move(*signer), 10);
    std::vector<audit::Entry> entries(25);
    for (size_t i = 0; i < entries.size(); ++i) {
      entries[i].time = "2026-11-23T22:50:00.000Z";
      entries[i].decision = "allowed";
      entries[i].consumer = "974760673";
      entries[i].product = "helse";
      entries[i].rows = static_cast<int64_t>(i);
    }
    ASSERT_TRUE(log.Record(std::move(entries)).ok());
  }
  CommandResult ok = RunKilde({"audit", "verify", "--data-dir", data});
  EXPECT_EQ(ok.exit_code, 0) << ok.Describe();
  EXPECT_NE(ok.out.find("audit log intact: 25 entries, 1 signed checkpoint\n"), std::string::npos)
      << ok.Describe();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((std::filesystem::path(data) / "audit.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_entries_no_update;"
                         "UPDATE audit_entries SET rows = 0 WHERE seq = 13;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  CommandResult bad = RunKilde({"audit", "verify", "--data-dir", data});
  EXPECT_EQ(bad.exit_code, 2) << bad.Describe();
  EXPECT_NE(bad.err.find("entry 13 was changed"), std::string::npos) << bad.Describe();
}

// The audit log has one appender: a second `kilde serve` on the same data directory refuses to
// start, naming the lock, while the first goes on serving and `kilde audit verify` runs beside it.
TEST(AuditCli, ASecondServerOnTheSameDataDirIsRefused) {
  std::string error;
  auto first = KildeServer::Start(ServerConfig(), &error);
  ASSERT_TRUE(first) << error;
  CommandResult second =
      RunKilde({"serve", "--dev", "--listen", "127.0.0.1:0", "--data-dir", first->data_dir()}, {}, 20s);
  EXPECT_FALSE(second.timed_out) << second.Describe();
  EXPECT_NE(second.exit_code, 0) << second.Describe();
  EXPECT_NE(second.err.find("another kilde process is writing the audit log"), std::string::npos)
      << second.Describe();
  EXPECT_NE(second.err.find("audit.journal-0"), std::string::npos) << second.Describe();
  HttpClient c(first->port());
  EXPECT_EQ(c.Get("/healthz").status, 200);
  CommandResult verify = RunKilde({"audit", "verify", "--data-dir", first->data_dir()});
  EXPECT_EQ(verify.exit_code, 0) << verify.Describe();
}

}  // namespace
}  // namespace kilde::it
