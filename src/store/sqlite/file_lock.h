// Advisory whole-file locks (flock) that the operating system drops when their process dies: how
// one process marks what it alone may write (a staging edition, the audit journal) to others that
// open the same data directory.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"

namespace kilde::store::sqlite {

// Opens (creating, mode 0600) `path` read-write and takes an exclusive flock without waiting. The
// open descriptor, which holds the lock until it is closed; nullopt when another open description
// of the file (in this process or another) holds it. An I/O error is an error.
Result<std::optional<int>> TryLockFile(const std::string& path);

}  // namespace kilde::store::sqlite
