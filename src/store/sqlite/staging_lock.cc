#include "store/sqlite/staging_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kilde::store::sqlite {

Result<std::optional<StagingLock>> StagingLock::TryAcquire(const std::string& db_path, int64_t seq) {
  std::string path = db_path + ".staging-" + std::to_string(seq) + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return std::optional<StagingLock>();
    return Status::Unavailable("cannot lock " + path + ": " + std::strerror(err));
  }
  return std::optional<StagingLock>(StagingLock(std::move(path), fd));
}

StagingLock::~StagingLock() {
  if (fd_ < 0) return;
  // Unlinked while still locked: a process that opens the path afterwards gets a new file.
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace kilde::store::sqlite
