// A pool of SQLite connections to one database file.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/db.h"

namespace kilde::store::sqlite {

// The store's writer lock (BasicLockable: use std::lock_guard / std::unique_lock). Unlike std::mutex
// it may be released by another thread than the one that took it: an ingest holds it across calls
// that an HTTP server may make from different threads. Thread safe.
class WriteLock {
 public:
  void lock() {
    std::unique_lock l(mu_);
    cv_.wait(l, [&] { return !held_; });
    held_ = true;
  }
  void unlock() {
    {
      std::lock_guard l(mu_);
      held_ = false;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
};

// A fixed pool of connections to one database file. Thread safe. Writers are
// additionally serialised by `write_mutex()` so that they never meet SQLITE_BUSY.
class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (c_) pool_->Return(std::move(c_));
    }
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // Prepared statements a pooled connection keeps; more are dropped when it is returned.
  static constexpr size_t kMaxCachedStatements = 256;
  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> conns) : free_(std::move(conns)) {}
  // Blocks until a connection is free.
  Lease Acquire();
  WriteLock& write_mutex() { return write_mu_; }

 private:
  void Return(std::unique_ptr<Connection> c);
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> free_;
  WriteLock write_mu_;
};

}  // namespace kilde::store::sqlite
