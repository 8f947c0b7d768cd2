// Which staging editions a live process is still writing. An edition is staged (its row committed
// as 'staging') before its rows are loaded in many short transactions, so another process opening
// the same data dir — `kilde ingest`, `kilde audit verify` — sees it half-written. The writer holds
// an advisory lock (flock) on a file beside the database for as long as it lives; the operating
// system drops the lock when the process dies, so a staging edition whose lock can be taken was left
// by a process that is gone and may be removed (SqliteProductStore::RecoverStaging).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace kilde::store::sqlite {

class StagingLock {
 public:
  // Takes the lock of staging edition `seq` of the database file `db_path`, creating its file;
  // nullopt if another open lock (this process or another) holds it. An I/O error is an error.
  static Result<std::optional<StagingLock>> TryAcquire(const std::string& db_path, int64_t seq);
  // Removes the file and releases the lock.
  ~StagingLock();
  StagingLock(StagingLock&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) { o.fd_ = -1; }
  StagingLock& operator=(StagingLock&&) = delete;
  StagingLock(const StagingLock&) = delete;

 private:
  StagingLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

}  // namespace kilde::store::sqlite
