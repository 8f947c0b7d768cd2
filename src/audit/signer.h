// The audit log's signing key: Ed25519, kept as a PEM file (mode 0600) in the data directory,
// created on first use. Signs and verifies checkpoint messages (chain.h). Thread safe after
// construction (OpenSSL one-shot signing with a per-call context).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kilde::audit {

class Signer {
 public:
  // Loads the private key at `path`, or creates it (and its file, 0600) if absent. kInternal if the
  // file exists but is not an Ed25519 private key, or cannot be written.
  static Result<std::unique_ptr<Signer>> LoadOrCreate(const std::string& path);
  // Loads an existing key only: kNotFound if there is no file at `path`.
  static Result<std::unique_ptr<Signer>> Load(const std::string& path);
  ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // base64url signature of `message`.
  std::string Sign(std::string_view message) const;
  // Whether `signature` (base64url) signs `message` with this key.
  bool Verify(std::string_view message, std::string_view signature) const;
  // The public key as PEM (SubjectPublicKeyInfo), for publishing.
  std::string PublicKeyPem() const;

  struct Key;  // OpenSSL EVP_PKEY, defined in signer.cc
  explicit Signer(std::unique_ptr<Key> key);

 private:
  std::unique_ptr<Key> key_;
};

}  // namespace kilde::audit
