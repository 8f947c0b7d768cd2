#include "auth/jws_sign.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <memory>

#include "base/encoding.h"

namespace kilde::auth {

Result<std::string> SignJws(std::string_view signing_input, JwsAlg alg, EVP_PKEY* key) {
  const bool ec = alg == JwsAlg::kEs256;
  if (ec ? !EVP_PKEY_is_a(key, "EC") : !EVP_PKEY_is_a(key, "RSA"))
    return Status::Invalid(std::string("key does not fit alg ") + JwsAlgName(alg));
  const EVP_MD* md = alg == JwsAlg::kRs384   ? EVP_sha384()
                     : alg == JwsAlg::kRs512 ? EVP_sha512()
                                             : EVP_sha256();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, signing_input.size()) != 1)
    return Status::Internal("signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     signing_input.size()) != 1)
    return Status::Internal("signing failed");
  sig.resize(len);
  if (!ec) return sig;
  // DER ECDSA-Sig-Value → JOSE r||s, each left-padded to 32 bytes.
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> parsed(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())), ECDSA_SIG_free);
  if (!parsed) return Status::Internal("signing failed");
  std::string raw(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), out, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), out + 32, 32) != 32)
    return Status::Internal("signing failed");
  return raw;
}

Result<std::string> SignCompact(std::string_view header_json, std::string_view payload_json, JwsAlg alg,
                                EVP_PKEY* key) {
  std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  KILDE_ASSIGN_OR_RETURN(std::string sig, SignJws(input, alg, key));
  return input + "." + Base64UrlEncode(sig);
}

}  // namespace kilde::auth
