#include "auth/verifier.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "auth/jwt.h"
#include "base/norwegian_ids.h"

namespace kilde::auth {
namespace {

using nlohmann::json;

Status Unauth(std::string msg) { return Status(Code::kUnauthenticated, std::move(msg)); }

// RFC 3339 UTC for messages; out-of-range values as plain Unix seconds.
std::string FormatUnix(int64_t t) {
  if (t < 0 || t > 253402300799) return std::to_string(t) + " (Unix)";
  using namespace std::chrono;
  sys_seconds tp{seconds{t}};
  sys_days day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

// A NumericDate claim: nullopt if absent, error if not a finite number.
Result<std::optional<int64_t>> NumericDate(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<int64_t>();
  const std::string bad = std::string("claim '") + name + "' is not a valid time";
  if (it->is_number_unsigned()) {  // before is_number_integer, which is also true for unsigned
    uint64_t u = it->get<uint64_t>();
    return std::optional<int64_t>(u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(u));
  }
  if (it->is_number_integer()) return std::optional<int64_t>(it->get<int64_t>());
  if (!it->is_number_float()) return Unauth(bad);
  double d = it->get<double>();
  if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return Unauth(bad);
  return std::optional<int64_t>(static_cast<int64_t>(std::floor(d)));
}

Status CheckTimes(const json& claims, int64_t now, int64_t leeway, int64_t* exp_out) {
  KILDE_ASSIGN_OR_RETURN(std::optional<int64_t> exp, NumericDate(claims, "exp"));
  KILDE_ASSIGN_OR_RETURN(std::optional<int64_t> nbf, NumericDate(claims, "nbf"));
  KILDE_ASSIGN_OR_RETURN(std::optional<int64_t> iat, NumericDate(claims, "iat"));
  if (!exp) return Unauth("token has no exp");
  // Saturating comparisons: exp + leeway > now, nbf - leeway <= now, iat - leeway <= now.
  if (*exp <= now - leeway) return Unauth("token expired at " + FormatUnix(*exp));
  if (nbf && *nbf > now + leeway) return Unauth("token is not valid before " + FormatUnix(*nbf));
  if (iat && *iat > now + leeway) return Unauth("token issued in the future at " + FormatUnix(*iat));
  *exp_out = *exp;
  return Status::Ok();
}

Status CheckAudience(const json& claims, const std::string& want) {
  auto it = claims.find("aud");
  if (it == claims.end()) return Unauth("token has no aud, expected '" + Printable(want) + "'");
  if (it->is_string()) {
    if (*it == want) return Status::Ok();
  } else if (it->is_array()) {
    for (const json& a : *it)
      if (a.is_string() && a == want) return Status::Ok();
  } else {
    return Unauth("claim 'aud' is not a string or array");
  }
  return Unauth("token audience does not include '" + Printable(want) + "'");
}

// "0192:<orgnr>" in `claims[name].ID` → the orgnr; nullopt if the claim is absent.
Result<std::optional<std::string>> OrgClaim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<std::string>();
  const std::string bad = std::string("claim '") + name + "' ";
  if (!it->is_object()) return Unauth(bad + "is not an object");
  auto auth = it->find("authority");
  if (auth != it->end() && (!auth->is_string() || *auth != "iso6523-actorid-upis"))
    return Unauth(bad + "has an unknown authority");
  auto id = it->find("ID");
  if (id == it->end() || !id->is_string()) return Unauth(bad + "has no ID");
  const std::string& s = id->get_ref<const std::string&>();
  if (s.rfind("0192:", 0) != 0) return Unauth(bad + "ID is not '0192:<orgnr>'");
  std::string orgnr = s.substr(5);
  if (std::optional<IdProblem> p = OrganizationNumberProblem(orgnr))
    return Unauth(bad + "ID '" + Printable(s) + "' is not a valid organisation number: " + p->reason);
  return std::optional<std::string>(orgnr);
}

Result<Principal> BuildPrincipal(const json& c, const std::string& issuer, int64_t exp) {
  Principal p;
  p.issuer = issuer;
  p.expires_at = exp;
  if (auto pid = c.find("pid"); pid != c.end()) {
    if (!pid->is_string() || !IsValidFodselsnummer(pid->get_ref<const std::string&>()))
      return Unauth("claim 'pid' is not a valid fødselsnummer");
    p.pid = pid->get<std::string>();
  }
  KILDE_ASSIGN_OR_RETURN(std::optional<std::string> consumer, OrgClaim(c, "consumer"));
  if (!consumer && !p.pid) return Unauth("token has no consumer");
  if (consumer) p.consumer_orgnr = *consumer;
  KILDE_ASSIGN_OR_RETURN(p.supplier_orgnr, OrgClaim(c, "supplier"));
  auto client = c.find("client_id");
  if (client == c.end() || !client->is_string() || client->get_ref<const std::string&>().empty())
    return Unauth("token has no client_id");
  p.client_id = client->get<std::string>();
  if (auto scope = c.find("scope"); scope != c.end()) {
    if (!scope->is_string()) return Unauth("claim 'scope' is not a string");
    const std::string& s = scope->get_ref<const std::string&>();
    size_t i = 0;
    while (i < s.size()) {
      size_t j = s.find(' ', i);
      if (j == std::string::npos) j = s.size();
      if (j > i) p.scopes.push_back(s.substr(i, j - i));
      i = j + 1;
    }
  }
  if (auto jti = c.find("jti"); jti != c.end() && jti->is_string()) p.jti = jti->get<std::string>();
  return p;
}

}  // namespace

Verifier::Verifier(VerifierOptions options) : options_(std::move(options)) {}

void Verifier::SetIssuer(TrustedIssuer issuer) {
  std::lock_guard lock(mu_);
  std::string key = issuer.issuer;
  issuers_[key] = IssuerState{std::move(issuer), std::nullopt};
}

Status Verifier::ReplaceKeys(const std::string& issuer, std::shared_ptr<const KeySet> keys) {
  std::lock_guard lock(mu_);
  auto it = issuers_.find(issuer);
  if (it == issuers_.end()) return Status::NotFound("issuer '" + issuer + "' is not trusted");
  it->second.config.keys = std::move(keys);
  return Status::Ok();
}

std::vector<std::string> Verifier::issuers() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, _] : issuers_) out.push_back(name);
  return out;
}

