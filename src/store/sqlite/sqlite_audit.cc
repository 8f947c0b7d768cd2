#include "store/sqlite/sqlite_audit.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <tuple>

#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "store/sqlite/migrations.h"

namespace kilde::store::sqlite {
namespace {

constexpr const char* kColumns =
    "seq, time, request_id, decision, consumer, client_id, supplier, product, edition, grant_id, purpose, "
    "legal_basis, query, rows, subjects, prev_hash, hash";

SealedAuditEntry ReadEntry(const Statement& s) {
  SealedAuditEntry x;
  AuditEntry& e = x.entry;
  e.seq = s.Int(0);
  e.time = s.Text(1);
  e.request_id = s.Text(2);
  e.decision = s.Text(3);
  e.consumer = s.Text(4);
  e.client_id = s.Text(5);
  e.supplier = s.Text(6);
  e.product = s.Text(7);
  e.edition = s.Text(8);
  e.grant = s.Text(9);
  e.purpose = s.Text(10);
  e.legal_basis = s.Text(11);
  e.query = s.Text(12);
  e.rows = s.Int(13);
  auto subjects = nlohmann::json::parse(s.Text(14), nullptr, false);
  if (subjects.is_array())
    for (const auto& v : subjects)
      if (v.is_string()) e.subjects.push_back(v.get<std::string>());
  x.prev_hash = s.Text(15);
  x.hash = s.Text(16);
  return x;
}

// Steps `s` to the end, appending each row as an entry.
Status ReadAll(Connection& c, Statement* s, std::vector<SealedAuditEntry>& out, std::string_view what) {
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadEntry(*s));
  if (rc != SQLITE_DONE) return c.Error(what);
  return Status::Ok();
}

// Lower and upper time bounds for the listing SQL: "" (no bound) becomes a value every stored time
// passes; the position's time raises the lower bound, so the index range starts there.
std::string LowerBound(const AuditQuery& q) {
  std::string lo = q.from;
  if (q.after && q.after->time > lo) lo = q.after->time;
  return lo;
}
std::string UpperBound(const AuditQuery& q) { return q.to.empty() ? std::string("\x7f") : q.to; }

// The subjects column: a JSON array of strings (keyed hashes, hex).
std::string SubjectsJson(const std::vector<std::string>& subjects) {
  std::string out;
  AppendJsonStringArray(subjects, out);
  return out;
}

bool Before(const SealedAuditEntry& a, const SealedAuditEntry& b) {
  return std::tie(a.entry.time, a.entry.seq) < std::tie(b.entry.time, b.entry.seq);
}

}  // namespace

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::Open(const std::filesystem::path& path,
                                                                 std::atomic<uint64_t>* errors) {
  KILDE_ASSIGN_OR_RETURN(auto writer, Connection::Open(path.string()));
  KILDE_RETURN_IF_ERROR(MigrateAudit(*writer).status());
  KILDE_RETURN_IF_ERROR(writer->Exec("PRAGMA synchronous=FULL"));
  KILDE_ASSIGN_OR_RETURN(auto checkpointer, Connection::Open(path.string()));
  // Reads (the audit API, innsyn, verify) are rare next to appends: two connections.
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < 2; ++i) {
    KILDE_ASSIGN_OR_RETURN(auto c, Connection::Open(path.string()));
    readers.push_back(std::move(c));
  }
  return std::unique_ptr<SqliteAuditStore>(
      new SqliteAuditStore(path, std::move(writer), std::make_unique<ConnectionPool>(std::move(readers)),
                           std::move(checkpointer), errors));
}

SqliteAuditStore::SqliteAuditStore(std::filesystem::path path, std::unique_ptr<Connection> writer,
                                   std::unique_ptr<ConnectionPool> readers,
                                   std::unique_ptr<Connection> checkpointer, std::atomic<uint64_t>* errors)
    : path_(std::move(path)),
      writer_(std::move(writer)),
      readers_(std::move(readers)),
      errors_(errors),
      checkpointer_(std::move(checkpointer)),
      checkpoint_thread_([this] { CheckpointLoop(); }) {}

