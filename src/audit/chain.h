// The audit log's tamper evidence: every entry is hashed together with the hash of the one before
// it (a hash chain), and signed checkpoints pin the chain's head every N entries or T seconds.
// Changing, removing or reordering an entry breaks the chain at that entry; rewriting the whole
// chain from there on does not verify against the last signed checkpoint.
//
// Pure functions over entries already read from storage; thread safe. Storage and signing keys
// live elsewhere (store/, audit/signer.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/audit_store.h"

namespace kilde::audit {

using Entry = store::AuditEntry;
using SealedEntry = store::SealedAuditEntry;
using Checkpoint = store::AuditCheckpoint;

// The prev_hash of the first entry: 64 zeros.
extern const char* const kGenesis;

// The entry's canonical bytes: a JSON array of its fields in a fixed order (deterministic).
std::string Canonical(const Entry& e);
// hex SHA-256 of prev_hash, a newline and Canonical(e).
std::string ChainHash(std::string_view prev_hash, const Entry& e);
// Seals `e` after `prev` (nullptr for the first entry): sets seq = prev.seq + 1 and the hashes.
SealedEntry Seal(const SealedEntry* prev, Entry e);
// The bytes a checkpoint signature covers.
std::string CheckpointMessage(int64_t seq, std::string_view hash);

// The first problem found in a stored log, naming the entry: "entry 7 was changed" (its content
// does not give its hash, or its hash is not the next entry's prev_hash), "entry 7 is missing"
// (a gap in seq), "entry 7 is out of order (stored after entry 8)", "checkpoint at entry 12 does not match
// the chain", "checkpoint at entry 12 has an invalid signature", "entries after 11 are missing" (a signed
// checkpoint names an entry the log no longer has).
struct Finding {
  int64_t seq = 0;
  std::string problem;
};

// Whether `signature` (base64url) is a valid signature of `message` by the log's key.
using SignatureCheck = std::function<bool(std::string_view message, std::string_view signature)>;

// Verifies a log read as a stream, in constant memory (it keeps the last hash and at most one
// pending finding, never the entries). Feed every entry in storage order with the checkpoint stored
// at its seq, then every checkpoint that names no entry, then call Finish. The finding is the one
// Verify() reports for the same log: chain problems first (the first in storage order), then
// checkpoint problems (the one at the lowest seq). Not thread safe; one verifier per scan.
class StreamVerifier {
 public:
  explicit StreamVerifier(SignatureCheck verify_signature) : verify_signature_(std::move(verify_signature)) {}

  // The next entry as stored, and the checkpoint stored for its seq (nullptr if none; when not
  // null, at->seq == e.entry.seq).
  void AddEntry(const SealedEntry& e, const Checkpoint* at);
  // A checkpoint whose seq no entry given to AddEntry has (after the last AddEntry).
  void AddOrphanCheckpoint(const Checkpoint& c);
  // True once more input cannot change the finding (the caller may stop hashing; it may still feed
  // entries to count them).
  bool settled() const { return chain_finding_.has_value(); }
  // The first problem, or nullopt when the log fed in is intact.
  std::optional<Finding> Finish() const;

  int64_t entries() const { return entries_; }
  int64_t checkpoints() const { return checkpoints_; }

 private:
  // A checkpoint problem, kept until Finish: a chain problem found later still wins, and "entries
  // after N are missing" names the last entry, known only at the end.
  enum class CheckpointProblem { kSignature, kMismatch, kMissing };
  void NoteCheckpoint(int64_t seq, CheckpointProblem problem);

  SignatureCheck verify_signature_;
  std::string prev_ = kGenesis;
  int64_t expected_ = 1;  // the seq the next entry must have
  int64_t entries_ = 0, checkpoints_ = 0;
  // The first gap: entry `gap_expected_` was not where it belonged (entry `gap_seen_` was). Whether
  // it is missing or stored later is known only by reading on.
  std::optional<int64_t> gap_expected_;
  int64_t gap_seen_ = 0;
  std::optional<Finding> chain_finding_;                                     // final once set
  std::optional<std::pair<int64_t, CheckpointProblem>> checkpoint_problem_;  // lowest seq
};

// `entries` in storage order (as read, oldest first); `checkpoints` in any order. nullopt when the
// log is intact. The in-memory form of StreamVerifier (same findings), e.g. for tests.
std::optional<Finding> Verify(const std::vector<SealedEntry>& entries,
                              const std::vector<Checkpoint>& checkpoints,
                              const SignatureCheck& verify_signature);

}  // namespace kilde::audit
