// JSON Web Keys (RFC 7517): a JWKS document parsed into OpenSSL public keys by `kid`.
//
// Supported: RSA (kty "RSA", n, e; modulus at least 2048 bits) and EC P-256 (kty "EC", crv "P-256",
// x, y of 32 bytes each, a point on the curve). Parsing policy (ParseJwks):
//   - the document must be a JSON object with a "keys" array, else kInvalidArgument;
//   - a key that cannot be used for signature verification is skipped and the reason is recorded in
//     KeySet::skipped() (naming its kid): `use` other than "sig", unknown kty or crv, an `alg` we do not
//     verify, no kid, a duplicate kid, bad base64url, a short RSA modulus, an invalid EC point. One odd key
//     in a provider's JWKS does not make the other keys unusable;
//   - a document with no usable key at all is kInvalidArgument (so a broken refetch never replaces a
//     working key set with an empty one).
// Key material is never taken from a token (jku/jwk/x5u headers are ignored by design).
#pragma once

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kilde::auth {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
// Owns one OpenSSL key. An EVP_PKEY that is no longer modified may be used from many threads at once
// (OpenSSL 3 guarantee), which is how the verifier shares keys.
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

enum class KeyType { kRsa, kEcP256 };

// One verification key. Immutable after parsing.
struct Jwk {
  std::string kid;
  KeyType type = KeyType::kRsa;
  std::optional<std::string> alg;  // the JWK's "alg" if given; then only that JWS alg may use the key
  EvpPkeyPtr key;                  // public key, never null in a KeySet
};

// The usable keys of one JWKS document. Immutable after ParseJwks; safe to share between threads
// (the verifier holds it by std::shared_ptr<const KeySet>).
class KeySet {
 public:
  // The key with this kid, or nullptr. The pointer lives as long as the KeySet.
  const Jwk* Find(std::string_view kid) const;
  size_t size() const { return keys_.size(); }
  std::vector<std::string> kids() const;
  // Human-readable reasons for keys that were skipped, e.g. "kid 'k1': use 'enc' is not 'sig'".
  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  friend Result<KeySet> ParseJwks(std::string_view json);
  std::map<std::string, Jwk, std::less<>> keys_;
  std::vector<std::string> skipped_;
};

// Parses a JWKS document (see the policy above). Never throws.
Result<KeySet> ParseJwks(std::string_view json);

// The public JWK (JSON text, members in RFC 7638 order, no whitespace, no kid) of an RSA or EC P-256
// key, private or public. Used to publish keys and to compute thumbprints.
Result<std::string> PublicJwkJson(EVP_PKEY* key);
// RFC 7638 JWK thumbprint: base64url(SHA-256(canonical public JWK)) of an RSA or EC P-256 key.
Result<std::string> JwkThumbprint(EVP_PKEY* key);

}  // namespace kilde::auth
