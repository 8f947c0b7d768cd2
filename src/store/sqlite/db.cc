#include "store/sqlite/db.h"

namespace kilde::store::sqlite {

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::Unavailable("cannot open database " + path + ": " + msg);
  }
  auto c = std::make_unique<Connection>(db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
    Status s = c->Exec(pragma);
    if (!s.ok()) return s;
  }
  return c;
}

Connection::~Connection() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(db_);
}

void Connection::ResetAll() {
  for (auto& [sql, stmt] : cache_) stmt->Reset();
}

void Connection::TrimCache(size_t max) {
  if (cache_.size() > max) cache_.clear();
}

Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Internal("sqlite: " + msg);
  }
  return Status::Ok();
}

Status Connection::Run(const std::string& sql) {
  KILDE_ASSIGN_OR_RETURN(Statement * s, Prepare(sql));
  const int rc = s->Step();
  Status status = rc == SQLITE_DONE || rc == SQLITE_ROW
                      ? Status::Ok()
                      : Status::Internal("sqlite: " + std::string(sqlite3_errmsg(db_)));
  s->Reset();
  return status;
}

Result<Statement*> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    return Error("prepare");
  }
  auto [pos, _] = cache_.emplace(sql, std::make_unique<Statement>(stmt));
  return pos->second.get();
}

Status Connection::Error(std::string_view what) const {
  return Status::Internal(std::string("sqlite ") + std::string(what) + ": " + sqlite3_errmsg(db_));
}

Result<Transaction> Transaction::Begin(Connection& c, bool immediate) {
  KILDE_RETURN_IF_ERROR(c.Run(immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(c);
}

Transaction::~Transaction() {
  if (open_) (void)c_->Run("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = c_->Run("COMMIT");
  if (s.ok()) open_ = false;  // a failed COMMIT (e.g. deferred foreign keys) leaves it open: roll back
  return s;
}

}  // namespace kilde::store::sqlite
