// SqliteAccessStore: access grants.
#include "store/sqlite/sqlite_access.h"

#include <nlohmann/json.hpp>

namespace kilde::store::sqlite {
namespace access_sql {

void BindOpt(Statement& s, int i, const std::optional<std::string>& v) {
  if (v)
    s.Bind(i, *v);
  else
    s.BindNull(i);
}

std::optional<std::string> ReadOpt(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return s.Text(col);
}

std::optional<std::string> ColumnsToText(const std::optional<std::vector<std::string>>& columns) {
  if (!columns) return std::nullopt;
  return nlohmann::json(*columns).dump();
}

std::optional<std::vector<std::string>> ColumnsFromText(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace access_sql

namespace {

using namespace access_sql;

constexpr const char* kGrantColumns =
    "id, product, grantee_orgnr, client_id, purpose, law, paragraph, law_url, valid_from, valid_to, columns, "
    "row_filter, personal_data, pseudonym_key, created, created_by, created_by_client, revoked_at, "
    "revoked_by, revoked_by_client, request_id, version";

std::string SelectGrants(const char* where) {
  return std::string("SELECT ") + kGrantColumns + " FROM access_grants WHERE " + where;
}

GrantRow ReadGrant(const Statement& s) {
  GrantRow g;
  g.id = s.Text(0);
  g.product = s.Text(1);
  g.grantee_orgnr = s.Text(2);
  g.client_id = ReadOpt(s, 3);
  g.purpose = s.Text(4);
  g.legal_basis = {s.Text(5), s.Text(6), s.Text(7)};
  g.valid_from = s.Text(8);
  g.valid_to = ReadOpt(s, 9);
  g.columns = ColumnsFromText(ReadOpt(s, 10));
  g.row_filter = s.Text(11);
  g.personal_data = s.Text(12);
  g.pseudonym_key = s.Text(13);
  g.created = s.Text(14);
  g.created_by = {s.Text(15), s.Text(16)};
  g.revoked_at = ReadOpt(s, 17);
  g.revoked_by = {s.Text(18), s.Text(19)};
  g.request_id = ReadOpt(s, 20);
  g.version = s.Int(21);
  return g;
}

// Runs `s` and collects its grants.
Result<std::vector<GrantRow>> CollectGrants(Connection& c, Statement& s, const char* what) {
  std::vector<GrantRow> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadGrant(s));
  if (rc != SQLITE_DONE) return c.Error(what);
  return out;
}

// The grant `id` read on `c` (the caller's connection: no second lease from the pool).
Result<GrantRow> GrantOn(Connection& c, const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(Statement * s, c.Prepare(SelectGrants("id=?")));
  s->Bind(1, id);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) return Status::NotFound("access grant '" + id + "' not found");
  if (rc != SQLITE_ROW) return c.Error("get access grant");
  GrantRow g = ReadGrant(*s);
  s->Reset();
  return g;
}

// Why a conditional update of grant `id` changed nothing.
Status WhyUnchanged(Connection& c, const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(GrantRow cur, GrantOn(c, id));
  if (cur.revoked_at)
    return Status(Code::kFailedPrecondition, "access grant '" + id + "' was revoked at " + *cur.revoked_at);
  return Status(Code::kFailedPrecondition, "access grant '" + id + "' changed meanwhile (version is " +
                                               std::to_string(cur.version) + ")");
}

}  // namespace

Status access_sql::InsertGrantRow(Connection& c, const GrantRow& g) {
  KILDE_ASSIGN_OR_RETURN(Statement * s, c.Prepare(std::string("INSERT INTO access_grants (") + kGrantColumns +
                                                  ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s->Bind(1, g.id).Bind(2, g.product).Bind(3, g.grantee_orgnr);
  BindOpt(*s, 4, g.client_id);
  s->Bind(5, g.purpose)
      .Bind(6, g.legal_basis.law)
      .Bind(7, g.legal_basis.paragraph)
      .Bind(8, g.legal_basis.url);
  s->Bind(9, g.valid_from);
  BindOpt(*s, 10, g.valid_to);
  BindOpt(*s, 11, ColumnsToText(g.columns));
  s->Bind(12, g.row_filter).Bind(13, g.personal_data).Bind(14, g.pseudonym_key).Bind(15, g.created);
  s->Bind(16, g.created_by.orgnr).Bind(17, g.created_by.client_id);
  BindOpt(*s, 18, g.revoked_at);
  s->Bind(19, g.revoked_by.orgnr).Bind(20, g.revoked_by.client_id);
  BindOpt(*s, 21, g.request_id);
  s->Bind(22, g.version);
  const int rc = s->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Status::Exists("access grant '" + g.id + "' already exists");
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    return Status::Exists("access request '" + g.request_id.value_or("") + "' already has a grant");
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Status::NotFound("data product '" + g.product + "' (or the access request) does not exist");
  if (rc != SQLITE_DONE) return c.Error("insert access grant");
  return Status::Ok();
}

Status SqliteAccessStore::InsertGrant(const GrantRow& g) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_RETURN_IF_ERROR(Counted(InsertGrantRow(*c, g)));
  return Counted(tx.Commit());
}

Result<GrantRow> SqliteAccessStore::GetGrant(const std::string& id) {
  auto c = pool_->Acquire();
  auto g = GrantOn(*c, id);
  if (!g.ok()) return Counted(g.status());
  return g;
}

Result<std::vector<GrantRow>> SqliteAccessStore::ListGrants(const GrantQuery& q) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s,
      c->Prepare(SelectGrants("(?1 IS NULL OR product=?1) AND (?2 IS NULL OR grantee_orgnr=?2) AND "
                              "(?3=1 OR revoked_at IS NULL) AND id>?4 ORDER BY id LIMIT ?5")));
  BindOpt(*s, 1, q.product);
  BindOpt(*s, 2, q.grantee_orgnr);
  s->Bind(3, static_cast<int64_t>(q.include_revoked ? 1 : 0)).Bind(4, q.after_id);
  s->Bind(5, static_cast<int64_t>(q.limit));
  auto out = CollectGrants(*c, *s, "list access grants");
  if (!out.ok()) return Counted(out.status());
  return out;
}

