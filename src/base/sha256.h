// SHA-256 (OpenSSL), used for content hashes and ETags.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kilde {

// Lowercase hex SHA-256 of `data` (64 characters). Thread safe.
std::string Sha256Hex(std::string_view data);

// Incremental SHA-256 over data that arrives in pieces. Not thread safe.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // Lowercase hex digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace kilde
