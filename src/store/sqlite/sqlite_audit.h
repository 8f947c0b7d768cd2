// SQLite implementation of store::AuditStore (see audit_store.h), in a database file of its own
// (audit.db beside kilde.db), so that the log's commits never touch kilde.db's write-ahead log and
// the log can be kept, backed up and placed apart.
//
// Appends are durable in the journal (audit_journal.h: one write and one fdatasync per batch) when
// Append returns. A background thread, the materializer, copies appended entries and checkpoints
// into audit.db, many batches per transaction (synchronous=FULL), and only then lets the journal
// reuse their space. Reads in this process first wait until everything appended before them is in
// audit.db, so they see their own writes. Another process beside the appender reads audit.db as it
// is, up to one materializer interval (kMaterializeDelay) behind, except that its verification scan
// (`kilde audit verify`) also reads the appender's journal, so it sees every durable entry. Opening
// the store, and the first append, copy into audit.db whatever a process that died left in the
// journal.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/audit_store.h"
#include "store/sqlite/audit_journal.h"
#include "store/sqlite/pool.h"

namespace kilde::store::sqlite {

// The columns of audit_entries, in the order the store reads and writes them.
inline constexpr const char* kAuditColumns =
    "seq, time, request_id, decision, consumer, client_id, supplier, product, edition, grant_id, purpose, "
    "legal_basis, query, rows, subjects, prev_hash, hash";

class SqliteAuditStore final : public AuditStore {
 public:
  // Opens (creating and migrating) the audit database at `path`, in the data directory that also
  // holds the journal, and recovers what the journal holds unless a live process owns it. `errors`
  // counts internal failures and must outlive the store.
  static Result<std::unique_ptr<SqliteAuditStore>> Open(const std::filesystem::path& path,
                                                        std::atomic<uint64_t>* errors);
  // Copies everything appended into audit.db and empties the journal (if that succeeded).
  ~SqliteAuditStore() override;
  // Copies the audit tables a main database from before schema version 6 holds (`main` has them)
  // into this store's file. Idempotent: entries and checkpoints already there are kept. Before the
  // first append.
  Status ImportLegacy(Connection& main);
  Status StartAppending() override;
  Result<std::vector<SealedAuditEntry>> Append(const SealFn& seal) override;
  Status AddCheckpoint(const AuditCheckpoint& c) override;
  int64_t CopyBacklog() override;
  Status ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) override;
  Result<std::vector<AuditCheckpoint>> Checkpoints() override;
  Result<std::optional<SealedAuditEntry>> Last() override;
  Status ScanForVerify(const VerifyEntryFn& entry, const VerifyOrphanFn& orphan) override;
  Result<std::vector<SealedAuditEntry>> Entries(const AuditQuery& q) override;
  Result<std::vector<SealedAuditEntry>> EntriesForSubject(const AuditSubjectQuery& q) override;

  // How long the first append waits for another process's journal lock before it fails.
  static constexpr std::chrono::milliseconds kLockWait{3000};
  // The materializer copies once this many entries wait, or this long after the first did.
  static constexpr size_t kMaterializeBatch = 4096;
  static constexpr std::chrono::milliseconds kMaterializeDelay{25};
  // Appends wait (at most kBackpressureWait, then fail) while this many entries wait to be copied.
  static constexpr size_t kMaxPending = 200000;
  static constexpr std::chrono::seconds kBackpressureWait{10};

 private:
  Status Counted(Status s) {
    if (!s.ok() && s.code() == Code::kInternal) ++*errors_;
    return s;
  }
  SqliteAuditStore(std::filesystem::path path, std::unique_ptr<Connection> writer,
                   std::unique_ptr<ConnectionPool> readers, std::atomic<uint64_t>* errors);
  // With append_mu_ held: takes the journal (waiting up to kLockWait), recovers it, and reads the
  // last entry. No-op once appending.
  Status StartAppendingLocked();
  // Copies the journal's entries after audit.db's last into audit.db, then clears the journal.
  Status Recover(AuditJournal& journal);
  // One transaction on writer_: the entries (and their subjects), then the checkpoints (a checkpoint
  // already stored at a seq is kept).
  Status Insert(const std::vector<SealedAuditEntry>& entries,
                const std::vector<AuditCheckpoint>& checkpoints);
  void MaterializeLoop();
  // Until everything appended or checkpointed before the call is in audit.db.
  Status AwaitMaterialized();

  const std::filesystem::path path_;
  std::atomic<uint64_t>* errors_;
  std::unique_ptr<ConnectionPool> readers_;

  std::mutex db_mu_;                    // serialises writes to audit.db
  std::unique_ptr<Connection> writer_;  // synchronous=FULL; guarded by db_mu_

  std::mutex append_mu_;                   // serialises appends
  std::unique_ptr<AuditJournal> journal_;  // guarded by append_mu_; set once appending
  std::optional<SealedAuditEntry> last_;   // guarded by append_mu_: seq and hash of the last entry

  // What waits to be copied, and how far copying got. Guarded by mu_.
  std::mutex mu_;
  std::condition_variable wake_;  // the materializer: work, urgency or stop
  std::condition_variable done_;  // readers and appends waiting on the materializer
  std::vector<SealedAuditEntry> pending_entries_;
  std::vector<AuditCheckpoint> pending_checkpoints_;
  int64_t appended_seq_ = 0, materialized_seq_ = 0;
  uint64_t checkpoints_added_ = 0, checkpoints_materialized_ = 0;
  AuditJournal* releasing_ = nullptr;  // journal_, told what is copied (Release is thread safe)
  bool urgent_ = false;                // a reader waits: copy now
  bool stopping_ = false;              // the destructor runs: copy what is left and stop
  std::thread materializer_;           // last: starts after the members above exist
};

}  // namespace kilde::store::sqlite
