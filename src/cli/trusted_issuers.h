// Loading the configured trusted token issuers (auth.trusted_issuers / --trusted-issuer) for serve.
#pragma once

#include <vector>

#include "auth/verifier.h"
#include "base/status.h"
#include "config/config.h"

namespace kilde::cli {

// Every configured issuer with its current keys; sets `options->refetch` so that an unknown key id
// re-reads the issuer's key source. A clear error naming the issuer when one cannot be loaded: the
// server does not start with an issuer it cannot verify.
Result<std::vector<auth::TrustedIssuer>> LoadTrustedIssuers(const config::Config& cfg,
                                                            auth::VerifierOptions* options);

}  // namespace kilde::cli
