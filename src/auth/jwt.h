// Compact JWS (RFC 7515) as used for JWT access tokens: splitting, decoding and signature verification.
//
// Accepted algorithms: RS256, RS384, RS512 (RSASSA-PKCS1-v1_5) and ES256 (ECDSA P-256, JOSE r||s).
// Rejected: "none", every HMAC alg (HS*), anything else, a header without a string "kid", a "crit"
// header, more or fewer than three segments, non-canonical base64url, header or payload that is not a
// JSON object, tokens over kMaxTokenBytes. The key must match the alg (an RSA key never verifies ES256 and
// vice versa; no key is ever used as an HMAC secret), which is what defeats alg-confusion attacks.
//
// All functions are pure and thread safe; errors are kUnauthenticated with a short reason that never
// contains the token.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "auth/jwk.h"
#include "base/status.h"

namespace kilde::auth {

inline constexpr size_t kMaxTokenBytes = 16 * 1024;

enum class JwsAlg { kRs256, kRs384, kRs512, kEs256 };

// "RS256" ... "ES256".
const char* JwsAlgName(JwsAlg alg);

// A structurally valid token whose signature has NOT been checked yet.
struct DecodedJwt {
  JwsAlg alg = JwsAlg::kRs256;
  std::string kid;
  nlohmann::json header;      // a JSON object
  nlohmann::json payload;     // a JSON object (the claims)
  std::string signing_input;  // "<header b64>.<payload b64>", what the signature covers
  std::string signature;      // raw signature bytes (JOSE form)
};

// Splits and decodes `token`, checking its shape and header (alg, kid, crit) as described above.
Result<DecodedJwt> DecodeJwt(std::string_view token);

// OK if `jwt.signature` is a valid signature of `jwt.signing_input` by `key` under `jwt.alg`;
// kUnauthenticated if the key's type or own alg does not fit `jwt.alg` or the signature does not verify.
Status VerifyJwtSignature(const DecodedJwt& jwt, const Jwk& key);

// A short, printable rendering of an attacker-controlled string for error messages: control and
// non-ASCII bytes become '?', and it is cut to 64 characters.
std::string Printable(std::string_view s);

}  // namespace kilde::auth