std::optional<TrustedIssuer> Verifier::Lookup(const std::string& issuer) const {
  std::lock_guard lock(mu_);
  auto it = issuers_.find(issuer);
  if (it == issuers_.end()) return std::nullopt;
  return it->second.config;
}

bool Verifier::Refetch(const std::string& issuer, int64_t now_unix) {
  if (!options_.refetch) return false;
  {
    std::lock_guard lock(mu_);
    auto it = issuers_.find(issuer);
    if (it == issuers_.end()) return false;
    std::optional<int64_t>& last = it->second.last_refetch;
    if (last && now_unix - *last < options_.refetch_interval_seconds) return false;
    last = now_unix;  // claim the slot before fetching: concurrent callers do not fetch too
  }
  Result<std::string> doc = options_.refetch(issuer);
  if (!doc.ok()) return false;
  Result<KeySet> keys = ParseJwks(*doc);
  if (!keys.ok()) return false;  // keep the old keys
  return ReplaceKeys(issuer, std::make_shared<const KeySet>(std::move(keys).value())).ok();
}

Result<Principal> Verifier::Verify(std::string_view token, int64_t now_unix) {
  KILDE_ASSIGN_OR_RETURN(DecodedJwt jwt, DecodeJwt(token));
  auto iss = jwt.payload.find("iss");
  if (iss == jwt.payload.end() || !iss->is_string()) return Unauth("token has no iss");
  const std::string& issuer = iss->get_ref<const std::string&>();
  std::optional<TrustedIssuer> trusted = Lookup(issuer);
  if (!trusted) return Unauth("untrusted issuer '" + Printable(issuer) + "'");

  const Jwk* key = trusted->keys ? trusted->keys->Find(jwt.kid) : nullptr;
  if (!key && Refetch(issuer, now_unix)) {
    trusted = Lookup(issuer);
    if (!trusted) return Unauth("untrusted issuer '" + Printable(issuer) + "'");
    key = trusted->keys ? trusted->keys->Find(jwt.kid) : nullptr;
  }
  if (!key) return Unauth("unknown key id '" + Printable(jwt.kid) + "'");
  // `trusted->keys` keeps `key` alive until we return.
  KILDE_RETURN_IF_ERROR(VerifyJwtSignature(jwt, *key));

  int64_t exp = 0;
  KILDE_RETURN_IF_ERROR(CheckTimes(jwt.payload, now_unix, options_.leeway_seconds, &exp));
  if (trusted->audience) KILDE_RETURN_IF_ERROR(CheckAudience(jwt.payload, *trusted->audience));
  return BuildPrincipal(jwt.payload, issuer, exp);
}

}  // namespace kilde::auth
