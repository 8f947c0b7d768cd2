// SqliteProductStore: products and schema versions.
#include "store/sqlite/sqlite_products.h"

namespace kilde::store::sqlite {
namespace {

ProductRow ReadProduct(Statement& s) {
  ProductRow p;
  p.id = s.Text(0);
  p.dataset = s.Text(1);
  p.created = s.Text(2);
  p.modified = s.Text(3);
  p.version = s.Int(4);
  p.schema_version = static_cast<int>(s.Int(5));
  p.doc = s.Text(6);
  return p;
}

constexpr const char* kProductColumns = "id, dataset, created, modified, version, schema_version, doc";

Status InsertSchema(Connection& c, const std::string& product, const SchemaVersionRow& s) {
  KILDE_ASSIGN_OR_RETURN(
      Statement * st,
      c.Prepare("INSERT INTO product_schemas (product, version, created, schema) VALUES (?, ?, ?, ?)"));
  st->Bind(1, product).Bind(2, static_cast<int64_t>(s.version)).Bind(3, s.created).Bind(4, s.schema);
  if (st->Step() != SQLITE_DONE) return c.Error("insert schema version");
  return Status::Ok();
}

}  // namespace

Result<ProductRow> SqliteProductStore::Get(const std::string& id) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare(std::string("SELECT ") + kProductColumns + " FROM products WHERE id=?"));
  s->Bind(1, id);
  int rc = s->Step();
  if (rc == SQLITE_DONE) return Status::NotFound("data product '" + id + "' not found");
  if (rc != SQLITE_ROW) return Counted(c->Error("get product"));
  return ReadProduct(*s);
}

Result<std::vector<ProductRow>> SqliteProductStore::List(const std::string& after_id, int limit,
                                                         const std::string& dataset) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("SELECT ") + kProductColumns +
                                                   " FROM products WHERE id>?1 AND (?2='' OR dataset=?2) "
                                                   "ORDER BY id LIMIT ?3"));
  s->Bind(1, after_id).Bind(2, dataset).Bind(3, static_cast<int64_t>(limit));
  std::vector<ProductRow> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadProduct(*s));
  if (rc != SQLITE_DONE) return Counted(c->Error("list products"));
  return out;
}

Status SqliteProductStore::Insert(const ProductRow& p, const SchemaVersionRow& first_schema) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("INSERT INTO products (") + kProductColumns +
                                                   ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s->Bind(1, p.id).Bind(2, p.dataset).Bind(3, p.created).Bind(4, p.modified).Bind(5, p.version);
  s->Bind(6, static_cast<int64_t>(p.schema_version)).Bind(7, p.doc);
  int rc = s->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Status::Exists("data product '" + p.id + "' already exists");
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Status::NotFound("dataset '" + p.dataset + "' does not exist");
  if (rc != SQLITE_DONE) return Counted(c->Error("insert product"));
  KILDE_RETURN_IF_ERROR(Counted(InsertSchema(*c, p.id, first_schema)));
  return Counted(tx.Commit());
}

Status SqliteProductStore::Update(const ProductRow& p, int64_t expected_version,
                                  const std::optional<SchemaVersionRow>& new_schema) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(
      Statement * s, c->Prepare("UPDATE products SET dataset=?2, modified=?3, version=?4, schema_version=?5, "
                                "doc=?6 WHERE id=?1 AND version=?7"));
  s->Bind(1, p.id).Bind(2, p.dataset).Bind(3, p.modified).Bind(4, p.version);
  s->Bind(5, static_cast<int64_t>(p.schema_version)).Bind(6, p.doc).Bind(7, expected_version);
  int rc = s->Step();
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Status::NotFound("dataset '" + p.dataset + "' does not exist");
  if (rc != SQLITE_DONE) return Counted(c->Error("update product"));
  if (sqlite3_changes(c->raw()) == 0)
    return Status(Code::kFailedPrecondition, "data product '" + p.id +
                                                 "' changed meanwhile (version is not " +
                                                 std::to_string(expected_version) + ")");
  if (new_schema) KILDE_RETURN_IF_ERROR(Counted(InsertSchema(*c, p.id, *new_schema)));
  return Counted(tx.Commit());
}

Status SqliteProductStore::Delete(const std::string& id, std::optional<int64_t> expected_version) {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * n, c->Prepare("SELECT COUNT(*) FROM editions WHERE product=?"));
  n->Bind(1, id);
  if (n->Step() != SQLITE_ROW) return Counted(c->Error("count editions"));
  if (int64_t k = n->Int(0); k > 0)
    return Status::Conflict("data product '" + id + "' still has " + std::to_string(k) +
                            " edition(s); delete them first");
  // Access grants and requests are kept as the record of who was given access (migration 4).
  KILDE_ASSIGN_OR_RETURN(Statement * a,
                         c->Prepare("SELECT (SELECT COUNT(*) FROM access_grants WHERE product=?1) + "
                                    "(SELECT COUNT(*) FROM access_requests WHERE product=?1)"));
  a->Bind(1, id);
  if (a->Step() != SQLITE_ROW) return Counted(c->Error("count access grants"));
  if (int64_t k = a->Int(0); k > 0)
    return Status::Conflict("data product '" + id + "' has " + std::to_string(k) +
                            " access grant(s) or request(s), which are kept as the record of who was given "
                            "access; it cannot be deleted");
  KILDE_ASSIGN_OR_RETURN(Statement * d,
                         c->Prepare("DELETE FROM products WHERE id=? AND (?2 IS NULL OR version=?2)"));
  d->Bind(1, id);
  if (expected_version)
    d->Bind(2, *expected_version);
  else
    d->BindNull(2);
  if (d->Step() != SQLITE_DONE) return Counted(c->Error("delete product"));
  if (sqlite3_changes(c->raw()) == 0) {
    auto still = Get(id);
    return still.ok() ? Status(Code::kFailedPrecondition, "data product '" + id + "' changed meanwhile")
                      : Status::NotFound("data product '" + id + "' not found");
  }
  return Counted(tx.Commit());
}

Result<std::vector<SchemaVersionRow>> SqliteProductStore::SchemaVersions(const std::string& product) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(
      Statement * s,
      c->Prepare("SELECT version, created, schema FROM product_schemas WHERE product=? ORDER BY version"));
  s->Bind(1, product);
  std::vector<SchemaVersionRow> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back({static_cast<int>(s->Int(0)), s->Text(1), s->Text(2)});
  if (rc != SQLITE_DONE) return Counted(c->Error("schema versions"));
  return out;
}

Result<std::unique_ptr<Statement>> PrepareOnce(Connection& c, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(c.raw(), sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return c.Error("prepare");
  }
  return std::make_unique<Statement>(stmt);
}

}  // namespace kilde::store::sqlite