SqliteAuditStore::~SqliteAuditStore() {
  {
    std::lock_guard lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  checkpoint_thread_.join();
  // The last connection to close checkpoints the rest and removes the WAL.
}

void SqliteAuditStore::CheckpointLoop() {
  // Every 100 ms with appends since the last one, a PASSIVE checkpoint (never blocks the writer)
  // copies the WAL into audit.db and syncs it. The writer's own automatic checkpoint (every 1000
  // pages) then finds almost everything copied: it syncs little, and lets the next append restart
  // the WAL from its beginning, which a checkpoint racing a busy writer never completes alone.
  std::unique_lock lock(checkpoint_mu_);
  for (;;) {
    checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; });
    if (stopping_) return;
    if (appended_since_checkpoint_ == 0) continue;
    appended_since_checkpoint_ = 0;
    lock.unlock();
    Status s = checkpointer_->Exec("PRAGMA wal_checkpoint(PASSIVE)");
    if (!s.ok()) Counted(s);
    lock.lock();
  }
}

Status SqliteAuditStore::ImportLegacy(Connection& main) {
  std::lock_guard w(write_mu_);
  KILDE_ASSIGN_OR_RETURN(Statement * attach, main.Prepare("ATTACH DATABASE ? AS audit_import"));
  attach->Bind(1, path_.string());
  if (attach->Step() != SQLITE_DONE) return main.Error("attach the audit database");
  attach->Reset();
  Status s = [&]() -> Status {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(main, true));
    KILDE_RETURN_IF_ERROR(main.Exec(std::string("INSERT OR IGNORE INTO audit_import.audit_entries (") +
                                    kColumns + ") SELECT " + kColumns +
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

Result<std::vector<SealedAuditEntry>> SqliteAuditStore::Append(const SealFn& seal) {
  std::lock_guard w(write_mu_);
  Connection* c = writer_.get();  // synchronous=FULL: durable before it returns
  std::vector<SealedAuditEntry> sealed;
  Status s = [&]() -> Status {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
    KILDE_ASSIGN_OR_RETURN(Statement * last,
                           c->Prepare("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1"));
    std::optional<SealedAuditEntry> prev;
    int rc = last->Step();
    if (rc == SQLITE_ROW) {
      prev.emplace();
      prev->entry.seq = last->Int(0);
      prev->hash = last->Text(1);
    } else if (rc != SQLITE_DONE) {
      return c->Error("read the last audit entry");
    }
    last->Reset();
    sealed = seal(prev);
    KILDE_ASSIGN_OR_RETURN(Statement * ins, c->Prepare(std::string("INSERT INTO audit_entries (") + kColumns +
                                                       ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    KILDE_ASSIGN_OR_RETURN(Statement * sub, c->Prepare("INSERT OR IGNORE INTO audit_subjects VALUES (?, ?)"));
    for (const SealedAuditEntry& x : sealed) {
      const AuditEntry& e = x.entry;
      ins->Reset();
      ins->Bind(1, e.seq).Bind(2, e.time).Bind(3, e.request_id).Bind(4, e.decision).Bind(5, e.consumer);
      ins->Bind(6, e.client_id).Bind(7, e.supplier).Bind(8, e.product).Bind(9, e.edition).Bind(10, e.grant);
      ins->Bind(11, e.purpose).Bind(12, e.legal_basis).Bind(13, e.query).Bind(14, e.rows);
      ins->Bind(15, SubjectsJson(e.subjects)).Bind(16, x.prev_hash).Bind(17, x.hash);
      if (ins->Step() != SQLITE_DONE) return c->Error("append audit entry");
      for (const std::string& subject : e.subjects) {
        sub->Reset();
        sub->Bind(1, subject).Bind(2, e.seq);
        if (sub->Step() != SQLITE_DONE) return c->Error("index audit subject");
      }
    }
    return tx.Commit();
  }();
  c->ResetAll();  // no statement may keep a snapshot open: it would hold back WAL checkpoints
  KILDE_RETURN_IF_ERROR(Counted(s));
  {
    std::lock_guard lock(checkpoint_mu_);
    appended_since_checkpoint_ += sealed.size();
  }
  return sealed;
}

Status SqliteAuditStore::AddCheckpoint(const AuditCheckpoint& cp) {
  std::lock_guard w(write_mu_);
  Connection* c = writer_.get();
  KILDE_ASSIGN_OR_RETURN(Statement * ins, c->Prepare("INSERT INTO audit_checkpoints VALUES (?, ?, ?, ?)"));
  ins->Bind(1, cp.seq).Bind(2, cp.hash).Bind(3, cp.time).Bind(4, cp.signature);
  const int rc = ins->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::Exists("a checkpoint at entry " + std::to_string(cp.seq) + " exists");
  if (rc != SQLITE_DONE) return Counted(c->Error("add audit checkpoint"));
  return Status::Ok();
}

Status SqliteAuditStore::ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) {
  auto c = readers_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare(std::string("SELECT ") + kColumns + " FROM audit_entries ORDER BY seq"));
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) KILDE_RETURN_IF_ERROR(fn(ReadEntry(*s)));
  if (rc != SQLITE_DONE) return Counted(c->Error("read the audit log"));
  return Status::Ok();
}

Result<std::vector<AuditCheckpoint>> SqliteAuditStore::Checkpoints() {
  auto c = readers_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare("SELECT seq, hash, time, signature FROM audit_checkpoints ORDER BY seq"));
  std::vector<AuditCheckpoint> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back({s->Int(0), s->Text(1), s->Text(2), s->Text(3)});
  if (rc != SQLITE_DONE) return Counted(c->Error("read audit checkpoints"));
  return out;
}

Result<std::optional<SealedAuditEntry>> SqliteAuditStore::Last() {
  auto c = readers_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("SELECT ") + kColumns +
                                                   " FROM audit_entries ORDER BY seq DESC LIMIT 1"));
  std::optional<SealedAuditEntry> last;
  const int rc = s->Step();
  if (rc == SQLITE_ROW)
    last = ReadEntry(*s);
  else if (rc != SQLITE_DONE)
    return Counted(c->Error("read the last audit entry"));
  s->Reset();
  return last;
}

