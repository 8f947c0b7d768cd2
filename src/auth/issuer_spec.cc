#include "auth/issuer_spec.h"

#include <array>

#include "auth/https_client.h"

namespace kilde::auth {
namespace {

constexpr std::string_view kAudMarker = ";aud=";
constexpr std::string_view kFileMarker = "=file:";

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view WithoutTrailingSlash(std::string_view issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return issuer;
}

Status CheckIssuer(std::string_view issuer) {
  auto bad = [&](const std::string& why) {
    return Status::Invalid("trusted issuer '" + MessageSafe(issuer) + "' " + why);
  };
  if (issuer.empty()) return Status::Invalid("trusted issuer spec has an empty issuer");
  if (issuer.find_first_of("?#") != std::string_view::npos) return bad("must not have a query or fragment");
  Result<HttpUrl> url = ParseHttpUrl(issuer);
  if (!url.ok()) {
    if (issuer.find("://") == std::string_view::npos)
      return bad("is not an absolute https:// URL (e.g. https://maskinporten.no/)");
    return bad("is not a usable issuer: " + url.status().message());
  }
  return Status::Ok();
}

}  // namespace

std::string AuthorizationServerMetadataUrl(std::string_view issuer) {
  return std::string(WithoutTrailingSlash(issuer)) + "/.well-known/oauth-authorization-server";
}

std::string OpenIdConfigurationUrl(std::string_view issuer) {
  return std::string(WithoutTrailingSlash(issuer)) + "/.well-known/openid-configuration";
}

Result<IssuerSpec> ParseIssuerSpec(std::string_view text) {
  const std::string_view whole = Trim(text);
  if (whole.empty()) return Status::Invalid("trusted issuer spec is empty");
  std::string_view rest = whole;
  IssuerSpec spec;

  if (size_t aud = rest.rfind(kAudMarker); aud != std::string_view::npos) {
    std::string_view value = rest.substr(aud + kAudMarker.size());
    if (value.empty())
      return Status::Invalid("trusted issuer spec '" + MessageSafe(whole) + "' has an empty ;aud=");
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f)
        return Status::Invalid("audience '" + MessageSafe(value) + "' contains a space or control character");
    spec.audience = std::string(value);
    rest = rest.substr(0, aud);
  }

  // The first source marker; an issuer never contains one (see issuer_spec.h).
  size_t split = std::string_view::npos;
  std::string_view marker;
  for (std::string_view m : std::array<std::string_view, 3>{kFileMarker, "=https://", "=http://"}) {
    size_t at = rest.find(m);
    if (at < split) {
      split = at;
      marker = m;
    }
  }

  spec.issuer = std::string(rest.substr(0, split));
  KILDE_RETURN_IF_ERROR(CheckIssuer(spec.issuer));
  if (split == std::string_view::npos) {
    spec.source = IssuerSpec::Source::kMetadata;
    spec.location = AuthorizationServerMetadataUrl(spec.issuer);
    return spec;
  }
  if (marker == kFileMarker) {
    std::string_view path = rest.substr(split + marker.size());
    if (path.empty())
      return Status::Invalid("trusted issuer spec '" + MessageSafe(whole) +
                             "' has an empty file path after '=file:'");
    spec.source = IssuerSpec::Source::kFile;
    spec.location = std::string(path);
    return spec;
  }
  std::string_view url = rest.substr(split + 1);  // keeps the scheme
  Result<HttpUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok())
    return Status::Invalid("JWKS location of trusted issuer '" + MessageSafe(spec.issuer) +
                           "' is not usable: " + parsed.status().message());
  spec.source = IssuerSpec::Source::kUrl;
  spec.location = std::string(url);
  return spec;
}

std::string FormatIssuerSpec(const IssuerSpec& spec) {
  std::string out = spec.issuer;
  if (spec.source == IssuerSpec::Source::kFile) out += "=file:" + spec.location;
  if (spec.source == IssuerSpec::Source::kUrl) out += "=" + spec.location;
  if (spec.audience) out += std::string(kAudMarker) + *spec.audience;
  return out;
}

}  // namespace kilde::auth
