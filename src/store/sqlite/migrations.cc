#include "store/sqlite/migrations.h"

#include <string>
#include <vector>

namespace kilde::store::sqlite {
namespace {

// The audit log's tables: the main database's version 3 (until version 6 moved them out) and the
// audit database's version 1. Shipped in both: never edit.
constexpr const char* kAuditTables = R"sql(
CREATE TABLE audit_entries (
  seq         INTEGER PRIMARY KEY,
  time        TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  decision    TEXT NOT NULL,
  consumer    TEXT NOT NULL,
  client_id   TEXT NOT NULL,
  supplier    TEXT NOT NULL,
  product     TEXT NOT NULL,
  edition     TEXT NOT NULL,
  grant_id    TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  query       TEXT NOT NULL,
  rows        INTEGER NOT NULL,
  subjects    TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_entries_product ON audit_entries (product, time);
CREATE TABLE audit_subjects (
  subject TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (subject, seq)
) WITHOUT ROWID;
CREATE TABLE audit_checkpoints (
  seq       INTEGER PRIMARY KEY,
  hash      TEXT NOT NULL,
  time      TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// Append only: never edit a migration that has shipped.
const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: catalog resources, their filter columns, themes and references.
      R"sql(
CREATE TABLE resources (
  kind          TEXT NOT NULL,
  id            TEXT NOT NULL,
  parent_kind   TEXT,
  parent_id     TEXT,
  publisher     TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT '',
  access_rights TEXT NOT NULL DEFAULT '',
  created       TEXT NOT NULL,
  modified      TEXT NOT NULL,
  version       INTEGER NOT NULL,
  doc           TEXT NOT NULL,
  PRIMARY KEY (kind, id),
  FOREIGN KEY (parent_kind, parent_id) REFERENCES resources (kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX resources_publisher ON resources (kind, publisher, id);
CREATE INDEX resources_modified ON resources (kind, modified);
CREATE INDEX resources_parent ON resources (parent_kind, parent_id);
CREATE TABLE resource_themes (
  kind  TEXT NOT NULL,
  id    TEXT NOT NULL,
  theme TEXT NOT NULL,
  PRIMARY KEY (kind, id, theme),
  FOREIGN KEY (kind, id) REFERENCES resources (kind, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX resource_themes_theme ON resource_themes (kind, theme, id);
CREATE TABLE resource_refs (
  kind     TEXT NOT NULL,
  id       TEXT NOT NULL,
  ref_kind TEXT NOT NULL,
  ref_id   TEXT NOT NULL,
  PRIMARY KEY (kind, id, ref_kind, ref_id),
  FOREIGN KEY (kind, id) REFERENCES resources (kind, id) ON DELETE CASCADE,
  FOREIGN KEY (ref_kind, ref_id) REFERENCES resources (kind, id) ON DELETE RESTRICT
) WITHOUT ROWID;
CREATE INDEX resource_refs_target ON resource_refs (ref_kind, ref_id);
)sql",
      // 2: data products, schema versions and editions. Each edition's rows live in
      // their own table ed_<seq>; an edition is visible only once state = 'ready'.
      R"sql(
CREATE TABLE products (
  id             TEXT PRIMARY KEY,
  dataset_kind   TEXT NOT NULL DEFAULT 'datasets' CHECK (dataset_kind = 'datasets'),
  dataset        TEXT NOT NULL,
  created        TEXT NOT NULL,
  modified       TEXT NOT NULL,
  version        INTEGER NOT NULL,
  schema_version INTEGER NOT NULL,
  doc            TEXT NOT NULL,
  FOREIGN KEY (dataset_kind, dataset) REFERENCES resources (kind, id) ON DELETE RESTRICT
);
CREATE INDEX products_dataset ON products (dataset, id);
CREATE TABLE product_schemas (
  product TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  created TEXT NOT NULL,
  schema  TEXT NOT NULL,
  PRIMARY KEY (product, version)
);
CREATE TABLE editions (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  product        TEXT NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  id             TEXT,
  state          TEXT NOT NULL CHECK (state IN ('staging', 'ready')),
  created        TEXT,
  source_name    TEXT,
  row_count      INTEGER,
  schema_version INTEGER,
  sha256         TEXT,
  quality        TEXT,
  UNIQUE (product, id)
);
CREATE INDEX editions_product ON editions (product, state, seq);
)sql",
      // 3: the audit log (append-only; see store/audit_store.h and audit/chain.h). The triggers
      // refuse changes through SQL; the hash chain and signed checkpoints reveal changes made
      // around them.
      kAuditTables,
      // 4: access grants and access requests (store/access_store.h). Grants are revoked, never
      // deleted; request events are append-only. A product with grants or requests cannot be
      // deleted (the records of who was given access stay).
      R"sql(
CREATE TABLE access_requests (
  id              TEXT PRIMARY KEY,
  product         TEXT NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  requester_orgnr TEXT NOT NULL,
  client_id       TEXT,
  purpose         TEXT NOT NULL,
  law             TEXT NOT NULL,
  paragraph       TEXT NOT NULL,
  law_url         TEXT NOT NULL,
  columns         TEXT,
  row_filter      TEXT NOT NULL,
  personal_data   TEXT NOT NULL CHECK (personal_data IN ('hidden', 'pseudonymised', 'clear')),
  valid_from      TEXT NOT NULL,
  valid_to        TEXT,
  state           TEXT NOT NULL
                  CHECK (state IN ('pending', 'approved', 'denied', 'withdrawn', 'expired')),
  reason          TEXT NOT NULL,
  grant_id        TEXT,
  created         TEXT NOT NULL,
  updated         TEXT NOT NULL,
  version         INTEGER NOT NULL
);
CREATE INDEX access_requests_product ON access_requests (product, id);
CREATE INDEX access_requests_requester ON access_requests (requester_orgnr, id);
CREATE INDEX access_requests_state ON access_requests (state, valid_to);
CREATE TABLE access_grants (
  id                TEXT PRIMARY KEY,
  product           TEXT NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  grantee_orgnr     TEXT NOT NULL,
  client_id         TEXT,
  purpose           TEXT NOT NULL,
  law               TEXT NOT NULL,
  paragraph         TEXT NOT NULL,
  law_url           TEXT NOT NULL,
  valid_from        TEXT NOT NULL,
  valid_to          TEXT,
  columns           TEXT,
  row_filter        TEXT NOT NULL,
  personal_data     TEXT NOT NULL CHECK (personal_data IN ('hidden', 'pseudonymised', 'clear')),
  pseudonym_key     TEXT NOT NULL,
  created           TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  created_by_client TEXT NOT NULL,
  revoked_at        TEXT,
  revoked_by        TEXT NOT NULL,
  revoked_by_client TEXT NOT NULL,
  request_id        TEXT UNIQUE REFERENCES access_requests (id) ON DELETE RESTRICT,
  version           INTEGER NOT NULL
);
CREATE INDEX access_grants_product ON access_grants (product, id);
CREATE INDEX access_grants_grantee ON access_grants (grantee_orgnr, product, id);
CREATE TABLE access_request_events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id   TEXT NOT NULL REFERENCES access_requests (id) ON DELETE RESTRICT,
  from_state   TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  actor_orgnr  TEXT NOT NULL,
  actor_client TEXT NOT NULL,
  time         TEXT NOT NULL,
  reason       TEXT NOT NULL
);
CREATE INDEX access_request_events_request ON access_request_events (request_id, seq);
CREATE TRIGGER access_request_events_no_update BEFORE UPDATE ON access_request_events
  BEGIN SELECT RAISE(ABORT, 'the request history is append-only'); END;
CREATE TRIGGER access_request_events_no_delete BEFORE DELETE ON access_request_events
  BEGIN SELECT RAISE(ABORT, 'the request history is append-only'); END;
)sql",
      // 5: listing the audit log by time across all products (GET /api/v1/audit for kilde:admin).
      // Per product, audit_entries_product (product, time, and the rowid seq) serves the listing.
      R"sql(
CREATE INDEX IF NOT EXISTS audit_entries_time ON audit_entries (time);
)sql",
      // 6: the audit log lives in its own database file (audit.db, AuditMigrations below);
      // OpenSqliteStore copies entries made before this version there first.
      R"sql(
DROP TABLE IF EXISTS audit_subjects;
DROP TABLE IF EXISTS audit_checkpoints;
DROP TABLE IF EXISTS audit_entries;
)sql",
  };
  return kMigrations;
}

