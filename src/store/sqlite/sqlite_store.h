// The embedded SQLite backend of the storage layer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/pool.h"
#include "store/sqlite/sqlite_access.h"
#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_products.h"
#include "store/store.h"

namespace kilde::store::sqlite {

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
  // `errors` is shared with `audit`, which was opened with it (OpenSqliteStore).
  SqliteStore(std::unique_ptr<ConnectionPool> pool, std::string db_path, int version,
              std::unique_ptr<std::atomic<uint64_t>> errors, std::unique_ptr<SqliteAuditStore> audit)
      : pool_(std::move(pool)),
        errors_(std::move(errors)),
        catalog_(pool_.get(), errors_.get()),
        products_(pool_.get(), std::move(db_path), errors_.get()),
        audit_(std::move(audit)),
        access_(pool_.get(), errors_.get()),
        version_(version) {}
  CatalogStore& catalog() override { return catalog_; }
  ProductStore& products() override { return products_; }
  AuditStore& audit() override { return *audit_; }
  AccessStore& access() override { return access_; }
  SqliteProductStore& sqlite_products() { return products_; }
  Status Ping() override;
  uint64_t error_count() const override { return errors_->load(); }
  int schema_version() const override { return version_; }

 private:
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<std::atomic<uint64_t>> errors_;  // never null
  SqliteCatalogStore catalog_;
  SqliteProductStore products_;
  std::unique_ptr<SqliteAuditStore> audit_;  // never null
  SqliteAccessStore access_;
  int version_;
};

}  // namespace kilde::store::sqlite
