// The audit log service: records entries (sealed into the hash chain, durable when Record
// returns), signs a checkpoint every `checkpoint_every` entries, and verifies what is stored.
// Thread safe (the store serialises appends).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/signer.h"
#include "base/status.h"
#include "store/audit_store.h"

namespace kilde::audit {

class Log {
 public:
  // `store` is not owned and must outlive the log. A null `signer` makes a verify-only log (every
  // checkpoint signature then fails; Record and CheckpointNow must not be called).
  Log(store::AuditStore* store, std::unique_ptr<Signer> signer, int64_t checkpoint_every = 100)
      : store_(store), signer_(std::move(signer)), every_(checkpoint_every) {}

  // The signing key of the log in `data_dir` (created on first use): <data_dir>/audit-signing-key.pem.
  static std::string KeyPath(const std::string& data_dir);

  // Appends `entries` (their seq is assigned) in one durable transaction; a checkpoint is signed
  // when the chain passes a multiple of checkpoint_every. Returns the sealed entries.
  Result<std::vector<SealedEntry>> Record(std::vector<Entry> entries);
  // Signs a checkpoint at the current head (e.g. on shutdown, or every T seconds); no-op when
  // the head already has one or the log is empty.
  Status CheckpointNow(const std::string& time);
  // Signs a checkpoint at `head`, an entry this log appended (Record's result); no-op when it has one.
  Status CheckpointAt(const SealedEntry& head, const std::string& time);
  int64_t every() const { return every_; }

  struct Report {
    int64_t entries = 0;
    int64_t checkpoints = 0;
    std::optional<Finding> finding;  // the first problem, if any
  };
  // Reads the whole stored log as a stream (constant memory: audit::StreamVerifier over
  // store::AuditStore::ScanForVerify) and verifies chain and checkpoints.
  Result<Report> VerifyStored();

 private:
  store::AuditStore* store_;
  std::unique_ptr<Signer> signer_;
  int64_t every_;
};

}  // namespace kilde::audit
