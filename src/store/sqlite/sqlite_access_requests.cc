// SqliteAccessStore: access requests and their event history.
#include "store/sqlite/sqlite_access.h"

namespace kilde::store::sqlite {
namespace {

using namespace access_sql;

constexpr const char* kRequestColumns =
    "id, product, requester_orgnr, client_id, purpose, law, paragraph, law_url, columns, row_filter, "
    "personal_data, valid_from, valid_to, state, reason, grant_id, created, updated, version";

constexpr const char* kExpiredReason = "the requested period ended before a decision";

std::string SelectRequests(const char* where) {
  return std::string("SELECT ") + kRequestColumns + " FROM access_requests WHERE " + where;
}

AccessRequestRow ReadRequest(const Statement& s) {
  AccessRequestRow r;
  r.id = s.Text(0);
  r.product = s.Text(1);
  r.requester_orgnr = s.Text(2);
  r.client_id = ReadOpt(s, 3);
  r.purpose = s.Text(4);
  r.legal_basis = {s.Text(5), s.Text(6), s.Text(7)};
  r.columns = ColumnsFromText(ReadOpt(s, 8));
  r.row_filter = s.Text(9);
  r.personal_data = s.Text(10);
  r.valid_from = s.Text(11);
  r.valid_to = ReadOpt(s, 12);
  r.state = s.Text(13);
  r.reason = s.Text(14);
  r.grant_id = ReadOpt(s, 15);
  r.created = s.Text(16);
  r.updated = s.Text(17);
  r.version = s.Int(18);
  return r;
}

Result<AccessRequestRow> RequestOn(Connection& c, const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(Statement * s, c.Prepare(SelectRequests("id=?")));
  s->Bind(1, id);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) return Status::NotFound("access request '" + id + "' not found");
  if (rc != SQLITE_ROW) return c.Error("get access request");
  AccessRequestRow r = ReadRequest(*s);
  s->Reset();
  return r;
}

Status AppendEvent(Connection& c, const AccessRequestEvent& e) {
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c.Prepare("INSERT INTO access_request_events (request_id, from_state, to_state, "
                                   "actor_orgnr, actor_client, time, reason) VALUES (?,?,?,?,?,?,?)"));
  s->Bind(1, e.request_id).Bind(2, e.from_state).Bind(3, e.to_state).Bind(4, e.actor.orgnr);
  s->Bind(5, e.actor.client_id).Bind(6, e.time).Bind(7, e.reason);
  if (s->Step() != SQLITE_DONE) return c.Error("append access request event");
  return Status::Ok();
}

}  // namespace

Status SqliteAccessStore::InsertRequest(const AccessRequestRow& r, const Actor& filed_by) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare(std::string("INSERT INTO access_requests (") + kRequestColumns +
                                    ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s->Bind(1, r.id).Bind(2, r.product).Bind(3, r.requester_orgnr);
  BindOpt(*s, 4, r.client_id);
  s->Bind(5, r.purpose)
      .Bind(6, r.legal_basis.law)
      .Bind(7, r.legal_basis.paragraph)
      .Bind(8, r.legal_basis.url);
  BindOpt(*s, 9, ColumnsToText(r.columns));
  s->Bind(10, r.row_filter).Bind(11, r.personal_data).Bind(12, r.valid_from);
  BindOpt(*s, 13, r.valid_to);
  s->Bind(14, r.state).Bind(15, r.reason);
  BindOpt(*s, 16, r.grant_id);
  s->Bind(17, r.created).Bind(18, r.updated).Bind(19, r.version);
  const int rc = s->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::Exists("access request '" + r.id + "' already exists");
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Status::NotFound("data product '" + r.product + "' not found");
  if (rc != SQLITE_DONE) return Counted(c->Error("insert access request"));
  KILDE_RETURN_IF_ERROR(Counted(AppendEvent(*c, {0, r.id, "", r.state, filed_by, r.created, ""})));
  return Counted(tx.Commit());
}

Result<AccessRequestRow> SqliteAccessStore::GetRequest(const std::string& id) {
  auto c = pool_->Acquire();
  auto r = RequestOn(*c, id);
  if (!r.ok()) return Counted(r.status());
  return r;
}

Result<std::vector<AccessRequestRow>> SqliteAccessStore::ListRequests(const RequestQuery& q) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s,
      c->Prepare(SelectRequests("(?1 IS NULL OR product=?1) AND (?2 IS NULL OR requester_orgnr=?2) AND "
                                "(?3 IS NULL OR state=?3) AND id>?4 ORDER BY id LIMIT ?5")));
  BindOpt(*s, 1, q.product);
  BindOpt(*s, 2, q.requester_orgnr);
  BindOpt(*s, 3, q.state);
  s->Bind(4, q.after_id).Bind(5, static_cast<int64_t>(q.limit));
  std::vector<AccessRequestRow> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadRequest(*s));
  if (rc != SQLITE_DONE) return Counted(c->Error("list access requests"));
  return out;
}

