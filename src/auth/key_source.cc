#include "auth/key_source.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "auth/jwk.h"

namespace kilde::auth {
namespace {

using nlohmann::json;

std::string Quote(std::string_view s) { return "'" + MessageSafe(s) + "'"; }

Result<std::string> ReadJwksFile(const IssuerSpec& spec, size_t max_bytes) {
  const std::string what = "JWKS file " + Quote(spec.location) + " of issuer " + Quote(spec.issuer);
  std::ifstream in(spec.location, std::ios::binary);
  if (!in) return Status::Unavailable("cannot open " + what + ": " + std::strerror(errno));
  std::string out;
  char buf[64 * 1024];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > max_bytes)
      return Status::Unavailable(what + " exceeds " + std::to_string(max_bytes) + " bytes");
  }
  if (in.bad()) return Status::Unavailable("cannot read " + what);
  return out;
}

// The metadata document: RFC 8414 location first, OpenID Connect Discovery on a 4xx answer.
Result<std::string> FetchMetadata(const IssuerSpec& spec, const HttpGetOptions& options) {
  KILDE_ASSIGN_OR_RETURN(HttpResponse first, HttpFetch(spec.location, options));
  if (first.status == 200) return std::move(first.body);
  if (first.status < 400 || first.status >= 500) {
    std::string msg = "metadata of issuer " + Quote(spec.issuer) + ": GET " + Quote(spec.location) +
                      " answered HTTP " + std::to_string(first.status);
    if (!first.location.empty())
      msg += " (a redirect to " + Quote(first.location) + ", which is not followed)";
    return Status::Unavailable(std::move(msg));
  }
  const std::string fallback = OpenIdConfigurationUrl(spec.issuer);
  KILDE_ASSIGN_OR_RETURN(HttpResponse second, HttpFetch(fallback, options));
  if (second.status == 200) return std::move(second.body);
  return Status::Unavailable("no metadata for issuer " + Quote(spec.issuer) + ": GET " +
                             Quote(spec.location) + " answered HTTP " + std::to_string(first.status) +
                             ", GET " + Quote(fallback) + " answered HTTP " + std::to_string(second.status));
}

// `jwks_uri` of the issuer's metadata, after checking that the metadata is the issuer's own.
Result<std::string> JwksUriFromMetadata(const IssuerSpec& spec, const std::string& text) {
  const std::string where = "metadata of issuer " + Quote(spec.issuer);
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Status::Invalid(where + " is not a JSON object");
  auto iss = doc.find("issuer");
  if (iss == doc.end() || !iss->is_string()) return Status::Invalid(where + " has no \"issuer\"");
  const std::string& named = iss->get_ref<const std::string&>();
  if (named != spec.issuer)
    return Status::Invalid(where + " names issuer " + Quote(named) +
                           "; it must be exactly the configured issuer (mind the trailing '/')");
  auto uri = doc.find("jwks_uri");
  if (uri == doc.end() || !uri->is_string()) return Status::Invalid(where + " has no \"jwks_uri\"");
  const std::string& jwks_uri = uri->get_ref<const std::string&>();
  Result<HttpUrl> parsed = ParseHttpUrl(jwks_uri);
  if (!parsed.ok()) return Status::Invalid(where + " has an unusable jwks_uri: " + parsed.status().message());
  return jwks_uri;
}

}  // namespace

Result<std::string> LoadJwksDocument(const IssuerSpec& spec, const HttpGetOptions& options) {
  switch (spec.source) {
    case IssuerSpec::Source::kFile:
      return ReadJwksFile(spec, options.max_body_bytes);
    case IssuerSpec::Source::kUrl:
      return HttpGet(spec.location, options);
    case IssuerSpec::Source::kMetadata: {
      KILDE_ASSIGN_OR_RETURN(std::string metadata, FetchMetadata(spec, options));
      KILDE_ASSIGN_OR_RETURN(std::string jwks_uri, JwksUriFromMetadata(spec, metadata));
      return HttpGet(jwks_uri, options);
    }
  }
  assert(false && "unknown IssuerSpec::Source");
  return Status::Internal("unknown key source");
}

Result<TrustedIssuer> LoadTrustedIssuer(const IssuerSpec& spec, const HttpGetOptions& options) {
  KILDE_ASSIGN_OR_RETURN(std::string doc, LoadJwksDocument(spec, options));
  Result<KeySet> keys = ParseJwks(doc);
  if (!keys.ok())
    return Status(keys.status().code(), "JWKS of issuer " + Quote(spec.issuer) + " (" +
                                            FormatIssuerSpec(spec) + "): " + keys.status().message());
  TrustedIssuer out;
  out.issuer = spec.issuer;
  out.keys = std::make_shared<const KeySet>(std::move(keys).value());
  out.audience = spec.audience;
  return out;
}

RefetchFn MakeRefetch(std::vector<IssuerSpec> specs, HttpGetOptions options) {
  auto by_issuer = std::make_shared<std::map<std::string, IssuerSpec, std::less<>>>();
  for (IssuerSpec& s : specs) {
    std::string key = s.issuer;
    by_issuer->insert_or_assign(std::move(key), std::move(s));
  }
  std::shared_ptr<const std::map<std::string, IssuerSpec, std::less<>>> shared = std::move(by_issuer);
  return [shared, options = std::move(options)](const std::string& issuer) -> Result<std::string> {
    auto it = shared->find(issuer);
    if (it == shared->end()) return Status::NotFound("no key source for issuer " + Quote(issuer));
    try {
      return LoadJwksDocument(it->second, options);
    } catch (const std::exception& e) {  // allocation failure: the hook must not throw
      return Status::Internal(std::string("refetch failed: ") + e.what());
    }
  };
}

}  // namespace kilde::auth
