#include "cli/trusted_issuers.h"

#include "auth/issuer_spec.h"
#include "auth/key_source.h"
#include "log/log.h"

namespace kilde::cli {

Result<std::vector<auth::TrustedIssuer>> LoadTrustedIssuers(const config::Config& cfg,
                                                            auth::VerifierOptions* options) {
  std::vector<auth::IssuerSpec> specs;
  for (const std::string& text : cfg.trusted_issuers) {
    auto spec = auth::ParseIssuerSpec(text);
    if (!spec.ok()) return Status::Invalid("trusted issuer: " + spec.status().message());
    if (!spec->audience && !cfg.audience.empty()) spec->audience = cfg.audience;
    specs.push_back(std::move(*spec));
  }
  auth::HttpGetOptions http;
  std::vector<auth::TrustedIssuer> out;
  for (const auto& spec : specs) {
    auto issuer = auth::LoadTrustedIssuer(spec, http);
    if (issuer.ok()) {
      out.push_back(std::move(*issuer));
      continue;
    }
    // A key file is configuration: a broken one stops the server. A network source may be down for a
    // moment: the issuer is trusted without keys and fetched again on the first token (rate-limited).
    if (spec.source == auth::IssuerSpec::Source::kFile || issuer.status().code() != Code::kUnavailable)
      return Status::Invalid("trusted issuer " + spec.issuer + ": " + issuer.status().message());
    log::Warn("trusted issuer's keys could not be fetched; they will be fetched on the first token",
              {{"issuer", spec.issuer}, {"error", issuer.status().message()}});
    out.push_back(auth::TrustedIssuer{spec.issuer, nullptr, spec.audience});
  }
  if (!specs.empty()) options->refetch = auth::MakeRefetch(specs, http);
  return out;
}

}  // namespace kilde::cli
