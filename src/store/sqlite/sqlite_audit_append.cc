// SqliteAuditStore's write side: opening, appends through the journal, the materializer that copies
// them into audit.db, recovery and closing (see sqlite_audit.h).
#include <iterator>
#include <thread>
#include <utility>

#include "base/json_text.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_audit.h"

namespace kilde::store::sqlite {
namespace {

// The subjects column: a JSON array of strings (keyed hashes, hex).
std::string SubjectsJson(const std::vector<std::string>& subjects) {
  std::string out;
  AppendJsonStringArray(subjects, out);
  return out;
}

// The highest seq in audit.db (0 for an empty log) and its hash.
Result<std::pair<int64_t, std::string>> LastInDb(Connection& c) {
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c.Prepare("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1"));
  std::pair<int64_t, std::string> last{0, ""};
  const int rc = s->Step();
  if (rc == SQLITE_ROW)
    last = {s->Int(0), s->Text(1)};
  else if (rc != SQLITE_DONE)
    return c.Error("read the last audit entry");
  s->Reset();
  return last;
}

}  // namespace

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::Open(const std::filesystem::path& path,
                                                                 std::atomic<uint64_t>* errors) {
  KILDE_ASSIGN_OR_RETURN(auto writer, Connection::Open(path.string()));
  KILDE_RETURN_IF_ERROR(MigrateAudit(*writer).status());
  KILDE_RETURN_IF_ERROR(writer->Exec("PRAGMA synchronous=FULL"));
  // Reads (the audit API, innsyn, verify) are rare next to appends: two connections.
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < 2; ++i) {
    KILDE_ASSIGN_OR_RETURN(auto c, Connection::Open(path.string()));
    readers.push_back(std::move(c));
  }
  std::unique_ptr<SqliteAuditStore> store(new SqliteAuditStore(
      path, std::move(writer), std::make_unique<ConnectionPool>(std::move(readers)), errors));
  // What a process that died left in the journal; a live process that owns it recovers it itself.
  KILDE_ASSIGN_OR_RETURN(auto journal, AuditJournal::TryOpen(path.parent_path()));
  if (journal) KILDE_RETURN_IF_ERROR(store->Recover(*journal));
  return store;
}

SqliteAuditStore::SqliteAuditStore(std::filesystem::path path, std::unique_ptr<Connection> writer,
                                   std::unique_ptr<ConnectionPool> readers, std::atomic<uint64_t>* errors)
    : path_(std::move(path)),
      errors_(errors),
      readers_(std::move(readers)),
      writer_(std::move(writer)),
      materializer_([this] { MaterializeLoop(); }) {}

SqliteAuditStore::~SqliteAuditStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  materializer_.join();
  std::lock_guard a(append_mu_);
  if (!journal_) return;
  bool copied;
  {
    std::lock_guard lock(mu_);
    copied = pending_entries_.empty() && materialized_seq_ == appended_seq_;
  }
  // Left as it is if copying failed: the next open recovers it.
  if (copied) (void)Counted(journal_->Clear());
  {
    std::lock_guard lock(mu_);
    releasing_ = nullptr;
  }
  journal_.reset();
}

Status SqliteAuditStore::Recover(AuditJournal& journal) {
  KILDE_ASSIGN_OR_RETURN(std::vector<SealedAuditEntry> logged, journal.ReadAll());
  {
    std::lock_guard d(db_mu_);
    KILDE_ASSIGN_OR_RETURN(auto last, LastInDb(*writer_));
    std::erase_if(logged, [&](const SealedAuditEntry& x) { return x.entry.seq <= last.first; });
  }
  if (!logged.empty()) KILDE_RETURN_IF_ERROR(Counted(Insert(logged, {})));
  return Counted(journal.Clear());
}

Status SqliteAuditStore::StartAppending() {
  std::lock_guard a(append_mu_);
  return StartAppendingLocked();
}

