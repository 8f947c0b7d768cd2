// Thin RAII wrappers over the SQLite C API, used only inside store/sqlite/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace kilde::store::sqlite {

// A prepared statement. Owned by its Connection's cache; Reset() before reuse.
// Not thread safe (belongs to one connection, used by one thread at a time).
class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Binds text without copying it: `v` must stay valid until the statement is rewound or reset.
  Statement& BindStatic(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& BindReal(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // Ready to step again with the same bindings (cheaper than Reset when all are rebound anyway).
  void Rewind() { sqlite3_reset(stmt_); }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : "";
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  int Type(int col) const { return sqlite3_column_type(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

// One SQLite connection with a cache of prepared statements. Not thread safe:
// the pool hands a connection to one thread at a time.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  // Takes ownership of `db`; prefer Open().
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL without results (DDL, pragmas, BEGIN/COMMIT).
  Status Exec(const std::string& sql);
  // Runs one statement without results through the statement cache: for statements run often
  // (BEGIN, COMMIT, ROLLBACK, pragmas on hot paths), which Exec would compile every time.
  Status Run(const std::string& sql);
  // A cached prepared statement, reset and unbound. Valid until the connection closes.
  Result<Statement*> Prepare(const std::string& sql);
  // Resets every cached statement, so that none holds a read snapshot open.
  void ResetAll();
  // Finalizes every cached statement if there are more than `max` (queries with varying filters
  // each have their own SQL text). Only when no Statement* of this connection is in use.
  void TrimCache(size_t max);
  size_t cached_statements() const { return cache_.size(); }
  // Status describing the connection's last error, prefixed by `what`.
  Status Error(std::string_view what) const;
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Commits on Commit(), rolls back in the destructor otherwise.
class Transaction {
 public:
  // `immediate` takes the write lock at BEGIN (use for every write).
  static Result<Transaction> Begin(Connection& c, bool immediate);
  Transaction(Transaction&& o) noexcept : c_(o.c_), open_(o.open_) { o.open_ = false; }
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection& c) : c_(&c), open_(true) {}
  Connection* c_;
  bool open_;
};

}  // namespace kilde::store::sqlite
