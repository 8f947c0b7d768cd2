#include "store/sqlite/sqlite_audit.h"

#include <nlohmann/json.hpp>

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

}  // namespace

Result<std::vector<SealedAuditEntry>> SqliteAuditStore::Append(const SealFn& seal) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  // Durable before it returns: the caller answers the request only afterwards.
  KILDE_RETURN_IF_ERROR(Counted(c->Exec("PRAGMA synchronous=FULL")));
  std::vector<SealedAuditEntry> sealed;
  Status s = [&]() -> Status {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
    KILDE_ASSIGN_OR_RETURN(Statement * last, c->Prepare(std::string("SELECT ") + kColumns +
                                                        " FROM audit_entries ORDER BY seq DESC LIMIT 1"));
    std::optional<SealedAuditEntry> prev;
    int rc = last->Step();
    if (rc == SQLITE_ROW)
      prev = ReadEntry(*last);
    else if (rc != SQLITE_DONE)
      return c->Error("read the last audit entry");
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
      ins->Bind(15, nlohmann::json(e.subjects).dump()).Bind(16, x.prev_hash).Bind(17, x.hash);
      if (ins->Step() != SQLITE_DONE) return c->Error("append audit entry");
      for (const std::string& subject : e.subjects) {
        sub->Reset();
        sub->Bind(1, subject).Bind(2, e.seq);
        if (sub->Step() != SQLITE_DONE) return c->Error("index audit subject");
      }
    }
    return tx.Commit();
  }();
  (void)c->Exec("PRAGMA synchronous=NORMAL");
  KILDE_RETURN_IF_ERROR(Counted(s));
  return sealed;
}

Status SqliteAuditStore::AddCheckpoint(const AuditCheckpoint& cp) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * ins, c->Prepare("INSERT INTO audit_checkpoints VALUES (?, ?, ?, ?)"));
  ins->Bind(1, cp.seq).Bind(2, cp.hash).Bind(3, cp.time).Bind(4, cp.signature);
  const int rc = ins->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::Exists("a checkpoint at entry " + std::to_string(cp.seq) + " exists");
  if (rc != SQLITE_DONE) return Counted(c->Error("add audit checkpoint"));
  return Status::Ok();
}

Status SqliteAuditStore::ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare(std::string("SELECT ") + kColumns + " FROM audit_entries ORDER BY seq"));
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) KILDE_RETURN_IF_ERROR(fn(ReadEntry(*s)));
  if (rc != SQLITE_DONE) return Counted(c->Error("read the audit log"));
  return Status::Ok();
}

Result<std::vector<AuditCheckpoint>> SqliteAuditStore::Checkpoints() {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare("SELECT seq, hash, time, signature FROM audit_checkpoints ORDER BY seq"));
  std::vector<AuditCheckpoint> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back({s->Int(0), s->Text(1), s->Text(2), s->Text(3)});
  if (rc != SQLITE_DONE) return Counted(c->Error("read audit checkpoints"));
  return out;
}

}  // namespace kilde::store::sqlite
