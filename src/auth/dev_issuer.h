// The development issuer: mints Maskinporten-shaped tokens offline with a local EC P-256 key, so that
// `kilde token issue` and `kilde serve --dev` work without network access. Never trusted unless the
// server runs in dev mode.
//
// The private key lives in `<data_dir>/dev-issuer-key.pem` (PKCS#8 PEM, mode 0600). Open creates it
// once (atomically: written to a temporary file and linked into place, so two processes starting at
// once end up with the same key) and reuses it afterwards. An existing key file readable or writable by
// group or others is refused (kFailedPrecondition), like ssh does.
//
// Tokens: header {"alg":"ES256","kid":<RFC 7638 thumbprint>,"typ":"JWT"}; claims iss, client_id,
// client_amr "kilde_dev", consumer {"authority":"iso6523-actorid-upis","ID":"0192:<orgnr>"}, scope,
// token_type "Bearer", iat, exp, jti, and when requested supplier, aud, pid.
//
// A DevIssuer is immutable after Open; all methods are const and thread safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/jwk.h"
#include "auth/verifier.h"
#include "base/status.h"

namespace kilde::auth {

inline constexpr const char* kDevIssuerKeyFile = "dev-issuer-key.pem";
// The `iss` of development tokens: not a URL, so that it can never be mistaken for a real issuer.
inline constexpr const char* kDevIssuerName = "urn:kilde:dev";

struct DevTokenRequest {
  // "0192:<orgnr>" or the 9-digit orgnr; may be empty only when `pid` is set.
  std::string consumer;
  std::vector<std::string> scopes;      // e.g. {"kilde:read"}; each without spaces
  std::optional<std::string> supplier;  // same forms as consumer
  std::optional<std::string> pid;       // a valid fødselsnummer / D-nummer: a citizen token
  std::optional<std::string> audience;  // the `aud` claim
  std::string client_id = "kilde-dev";
  int64_t ttl_seconds = 3600;  // > 0
};

class DevIssuer {
 public:
  // Loads or creates the key in `data_dir` (created if missing). `issuer` is the `iss` of its tokens,
  // e.g. "http://127.0.0.1:8080/dev".
  static Result<DevIssuer> Open(const std::filesystem::path& data_dir, std::string issuer);

  const std::string& issuer() const { return issuer_; }
  const std::string& kid() const { return kid_; }
  const std::filesystem::path& key_path() const { return key_path_; }

  // A signed token valid from `now_unix` for `ttl_seconds`; kInvalidArgument for a bad request
  // (orgnr or pid check digit, empty scope, ttl ≤ 0).
  Result<std::string> IssueToken(const DevTokenRequest& request, int64_t now_unix) const;
  // {"keys":[{<public JWK>,"kid":...,"use":"sig","alg":"ES256"}]} — what `serve --dev` publishes.
  std::string JwksJson() const;
  // This issuer as a TrustedIssuer for a Verifier (its own public key set).
  TrustedIssuer Trusted(std::optional<std::string> audience = std::nullopt) const;

 private:
  DevIssuer() = default;
  std::string issuer_;
  std::string kid_;
  std::filesystem::path key_path_;
  std::string jwks_;
  EvpPkeyPtr key_;  // the private key; DevIssuer is move-only
};

}  // namespace kilde::auth
