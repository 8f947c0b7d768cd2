// Producing compact JWS signatures (the counterpart of jwt.h), for the development issuer and tests.
// Thread safe: `key` is only read.
#pragma once

#include <openssl/evp.h>

#include <string>
#include <string_view>

#include "auth/jwt.h"
#include "base/status.h"

namespace kilde::auth {

// The raw JOSE signature of `signing_input` by the private `key` under `alg`: PKCS#1 v1.5 bytes for
// RS*, 64 bytes r||s for ES256. kInvalidArgument if the key does not fit the alg.
Result<std::string> SignJws(std::string_view signing_input, JwsAlg alg, EVP_PKEY* key);

// "<b64url(header)>.<b64url(payload)>.<b64url(signature)>" with the texts taken verbatim.
Result<std::string> SignCompact(std::string_view header_json, std::string_view payload_json, JwsAlg alg,
                                EVP_PKEY* key);

}  // namespace kilde::auth
