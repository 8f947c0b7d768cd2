// Verifying bearer tokens against trusted issuers and turning them into a Principal
// (Maskinporten token shape, see ../shared/standards.md).
//
// Order of checks in Verify: shape and header (jwt.h) → `iss` is a trusted issuer (exact string match)
// → `kid` is in its key set (on an unknown kid: one rate-limited refetch, then one retry) → signature →
// `exp` (required) / `nbf` / `iat` with leeway → `aud` when the issuer has one configured → principal
// claims. Claims are only interpreted after the signature verified. Every failure is kUnauthenticated
// (HTTP 401) with a short reason; the token itself never appears in a message.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwk.h"
#include "auth/principal.h"
#include "base/status.h"

namespace kilde::auth {

// One issuer we accept tokens from.
struct TrustedIssuer {
  std::string issuer;                   // compared exactly with `iss` (mind the trailing slash)
  std::shared_ptr<const KeySet> keys;   // may be null (not fetched yet): every kid is then unknown
  std::optional<std::string> audience;  // when set, `aud` (string or array) must contain it
};

struct VerifierOptions {
  int64_t leeway_seconds = 60;            // clock skew allowed on exp / nbf / iat
  int64_t refetch_interval_seconds = 60;  // at most one refetch per issuer per this many seconds
  // Returns a fresh JWKS document for `issuer` (e.g. from its metadata's jwks_uri). Called
  // synchronously on the verifying thread, without any lock held, on an unknown kid only. May be empty
  // (no refetching). Must be thread safe and must not throw. The rate-limit slot is taken before the
  // call, so a concurrent Verify that meets the same unknown kid while a fetch is in flight is rejected
  // ("unknown key id") rather than waiting; a failed fetch or unusable JWKS keeps the old keys.
  std::function<Result<std::string>(const std::string& issuer)> refetch;
};

// Thread safe: Verify, SetIssuer and ReplaceKeys may be called concurrently from any threads. A key set
// in use by a running Verify stays alive until that call returns.
class Verifier {
 public:
  explicit Verifier(VerifierOptions options = {});

  // Adds `issuer`, or replaces the issuer with the same string (and resets its refetch rate limit).
  void SetIssuer(TrustedIssuer issuer);
  // Swaps the key set of a known issuer; kNotFound if the issuer is not trusted.
  Status ReplaceKeys(const std::string& issuer, std::shared_ptr<const KeySet> keys);
  std::vector<std::string> issuers() const;

  // Verifies `token` (the part after "Bearer ") at time `now_unix` (Unix seconds).
  Result<Principal> Verify(std::string_view token, int64_t now_unix);

 private:
  struct IssuerState {
    TrustedIssuer config;
    std::optional<int64_t> last_refetch;  // Unix seconds of the last refetch attempt
  };
  // The issuer's current config (copied under the lock), or nullopt if untrusted.
  std::optional<TrustedIssuer> Lookup(const std::string& issuer) const;
  // Tries one refetch of the issuer's keys if the rate limit allows it; true if new keys were installed.
  bool Refetch(const std::string& issuer, int64_t now_unix);

  const VerifierOptions options_;
  mutable std::mutex mu_;  // guards issuers_ (held only to copy or swap, never while fetching)
  std::map<std::string, IssuerState, std::less<>> issuers_;
};

}  // namespace kilde::auth
