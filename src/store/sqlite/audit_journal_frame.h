// The audit journal's on-disk frame: one batch of sealed audit entries, written with one write and
// made durable with one sync (see audit_journal.h). A frame is self-checking, so recovery can tell
// an intact frame from a torn write, zeroed bytes or the leftovers of an older frame.
//
// Layout: "KAJ1" | body length (u32, little-endian) | hex SHA-256 of the body (64 bytes) | body.
// Body: entry count (u32), then per entry: seq (i64), the twelve text fields of AuditEntry in
// declaration order, rows (i64), subject count (u32) and the subjects, prev_hash, hash. Text is a
// u32 length and the bytes as given (no encoding is assumed). Integers are little-endian.
//
// Pure functions; thread safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/audit_store.h"

namespace kilde::store::sqlite {

// Appends the frame of `entries` (non-empty, ascending contiguous seq) to `out`.
void AppendJournalFrame(const std::vector<SealedAuditEntry>& entries, std::string& out);

struct JournalFrame {
  std::vector<SealedAuditEntry> entries;  // non-empty, ascending contiguous seq
  size_t size = 0;                        // bytes the frame takes, header included
};

// Bytes of a frame's header, and the size of the whole frame given its first kJournalFrameHeaderSize
// bytes (nullopt if they do not start a frame): to read a file frame by frame.
inline constexpr size_t kJournalFrameHeaderSize = 4 + 4 + 64;
std::optional<size_t> JournalFrameSize(std::string_view header);

// The frame at the start of `data`; nullopt unless `data` starts with a whole frame whose checksum
// matches and whose entries decode completely with contiguous seqs.
std::optional<JournalFrame> DecodeJournalFrame(std::string_view data);

}  // namespace kilde::store::sqlite