Status SqliteAuditStore::StartAppendingLocked() {
  if (journal_) return Status::Ok();
  // Another process may hold the lock for a moment (opening the store recovers the journal).
  const auto until = std::chrono::steady_clock::now() + kLockWait;
  std::unique_ptr<AuditJournal> journal;
  for (;;) {
    KILDE_ASSIGN_OR_RETURN(journal, AuditJournal::TryOpen(path_.parent_path()));
    if (journal || std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!journal)
    return Status::Unavailable(
        "another kilde process is writing the audit log in " + path_.parent_path().string() + " (it holds " +
        (path_.parent_path() / "audit.journal-0").string() + "); run one server per data directory");
  KILDE_RETURN_IF_ERROR(Recover(*journal));
  std::pair<int64_t, std::string> last;
  {
    std::lock_guard d(db_mu_);
    KILDE_ASSIGN_OR_RETURN(last, LastInDb(*writer_));
  }
  last_.reset();
  if (last.first > 0) {
    last_.emplace();
    last_->entry.seq = last.first;
    last_->hash = last.second;
  }
  {
    std::lock_guard lock(mu_);
    appended_seq_ = materialized_seq_ = last.first;
    releasing_ = journal.get();
  }
  journal_ = std::move(journal);
  return Status::Ok();
}

Result<std::vector<SealedAuditEntry>> SqliteAuditStore::Append(const SealFn& seal) {
  std::lock_guard a(append_mu_);
  KILDE_RETURN_IF_ERROR(StartAppendingLocked());
  std::vector<SealedAuditEntry> sealed = seal(last_);
  if (sealed.empty()) return sealed;
  {
    std::unique_lock lock(mu_);
    if (!done_.wait_for(lock, kBackpressureWait, [this] { return pending_entries_.size() < kMaxPending; }))
      return Status::Unavailable("the audit log cannot keep up: " + std::to_string(pending_entries_.size()) +
                                 " entries wait to be copied into " + path_.string());
  }
  KILDE_RETURN_IF_ERROR(Counted(journal_->Append(sealed)));
  last_.emplace();
  last_->entry.seq = sealed.back().entry.seq;
  last_->hash = sealed.back().hash;
  bool wake;
  {
    std::lock_guard lock(mu_);
    wake = pending_entries_.empty() || pending_entries_.size() + sealed.size() >= kMaterializeBatch;
    pending_entries_.insert(pending_entries_.end(), sealed.begin(), sealed.end());
    appended_seq_ = sealed.back().entry.seq;
  }
  if (wake) wake_.notify_one();  // not per append: the materializer gathers for kMaterializeDelay
  return sealed;
}

Status SqliteAuditStore::AddCheckpoint(const AuditCheckpoint& c) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    wake = pending_entries_.empty() && pending_checkpoints_.empty();
    pending_checkpoints_.push_back(c);
    ++checkpoints_added_;
  }
  if (wake) wake_.notify_one();
  return Status::Ok();
}

int64_t SqliteAuditStore::CopyBacklog() {
  std::lock_guard lock(mu_);
  return appended_seq_ - materialized_seq_;
}

