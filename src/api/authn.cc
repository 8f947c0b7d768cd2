// Authentication: the bearer token of a request becomes its principal (or a 401), and the dev
// issuer's key set is published when the server runs with --dev.
#include <algorithm>
#include <chrono>

#include "api/app.h"
#include "http/error_response.h"
#include "log/log.h"

namespace kilde::api {
namespace {

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A 401 for a token that was presented but is not acceptable (RFC 6750 §3.1 invalid_token). The
// reason is ours (it never quotes the token), safe to show.
http::Response InvalidToken(const std::string& reason) {
  http::Response r = http::ErrorResponse(401, "invalid_token", "the bearer token was rejected: " + reason);
  std::string desc;
  for (char c : reason) desc.push_back(c == '"' || c == '\\' ? '\'' : c);
  r.headers.emplace_back(
      "WWW-Authenticate",
      "Bearer realm=\"kilde\", error=\"invalid_token\", error_description=\"" + desc + "\"");
  return r;
}

}  // namespace

std::optional<http::Response> App::Authenticate(http::Request& req) {
  req.principal.reset();
  const std::string header = req.Header("authorization");
  if (header.empty()) return std::nullopt;
  // RFC 6750 §2.1: "Bearer" (case-insensitive) and one space, then the token.
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), header.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    return InvalidToken("the Authorization header must be 'Bearer <token>'");
  std::string_view token = std::string_view(header).substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (!verifier_) return InvalidToken("this server trusts no token issuer");
  const int64_t now = NowUnix();
  // A token verified before is not verified again (an ES256/RS256 signature check costs more than a
  // whole cached read): kept until its exp, at most kTokenCacheSeconds, looked up by its exact text.
  const std::string key(token);
  {
    std::lock_guard lock(token_cache_mu_);
    auto it = token_cache_.find(key);
    if (it != token_cache_.end()) {
      if (now < it->second.until) {
        req.principal = it->second.principal;
        return std::nullopt;
      }
      token_cache_.erase(it);
    }
  }
  Result<auth::Principal> p = verifier_->Verify(token, now);
  if (!p.ok()) {
    log::Info("token rejected", {{"reason", p.status().message()}});
    return InvalidToken(p.status().message());
  }
  req.principal = std::make_shared<const auth::Principal>(std::move(*p));
  std::lock_guard lock(token_cache_mu_);
  if (token_cache_.size() >= kTokenCacheEntries) token_cache_.clear();
  token_cache_[key] = {req.principal, std::min(req.principal->expires_at, now + kTokenCacheSeconds)};
  return std::nullopt;
}

void App::AddAuthRoutes() {
  if (!dev_) return;
  // The development issuer's public keys, so that other tools (and other kilde instances started
  // with --trusted-issuer urn:kilde:dev=http://.../jwks.json) can verify its tokens.
  router_.Add("GET", "/api/v1/dev/jwks.json", [this](http::Request&) {
    http::Response r = http::JsonResponse(dev_->JwksJson());
    r.content_type = "application/jwk-set+json";
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  });
}

}  // namespace kilde::api
