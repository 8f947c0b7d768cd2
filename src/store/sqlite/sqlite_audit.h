// SQLite implementation of store::AuditStore (see audit_store.h), in a database file of its own
// (audit.db beside kilde.db). Appends commit with synchronous=FULL on every batch; in a file of their
// own those commits never touch kilde.db's write-ahead log, so readers of products and the catalog
// keep their page caches, and the audit log can be kept, backed up and placed apart.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "store/audit_store.h"
#include "store/sqlite/pool.h"

namespace kilde::store::sqlite {

class SqliteAuditStore final : public AuditStore {
 public:
  // Opens (creating and migrating) the audit database at `path`. `errors` counts internal failures
  // and must outlive the store.
  ~SqliteAuditStore() override;
  static Result<std::unique_ptr<SqliteAuditStore>> Open(const std::filesystem::path& path,
                                                        std::atomic<uint64_t>* errors);
  // Copies the audit tables a main database from before schema version 6 holds (`main` has them)
  // into this store's file. Idempotent: entries and checkpoints already there are kept.
  Status ImportLegacy(Connection& main);
  Result<std::vector<SealedAuditEntry>> Append(const SealFn& seal) override;
  Status AddCheckpoint(const AuditCheckpoint& c) override;
  Status ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) override;
  Result<std::vector<AuditCheckpoint>> Checkpoints() override;
  Result<std::optional<SealedAuditEntry>> Last() override;
  Status ScanForVerify(const VerifyEntryFn& entry, const VerifyOrphanFn& orphan) override;
  Result<std::vector<SealedAuditEntry>> Entries(const AuditQuery& q) override;
  Result<std::vector<SealedAuditEntry>> EntriesForSubject(const AuditSubjectQuery& q) override;

 private:
  Status Counted(Status s) {
    if (!s.ok() && s.code() == Code::kInternal) ++*errors_;
    return s;
  }
  SqliteAuditStore(std::filesystem::path path, std::unique_ptr<Connection> writer,
                   std::unique_ptr<ConnectionPool> readers, std::unique_ptr<Connection> checkpointer,
                   std::atomic<uint64_t>* errors);
  void CheckpointLoop();

  const std::filesystem::path path_;
  std::mutex write_mu_;                 // serialises appends and checkpoints
  std::unique_ptr<Connection> writer_;  // synchronous=FULL; guarded by write_mu_
  std::unique_ptr<ConnectionPool> readers_;
  std::atomic<uint64_t>* errors_;
  // WAL checkpoints mostly run on their own thread and connection, so that an append seldom waits for
  // one (copying pages into audit.db and syncing it can take tens of milliseconds).
  std::unique_ptr<Connection> checkpointer_;  // used by checkpoint_thread_ only
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  uint64_t appended_since_checkpoint_ = 0;  // guarded by checkpoint_mu_
  bool stopping_ = false;                   // guarded by checkpoint_mu_
  std::thread checkpoint_thread_;           // last: starts after the members above exist
};

}  // namespace kilde::store::sqlite
