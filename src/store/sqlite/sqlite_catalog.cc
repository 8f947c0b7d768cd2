// SqliteCatalogStore: catalog resources in the `resources` table.
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace kilde::store::sqlite {
namespace {

constexpr const char* kColumns =
    "kind, id, parent_kind, parent_id, publisher, status, access_rights, created, modified, version, doc";

ResourceRow ReadRow(Statement& s) {
  ResourceRow r;
  r.kind = s.Text(0);
  r.id = s.Text(1);
  if (!s.IsNull(2)) r.parent = Ref{s.Text(2), s.Text(3)};
  r.publisher = s.Text(4);
  r.status = s.Text(5);
  r.access_rights = s.Text(6);
  r.created = s.Text(7);
  r.modified = s.Text(8);
  r.version = s.Int(9);
  r.doc = s.Text(10);
  return r;
}

Status LoadThemesAndRefs(Connection& c, ResourceRow& r) {
  KILDE_ASSIGN_OR_RETURN(Statement * t,
                         c.Prepare("SELECT theme FROM resource_themes WHERE kind=? AND id=? ORDER BY theme"));
  t->Bind(1, r.kind).Bind(2, r.id);
  int rc;
  while ((rc = t->Step()) == SQLITE_ROW) r.themes.push_back(t->Text(0));
  if (rc != SQLITE_DONE) return c.Error("read themes");
  KILDE_ASSIGN_OR_RETURN(
      Statement * f,
      c.Prepare("SELECT ref_kind, ref_id FROM resource_refs WHERE kind=? AND id=? ORDER BY 1, 2"));
  f->Bind(1, r.kind).Bind(2, r.id);
  while ((rc = f->Step()) == SQLITE_ROW) r.refs.push_back(Ref{f->Text(0), f->Text(1)});
  if (rc != SQLITE_DONE) return c.Error("read references");
  return Status::Ok();
}

Status WriteThemesAndRefs(Connection& c, const ResourceRow& r) {
  KILDE_ASSIGN_OR_RETURN(Statement * dt, c.Prepare("DELETE FROM resource_themes WHERE kind=? AND id=?"));
  dt->Bind(1, r.kind).Bind(2, r.id);
  if (dt->Step() != SQLITE_DONE) return c.Error("delete themes");
  KILDE_ASSIGN_OR_RETURN(Statement * dr, c.Prepare("DELETE FROM resource_refs WHERE kind=? AND id=?"));
  dr->Bind(1, r.kind).Bind(2, r.id);
  if (dr->Step() != SQLITE_DONE) return c.Error("delete references");
  for (const auto& theme : r.themes) {
    KILDE_ASSIGN_OR_RETURN(
        Statement * it,
        c.Prepare("INSERT OR IGNORE INTO resource_themes (kind, id, theme) VALUES (?, ?, ?)"));
    it->Bind(1, r.kind).Bind(2, r.id).Bind(3, theme);
    if (it->Step() != SQLITE_DONE) return c.Error("insert theme");
  }
  for (const auto& ref : r.refs) {
    KILDE_ASSIGN_OR_RETURN(
        Statement * ir,
        c.Prepare("INSERT OR IGNORE INTO resource_refs (kind, id, ref_kind, ref_id) VALUES (?, ?, ?, ?)"));
    ir->Bind(1, r.kind).Bind(2, r.id).Bind(3, ref.kind).Bind(4, ref.id);
    int rc = ir->Step();
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      return Status::NotFound(ref.kind + " '" + ref.id + "' does not exist");
    if (rc != SQLITE_DONE) return c.Error("insert reference");
  }
  return Status::Ok();
}

void BindRow(Statement& s, const ResourceRow& r) {
  s.Bind(1, r.kind).Bind(2, r.id);
  if (r.parent) {
    s.Bind(3, r.parent->kind).Bind(4, r.parent->id);
  } else {
    s.BindNull(3).BindNull(4);
  }
  s.Bind(5, r.publisher).Bind(6, r.status).Bind(7, r.access_rights).Bind(8, r.created).Bind(9, r.modified);
  s.Bind(10, r.version).Bind(11, r.doc);
}

}  // namespace

Result<ResourceRow> SqliteCatalogStore::Get(const std::string& kind, const std::string& id) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s, c->Prepare(std::string("SELECT ") + kColumns + " FROM resources WHERE kind=? AND id=?"));
  s->Bind(1, kind).Bind(2, id);
  int rc = s->Step();
  if (rc == SQLITE_DONE) return Status::NotFound(kind + " '" + id + "' not found");
  if (rc != SQLITE_ROW) return Count(c->Error("get"));
  ResourceRow r = ReadRow(*s);
  s->Reset();
  KILDE_RETURN_IF_ERROR(Count(LoadThemesAndRefs(*c, r)));
  return r;
}