Result<std::vector<AccessRequestEvent>> SqliteAccessStore::RequestEvents(const std::string& request_id) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s, c->Prepare("SELECT seq, request_id, from_state, to_state, actor_orgnr, actor_client, "
                                "time, reason FROM access_request_events WHERE request_id=? ORDER BY seq"));
  s->Bind(1, request_id);
  std::vector<AccessRequestEvent> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW)
    out.push_back(
        {s->Int(0), s->Text(1), s->Text(2), s->Text(3), {s->Text(4), s->Text(5)}, s->Text(6), s->Text(7)});
  if (rc != SQLITE_DONE) return Counted(c->Error("access request events"));
  return out;
}

Result<AccessRequestRow> SqliteAccessStore::TransitionRequest(const RequestTransition& t) {
  assert(!t.grant || t.grant->request_id == t.request_id);
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  Result<AccessRequestRow> out = [&]() -> Result<AccessRequestRow> {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
    KILDE_ASSIGN_OR_RETURN(
        Statement * s,
        c->Prepare("UPDATE access_requests SET state=?3, reason=?4, updated=?5, "
                   "grant_id=COALESCE(?6, grant_id), version=version+1 WHERE id=?1 AND state=?2"));
    s->Bind(1, t.request_id).Bind(2, t.from_state).Bind(3, t.to_state).Bind(4, t.reason).Bind(5, t.time);
    BindOpt(*s, 6, t.grant ? std::optional<std::string>(t.grant->id) : std::nullopt);
    if (s->Step() != SQLITE_DONE) return c->Error("update access request");
    if (sqlite3_changes(c->raw()) == 0) {
      KILDE_ASSIGN_OR_RETURN(AccessRequestRow cur, RequestOn(*c, t.request_id));
      return Status(Code::kFailedPrecondition,
                    "access request '" + t.request_id + "' is " + cur.state + ", not " + t.from_state);
    }
    if (t.grant) KILDE_RETURN_IF_ERROR(InsertGrantRow(*c, *t.grant));
    KILDE_RETURN_IF_ERROR(
        AppendEvent(*c, {0, t.request_id, t.from_state, t.to_state, t.actor, t.time, t.reason}));
    KILDE_ASSIGN_OR_RETURN(AccessRequestRow updated, RequestOn(*c, t.request_id));
    KILDE_RETURN_IF_ERROR(tx.Commit());
    return updated;
  }();
  if (!out.ok()) return Counted(out.status());
  return out;
}

Result<int64_t> SqliteAccessStore::ExpirePending(const std::string& now) {
  constexpr const char* kDue = "state='pending' AND valid_to IS NOT NULL AND valid_to<=?1";
  {
    // Most calls find nothing: answer those without the writer lock.
    auto c = pool_->Acquire();
    KILDE_ASSIGN_OR_RETURN(
        Statement * any, c->Prepare(std::string("SELECT 1 FROM access_requests WHERE ") + kDue + " LIMIT 1"));
    any->Bind(1, now);
    const int rc = any->Step();
    if (rc == SQLITE_DONE) return int64_t{0};
    if (rc != SQLITE_ROW) return Counted(c->Error("find expired access requests"));
  }
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  Result<int64_t> out = [&]() -> Result<int64_t> {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
    KILDE_ASSIGN_OR_RETURN(Statement * due, c->Prepare(std::string("SELECT id FROM access_requests WHERE ") +
                                                       kDue + " ORDER BY id"));
    due->Bind(1, now);
    std::vector<std::string> ids;
    int rc;
    while ((rc = due->Step()) == SQLITE_ROW) ids.push_back(due->Text(0));
    if (rc != SQLITE_DONE) return c->Error("find expired access requests");
    due->Reset();
    KILDE_ASSIGN_OR_RETURN(Statement * upd,
                           c->Prepare("UPDATE access_requests SET state='expired', reason=?2, "
                                      "updated=?3, version=version+1 WHERE id=?1 AND "
                                      "state='pending'"));
    for (const std::string& id : ids) {
      upd->Reset();
      upd->Bind(1, id).Bind(2, kExpiredReason).Bind(3, now);
      if (upd->Step() != SQLITE_DONE) return c->Error("expire access request");
      KILDE_RETURN_IF_ERROR(AppendEvent(*c, {0, id, "pending", "expired", {}, now, kExpiredReason}));
    }
    KILDE_RETURN_IF_ERROR(tx.Commit());
    return static_cast<int64_t>(ids.size());
  }();
  if (!out.ok()) return Counted(out.status());
  return out;
}

}  // namespace kilde::store::sqlite
