#include "store/sqlite/edition_writer.h"

#include <algorithm>
#include <bit>
#include <system_error>

#include "store/sqlite/sqlite_products.h"

namespace kilde::store::sqlite {
namespace {

// Rows per multi-row INSERT (bound parameters stay far below SQLite's limit of 32766).
size_t RowsPerInsert(size_t columns) {
  return std::clamp<size_t>(32766 / std::max<size_t>(columns, 1), 1, 16);
}

std::string InsertSql(const std::string& table, size_t columns, size_t rows) {
  std::string one = "(NULL";
  for (size_t i = 0; i < columns; ++i) one += ",?";
  one += ")";
  std::string sql = "INSERT INTO " + table + " VALUES ";
  for (size_t r = 0; r < rows; ++r) sql += (r ? "," : "") + one;
  return sql;
}

}  // namespace

Status DropStaging(Connection& c, int64_t seq) {
  // One transaction that first checks the state: a committed edition's table is never dropped, even
  // if it was committed after the caller decided it was staging.
  KILDE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(c, true));
  KILDE_ASSIGN_OR_RETURN(Statement * q, c.Prepare("SELECT 1 FROM editions WHERE seq=? AND state='staging'"));
  q->Bind(1, seq);
  const int rc = q->Step();
  q->Reset();
  if (rc == SQLITE_DONE) return tx.Commit();
  if (rc != SQLITE_ROW) return c.Error("read staging edition");
  KILDE_RETURN_IF_ERROR(c.Exec("DROP TABLE IF EXISTS " + EditionTable(seq)));
  KILDE_ASSIGN_OR_RETURN(Statement * d, c.Prepare("DELETE FROM editions WHERE seq=? AND state='staging'"));
  d->Bind(1, seq);
  if (d->Step() != SQLITE_DONE) return c.Error("drop staging edition");
  d->Reset();
  return tx.Commit();
}

SqliteEditionWriter::SqliteEditionWriter(std::unique_ptr<Connection> c, WriteLock* write_mutex, int64_t seq,
                                         std::vector<StorageColumn> cols, StagingLock lock)
    : c_(std::move(c)),
      write_mutex_(write_mutex),
      seq_(seq),
      lock_(std::move(lock)),
      cols_(std::move(cols)),
      table_(EditionTable(seq)),
      batch_rows_(std::max<size_t>(1, kBatchValues / std::max<size_t>(cols_.size(), 1))) {
  last_keys_.resize(cols_.size());
  cur_ = std::make_unique<Batch>();
  for (size_t i = 1; i < kBatches; ++i) free_.push_back(std::make_unique<Batch>());
}

Status SqliteEditionWriter::Start() {
  // The loader never checkpoints (Commit does, once). (A page cache larger than the default 2 MiB
  // was measured to gain nothing, for the inserts or the index sorts.)
  KILDE_RETURN_IF_ERROR(c_->Exec("PRAGMA wal_autocheckpoint=0"));
  {
    std::lock_guard w(*write_mutex_);
    KILDE_RETURN_IF_ERROR(BuildIndexes(/*unique=*/true));
  }
  try {
    loader_ = std::thread([this] { LoaderLoop(); });
  } catch (const std::system_error& e) {
    return Status::Unavailable(std::string("cannot start a thread for the ingest: ") + e.what());
  }
  return Status::Ok();
}

SqliteEditionWriter::~SqliteEditionWriter() {
  {
    std::lock_guard l(mu_);
    if (error_.ok()) error_ = Status::Internal("edition writer abandoned");  // the loader skips the rest
  }
  StopLoader();
  if (committed_) return;
  if (in_tx_) (void)c_->Exec("ROLLBACK");
  if (!tx_lock_.owns_lock()) tx_lock_ = std::unique_lock(*write_mutex_);
  (void)DropStaging(*c_, seq_);
}

bool SqliteEditionWriter::KeysAscend(const std::vector<Cell>& cells) {
  for (size_t i = 0; i < cols_.size(); ++i) {
    if (!cols_[i].unique) continue;
    const Cell& c = cells[i];
    if (c.kind != CellKind::kInt && c.kind != CellKind::kText) return false;
    if (!have_last_keys_) continue;
    const Cell& last = last_keys_[i];
    if (c.kind != last.kind) return false;
    if (c.kind == CellKind::kInt ? c.i <= last.i : c.text <= last.text) return false;
  }
  for (size_t i = 0; i < cols_.size(); ++i) {
    if (!cols_[i].unique) continue;
    last_keys_[i].kind = cells[i].kind;
    last_keys_[i].i = cells[i].i;
    last_keys_[i].text.assign(cells[i].text);
  }
  have_last_keys_ = true;
  return true;
}