Result<std::vector<ResourceRow>> SqliteCatalogStore::List(const ListQuery& q) {
  // Fixed SQL text per filter combination; every value is a bound parameter.
  std::string sql = std::string("SELECT ") + kColumns + " FROM resources r WHERE kind=?1 AND id>?2";
  if (q.publisher) sql += " AND publisher=?3";
  if (q.status) sql += " AND status=?4";
  if (q.access_rights) sql += " AND access_rights=?5";
  if (q.theme)
    sql += " AND EXISTS (SELECT 1 FROM resource_themes t WHERE t.kind=r.kind AND t.id=r.id AND t.theme=?6)";
  if (q.parent) sql += " AND parent_kind=?7 AND parent_id=?8";
  if (q.modified_since) sql += " AND modified>=?9";
  sql += " ORDER BY id LIMIT ?10";
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(sql));
  s->Bind(1, q.kind).Bind(2, q.after_id);
  if (q.publisher) s->Bind(3, *q.publisher);
  if (q.status) s->Bind(4, *q.status);
  if (q.access_rights) s->Bind(5, *q.access_rights);
  if (q.theme) s->Bind(6, *q.theme);
  if (q.parent) s->Bind(7, q.parent->kind).Bind(8, q.parent->id);
  if (q.modified_since) s->Bind(9, *q.modified_since);
  s->Bind(10, static_cast<int64_t>(q.limit));
  std::vector<ResourceRow> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadRow(*s));
  if (rc != SQLITE_DONE) return Count(c->Error("list"));
  return out;
}

Result<std::vector<ResourceRow>> SqliteCatalogStore::All(const std::string& kind) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("SELECT ") + kColumns +
                                                   " FROM resources WHERE kind=? ORDER BY id"));
  s->Bind(1, kind);
  std::vector<ResourceRow> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadRow(*s));
  if (rc != SQLITE_DONE) return Count(c->Error("all"));
  return out;
}

Status SqliteCatalogStore::Insert(const ResourceRow& row) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("INSERT INTO resources (") + kColumns +
                                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindRow(*s, row);
  int rc = s->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::Exists(row.kind + " '" + row.id + "' already exists");
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Status::NotFound("parent of " + row.kind + " '" + row.id + "' does not exist");
  if (rc != SQLITE_DONE) return Count(c->Error("insert"));
  KILDE_RETURN_IF_ERROR(Count(WriteThemesAndRefs(*c, row)));
  return Count(tx.Commit());
}

