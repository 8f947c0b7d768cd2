// SHA-256 (OpenSSL), used for content hashes and ETags.
#pragma once

#include <string>
#include <string_view>

namespace kilde {

// Lowercase hex SHA-256 of `data` (64 characters). Thread safe.
std::string Sha256Hex(std::string_view data);

}  // namespace kilde