Status SqliteAuditStore::Insert(const std::vector<SealedAuditEntry>& entries,
                                const std::vector<AuditCheckpoint>& checkpoints) {
  std::lock_guard d(db_mu_);
  Connection* c = writer_.get();  // synchronous=FULL: durable before it returns
  Status s = [&]() -> Status {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
    KILDE_ASSIGN_OR_RETURN(Statement * ins,
                           c->Prepare(std::string("INSERT INTO audit_entries (") + kAuditColumns +
                                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    KILDE_ASSIGN_OR_RETURN(Statement * sub, c->Prepare("INSERT OR IGNORE INTO audit_subjects VALUES (?, ?)"));
    for (const SealedAuditEntry& x : entries) {
      const AuditEntry& e = x.entry;
      ins->Reset();
      ins->Bind(1, e.seq).Bind(2, e.time).Bind(3, e.request_id).Bind(4, e.decision).Bind(5, e.consumer);
      ins->Bind(6, e.client_id).Bind(7, e.supplier).Bind(8, e.product).Bind(9, e.edition).Bind(10, e.grant);
      ins->Bind(11, e.purpose).Bind(12, e.legal_basis).Bind(13, e.query).Bind(14, e.rows);
      ins->Bind(15, SubjectsJson(e.subjects)).Bind(16, x.prev_hash).Bind(17, x.hash);
      if (ins->Step() != SQLITE_DONE) return c->Error("copy audit entry " + std::to_string(e.seq));
      for (const std::string& subject : e.subjects) {
        sub->Reset();
        sub->Bind(1, subject).Bind(2, e.seq);
        if (sub->Step() != SQLITE_DONE) return c->Error("index audit subject");
      }
    }
    KILDE_ASSIGN_OR_RETURN(Statement * cp,
                           c->Prepare("INSERT OR IGNORE INTO audit_checkpoints VALUES (?, ?, ?, ?)"));
    for (const AuditCheckpoint& k : checkpoints) {
      cp->Reset();
      cp->Bind(1, k.seq).Bind(2, k.hash).Bind(3, k.time).Bind(4, k.signature);
      if (cp->Step() != SQLITE_DONE) return c->Error("add audit checkpoint");
    }
    return tx.Commit();
  }();
  c->ResetAll();  // no statement may keep a snapshot open: it would hold back WAL checkpoints
  return s;
}

void SqliteAuditStore::MaterializeLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    const auto has_work = [this] { return !pending_entries_.empty() || !pending_checkpoints_.empty(); };
    wake_.wait(lock, [&] { return stopping_ || urgent_ || has_work(); });
    // Gather: one transaction for many appends (each costs SQLite page writes and a sync).
    wake_.wait_for(lock, kMaterializeDelay,
                   [this] { return stopping_ || urgent_ || pending_entries_.size() >= kMaterializeBatch; });
    urgent_ = false;
    if (!has_work()) {
      if (stopping_) return;
      continue;
    }
    std::vector<SealedAuditEntry> entries = std::move(pending_entries_);
    std::vector<AuditCheckpoint> checkpoints = std::move(pending_checkpoints_);
    pending_entries_.clear();
    pending_checkpoints_.clear();
    lock.unlock();
    Status s = Counted(Insert(entries, checkpoints));
    lock.lock();
    if (!s.ok()) {
      // Kept in the journal (entries) and in memory; tried again, unless closing: the next open
      // recovers the entries from the journal.
      entries.insert(entries.end(), std::make_move_iterator(pending_entries_.begin()),
                     std::make_move_iterator(pending_entries_.end()));
      checkpoints.insert(checkpoints.end(), pending_checkpoints_.begin(), pending_checkpoints_.end());
      pending_entries_ = std::move(entries);
      pending_checkpoints_ = std::move(checkpoints);
      if (stopping_) return;
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
      continue;
    }
    if (!entries.empty()) {
      materialized_seq_ = entries.back().entry.seq;
      if (releasing_) releasing_->Release(materialized_seq_);  // durable in audit.db now
    }
    checkpoints_materialized_ += checkpoints.size();
    done_.notify_all();
  }
}

Status SqliteAuditStore::AwaitMaterialized() {
  std::unique_lock lock(mu_);
  const int64_t seq = appended_seq_;
  const uint64_t checkpoints = checkpoints_added_;
  const auto copied = [&] { return materialized_seq_ >= seq && checkpoints_materialized_ >= checkpoints; };
  if (copied()) return Status::Ok();
  urgent_ = true;
  wake_.notify_one();
  if (!done_.wait_for(lock, kBackpressureWait, copied))
    return Counted(Status::Unavailable("the audit log's newest entries could not be copied into " +
                                       path_.string() + " (see the log for the database error)"));
  return Status::Ok();
}

Status SqliteAuditStore::ImportLegacy(Connection& main) {
  std::lock_guard d(db_mu_);
  KILDE_ASSIGN_OR_RETURN(Statement * attach, main.Prepare("ATTACH DATABASE ? AS audit_import"));
  attach->Bind(1, path_.string());
  if (attach->Step() != SQLITE_DONE) return main.Error("attach the audit database");
  attach->Reset();
  Status s = [&]() -> Status {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(main, true));
    KILDE_RETURN_IF_ERROR(main.Exec(std::string("INSERT OR IGNORE INTO audit_import.audit_entries (") +
                                    kAuditColumns + ") SELECT " + kAuditColumns +
                                    " FROM main.audit_entries ORDER BY seq"));
    KILDE_RETURN_IF_ERROR(
        main.Exec("INSERT OR IGNORE INTO audit_import.audit_subjects (subject, seq) SELECT subject, seq FROM "
                  "main.audit_subjects"));
    KILDE_RETURN_IF_ERROR(
        main.Exec("INSERT OR IGNORE INTO audit_import.audit_checkpoints (seq, hash, time, signature) "
                  "SELECT seq, hash, time, signature FROM main.audit_checkpoints"));
    return tx.Commit();
  }();
  main.ResetAll();
  Status detached = main.Exec("DETACH DATABASE audit_import");
  KILDE_RETURN_IF_ERROR(s);
  return detached;
}

}  // namespace kilde::store::sqlite