Status SqliteEditionWriter::Append(const std::vector<Cell>& cells) {
  if (cells.size() != cols_.size()) return Status::Internal("edition writer: wrong number of cells");
  if (checked_) return AppendChecked(cells);
  if (!KeysAscend(cells)) {
    KILDE_RETURN_IF_ERROR(SwitchToChecked());
    return AppendChecked(cells);
  }
  if (!cur_) return Drain();  // the loader failed: report its error
  Batch& b = *cur_;
  for (const Cell& c : cells) {
    Slot s;
    s.kind = c.kind;
    if (c.kind == CellKind::kInt) {
      s.num = c.i;
    } else if (c.kind == CellKind::kReal) {
      s.num = std::bit_cast<int64_t>(c.d);
    } else if (c.kind == CellKind::kText) {
      s.off = static_cast<uint32_t>(b.arena.size());
      s.len = static_cast<uint32_t>(c.text.size());
      b.arena.append(c.text);
    }
    b.slots.push_back(s);
  }
  if (++b.rows >= batch_rows_ || b.arena.size() >= kBatchBytes) return Submit();
  return Status::Ok();
}

Status SqliteEditionWriter::Submit() {
  std::unique_lock l(mu_);
  if (!error_.ok()) return error_;
  full_.push_back(std::move(cur_));
  cv_.notify_all();
  cv_.wait(l, [&] { return !free_.empty() || !error_.ok(); });
  if (!error_.ok()) return error_;
  cur_ = std::move(free_.back());
  free_.pop_back();
  return Status::Ok();
}

Status SqliteEditionWriter::Drain() {
  std::unique_lock l(mu_);
  if (cur_ && cur_->rows > 0) {
    full_.push_back(std::move(cur_));
    cv_.notify_all();
  }
  cv_.wait(l, [&] { return full_.empty() && !busy_; });
  if (!cur_) {  // every batch is back on the free list
    cur_ = std::move(free_.back());
    free_.pop_back();
  }
  return error_;
}