Status SqliteAuditStore::ScanForVerify(const VerifyEntryFn& entry, const VerifyOrphanFn& orphan) {
  auto c = readers_->Acquire();
  {
    // One statement: the entries and the checkpoints beside them come from one read snapshot, so a
    // checkpoint appended meanwhile never names an entry the scan did not see.
    KILDE_ASSIGN_OR_RETURN(
        Statement * s,
        c->Prepare(std::string("SELECT ") + kColumns +
                   ", (SELECT json_array(k.seq, k.hash, k.time, k.signature) FROM audit_checkpoints k "
                   "WHERE k.seq = audit_entries.seq) FROM audit_entries ORDER BY seq"));
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) {
      SealedAuditEntry e = ReadEntry(*s);
      std::optional<AuditCheckpoint> at;
      if (!s->IsNull(17)) {
        auto j = nlohmann::json::parse(s->Text(17), nullptr, false);
        if (j.is_array() && j.size() == 4 && j[0].is_number_integer() && j[1].is_string() &&
            j[2].is_string() && j[3].is_string())
          at = AuditCheckpoint{j[0].get<int64_t>(), j[1].get<std::string>(), j[2].get<std::string>(),
                               j[3].get<std::string>()};
      }
      Status st = entry(e, at ? &*at : nullptr);
      if (!st.ok()) {
        s->Reset();
        return st;
      }
    }
    if (rc != SQLITE_DONE) return Counted(c->Error("read the audit log"));
  }
  // Checkpoints whose entry is gone (or was never there). Entries appended after the scan above
  // exist now, so their checkpoints are not listed here.
  KILDE_ASSIGN_OR_RETURN(
      Statement * o, c->Prepare("SELECT seq, hash, time, signature FROM audit_checkpoints k WHERE NOT "
                                "EXISTS (SELECT 1 FROM audit_entries e WHERE e.seq = k.seq) ORDER BY seq"));
  int rc;
  while ((rc = o->Step()) == SQLITE_ROW) {
    Status st = orphan({o->Int(0), o->Text(1), o->Text(2), o->Text(3)});
    if (!st.ok()) {
      o->Reset();
      return st;
    }
  }
  if (rc != SQLITE_DONE) return Counted(c->Error("read audit checkpoints"));
  return Status::Ok();
}