Result<std::vector<GrantRow>> SqliteAccessStore::ActiveGrants(const std::string& product,
                                                              const std::string& grantee_orgnr,
                                                              const std::string& client_id,
                                                              const std::string& now) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare(SelectGrants("grantee_orgnr=?2 AND product=?1 AND revoked_at IS NULL AND "
                                                 "valid_from<=?4 AND (valid_to IS NULL OR ?4<valid_to) AND "
                                                 "(client_id IS NULL OR client_id=?3) ORDER BY id")));
  s->Bind(1, product).Bind(2, grantee_orgnr).Bind(3, client_id).Bind(4, now);
  auto out = CollectGrants(*c, *s, "active access grants");
  if (!out.ok()) return Counted(out.status());
  return out;
}

Status SqliteAccessStore::UpdateGrant(const GrantRow& g, int64_t expected_version) {
  assert(g.version == expected_version + 1);
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s,
      c->Prepare(
          "UPDATE access_grants SET client_id=?2, valid_from=?3, valid_to=?4, columns=?5, row_filter=?6, "
          "personal_data=?7, version=?8 WHERE id=?1 AND version=?9 AND revoked_at IS NULL"));
  s->Bind(1, g.id);
  BindOpt(*s, 2, g.client_id);
  s->Bind(3, g.valid_from);
  BindOpt(*s, 4, g.valid_to);
  BindOpt(*s, 5, ColumnsToText(g.columns));
  s->Bind(6, g.row_filter).Bind(7, g.personal_data).Bind(8, g.version).Bind(9, expected_version);
  if (s->Step() != SQLITE_DONE) return Counted(c->Error("update access grant"));
  if (sqlite3_changes(c->raw()) > 0) return Status::Ok();
  return Counted(WhyUnchanged(*c, g.id));
}

Status SqliteAccessStore::RevokeGrant(const std::string& id, const std::string& time, const Actor& by,
                                      std::optional<int64_t> expected_version) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s,
      c->Prepare("UPDATE access_grants SET revoked_at=?2, revoked_by=?3, revoked_by_client=?4, "
                 "version=version+1 WHERE id=?1 AND revoked_at IS NULL AND "
                 "(?5 IS NULL OR version=?5)"));
  s->Bind(1, id).Bind(2, time).Bind(3, by.orgnr).Bind(4, by.client_id);
  if (expected_version)
    s->Bind(5, *expected_version);
  else
    s->BindNull(5);
  if (s->Step() != SQLITE_DONE) return Counted(c->Error("revoke access grant"));
  if (sqlite3_changes(c->raw()) > 0) return Status::Ok();
  return Counted(WhyUnchanged(*c, id));
}

}  // namespace kilde::store::sqlite
