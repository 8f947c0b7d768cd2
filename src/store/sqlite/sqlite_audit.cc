#include "store/sqlite/sqlite_audit.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <tuple>

#include <nlohmann/json.hpp>

namespace kilde::store::sqlite {
namespace {

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

bool Before(const SealedAuditEntry& a, const SealedAuditEntry& b) {
  return std::tie(a.entry.time, a.entry.seq) < std::tie(b.entry.time, b.entry.seq);
}

}  // namespace

Status SqliteAuditStore::ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) {
  KILDE_RETURN_IF_ERROR(AwaitMaterialized());
  auto c = readers_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s, c->Prepare(std::string("SELECT ") + kAuditColumns + " FROM audit_entries ORDER BY seq"));
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) KILDE_RETURN_IF_ERROR(fn(ReadEntry(*s)));
  if (rc != SQLITE_DONE) return Counted(c->Error("read the audit log"));
  return Status::Ok();
}

Result<std::vector<AuditCheckpoint>> SqliteAuditStore::Checkpoints() {
  KILDE_RETURN_IF_ERROR(AwaitMaterialized());
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
  KILDE_RETURN_IF_ERROR(AwaitMaterialized());
  auto c = readers_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("SELECT ") + kAuditColumns +
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
  KILDE_RETURN_IF_ERROR(AwaitMaterialized());
  auto c = readers_->Acquire();
  int64_t last_seq = 0;
  {
    // One statement: the entries and the checkpoints beside them come from one read snapshot, so a
    // checkpoint appended meanwhile never names an entry the scan did not see.
    KILDE_ASSIGN_OR_RETURN(
        Statement * s,
        c->Prepare(std::string("SELECT ") + kAuditColumns +
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
      last_seq = e.entry.seq;
      Status st = entry(e, at ? &*at : nullptr);
      if (!st.ok()) {
        s->Reset();
        return st;
      }
    }
    if (rc != SQLITE_DONE) return Counted(c->Error("read the audit log"));
  }
  // Beside a live appender in another process: the entries it made durable but has not copied yet
  // are in its journal, read after the scan above. Verified too where they continue the entries read
  // (a file overwritten meanwhile held only entries copied since, which a later scan reads).
  bool appending;
  {
    std::lock_guard lock(mu_);
    appending = releasing_ != nullptr;
  }
  if (!appending) {
    KILDE_ASSIGN_OR_RETURN(auto logged, AuditJournal::ReadUnlocked(path_.parent_path()));
    for (const SealedAuditEntry& x : logged) {
      if (x.entry.seq <= last_seq) continue;
      if (x.entry.seq != last_seq + 1) break;
      last_seq = x.entry.seq;
      KILDE_RETURN_IF_ERROR(entry(x, nullptr));
    }
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
  KILDE_RETURN_IF_ERROR(AwaitMaterialized());
  const std::string lo = LowerBound(q), hi = UpperBound(q);
  // Entries at the position's time but not after it are skipped by the seq test; all others in
  // [lo, hi) qualify, so the index range scan reads at most `limit` rows more than it returns.
  const std::string after_time = q.after ? q.after->time : "";
  const int64_t after_seq = q.after ? q.after->seq : 0;
  auto c = readers_->Acquire();
  std::vector<SealedAuditEntry> out;
  if (q.products.empty()) {
    KILDE_ASSIGN_OR_RETURN(
        Statement * s, c->Prepare(std::string("SELECT ") + kAuditColumns +
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
      c->Prepare(std::string("SELECT ") + kAuditColumns +
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
  KILDE_RETURN_IF_ERROR(AwaitMaterialized());
  auto c = readers_->Acquire();
  std::string cols;
  for (std::string_view rest = kAuditColumns; !rest.empty();) {
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