Result<std::vector<SealedAuditEntry>> SqliteAuditStore::Entries(const AuditQuery& q) {
  if (q.limit <= 0) return std::vector<SealedAuditEntry>{};
  const std::string lo = LowerBound(q), hi = UpperBound(q);
  // Entries at the position's time but not after it are skipped by the seq test; all others in
  // [lo, hi) qualify, so the index range scan reads at most `limit` rows more than it returns.
  const std::string after_time = q.after ? q.after->time : "";
  const int64_t after_seq = q.after ? q.after->seq : 0;
  auto c = readers_->Acquire();
  std::vector<SealedAuditEntry> out;
  if (q.products.empty()) {
    KILDE_ASSIGN_OR_RETURN(
        Statement * s, c->Prepare(std::string("SELECT ") + kColumns +
                                  " FROM audit_entries INDEXED BY audit_entries_time WHERE time >= ?1 AND "
                                  "time < ?2 AND (time > ?3 OR seq > ?4) ORDER BY time, seq LIMIT ?5"));
    s->Bind(1, lo).Bind(2, hi).Bind(3, after_time).Bind(4, after_seq).Bind(5, int64_t{q.limit});
    Status st = ReadAll(*c, s, out, "list the audit log");
    s->Reset();
    KILDE_RETURN_IF_ERROR(Counted(st));
    return out;
  }
  // One indexed range per product, merged: the first `limit` of the union are among the first
  // `limit` of each.
  KILDE_ASSIGN_OR_RETURN(
      Statement * s,
      c->Prepare(std::string("SELECT ") + kColumns +
                 " FROM audit_entries INDEXED BY audit_entries_product WHERE product = ?1 AND time >= ?2 AND "
                 "time < ?3 AND (time > ?4 OR seq > ?5) ORDER BY time, seq LIMIT ?6"));
  std::vector<std::string> products = q.products;
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  for (const std::string& product : products) {
    s->Reset();
    s->Bind(1, product).Bind(2, lo).Bind(3, hi).Bind(4, after_time).Bind(5, after_seq);
    s->Bind(6, int64_t{q.limit});
    std::vector<SealedAuditEntry> part;
    Status st = ReadAll(*c, s, part, "list the audit log");
    s->Reset();
    KILDE_RETURN_IF_ERROR(Counted(st));
    std::vector<SealedAuditEntry> merged;
    merged.reserve(std::min(out.size() + part.size(), static_cast<size_t>(q.limit)));
    std::merge(std::make_move_iterator(out.begin()), std::make_move_iterator(out.end()),
               std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()),
               std::back_inserter(merged), Before);
    if (merged.size() > static_cast<size_t>(q.limit)) merged.resize(static_cast<size_t>(q.limit));
    out = std::move(merged);
  }
  return out;
}

Result<std::vector<SealedAuditEntry>> SqliteAuditStore::EntriesForSubject(const AuditSubjectQuery& q) {
  if (q.limit <= 0) return std::vector<SealedAuditEntry>{};
  auto c = readers_->Acquire();
  std::string cols;
  for (std::string_view rest = kColumns; !rest.empty();) {
    const size_t comma = rest.find(", ");
    cols += (cols.empty() ? "e." : ", e.") + std::string(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare("SELECT " + cols +
                                    " FROM audit_subjects s JOIN audit_entries e ON e.seq = s.seq "
                                    "WHERE s.subject = ?1 AND s.seq < ?2 AND (?3 IS NULL OR e.decision = ?3) "
                                    "ORDER BY s.seq DESC LIMIT ?4"));
  s->Bind(1, q.subject).Bind(2, q.before_seq.value_or(INT64_MAX));
  if (q.decision)
    s->Bind(3, *q.decision);
  else
    s->BindNull(3);
  s->Bind(4, int64_t{q.limit});
  std::vector<SealedAuditEntry> out;
  Status st = ReadAll(*c, s, out, "look up a data subject in the audit log");
  s->Reset();
  KILDE_RETURN_IF_ERROR(Counted(st));
  return out;
}

}  // namespace kilde::store::sqlite