void SqliteEditionWriter::StopLoader() {
  {
    std::lock_guard l(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  if (loader_.joinable()) loader_.join();
}

void SqliteEditionWriter::LoaderLoop() {
  while (true) {
    std::unique_ptr<Batch> b;
    bool failed;
    {
      std::unique_lock l(mu_);
      cv_.wait(l, [&] { return !full_.empty() || closing_; });
      if (full_.empty()) return;
      b = std::move(full_.front());
      full_.pop_front();
      busy_ = true;
      failed = !error_.ok();
    }
    Status s = failed ? Status::Ok() : InsertBatch(*b);
    b->Clear();
    {
      std::lock_guard l(mu_);
      if (!s.ok() && error_.ok()) error_ = s;
      free_.push_back(std::move(b));
      busy_ = false;
    }
    cv_.notify_all();
  }
}

Status SqliteEditionWriter::InsertBatch(const Batch& b) {
  const size_t n = cols_.size(), per = RowsPerInsert(n);
  if (!multi_) {
    KILDE_ASSIGN_OR_RETURN(multi_, c_->Prepare(InsertSql(table_, n, per)));
    KILDE_ASSIGN_OR_RETURN(single_, c_->Prepare(InsertSql(table_, n, 1)));
  }
  std::lock_guard w(*write_mutex_);
  KILDE_RETURN_IF_ERROR(c_->Exec("BEGIN IMMEDIATE"));
  size_t row = 0;
  while (row < b.rows) {
    Statement& st = b.rows - row >= per ? *multi_ : *single_;
    const size_t rows = &st == multi_ ? per : 1;
    int p = 1;
    for (const Slot* s = &b.slots[row * n]; s != &b.slots[(row + rows) * n]; ++s, ++p) {
      switch (s->kind) {
        case CellKind::kNull:
          st.BindNull(p);
          break;
        case CellKind::kInt:
          st.Bind(p, s->num);
          break;
        case CellKind::kReal:
          st.BindReal(p, std::bit_cast<double>(s->num));
          break;
        case CellKind::kText:
          st.BindStatic(p, std::string_view(b.arena).substr(s->off, s->len));
          break;
      }
    }
    const int rc = st.Step();
    st.Rewind();
    if (rc != SQLITE_DONE) {
      Status e = c_->Error("append rows");
      (void)c_->Exec("ROLLBACK");
      return e;
    }
    row += rows;
  }
  Status s = c_->Exec("COMMIT");
  if (!s.ok()) (void)c_->Exec("ROLLBACK");
  return s;
}

Status SqliteEditionWriter::SwitchToChecked() {
  KILDE_RETURN_IF_ERROR(Drain());
  StopLoader();
  checked_ = true;
  return Status::Ok();
}

Status SqliteEditionWriter::AppendChecked(const std::vector<Cell>& cells) {
  if (!in_tx_) {
    tx_lock_ = std::unique_lock(*write_mutex_);
    KILDE_RETURN_IF_ERROR(c_->Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
  }
  if (!single_) {
    KILDE_ASSIGN_OR_RETURN(single_, c_->Prepare(InsertSql(table_, cols_.size(), 1)));
  }
  for (size_t i = 0; i < cells.size(); ++i) BindCell(*single_, static_cast<int>(i + 1), cells[i]);
  const int rc = single_->Step();
  single_->Rewind();
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::Exists("duplicate value in a key column");
  if (rc != SQLITE_DONE) return c_->Error("append row");
  if (++pending_ >= batch_rows_) return Pause();  // let other writers in now and then
  return Status::Ok();
}

Status SqliteEditionWriter::Pause() {
  if (!checked_ || !in_tx_) return Status::Ok();
  KILDE_RETURN_IF_ERROR(c_->Exec("COMMIT"));
  in_tx_ = false;
  pending_ = 0;
  tx_lock_.unlock();
  return Status::Ok();
}

Status SqliteEditionWriter::BuildIndexes(bool unique) {
  for (size_t i = 0; i < cols_.size(); ++i) {
    const std::string col = "c" + std::to_string(i), name = table_ + "_" + col;
    if (unique && cols_[i].unique) {
      KILDE_RETURN_IF_ERROR(c_->Exec("CREATE UNIQUE INDEX " + name + " ON " + table_ + " (" + col + ")"));
    } else if (!unique && cols_[i].indexed && !cols_[i].unique) {
      // (col) alone: SQLite index entries end with the rowid (_row), so they are ordered by
      // (col, _row) and serve `col = ? AND _row > ?` keyset scans; naming _row again stored it twice
      // and took a fifth longer to build.
      KILDE_RETURN_IF_ERROR(c_->Exec("CREATE INDEX " + name + " ON " + table_ + " (" + col + ")"));
    }
  }
  return Status::Ok();
}

Status SqliteEditionWriter::Commit(const EditionRow& meta) {
  if (!checked_) {
    KILDE_RETURN_IF_ERROR(Drain());
    StopLoader();
  }
  if (!tx_lock_.owns_lock()) tx_lock_ = std::unique_lock(*write_mutex_);
  if (!in_tx_) {
    KILDE_RETURN_IF_ERROR(c_->Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
  }
  {
    // Meanwhile a connection of its own copies the rows, committed already, from the WAL into the
    // database (a passive checkpoint waits for nobody), so that the final checkpoint has little left.
    const char* file = sqlite3_db_filename(c_->raw(), "main");
    std::thread copier;
    try {
      copier = std::thread([path = std::string(file ? file : "")] {
        if (path.empty()) return;
        auto c = Connection::Open(path);
        if (c.ok()) (void)(*c)->Exec("PRAGMA wal_checkpoint(PASSIVE)");
      });
    } catch (const std::system_error&) {  // no thread: the final checkpoint does it all
    }
    Status s = BuildIndexes(/*unique=*/false);
    if (copier.joinable()) copier.join();
    KILDE_RETURN_IF_ERROR(s);
  }
  KILDE_RETURN_IF_ERROR(c_->Exec("COMMIT"));
  in_tx_ = false;
  // The transaction that makes the edition visible is durable (WAL synced before it returns).
  KILDE_RETURN_IF_ERROR(c_->Exec("PRAGMA synchronous=FULL"));
  KILDE_RETURN_IF_ERROR(c_->Exec("BEGIN IMMEDIATE"));
  in_tx_ = true;
  KILDE_ASSIGN_OR_RETURN(Statement * u,
                         c_->Prepare("UPDATE editions SET state='ready', id=?2, created=?3, "
                                     "source_name=?4, row_count=?5, schema_version=?6, "
                                     "sha256=?7, quality=?8 WHERE seq=?1 AND state='staging'"));
  u->Bind(1, seq_).Bind(2, meta.id).Bind(3, meta.created).Bind(4, meta.source_name).Bind(5, meta.row_count);
  u->Bind(6, static_cast<int64_t>(meta.schema_version)).Bind(7, meta.sha256).Bind(8, meta.quality);
  int rc = u->Step();
  if (rc == SQLITE_CONSTRAINT_UNIQUE) return Status::Exists("edition '" + meta.id + "' already exists");
  if (rc != SQLITE_DONE || sqlite3_changes(c_->raw()) != 1) return c_->Error("register edition");
  u->Reset();
  KILDE_RETURN_IF_ERROR(c_->Exec("COMMIT"));
  in_tx_ = false;
  committed_ = true;
  (void)c_->Exec("PRAGMA synchronous=NORMAL");
  // Copy the edition from the WAL into the database and truncate the WAL. Best effort: when
  // readers keep it busy, later checkpoints (automatic on the other connections) finish the job.
  sqlite3_busy_timeout(c_->raw(), 100);
  (void)c_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  tx_lock_.unlock();
  return Status::Ok();
}

}  // namespace kilde::store::sqlite
