#include "audit/chain.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "base/sha256.h"

namespace kilde::audit {

const char* const kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string Canonical(const Entry& e) {
  nlohmann::json j = nlohmann::json::array({e.seq, e.time, e.request_id, e.decision, e.consumer, e.client_id,
                                            e.supplier, e.product, e.edition, e.grant, e.purpose,
                                            e.legal_basis, e.query, e.rows, e.subjects});
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ChainHash(std::string_view prev_hash, const Entry& e) {
  Sha256 h;
  h.Update(prev_hash);
  h.Update("\n");
  h.Update(Canonical(e));
  return h.HexDigest();
}

SealedEntry Seal(const SealedEntry* prev, Entry e) {
  SealedEntry s;
  e.seq = prev ? prev->entry.seq + 1 : 1;
  s.prev_hash = prev ? prev->hash : kGenesis;
  s.hash = ChainHash(s.prev_hash, e);
  s.entry = std::move(e);
  return s;
}

std::string CheckpointMessage(int64_t seq, std::string_view hash) {
  return "kilde-audit-checkpoint\n" + std::to_string(seq) + "\n" + std::string(hash);
}

std::optional<Finding> Verify(const std::vector<SealedEntry>& entries,
                              const std::vector<Checkpoint>& checkpoints,
                              const SignatureCheck& verify_signature) {
  std::map<int64_t, const SealedEntry*> by_seq;
  std::string prev = kGenesis;
  int64_t expected = 1;
  for (size_t i = 0; i < entries.size(); ++i) {
    const SealedEntry& s = entries[i];
    const int64_t seq = s.entry.seq;
    if (seq < expected) return Finding{seq, "entry " + std::to_string(seq) + " is out of order"};
    if (seq > expected) {
      const bool later = std::any_of(entries.begin() + static_cast<std::ptrdiff_t>(i) + 1, entries.end(),
                                     [&](const SealedEntry& o) { return o.entry.seq == expected; });
      return Finding{
          expected,
          "entry " + std::to_string(expected) +
              (later ? " is out of order (stored after entry " + std::to_string(seq) + ")" : " is missing")};
    }
    // Removing or changing an entry breaks the link to it; changing its content breaks its hash.
    if (s.prev_hash != prev || ChainHash(s.prev_hash, s.entry) != s.hash)
      return Finding{seq, "entry " + std::to_string(seq) + " was changed"};
    prev = s.hash;
    by_seq[seq] = &s;
    ++expected;
  }
  std::vector<const Checkpoint*> sorted;
  for (const Checkpoint& c : checkpoints) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(),
            [](const Checkpoint* a, const Checkpoint* b) { return a->seq < b->seq; });
  for (const Checkpoint* c : sorted) {
    const std::string at = std::to_string(c->seq);
    if (!verify_signature(CheckpointMessage(c->seq, c->hash), c->signature))
      return Finding{c->seq, "checkpoint at entry " + at + " has an invalid signature"};
    auto it = by_seq.find(c->seq);
    if (it == by_seq.end())
      return Finding{expected, "entries after " + std::to_string(expected - 1) +
                                   " are missing (checkpoint at entry " + at + ")"};
    if (it->second->hash != c->hash)
      return Finding{c->seq, "checkpoint at entry " + at + " does not match the chain"};
  }
  return std::nullopt;
}

}  // namespace kilde::audit
