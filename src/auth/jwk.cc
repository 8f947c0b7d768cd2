#include "auth/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>

#include "base/encoding.h"

namespace kilde::auth {
namespace {

using nlohmann::json;

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;

constexpr int kMinRsaBits = 2048;

// Decodes the base64url string member `name` of `k`, or explains why not.
Result<std::string> Member(const json& k, const char* name) {
  auto it = k.find(name);
  if (it == k.end() || !it->is_string()) return Status::Invalid(std::string("missing '") + name + "'");
  std::optional<std::string> raw = Base64UrlDecode(it->get_ref<const std::string&>());
  if (!raw || raw->empty()) return Status::Invalid(std::string("bad base64url in '") + name + "'");
  return *raw;
}

// Builds a public key of `type` ("RSA" or "EC") from parameters; nullptr if OpenSSL rejects them.
EvpPkeyPtr FromData(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return nullptr;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* out = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &out, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  return EvpPkeyPtr(out);
}

Result<EvpPkeyPtr> RsaKey(const json& k) {
  KILDE_ASSIGN_OR_RETURN(std::string n, Member(k, "n"));
  KILDE_ASSIGN_OR_RETURN(std::string e, Member(k, "e"));
  BnPtr bn_n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  BnPtr bn_e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return Status::Internal("out of memory");
  if (BN_num_bits(bn_n.get()) < kMinRsaBits)
    return Status::Invalid("RSA modulus of " + std::to_string(BN_num_bits(bn_n.get())) + " bits is below " +
                           std::to_string(kMinRsaBits));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
    return Status::Internal("out of memory");
  EvpPkeyPtr key = FromData("RSA", bld.get());
  if (!key) return Status::Invalid("OpenSSL rejected the RSA parameters");
  return key;
}

Result<EvpPkeyPtr> EcKey(const json& k) {
  auto crv = k.find("crv");
  if (crv == k.end() || !crv->is_string() || *crv != "P-256") return Status::Invalid("crv is not 'P-256'");
  KILDE_ASSIGN_OR_RETURN(std::string x, Member(k, "x"));
  KILDE_ASSIGN_OR_RETURN(std::string y, Member(k, "y"));
  if (x.size() != 32 || y.size() != 32) return Status::Invalid("x and y must be 32 bytes");
  std::string point = "\x04" + x + y;  // uncompressed SEC1 point
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    return Status::Internal("out of memory");
  EvpPkeyPtr key = FromData("EC", bld.get());
  if (!key) return Status::Invalid("not a point on P-256");
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1)
    return Status::Invalid("not a valid P-256 public key");
  return key;
}

bool AlgFitsType(const std::string& alg, KeyType type) {
  if (type == KeyType::kRsa) return alg == "RS256" || alg == "RS384" || alg == "RS512";
  return alg == "ES256";
}

// The usable Jwk in `k`, or why it is skipped.
Result<Jwk> ParseKey(const json& k) {
  if (!k.is_object()) return Status::Invalid("not an object");
  Jwk out;
  auto use = k.find("use");
  if (use != k.end() && (!use->is_string() || *use != "sig")) return Status::Invalid("use is not 'sig'");
  auto kty = k.find("kty");
  if (kty == k.end() || !kty->is_string()) return Status::Invalid("missing kty");
  if (*kty == "RSA") {
    out.type = KeyType::kRsa;
  } else if (*kty == "EC") {
    out.type = KeyType::kEcP256;
  } else {
    return Status::Invalid("unsupported kty");
  }
  auto alg = k.find("alg");
  if (alg != k.end()) {
    if (!alg->is_string() || !AlgFitsType(alg->get<std::string>(), out.type))
      return Status::Invalid("alg is not a signature alg we verify with this kty");
    out.alg = alg->get<std::string>();
  }
  Result<EvpPkeyPtr> key = out.type == KeyType::kRsa ? RsaKey(k) : EcKey(k);
  if (!key.ok()) return key.status();
  out.key = std::move(key).value();
  return out;
}

std::string Bn(const BIGNUM* b, int pad) {
  std::string out(pad > 0 ? static_cast<size_t>(pad) : static_cast<size_t>(BN_num_bytes(b)), '\0');
  if (pad > 0) {
    BN_bn2binpad(b, reinterpret_cast<unsigned char*>(out.data()), pad);
  } else {
    BN_bn2bin(b, reinterpret_cast<unsigned char*>(out.data()));
  }
  return Base64UrlEncode(out);
}

Result<std::string> BnParam(EVP_PKEY* key, const char* name, int pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return Status::Invalid("key has no " + std::string(name));
  BnPtr b(raw);
  return Bn(b.get(), pad);
}

}  // namespace

const Jwk* KeySet::Find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<std::string> KeySet::kids() const {
  std::vector<std::string> out;
  for (const auto& [kid, _] : keys_) out.push_back(kid);
  return out;
}

Result<KeySet> ParseJwks(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Status::Invalid("JWKS is not a JSON object");
  auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_array()) return Status::Invalid("JWKS has no 'keys' array");
  KeySet set;
  size_t index = 0;
  for (const json& k : *keys) {
    std::string name = "key #" + std::to_string(index++);
    if (k.is_object() && k.contains("kid") && k["kid"].is_string())
      name = "kid '" + k["kid"].get<std::string>() + "'";
    else {
      set.skipped_.push_back(name + ": no kid");
      continue;
    }
    std::string kid = k["kid"].get<std::string>();
    if (set.keys_.count(kid)) {
      set.skipped_.push_back(name + ": duplicate kid");
      continue;
    }
    Result<Jwk> jwk = ParseKey(k);
    if (!jwk.ok()) {
      set.skipped_.push_back(name + ": " + jwk.status().message());
      continue;
    }
    jwk->kid = kid;
    set.keys_.emplace(kid, std::move(jwk).value());
  }
  if (set.keys_.empty()) {
    std::string why;
    for (const std::string& s : set.skipped_) why += (why.empty() ? "" : "; ") + s;
    return Status::Invalid("JWKS has no usable signing key" + (why.empty() ? "" : " (" + why + ")"));
  }
  return set;
}

Result<std::string> PublicJwkJson(EVP_PKEY* key) {
  json jwk;  // std::map-backed: members come out sorted, as RFC 7638 requires
  if (EVP_PKEY_is_a(key, "RSA")) {
    KILDE_ASSIGN_OR_RETURN(std::string n, BnParam(key, OSSL_PKEY_PARAM_RSA_N, 0));
    KILDE_ASSIGN_OR_RETURN(std::string e, BnParam(key, OSSL_PKEY_PARAM_RSA_E, 0));
    jwk = {{"e", e}, {"kty", "RSA"}, {"n", n}};
  } else if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1 ||
        std::string_view(group) != "prime256v1")
      return Status::Invalid("EC key is not on P-256");
    KILDE_ASSIGN_OR_RETURN(std::string x, BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, 32));
    KILDE_ASSIGN_OR_RETURN(std::string y, BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
    jwk = {{"crv", "P-256"}, {"kty", "EC"}, {"x", x}, {"y", y}};
  } else {
    return Status::Invalid("only RSA and EC P-256 keys have a JWK here");
  }
  return jwk.dump();
}

Result<std::string> JwkThumbprint(EVP_PKEY* key) {
  KILDE_ASSIGN_OR_RETURN(std::string canonical, PublicJwkJson(key));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace kilde::auth
