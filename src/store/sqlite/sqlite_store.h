// The embedded SQLite backend of the storage layer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/db.h"
#include "store/store.h"

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

class SqliteCatalogStore final : public CatalogStore {
 public:
  SqliteCatalogStore(ConnectionPool* pool, std::atomic<uint64_t>* errors) : pool_(pool), errors_(errors) {}
  Result<ResourceRow> Get(const std::string& kind, const std::string& id) override;
  Result<std::vector<ResourceRow>> List(const ListQuery& q) override;
  Result<std::vector<ResourceRow>> All(const std::string& kind) override;
  Status Insert(const ResourceRow& row) override;
  Status Update(const ResourceRow& row, int64_t expected_version) override;
  Status Delete(const std::string& kind, const std::string& id,
                std::optional<int64_t> expected_version) override;
  Status UpsertBatch(const std::vector<ResourceRow>& rows) override;
  Result<std::vector<Ref>> ReferencedBy(const std::string& kind, const std::string& id) override;

 private:
  Status Count(Status s) {
    if (!s.ok() && s.code() == Code::kInternal) ++*errors_;
    return s;
  }
  ConnectionPool* pool_;
  std::atomic<uint64_t>* errors_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<ConnectionPool> pool, int version)
      : pool_(std::move(pool)), catalog_(pool_.get(), &errors_), version_(version) {}
  CatalogStore& catalog() override { return catalog_; }
  Status Ping() override;
  uint64_t error_count() const override { return errors_.load(); }
  int schema_version() const override { return version_; }

 private:
  std::unique_ptr<ConnectionPool> pool_;
  std::atomic<uint64_t> errors_{0};
  SqliteCatalogStore catalog_;
  int version_;
};

}  // namespace kilde::store::sqlite
