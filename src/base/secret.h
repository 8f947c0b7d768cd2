// Keyed hashing and the small secret keys kept in the data directory (audit subject key, grant
// pseudonym keys). Pure functions and file helpers; thread safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace kilde {

// Lower-case hex HMAC-SHA256 of `data` under `key` (64 characters).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// `n` cryptographically random bytes (OpenSSL RAND_bytes); kInternal if the generator fails.
Result<std::string> RandomBytes(size_t n);

// The secret of `n` random bytes stored (hex) in the file at `path`: read if it exists, else created
// with mode 0600 (O_EXCL: two processes starting at once end up with the same secret). kInternal
// for an unreadable or malformed file; kFailedPrecondition if it is readable by group or others.
Result<std::string> LoadOrCreateSecret(const std::string& path, size_t n);

}  // namespace kilde
