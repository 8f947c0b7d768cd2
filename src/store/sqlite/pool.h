// A pool of SQLite connections to one database file.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/db.h"

namespace kilde::store::sqlite {

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

  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> conns) : free_(std::move(conns)) {}
  // Blocks until a connection is free.
  Lease Acquire();
  std::mutex& write_mutex() { return write_mu_; }

 private:
  void Return(std::unique_ptr<Connection> c);
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> free_;
  std::mutex write_mu_;
};

}  // namespace kilde::store::sqlite
