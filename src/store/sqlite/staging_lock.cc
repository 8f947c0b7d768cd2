#include "store/sqlite/staging_lock.h"

#include <unistd.h>

#include "store/sqlite/file_lock.h"

namespace kilde::store::sqlite {

Result<std::optional<StagingLock>> StagingLock::TryAcquire(const std::string& db_path, int64_t seq) {
  std::string path = db_path + ".staging-" + std::to_string(seq) + ".lock";
  KILDE_ASSIGN_OR_RETURN(std::optional<int> fd, TryLockFile(path));
  if (!fd) return std::optional<StagingLock>();
  return std::optional<StagingLock>(StagingLock(std::move(path), *fd));
}

StagingLock::~StagingLock() {
  if (fd_ < 0) return;
  // Unlinked while still locked: a process that opens the path afterwards gets a new file.
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace kilde::store::sqlite
