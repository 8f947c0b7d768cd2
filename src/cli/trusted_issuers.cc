#include "cli/trusted_issuers.h"

namespace kilde::cli {

Result<std::vector<auth::TrustedIssuer>> LoadTrustedIssuers(const config::Config& cfg,
                                                            auth::VerifierOptions* /*options*/) {
  if (!cfg.trusted_issuers.empty())
    return Status::Invalid("trusted issuers are not supported yet: " + cfg.trusted_issuers.front());
  return std::vector<auth::TrustedIssuer>{};
}

}  // namespace kilde::cli