const std::vector<std::string>& AuditMigrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: the audit log (append-only; see store/audit_store.h and audit/chain.h): the tables of
      // the main database's versions 3 and 5, unchanged. The triggers refuse changes through SQL;
      // the hash chain and signed checkpoints reveal changes made around them.
      std::string(kAuditTables) + "CREATE INDEX audit_entries_time ON audit_entries (time);\n",
  };
  return kMigrations;
}

// Applies every migration of `migrations` newer than the database's version.
Result<int> Apply(Connection& c, const std::vector<std::string>& migrations, std::string_view what) {
  KILDE_RETURN_IF_ERROR(c.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"));
  KILDE_ASSIGN_OR_RETURN(Statement * q, c.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  if (q->Step() != SQLITE_ROW) return c.Error("read schema version");
  int current = static_cast<int>(q->Int(0));
  q->Reset();
  const int latest = static_cast<int>(migrations.size());
  if (current > latest) {
    return Status(Code::kFailedPrecondition,
                  "the " + std::string(what) + " has schema version " + std::to_string(current) +
                      " but this kilde knows only up to " + std::to_string(latest) +
                      "; run a newer kilde (refusing to open it)");
  }
  for (int v = current + 1; v <= latest; ++v) {
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(c, true));
    KILDE_RETURN_IF_ERROR(c.Exec(migrations[v - 1]));
    KILDE_ASSIGN_OR_RETURN(Statement * ins, c.Prepare("INSERT INTO schema_migrations (version, applied) "
                                                      "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))"));
    ins->Bind(1, static_cast<int64_t>(v));
    if (ins->Step() != SQLITE_DONE) return c.Error("record migration");
    KILDE_RETURN_IF_ERROR(tx.Commit());
  }
  return latest;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> Migrate(Connection& c) { return Apply(c, Migrations(), "database"); }

const char* AuditTablesSql() { return kAuditTables; }

Result<int> MigrateAudit(Connection& c) { return Apply(c, AuditMigrations(), "audit database"); }

}  // namespace kilde::store::sqlite
