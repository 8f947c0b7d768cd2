// SqliteProductStore: editions (one table ed_<seq> per edition), their writer and scans.
#include <string>

#include "store/sqlite/edition_writer.h"
#include "store/sqlite/sqlite_products.h"
#include "store/sqlite/staging_lock.h"

namespace kilde::store::sqlite {

std::string EditionTable(int64_t seq) { return "ed_" + std::to_string(seq); }

void BindCell(Statement& s, int i, const Cell& c) {
  switch (c.kind) {
    case CellKind::kNull:
      s.BindNull(i);
      break;
    case CellKind::kInt:
      s.Bind(i, c.i);
      break;
    case CellKind::kReal:
      s.BindReal(i, c.d);
      break;
    case CellKind::kText:
      s.Bind(i, c.text);
      break;
  }
}

Cell ReadCell(const Statement& s, int col) {
  Cell c;
  switch (s.Type(col)) {
    case SQLITE_INTEGER:
      c.kind = CellKind::kInt;
      c.i = s.Int(col);
      break;
    case SQLITE_FLOAT:
      c.kind = CellKind::kReal;
      c.d = s.Real(col);
      break;
    case SQLITE_NULL:
      break;
    default:
      c.kind = CellKind::kText;
      c.text = s.Text(col);
  }
  return c;
}

namespace {

constexpr const char* kEditionColumns =
    "id, product, created, source_name, row_count, schema_version, sha256, quality, seq";

EditionRow ReadEdition(Statement& s) {
  EditionRow e;
  e.id = s.Text(0);
  e.product = s.Text(1);
  e.created = s.Text(2);
  e.source_name = s.Text(3);
  e.row_count = s.Int(4);
  e.schema_version = static_cast<int>(s.Int(5));
  e.sha256 = s.Text(6);
  e.quality = s.Text(7);
  e.seq = s.Int(8);
  return e;
}

}  // namespace

Status SqliteProductStore::RecoverStaging() {
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare("SELECT seq FROM editions WHERE state='staging'"));
  std::vector<int64_t> seqs;
  while (s->Step() == SQLITE_ROW) seqs.push_back(s->Int(0));
  s->Reset();
  for (int64_t seq : seqs) {
    // Only what no live process is writing (another kilde on this data dir may be ingesting).
    KILDE_ASSIGN_OR_RETURN(auto lock, StagingLock::TryAcquire(db_path_, seq));
    if (lock) KILDE_RETURN_IF_ERROR(DropStaging(*c, seq));
  }
  return Status::Ok();
}

Result<std::unique_ptr<EditionWriter>> SqliteProductStore::BeginEdition(
    const std::string& product, const std::vector<StorageColumn>& columns) {
  KILDE_ASSIGN_OR_RETURN(auto conn, Connection::Open(db_path_));
  int64_t seq = 0;
  std::optional<StagingLock> lock;
  {
    std::lock_guard w(pool_->write_mutex());
    KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn, true));
    KILDE_ASSIGN_OR_RETURN(Statement * s,
                           conn->Prepare("INSERT INTO editions (product, state) VALUES (?, 'staging')"));
    s->Bind(1, product);
    int rc = s->Step();
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      return Status::NotFound("data product '" + product + "' not found");
    if (rc != SQLITE_DONE) return Counted(conn->Error("begin edition"));
    seq = sqlite3_last_insert_rowid(conn->raw());
    // Locked before the staging row is committed: no other process sees it unlocked.
    KILDE_ASSIGN_OR_RETURN(auto taken, StagingLock::TryAcquire(db_path_, seq));
    if (!taken)
      return Status::Internal("staging edition " + std::to_string(seq) + " is locked by another writer");
    lock.emplace(std::move(*taken));
    std::string ddl = "CREATE TABLE " + EditionTable(seq) + " (_row INTEGER PRIMARY KEY";
    for (size_t i = 0; i < columns.size(); ++i) {
      static const char* kTypes[] = {"INTEGER", "REAL", "TEXT"};
      // No UNIQUE here: the writer builds the unique indexes (see edition_writer.h).
      ddl += ", c" + std::to_string(i) + " " + kTypes[static_cast<int>(columns[i].type)];
    }
    KILDE_RETURN_IF_ERROR(Counted(conn->Exec(ddl + ")")));
    KILDE_RETURN_IF_ERROR(Counted(tx.Commit()));
  }
  auto writer = std::make_unique<SqliteEditionWriter>(std::move(conn), &pool_->write_mutex(), seq, columns,
                                                      std::move(*lock));
  KILDE_RETURN_IF_ERROR(Counted(writer->Start()));
  return std::unique_ptr<EditionWriter>(std::move(writer));
}

