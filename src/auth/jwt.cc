#include "auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <memory>

#include "base/encoding.h"

namespace kilde::auth {
namespace {

using nlohmann::json;

Status Unauth(std::string msg) { return Status(Code::kUnauthenticated, std::move(msg)); }

// Decodes one segment; rejects non-canonical encodings (different text, same bytes), so a token has
// exactly one spelling.
std::optional<std::string> DecodeSegment(std::string_view s) {
  std::optional<std::string> raw = Base64UrlDecode(s);
  if (!raw || Base64UrlEncode(*raw) != s) return std::nullopt;
  return raw;
}

Result<json> DecodeObject(std::string_view segment, const char* what) {
  std::optional<std::string> raw = DecodeSegment(segment);
  if (!raw) return Unauth(std::string("malformed token: bad base64url in ") + what);
  json j = json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Unauth(std::string("malformed token: ") + what + " is not a JSON object");
  return j;
}

Result<JwsAlg> ParseAlg(const json& header) {
  auto it = header.find("alg");
  if (it == header.end() || !it->is_string()) return Unauth("token header has no alg");
  const std::string& alg = it->get_ref<const std::string&>();
  if (alg == "RS256") return JwsAlg::kRs256;
  if (alg == "RS384") return JwsAlg::kRs384;
  if (alg == "RS512") return JwsAlg::kRs512;
  if (alg == "ES256") return JwsAlg::kEs256;
  std::string lower;
  for (char c : alg) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  if (lower == "none") return Unauth("alg '" + Printable(alg) + "' is not accepted");
  if (lower.rfind("hs", 0) == 0) return Unauth("HMAC alg '" + Printable(alg) + "' is not accepted");
  return Unauth("unsupported alg '" + Printable(alg) + "'");
}

const EVP_MD* Digest(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kRs256:
    case JwsAlg::kEs256:
      return EVP_sha256();
    case JwsAlg::kRs384:
      return EVP_sha384();
    case JwsAlg::kRs512:
      return EVP_sha512();
  }
  return nullptr;
}

// JOSE r||s (64 bytes) → DER ECDSA-Sig-Value, or nullopt if the size is wrong.
std::optional<std::string> RawToDer(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(p, 32, nullptr);
  BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {  // set0 takes r and s on success
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

const char* JwsAlgName(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kRs256:
      return "RS256";
    case JwsAlg::kRs384:
      return "RS384";
    case JwsAlg::kRs512:
      return "RS512";
    case JwsAlg::kEs256:
      return "ES256";
  }
  return "?";
}

std::string Printable(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out;
  for (char c : s.substr(0, kMax)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (s.size() > kMax) out += "...";
  return out;
}

Result<DecodedJwt> DecodeJwt(std::string_view token) {
  if (token.empty()) return Unauth("empty token");
  if (token.size() > kMaxTokenBytes)
    return Unauth("token of " + std::to_string(token.size()) + " bytes exceeds " +
                  std::to_string(kMaxTokenBytes));
  size_t dot1 = token.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return Unauth("malformed token: expected three segments");
  DecodedJwt out;
  KILDE_ASSIGN_OR_RETURN(out.header, DecodeObject(token.substr(0, dot1), "header"));
  KILDE_ASSIGN_OR_RETURN(out.alg, ParseAlg(out.header));
  auto kid = out.header.find("kid");
  if (kid == out.header.end() || !kid->is_string() || kid->get_ref<const std::string&>().empty())
    return Unauth("token header has no kid");
  out.kid = kid->get<std::string>();
  if (out.header.contains("crit")) return Unauth("token header 'crit' is not supported");
  KILDE_ASSIGN_OR_RETURN(out.payload, DecodeObject(token.substr(dot1 + 1, dot2 - dot1 - 1), "payload"));
  std::optional<std::string> sig = DecodeSegment(token.substr(dot2 + 1));
  if (!sig || sig->empty()) return Unauth("malformed token: bad signature encoding");
  out.signature = std::move(*sig);
  out.signing_input = std::string(token.substr(0, dot2));
  return out;
}

Status VerifyJwtSignature(const DecodedJwt& jwt, const Jwk& key) {
  const bool want_ec = jwt.alg == JwsAlg::kEs256;
  if (want_ec != (key.type == KeyType::kEcP256))
    return Unauth(std::string("key '") + Printable(key.kid) + "' cannot verify alg " + JwsAlgName(jwt.alg));
  if (key.alg && *key.alg != JwsAlgName(jwt.alg))
    return Unauth(std::string("key '") + Printable(key.kid) + "' is for alg " + *key.alg + ", not " +
                  JwsAlgName(jwt.alg));
  std::string der;
  const std::string* sig = &jwt.signature;
  if (want_ec) {
    std::optional<std::string> d = RawToDer(jwt.signature);
    if (!d) return Unauth("signature does not verify");
    der = std::move(*d);
    sig = &der;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx) return Status::Internal("out of memory");
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, Digest(jwt.alg), nullptr, key.key.get()) != 1)
    return Unauth("signature does not verify");
  // RSA keys default to PKCS#1 v1.5 padding, which is what RS* means.
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                            reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
                            jwt.signing_input.size());
  if (rc != 1) return Unauth("signature does not verify");
  return Status::Ok();
}

}  // namespace kilde::auth
