// Loading a trusted issuer's keys from its IssuerSpec (issuer_spec.h): a JWKS file, a JWKS URL, or the
// issuer's metadata → `jwks_uri`.
//
// Metadata (kMetadata): GET spec.location (RFC 8414 `/.well-known/oauth-authorization-server`); if
// that answers 4xx, GET `/.well-known/openid-configuration` instead. The document must be a JSON object
// whose `issuer` equals spec.issuer exactly (RFC 8414 §3.3: otherwise the metadata is for someone else
// and must not be used) and whose `jwks_uri` is an https URL (http only for loopback hosts); the JWKS is
// then fetched from `jwks_uri`. All HTTP goes through HttpGet / HttpFetch (https_client.h) with the
// given options (timeout and body limit apply to each request).
//
// Codes: kInvalidArgument for content that cannot be used (metadata for another issuer, no or bad
// jwks_uri, a JWKS without a usable key); kUnavailable for I/O (unreadable file, network, non-200
// answer, timeout). Messages name the issuer and the location. Nothing throws.
//
// Thread safety: all functions may be called concurrently; they share no state.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "auth/https_client.h"
#include "auth/issuer_spec.h"
#include "auth/verifier.h"
#include "base/status.h"

namespace kilde::auth {

// The JWKS document (JSON text, not yet parsed) of `spec`. A file larger than
// options.max_body_bytes is refused like an oversized HTTP body.
Result<std::string> LoadJwksDocument(const IssuerSpec& spec, const HttpGetOptions& options);

// LoadJwksDocument + ParseJwks: the issuer with its keys and audience. Fails if the JWKS has no
// usable key (keys that ParseJwks skips are listed in keys->skipped()).
Result<TrustedIssuer> LoadTrustedIssuer(const IssuerSpec& spec, const HttpGetOptions& options);

// The type of VerifierOptions::refetch.
using RefetchFn = std::function<Result<std::string>(const std::string& issuer)>;

// A refetch hook for VerifierOptions::refetch: LoadJwksDocument of the spec whose issuer equals the
// argument (kNotFound for an issuer not among `specs`). File sources are read again on each call, which
// is how keys rotate offline: replace the file, and the next token with a new kid picks it up. The hook
// holds its own copies, is thread safe and never throws; it blocks for at most about options.timeout
// per HTTP request (two or three requests for a metadata source).
RefetchFn MakeRefetch(std::vector<IssuerSpec> specs, HttpGetOptions options);

}  // namespace kilde::auth