Result<std::vector<EditionRow>> SqliteProductStore::Editions(const std::string& product) {
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(std::string("SELECT ") + kEditionColumns +
                                                   " FROM editions WHERE product=? AND state='ready' "
                                                   "ORDER BY seq DESC"));
  s->Bind(1, product);
  std::vector<EditionRow> out;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadEdition(*s));
  if (rc != SQLITE_DONE) return Counted(c->Error("list editions"));
  return out;
}

Result<EditionRow> SqliteProductStore::Edition(const std::string& product, const std::string& id) {
  auto c = pool_->Acquire();
  const bool latest = id == "latest";
  KILDE_ASSIGN_OR_RETURN(Statement * s,
                         c->Prepare(std::string("SELECT ") + kEditionColumns +
                                    " FROM editions WHERE product=?1 AND state='ready' AND (?2 OR id=?3) "
                                    "ORDER BY seq DESC LIMIT 1"));
  s->Bind(1, product).Bind(2, static_cast<int64_t>(latest)).Bind(3, id);
  int rc = s->Step();
  if (rc == SQLITE_DONE)
    return Status::NotFound(latest ? "data product '" + product + "' has no editions yet"
                                   : "edition '" + id + "' of data product '" + product + "' not found");
  if (rc != SQLITE_ROW) return Counted(c->Error("get edition"));
  return ReadEdition(*s);
}

Status SqliteProductStore::DeleteEdition(const std::string& product, const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(EditionRow e, Edition(product, id));
  std::lock_guard w(pool_->write_mutex());
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * d, c->Prepare("DELETE FROM editions WHERE seq=?"));
  d->Bind(1, e.seq);
  if (d->Step() != SQLITE_DONE) return Counted(c->Error("delete edition"));
  KILDE_RETURN_IF_ERROR(Counted(c->Exec("DROP TABLE IF EXISTS " + EditionTable(e.seq))));
  return Counted(tx.Commit());
}

Status SqliteProductStore::Scan(const EditionRow& edition, const RowScan& scan, const RowFn& fn) {
  std::string sql = "SELECT _row";
  for (int col : scan.columns) sql += ", c" + std::to_string(col);
  sql += " FROM " + EditionTable(edition.seq);
  if (!scan.where.empty()) sql += " WHERE " + scan.where;
  sql += " ORDER BY " + (scan.order.empty() ? std::string("_row") : scan.order);
  sql += " LIMIT " + std::to_string(scan.limit);
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(sql));
  for (size_t i = 0; i < scan.params.size(); ++i) BindCell(*s, static_cast<int>(i + 1), scan.params[i]);
  std::vector<Cell> cells(scan.columns.size());
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    for (size_t i = 0; i < cells.size(); ++i) cells[i] = ReadCell(*s, static_cast<int>(i + 1));
    KILDE_RETURN_IF_ERROR(fn(s->Int(0), cells));
  }
  if (rc != SQLITE_DONE) return Counted(c->Error("scan edition"));
  return Status::Ok();
}

Result<int64_t> SqliteProductStore::Count(const EditionRow& edition, const RowScan& scan) {
  std::string sql = "SELECT COUNT(*) FROM " + EditionTable(edition.seq);
  if (!scan.where.empty()) sql += " WHERE " + scan.where;
  auto c = pool_->Acquire();
  KILDE_ASSIGN_OR_RETURN(Statement * s, c->Prepare(sql));
  for (size_t i = 0; i < scan.params.size(); ++i) BindCell(*s, static_cast<int>(i + 1), scan.params[i]);
  if (s->Step() != SQLITE_ROW) return Counted(c->Error("count rows"));
  return s->Int(0);
}

}  // namespace kilde::store::sqlite
