// Storage of the audit log: append-only entries chained by hash, and signed checkpoints.
// Part of the storage layer (see store.h); implementations are thread safe. The chain itself
// (hashing, verification) is computed by audit/chain.h; the store only keeps what it is given and
// serialises appends so that each entry is sealed after the true last one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kilde::store {

// One logged access (allowed or denied) to restricted or non-public data.
struct AuditEntry {
  int64_t seq = 0;         // 1, 2, 3, ... without gaps
  std::string time;        // RFC 3339 UTC with milliseconds
  std::string request_id;  // X-Request-Id of the request
  std::string decision;    // "allowed" | "denied"
  std::string consumer;    // organisation number of the consumer (Maskinporten consumer.ID)
  std::string client_id;
  std::string supplier;  // organisation number, "" if none
  std::string product, edition, grant;
  std::string purpose, legal_basis;
  std::string query;  // the request's path and query string
  int64_t rows = 0;   // rows returned
  // Data subjects in the response: keyed hashes of their fødselsnummer/D-number, never in clear.
  std::vector<std::string> subjects;
};

// An entry as stored: with the hash of its predecessor and its own hash.
struct SealedAuditEntry {
  AuditEntry entry;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

// A signed statement "the chain up to `seq` ends in `hash`".
struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;
  std::string time;
  std::string signature;  // base64url
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // In one durable transaction (synced before it returns): `seal(last)` turns the entries to
  // append into sealed ones given the current last entry (nullopt for an empty log); they are
  // stored and returned. Appends are serialised, so `last` is always the true last entry.
  using SealFn = std::function<std::vector<SealedAuditEntry>(const std::optional<SealedAuditEntry>& last)>;
  virtual Result<std::vector<SealedAuditEntry>> Append(const SealFn& seal) = 0;
  virtual Status AddCheckpoint(const AuditCheckpoint& c) = 0;
  // Every entry in storage order (ascending seq), for verification; the callback may stop early.
  virtual Status ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) = 0;
  virtual Result<std::vector<AuditCheckpoint>> Checkpoints() = 0;
};

}  // namespace kilde::store
