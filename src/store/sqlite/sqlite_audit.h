// SQLite implementation of store::AuditStore (see audit_store.h).
#pragma once

#include <atomic>

#include "store/audit_store.h"
#include "store/sqlite/pool.h"

namespace kilde::store::sqlite {

class SqliteAuditStore final : public AuditStore {
 public:
  SqliteAuditStore(ConnectionPool* pool, std::atomic<uint64_t>* errors) : pool_(pool), errors_(errors) {}
  Result<std::vector<SealedAuditEntry>> Append(const SealFn& seal) override;
  Status AddCheckpoint(const AuditCheckpoint& c) override;
  Status ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) override;
  Result<std::vector<AuditCheckpoint>> Checkpoints() override;
  Result<std::optional<SealedAuditEntry>> Last() override;
  Status ScanForVerify(const VerifyEntryFn& entry, const VerifyOrphanFn& orphan) override;
  Result<std::vector<SealedAuditEntry>> Entries(const AuditQuery& q) override;
  Result<std::vector<SealedAuditEntry>> EntriesForSubject(const AuditSubjectQuery& q) override;

 private:
  Status Counted(Status s) {
    if (!s.ok() && s.code() == Code::kInternal) ++*errors_;
    return s;
  }
  ConnectionPool* pool_;
  std::atomic<uint64_t>* errors_;
};

}  // namespace kilde::store::sqlite
