#include "audit/chain.h"

#include <array>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "base/sha256.h"

namespace kilde::audit {

const char* const kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

namespace {

// The entry's text fields in canonical order (between seq and rows).
std::array<const std::string*, 12> TextFields(const Entry& e) {
  return {&e.time,    &e.request_id, &e.decision, &e.consumer, &e.client_id,   &e.supplier,
          &e.product, &e.edition,    &e.grant,    &e.purpose,  &e.legal_basis, &e.query};
}

bool AllValidUtf8(const Entry& e) {
  for (const std::string* s : TextFields(e))
    if (!IsValidUtf8(*s)) return false;
  for (const std::string& s : e.subjects)
    if (!IsValidUtf8(s)) return false;
  return true;
}

}  // namespace

std::string Canonical(const Entry& e) {
  if (!AllValidUtf8(e)) {
    // Invalid UTF-8 is written as U+FFFD; nlohmann's dump is the definition of the form.
    nlohmann::json j = nlohmann::json::array({e.seq, e.time, e.request_id, e.decision, e.consumer,
                                              e.client_id, e.supplier, e.product, e.edition, e.grant,
                                              e.purpose, e.legal_basis, e.query, e.rows, e.subjects});
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  // The same bytes without building a document (the audit writer does this for every entry).
  std::string out;
  out.reserve(256 + e.query.size() + e.purpose.size() + e.legal_basis.size() + 67 * e.subjects.size());
  out += '[';
  out += std::to_string(e.seq);
  for (const std::string* s : TextFields(e)) {
    out += ',';
    AppendJsonString(*s, out);
  }
  out += ',';
  out += std::to_string(e.rows);
  out += ',';
  AppendJsonStringArray(e.subjects, out);
  out += ']';
  return out;
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

void StreamVerifier::AddEntry(const SealedEntry& s, const Checkpoint* at) {
  ++entries_;
  if (at) ++checkpoints_;
  if (chain_finding_) return;
  const int64_t seq = s.entry.seq;
  if (gap_expected_) {
    // Only one question is left: is the missing entry stored further on?
    if (seq == *gap_expected_)
      chain_finding_ = Finding{seq, "entry " + std::to_string(seq) + " is out of order (stored after entry " +
                                        std::to_string(gap_seen_) + ")"};
    return;
  }
  if (seq < expected_) {
    chain_finding_ = Finding{seq, "entry " + std::to_string(seq) + " is out of order"};
    return;
  }
  if (seq > expected_) {
    gap_expected_ = expected_;
    gap_seen_ = seq;
    return;
  }
  // Removing or changing an entry breaks the link to it; changing its content breaks its hash.
  if (s.prev_hash != prev_ || ChainHash(s.prev_hash, s.entry) != s.hash) {
    chain_finding_ = Finding{seq, "entry " + std::to_string(seq) + " was changed"};
    return;
  }
  prev_ = s.hash;
  ++expected_;
  if (at) {
    if (!verify_signature_(CheckpointMessage(at->seq, at->hash), at->signature))
      NoteCheckpoint(at->seq, CheckpointProblem::kSignature);
    else if (at->hash != s.hash)
      NoteCheckpoint(at->seq, CheckpointProblem::kMismatch);
  }
}

void StreamVerifier::AddOrphanCheckpoint(const Checkpoint& c) {
  ++checkpoints_;
  if (chain_finding_) return;
  NoteCheckpoint(c.seq, verify_signature_(CheckpointMessage(c.seq, c.hash), c.signature)
                            ? CheckpointProblem::kMissing
                            : CheckpointProblem::kSignature);
}

void StreamVerifier::NoteCheckpoint(int64_t seq, CheckpointProblem problem) {
  if (!checkpoint_problem_ || seq < checkpoint_problem_->first) checkpoint_problem_ = {seq, problem};
}

std::optional<Finding> StreamVerifier::Finish() const {
  if (chain_finding_) return chain_finding_;
  if (gap_expected_)
    return Finding{*gap_expected_, "entry " + std::to_string(*gap_expected_) + " is missing"};
  if (!checkpoint_problem_) return std::nullopt;
  const auto [seq, problem] = *checkpoint_problem_;
  const std::string at = std::to_string(seq);
  switch (problem) {
    case CheckpointProblem::kSignature:
      return Finding{seq, "checkpoint at entry " + at + " has an invalid signature"};
    case CheckpointProblem::kMismatch:
      return Finding{seq, "checkpoint at entry " + at + " does not match the chain"};
    case CheckpointProblem::kMissing:
      return Finding{expected_, "entries after " + std::to_string(expected_ - 1) +
                                    " are missing (checkpoint at entry " + at + ")"};
  }
  return std::nullopt;
}

std::optional<Finding> Verify(const std::vector<SealedEntry>& entries,
                              const std::vector<Checkpoint>& checkpoints,
                              const SignatureCheck& verify_signature) {
  std::map<int64_t, const Checkpoint*> by_seq;
  for (const Checkpoint& c : checkpoints) by_seq[c.seq] = &c;
  StreamVerifier v(verify_signature);
  std::set<int64_t> seen;
  for (const SealedEntry& e : entries) {
    auto it = by_seq.find(e.entry.seq);
    const bool first = seen.insert(e.entry.seq).second;
    v.AddEntry(e, it != by_seq.end() && first ? it->second : nullptr);
  }
  for (const auto& [seq, c] : by_seq)
    if (!seen.count(seq)) v.AddOrphanCheckpoint(*c);
  return v.Finish();
}

}  // namespace kilde::audit