Status SqliteCatalogStore::Update(const ResourceRow& row, int64_t expected_version) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(
      Statement * s, c->Prepare("UPDATE resources SET parent_kind=?3, parent_id=?4, publisher=?5, status=?6, "
                                "access_rights=?7, created=?8, "
                                "modified=?9, version=?10, doc=?11 WHERE kind=?1 AND id=?2 AND version=?12"));
  BindRow(*s, row);
  s->Bind(12, expected_version);
  if (s->Step() != SQLITE_DONE) return Count(c->Error("update"));
  if (sqlite3_changes(c->raw()) == 0) {
    KILDE_ASSIGN_OR_RETURN(Statement * e, c->Prepare("SELECT version FROM resources WHERE kind=? AND id=?"));
    e->Bind(1, row.kind).Bind(2, row.id);
    if (e->Step() != SQLITE_ROW) return Status::NotFound(row.kind + " '" + row.id + "' not found");
    return Status(Code::kFailedPrecondition, row.kind + " '" + row.id + "' is at version " +
                                                 std::to_string(e->Int(0)) + ", not " +
                                                 std::to_string(expected_version));
  }
  KILDE_RETURN_IF_ERROR(Count(WriteThemesAndRefs(*c, row)));
  return Count(tx.Commit());
}

Status SqliteCatalogStore::Delete(const std::string& kind, const std::string& id,
                                  std::optional<int64_t> expected_version) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * v, c->Prepare("SELECT version FROM resources WHERE kind=? AND id=?"));
  v->Bind(1, kind).Bind(2, id);
  if (v->Step() != SQLITE_ROW) return Status::NotFound(kind + " '" + id + "' not found");
  if (expected_version && v->Int(0) != *expected_version) {
    return Status(Code::kFailedPrecondition,
                  kind + " '" + id + "' is at version " + std::to_string(v->Int(0)));
  }
  v->Reset();
  KILDE_ASSIGN_OR_RETURN(
      Statement * q,
      c->Prepare("SELECT f.kind, f.id FROM resource_refs f JOIN resources r ON r.kind=f.kind AND r.id=f.id "
                 "WHERE f.ref_kind=? AND f.ref_id=? AND NOT (r.parent_kind IS ? AND r.parent_id IS ?) ORDER "
                 "BY 1, 2 LIMIT 20"));
  q->Bind(1, kind).Bind(2, id).Bind(3, kind).Bind(4, id);
  std::string referrers;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    referrers += (referrers.empty() ? "" : ", ") + q->Text(0) + " '" + q->Text(1) + "'";
  if (rc != SQLITE_DONE) return Count(c->Error("find referrers"));
  if (!referrers.empty()) return Status::Conflict(kind + " '" + id + "' is still referenced by " + referrers);
  KILDE_ASSIGN_OR_RETURN(Statement * d, c->Prepare("DELETE FROM resources WHERE kind=? AND id=?"));
  d->Bind(1, kind).Bind(2, id);
  rc = d->Step();
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT_TRIGGER)
    return Status::Conflict(kind + " '" + id + "' is still referenced");
  if (rc != SQLITE_DONE) return Count(c->Error("delete"));
  return Count(tx.Commit());
}

Status SqliteCatalogStore::UpsertBatch(const std::vector<ResourceRow>& rows) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_RETURN_IF_ERROR(c->Exec("PRAGMA defer_foreign_keys=ON"));
  for (const auto& row : rows) {
    KILDE_ASSIGN_OR_RETURN(
        Statement * s,
        c->Prepare(
            std::string("INSERT INTO resources (") + kColumns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET "
            "parent_kind=excluded.parent_kind, parent_id=excluded.parent_id, publisher=excluded.publisher, "
            "status=excluded.status, access_rights=excluded.access_rights, modified=excluded.modified, "
            "version=resources.version+1, doc=excluded.doc"));
    BindRow(*s, row);
    s->Bind(10, int64_t{1});  // version of a new row; an existing row's version is incremented
    if (s->Step() != SQLITE_DONE) return Count(c->Error("upsert " + row.kind + " '" + row.id + "'"));
    KILDE_RETURN_IF_ERROR(Count(WriteThemesAndRefs(*c, row)));
  }
  Status st = tx.Commit();
  if (!st.ok())
    return Status::Invalid("the import refers to resources that exist neither in it nor in the catalog");
  return Status::Ok();
}

}  // namespace kilde::store::sqlite
