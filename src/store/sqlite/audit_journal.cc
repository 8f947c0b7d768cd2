#include "store/sqlite/audit_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "store/sqlite/audit_journal_frame.h"
#include "store/sqlite/file_lock.h"

namespace kilde::store::sqlite {
namespace {

Status IoError(const std::string& what, const std::filesystem::path& path, int err) {
  return Status::Internal("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

Status WriteAll(int fd, std::string_view data, uint64_t offset, const std::filesystem::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError("write", path, n < 0 ? errno : EIO);
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

// Up to `n` bytes at `offset` (fewer at the end of the file).
Result<std::string> ReadAt(int fd, uint64_t offset, size_t n, const std::filesystem::path& path) {
  std::string data(n, '\0');
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, data.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return IoError("read", path, errno);
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  data.resize(got);
  return data;
}

// The entries of the intact runs of frames in `fds` (files `paths`), ascending seq, each once.
Result<std::vector<SealedAuditEntry>> ReadFrames(const int (&fds)[2],
                                                 const std::filesystem::path (&paths)[2]) {
  std::map<int64_t, SealedAuditEntry> by_seq;
  for (int f = 0; f < 2; ++f) {
    if (fds[f] < 0) continue;
    // Frame by frame: a cleared or fully copied file costs one small read, whatever its size.
    uint64_t offset = 0;
    int64_t next = 0;  // the seq the next frame must start with; 0 before the first
    for (;;) {
      KILDE_ASSIGN_OR_RETURN(std::string header, ReadAt(fds[f], offset, kJournalFrameHeaderSize, paths[f]));
      const std::optional<size_t> size = JournalFrameSize(header);
      if (!size) break;
      KILDE_ASSIGN_OR_RETURN(std::string bytes, ReadAt(fds[f], offset, *size, paths[f]));
      auto frame = DecodeJournalFrame(bytes);
      if (!frame || (next != 0 && frame->entries.front().entry.seq != next)) break;
      next = frame->entries.back().entry.seq + 1;
      for (SealedAuditEntry& x : frame->entries) by_seq.try_emplace(x.entry.seq, std::move(x));
      offset += frame->size;
    }
  }
  std::vector<SealedAuditEntry> out;
  out.reserve(by_seq.size());
  for (auto& [seq, x] : by_seq) out.push_back(std::move(x));
  return out;
}

}  // namespace

Result<std::unique_ptr<AuditJournal>> AuditJournal::TryOpen(const std::filesystem::path& dir,
                                                            size_t switch_bytes, bool direct) {
  const std::filesystem::path p0 = dir / "audit.journal-0", p1 = dir / "audit.journal-1";
  KILDE_ASSIGN_OR_RETURN(std::optional<int> locked, TryLockFile(p0.string()));
  if (!locked) return std::unique_ptr<AuditJournal>();
  const int fd0 = *locked;
  const int fd1 = ::open(p1.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd1 < 0) {
    const int err = errno;
    ::close(fd0);
    return IoError("open", p1, err);
  }
  std::unique_ptr<AuditJournal> journal(new AuditJournal(p0, p1, fd0, fd1, switch_bytes));
  if (direct) {
    for (int f = 0; f < 2; ++f) {
      journal->direct_fds_[f] = ::open(journal->paths_[f].c_str(), O_WRONLY | O_DIRECT | O_DSYNC | O_CLOEXEC);
      if (journal->direct_fds_[f] < 0) {  // e.g. EINVAL on tmpfs: write + fdatasync instead
        journal->CloseDirect();
        break;
      }
    }
  }
  return journal;
}

void AuditJournal::FreeDeleter::operator()(char* p) const { std::free(p); }

void AuditJournal::CloseDirect() {
  for (int& fd : direct_fds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

AuditJournal::AuditJournal(std::filesystem::path p0, std::filesystem::path p1, int fd0, int fd1,
                           size_t switch_bytes)
    : paths_{std::move(p0), std::move(p1)}, fds_{fd0, fd1}, switch_bytes_(switch_bytes) {}

AuditJournal::~AuditJournal() {
  CloseDirect();
  ::close(fds_[1]);
  ::close(fds_[0]);  // releases the lock
}

Result<std::vector<SealedAuditEntry>> AuditJournal::ReadAll() const { return ReadFrames(fds_, paths_); }

Result<std::vector<SealedAuditEntry>> AuditJournal::ReadUnlocked(const std::filesystem::path& dir) {
  const std::filesystem::path paths[2] = {dir / "audit.journal-0", dir / "audit.journal-1"};
  int fds[2] = {-1, -1};
  for (int f = 0; f < 2; ++f) {
    fds[f] = ::open(paths[f].c_str(), O_RDONLY | O_CLOEXEC);
    if (fds[f] < 0 && errno != ENOENT) {
      const int err = errno;
      if (f == 1) ::close(fds[0]);
      return IoError("open", paths[f], err);
    }
  }
  auto r = ReadFrames(fds, paths);
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  return r;
}

Status AuditJournal::Clear() {
  if (failed_) return Status::Unavailable("the audit journal failed earlier; restart kilde to recover it");
  static constexpr char kZeros[8] = {};
  for (int f = 0; f < 2; ++f) {
    // Nothing to write (and sync) where no frame starts: a new file, or one cleared before.
    KILDE_ASSIGN_OR_RETURN(std::string start, ReadAt(fds_[f], 0, sizeof kZeros, paths_[f]));
    if (start.find_first_not_of('\0') == std::string::npos) continue;
    const size_t n = start.size();
    KILDE_RETURN_IF_ERROR(WriteAll(fds_[f], std::string_view(kZeros, n), 0, paths_[f]));
    if (::fdatasync(fds_[f]) != 0) return IoError("sync", paths_[f], errno);
  }
  current_ = 0;
  offset_ = 0;
  last_seq_[0] = last_seq_[1] = 0;
  cleared_ = true;
  return Status::Ok();
}

Status AuditJournal::Append(const std::vector<SealedAuditEntry>& entries) {
  assert(cleared_ && "recover and Clear the journal before appending");
  if (failed_) return Status::Unavailable("the audit journal failed earlier; restart kilde to recover it");
  if (entries.empty()) return Status::Ok();
  frame_.clear();
  AppendJournalFrame(entries, frame_);
  const int other = 1 - current_;
  if (offset_ >= switch_bytes_ && last_seq_[other] <= released_.load(std::memory_order_acquire)) {
    current_ = other;
    offset_ = 0;
  }
  Status s = direct() ? WriteFrameDirect() : WriteFrameBuffered();
  if (!s.ok()) {
    failed_ = true;
    return s;
  }
  offset_ += frame_.size();
  last_seq_[current_] = entries.back().entry.seq;
  return Status::Ok();
}

Status AuditJournal::WriteFrameBuffered() {
  KILDE_RETURN_IF_ERROR(WriteAll(fds_[current_], frame_, offset_, paths_[current_]));
  if (::fdatasync(fds_[current_]) != 0) return IoError("sync", paths_[current_], errno);
  return Status::Ok();
}

Status AuditJournal::WriteFrameDirect() {
  const uint64_t start = offset_ & ~uint64_t{kBlock - 1};
  const size_t head = static_cast<size_t>(offset_ - start);  // already in block_
  const size_t length = (head + frame_.size() + kBlock - 1) & ~(kBlock - 1);
  if (length > block_capacity_) {
    const size_t capacity = std::max(length, 2 * block_capacity_);
    std::unique_ptr<char, FreeDeleter> grown(static_cast<char*>(std::aligned_alloc(kBlock, capacity)));
    if (!grown) return Status::Internal("out of memory for an audit journal frame");
    if (head > 0) std::memcpy(grown.get(), block_.get(), head);
    block_ = std::move(grown);
    block_capacity_ = capacity;
  }
  char* buf = block_.get();
  std::memcpy(buf + head, frame_.data(), frame_.size());
  std::memset(buf + head + frame_.size(), 0, length - head - frame_.size());
  ssize_t n;
  do {
    n = ::pwrite(direct_fds_[current_], buf, length, static_cast<off_t>(start));
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EINVAL) {
    // The file system took O_DIRECT when opening but refuses the write (nothing was written).
    CloseDirect();
    return WriteFrameBuffered();
  }
  if (n != static_cast<ssize_t>(length)) return IoError("write", paths_[current_], n < 0 ? errno : EIO);
  // Keep the bytes of the block the next frame starts in.
  const uint64_t end = offset_ + frame_.size();
  const uint64_t next_start = end & ~uint64_t{kBlock - 1};
  std::memmove(buf, buf + (next_start - start), static_cast<size_t>(end - next_start));
  return Status::Ok();
}

}  // namespace kilde::store::sqlite
