// The audit log's write-ahead journal. An audited read must not be answered before its entry is
// durable; committing every small batch to audit.db costs SQLite's page writes and locking per
// batch on top of the sync. The journal makes a batch durable with one write and one fdatasync of
// a frame (audit_journal_frame.h); SqliteAuditStore copies the entries into audit.db afterwards,
// many batches per transaction, and recovers from the journal what a crash left behind.
//
// Two files in the data directory, audit.journal-0 and audit.journal-1, written in turn: frames go
// one after another into the current file; once it holds `switch_bytes`, writing moves to the start
// of the other file — if every entry in that one is durable in audit.db (Release), so that
// overwriting it loses nothing; otherwise the current file grows. Files are overwritten in place
// rather than truncated, so in steady state a sync writes only data, no file metadata.
//
// Recovery reads, from the start of each file, the frames that are intact and continue each other
// (each frame's first seq follows the previous frame's last); a torn frame, or what is left of older
// frames behind the newest ones, ends the run. Every leftover of an older frame holds only entries
// that were durable in audit.db before the file was reused.
//
// Frames are written with O_DIRECT | O_DSYNC where the file system allows it: one system call per
// frame that returns once the data is on stable storage, without the page cache and its writeback
// (on this project's test machine ≈ 30 % less CPU and latency per frame than write + fdatasync).
// Direct writes must cover whole aligned blocks, so each one starts at the block holding the end of
// the previous frame and writes that block's earlier bytes again, unchanged: a torn write can only
// damage the new, not yet acknowledged frame. Elsewhere (tmpfs, some overlay file systems) frames
// are written to the page cache and synced with fdatasync.
//
// One process at a time: the journal holds an exclusive advisory lock (flock) on audit.journal-0 for
// its lifetime; the operating system drops it when the process dies.
//
// Not thread safe, except Release; the owner serialises Append, ReadAll and Clear.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/audit_store.h"

namespace kilde::store::sqlite {

class AuditJournal {
 public:
  static constexpr size_t kDefaultSwitchBytes = 8u << 20;

  // Opens (creating) the journal files in `dir` and takes the lock; a null pointer when another open
  // journal (in this process or another) holds it.
  // `direct` false: always write + fdatasync (tests of that path).
  static Result<std::unique_ptr<AuditJournal>> TryOpen(const std::filesystem::path& dir,
                                                       size_t switch_bytes = kDefaultSwitchBytes,
                                                       bool direct = true);
  ~AuditJournal();  // closes the files, releasing the lock
  AuditJournal(const AuditJournal&) = delete;
  AuditJournal& operator=(const AuditJournal&) = delete;

  // The entries of every intact run of frames in both files, ascending seq, each seq once.
  Result<std::vector<SealedAuditEntry>> ReadAll() const;
  // The same, read from the files in `dir` without the lock (missing files hold nothing), for a
  // process beside the one appending: frames being written or overwritten meanwhile read as torn.
  static Result<std::vector<SealedAuditEntry>> ReadUnlocked(const std::filesystem::path& dir);
  // Leaves both files without frames (their first bytes zeroed, synced) and makes the next Append
  // write at the start of audit.journal-0. Only when every entry in them is durable elsewhere.
  Status Clear();
  // Writes `entries` (after Clear; non-empty, ascending contiguous seq, after those appended before) as one
  // frame and syncs it: durable once this returns OK. After a failed write or sync every later call fails,
  // since what reached the disk is unknown; a restart recovers what did.
  Status Append(const std::vector<SealedAuditEntry>& entries);
  // Every entry with seq <= `seq` is durable elsewhere: a file holding only such entries may be
  // overwritten. Thread safe.
  void Release(int64_t seq) { released_.store(seq, std::memory_order_release); }

  const std::filesystem::path& path(int file) const { return paths_[file]; }
  // Whether frames go to disk with direct synchronous writes (see above).
  bool direct() const { return direct_fds_[0] >= 0; }

 private:
  static constexpr size_t kBlock = 4096;  // alignment of direct writes: offset, length and memory
  struct FreeDeleter {
    void operator()(char* p) const;
  };
  AuditJournal(std::filesystem::path p0, std::filesystem::path p1, int fd0, int fd1, size_t switch_bytes);
  // Writes frame_ at offset_ of the current file, durably.
  Status WriteFrameDirect();
  Status WriteFrameBuffered();
  void CloseDirect();

  std::filesystem::path paths_[2];
  int fds_[2];
  size_t switch_bytes_;
  int current_ = 0;               // the file frames go to
  uint64_t offset_ = 0;           // where the next frame goes in it
  int64_t last_seq_[2] = {0, 0};  // the highest seq written to each file since Clear (0: none)
  std::atomic<int64_t> released_{0};
  bool cleared_ = false;  // Append only after Clear: until then the files hold another run's frames
  bool failed_ = false;
  std::string frame_;             // reused frame buffer
  int direct_fds_[2] = {-1, -1};  // O_DIRECT | O_DSYNC descriptors of the files; -1 when not used
  // Direct writes: an aligned buffer whose first (offset_ % kBlock) bytes are those already written
  // to the block offset_ lies in.
  std::unique_ptr<char, FreeDeleter> block_;
  size_t block_capacity_ = 0;
};

}  // namespace kilde::store::sqlite
