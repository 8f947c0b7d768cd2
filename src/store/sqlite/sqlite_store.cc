#include "store/sqlite/sqlite_store.h"

#include <thread>

#include "store/sqlite/migrations.h"

namespace kilde::store::sqlite {

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  auto c = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(c));
}

void ConnectionPool::Return(std::unique_ptr<Connection> c) {
  c->ResetAll();
  c->TrimCache(kMaxCachedStatements);  // returned: none of its statements is in use
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(c));
  }
  cv_.notify_one();
}

Status SqliteStore::Ping() {
  auto c = pool_->Acquire();
  auto st = c->Prepare("SELECT COUNT(*) FROM schema_migrations");
  if (!st.ok()) return Status::Unavailable(st.status().message());
  if ((*st)->Step() != SQLITE_ROW) return Status::Unavailable(c->Error("ping").message());
  return Status::Ok();
}

}  // namespace kilde::store::sqlite

namespace kilde::store {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& data_dir) {
  using namespace sqlite;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return Status::Unavailable("cannot create data directory " + data_dir.string() + ": " + ec.message());
  const std::string path = (data_dir / "kilde.db").string();
  auto errors = std::make_unique<std::atomic<uint64_t>>(0);
  KILDE_ASSIGN_OR_RETURN(auto audit, SqliteAuditStore::Open(data_dir / "audit.db", errors.get()));
  KILDE_ASSIGN_OR_RETURN(auto first, Connection::Open(path));
  // Before schema version 6 the audit log was kept in kilde.db: move it to audit.db first (the
  // migration to version 6 drops the old tables).
  KILDE_ASSIGN_OR_RETURN(
      Statement * legacy,
      first->Prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='audit_entries'"));
  const bool has_legacy = legacy->Step() == SQLITE_ROW;
  legacy->Reset();
  if (has_legacy) KILDE_RETURN_IF_ERROR(audit->ImportLegacy(*first));
  KILDE_ASSIGN_OR_RETURN(int version, Migrate(*first));
  std::vector<std::unique_ptr<Connection>> conns;
  conns.push_back(std::move(first));
  // Readers run in parallel in WAL mode: one connection per core plus a spare.
  const unsigned n = std::max(2u, std::thread::hardware_concurrency() + 1);
  for (unsigned i = 1; i < n; ++i) {
    KILDE_ASSIGN_OR_RETURN(auto c, Connection::Open(path));
    conns.push_back(std::move(c));
  }
  auto store = std::make_unique<SqliteStore>(std::make_unique<ConnectionPool>(std::move(conns)), path,
                                             version, std::move(errors), std::move(audit));
  // An ingest that never committed (the process died) leaves a staging edition: remove it.
  KILDE_RETURN_IF_ERROR(store->sqlite_products().RecoverStaging());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace kilde::store
