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

// `entries` in storage order (as read, oldest first); `checkpoints` in any order. nullopt when the
// log is intact.
std::optional<Finding> Verify(const std::vector<SealedEntry>& entries,
                              const std::vector<Checkpoint>& checkpoints,
                              const SignatureCheck& verify_signature);

}  // namespace kilde::audit
