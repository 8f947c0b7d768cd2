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

// A place in a listing ordered by (time, seq): the listing goes on with the entries after it.
struct AuditPosition {
  std::string time;
  int64_t seq = 0;
};

// Which entries AuditStore::Entries lists. Times compare as text, so bounds must have the form of
// AuditEntry::time ("2026-11-23T22:40:00.000Z").
struct AuditQuery {
  std::vector<std::string> products;   // entries about these products; empty: every entry
  std::string from;                    // time >= from; "" for no lower bound
  std::string to;                      // time < to; "" for no upper bound
  std::optional<AuditPosition> after;  // keyset paging: only entries after this position
  int limit = 100;                     // > 0
};

// Which entries AuditStore::EntriesForSubject lists.
struct AuditSubjectQuery {
  std::string subject;                  // a keyed hash as stored in AuditEntry::subjects
  std::optional<int64_t> before_seq;    // keyset paging (newest first): only entries with seq < this
  std::optional<std::string> decision;  // only entries with this decision ("allowed"); nullopt: any
  int limit = 100;                      // > 0
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Makes this process the log's one appender (the first Append does it too): fails when another
  // live process appends to the same log.
  virtual Status StartAppending() = 0;
  // Durably (synced before it returns, all or nothing): `seal(last)` turns the entries to append
  // into sealed ones given the current last entry (nullopt for an empty log); they are stored and
  // returned. Appends are serialised, so `last` is always the true last entry. Of `last` only
  // entry.seq and hash are filled: they are all sealing needs.
  using SealFn = std::function<std::vector<SealedAuditEntry>(const std::optional<SealedAuditEntry>& last)>;
  virtual Result<std::vector<SealedAuditEntry>> Append(const SealFn& seal) = 0;
  // Stores a checkpoint after the entries appended before it; a checkpoint already stored at the same
  // seq is kept. Durable once the store has copied it (soon, and when the store closes), not
  // necessarily when this returns: losing the newest checkpoint in a crash loses no entry.
  virtual Status AddCheckpoint(const AuditCheckpoint& c) = 0;
  // Entries appended (durable) but not yet in the store's main storage, where a store appends through
  // a journal first; 0 otherwise. For monitoring: it should stay near one batch interval's worth.
  virtual int64_t CopyBacklog() = 0;
  // Every entry in storage order (ascending seq); a non-OK status from `fn` stops the scan and is returned.
  virtual Status ScanAll(const std::function<Status(const SealedAuditEntry&)>& fn) = 0;
  // Every checkpoint, ascending seq (all in memory: one per N entries).
  virtual Result<std::vector<AuditCheckpoint>> Checkpoints() = 0;
  // The last entry (highest seq), nullopt for an empty log. One indexed lookup.
  virtual Result<std::optional<SealedAuditEntry>> Last() = 0;

  // For verification in constant memory: every entry in storage order (ascending seq), each with
  // the checkpoint stored at its seq (nullptr if none) — entries and their checkpoints from one
  // read snapshot — then every checkpoint naming a seq that has no entry, ascending. A non-OK
  // status from a callback stops the scan and is returned.
  using VerifyEntryFn = std::function<Status(const SealedAuditEntry&, const AuditCheckpoint* at)>;
  using VerifyOrphanFn = std::function<Status(const AuditCheckpoint&)>;
  virtual Status ScanForVerify(const VerifyEntryFn& entry, const VerifyOrphanFn& orphan) = 0;

  // The entries matching `q`, ordered by (time, seq), at most q.limit. Indexed: the cost grows
  // with q.limit times the number of products asked for, not with the size of the log.
  virtual Result<std::vector<SealedAuditEntry>> Entries(const AuditQuery& q) = 0;
  // The entries whose subjects include q.subject, newest first (descending seq), at most q.limit.
  // Indexed by (subject, seq).
  virtual Result<std::vector<SealedAuditEntry>> EntriesForSubject(const AuditSubjectQuery& q) = 0;
};

}  // namespace kilde::store
