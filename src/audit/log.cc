#include "audit/log.h"

#include <cassert>
#include <filesystem>

namespace kilde::audit {

std::string Log::KeyPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "audit-signing-key.pem").string();
}

Result<std::vector<SealedEntry>> Log::Record(std::vector<Entry> entries) {
  assert(signer_ && "recording needs the signing key");
  if (entries.empty()) return std::vector<SealedEntry>{};
  KILDE_ASSIGN_OR_RETURN(auto sealed, store_->Append([&](const std::optional<SealedEntry>& last) {
    std::vector<SealedEntry> out;
    const SealedEntry* prev = last ? &*last : nullptr;
    for (Entry& e : entries) {
      out.push_back(Seal(prev, std::move(e)));
      prev = &out.back();
    }
    return out;
  }));
  // A checkpoint for each multiple of every_ the batch reached (the last one suffices).
  const int64_t first = sealed.front().entry.seq, last = sealed.back().entry.seq;
  if (every_ > 0 && last / every_ > (first - 1) / every_) {
    const SealedEntry& at = sealed[static_cast<size_t>((last / every_) * every_ - first)];
    Checkpoint c{at.entry.seq, at.hash, at.entry.time,
                 signer_->Sign(CheckpointMessage(at.entry.seq, at.hash))};
    Status s = store_->AddCheckpoint(c);
    if (!s.ok() && s.code() != Code::kAlreadyExists) return s;
  }
  return sealed;
}

Status Log::CheckpointNow(const std::string& time) {
  assert(signer_ && "checkpoints need the signing key");
  KILDE_ASSIGN_OR_RETURN(std::optional<SealedEntry> head, store_->Last());
  if (!head) return Status::Ok();
  return CheckpointAt(*head, time);
}

Status Log::CheckpointAt(const SealedEntry& head, const std::string& time) {
  assert(signer_ && "checkpoints need the signing key");
  Checkpoint c{head.entry.seq, head.hash, time, signer_->Sign(CheckpointMessage(head.entry.seq, head.hash))};
  Status s = store_->AddCheckpoint(c);
  return s.code() == Code::kAlreadyExists ? Status::Ok() : s;
}

Result<Log::Report> Log::VerifyStored() {
  StreamVerifier v(
      [this](std::string_view m, std::string_view s) { return signer_ && signer_->Verify(m, s); });
  // Once the finding is settled, entries are only counted (the report says how many were read).
  KILDE_RETURN_IF_ERROR(store_->ScanForVerify(
      [&](const SealedEntry& e, const Checkpoint* at) {
        v.AddEntry(e, at);
        return Status::Ok();
      },
      [&](const Checkpoint& c) {
        v.AddOrphanCheckpoint(c);
        return Status::Ok();
      }));
  Report r;
  r.entries = v.entries();
  r.checkpoints = v.checkpoints();
  r.finding = v.Finish();
  return r;
}

}  // namespace kilde::audit
