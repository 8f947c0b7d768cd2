// Where a trusted issuer's keys come from: the `--trusted-issuer` flag / `auth.trusted_issuers` config
// entries (docs/access-issuers.md).
//
// Text forms (leading and trailing white space is ignored):
//   ISSUER                 keys through the issuer's metadata (RFC 8414): GET
//                          `<ISSUER without trailing '/'>/.well-known/oauth-authorization-server`
//                          (where Maskinporten publishes it; on a 4xx answer the loader falls back to
//                          `/.well-known/openid-configuration`), check its `issuer`, follow `jwks_uri`;
//   ISSUER=file:PATH       a static JWKS file (offline use; re-read on every refetch);
//   ISSUER=https://URL     a JWKS URL (`http://` only for loopback hosts);
// each optionally followed by `;aud=AUDIENCE`: tokens of this issuer must then carry AUDIENCE in `aud`.
//
// ISSUER is kept exactly as written (it is compared exactly with a token's `iss`, so the trailing '/' of
// "https://maskinporten.no/" matters). It must be an absolute https URL without query, fragment or user
// info; http is accepted only for loopback hosts (tests, development).
//
// Splitting: the issuer itself contains "://" and may end in '/', so the text is split at the FIRST
// "=file:", "=https://" or "=http://". An issuer cannot contain these (it has no query, and '=' followed
// by a scheme is not a path a real issuer uses), while a JWKS URL may (in its query). The audience is
// split off at the LAST ";aud=".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kilde::auth {

struct IssuerSpec {
  enum class Source { kMetadata, kFile, kUrl };

  std::string issuer;  // exactly as configured; never empty
  Source source = Source::kMetadata;
  // kFile: the file path; kUrl: the JWKS URL; kMetadata: the RFC 8414 metadata URL derived from issuer.
  std::string location;
  std::optional<std::string> audience;  // from ";aud=", never empty when set

  bool operator==(const IssuerSpec&) const = default;
};

// Parses one spec (forms above). kInvalidArgument quoting the offending part otherwise.
Result<IssuerSpec> ParseIssuerSpec(std::string_view text);

// `<issuer without trailing '/'>/.well-known/oauth-authorization-server` (the kMetadata location).
std::string AuthorizationServerMetadataUrl(std::string_view issuer);
// `<issuer without trailing '/'>/.well-known/openid-configuration` (OpenID Connect Discovery; the
// fallback when the issuer does not serve RFC 8414 metadata, e.g. ID-porten).
std::string OpenIdConfigurationUrl(std::string_view issuer);

// The spec in its text form (round-trips through ParseIssuerSpec), e.g. for logs:
// "https://test.maskinporten.no/=file:/etc/kilde/mp-test-jwks.json".
std::string FormatIssuerSpec(const IssuerSpec& spec);

}  // namespace kilde::auth
