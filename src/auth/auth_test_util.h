// Helpers for the auth unit tests: real keys generated at test time, JWKS documents, and a signer for
// arbitrary (also malformed) headers and payloads.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth/jwk.h"
#include "auth/jws_sign.h"
#include "base/encoding.h"

namespace kilde::auth::testing {

using nlohmann::json;

inline constexpr int64_t kNow = 1790000000;  // 2026-09-21, the tests' "now"
inline constexpr const char* kIssuer = "https://test.maskinporten.no/";
inline constexpr const char* kOrgnr = "123456785";     // valid check digit
inline constexpr const char* kSupplier = "958935420";  // valid check digit
inline constexpr const char* kPid = "15038512363";     // valid fødselsnummer

inline EvpPkeyPtr NewRsaKey(unsigned bits = 2048) {
  EvpPkeyPtr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  EXPECT_TRUE(k);
  return k;
}
inline EvpPkeyPtr NewEcKey() {
  EvpPkeyPtr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  EXPECT_TRUE(k);
  return k;
}

// Keys generated once per test binary (RSA generation is slow); shared read-only between tests.
struct Keys {
  EvpPkeyPtr rsa = NewRsaKey();
  EvpPkeyPtr rsa2 = NewRsaKey();
  EvpPkeyPtr ec = NewEcKey();
};
inline const Keys& SharedKeys() {
  static const Keys* keys = new Keys();
  return *keys;
}

// The public JWK of `key` with `kid` and use "sig", plus `extra` members.
inline json PublicJwk(EVP_PKEY* key, const std::string& kid, const json& extra = json::object()) {
  Result<std::string> text = PublicJwkJson(key);
  EXPECT_TRUE(text.ok()) << text.status().message();
  json j = json::parse(*text);
  j["kid"] = kid;
  j["use"] = "sig";
  for (auto& [k, v] : extra.items()) j[k] = v;
  return j;
}

inline std::string JwksOf(const std::vector<json>& keys) { return json{{"keys", keys}}.dump(); }

inline std::shared_ptr<const KeySet> KeySetOf(const std::vector<json>& keys) {
  Result<KeySet> set = ParseJwks(JwksOf(keys));
  EXPECT_TRUE(set.ok()) << set.status().message();
  return std::make_shared<const KeySet>(std::move(set).value());
}

// Signs the given texts verbatim (so tests can build odd headers and payloads).
inline std::string SignRaw(const std::string& header, const std::string& payload, JwsAlg alg, EVP_PKEY* key) {
  Result<std::string> t = SignCompact(header, payload, alg, key);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? *t : "";
}

inline std::string Sign(const json& header, const json& payload, JwsAlg alg, EVP_PKEY* key) {
  return SignRaw(header.dump(), payload.dump(), alg, key);
}

inline json Header(const std::string& alg, const std::string& kid) {
  return json{{"alg", alg}, {"kid", kid}, {"typ", "JWT"}};
}

// A Maskinporten-shaped claim set valid at kNow.
inline json Claims(const std::string& scope = "kilde:read") {
  return json{{"iss", kIssuer},
              {"client_id", "0b0ee0b8-6a3e-4bd4-9a6b-7fa4b7c5b3b1"},
              {"client_amr", "virksomhetssertifikat"},
              {"consumer", {{"authority", "iso6523-actorid-upis"}, {"ID", std::string("0192:") + kOrgnr}}},
              {"scope", scope},
              {"token_type", "Bearer"},
              {"iat", kNow - 10},
              {"exp", kNow + 110},
              {"jti", "jti-1"}};
}

inline std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

// "<header>.<payload>.<HMAC-SHA256(secret)>" — the alg-confusion attack token.
inline std::string HmacToken(const json& header, const json& payload, const std::string& secret) {
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len));
}

}  // namespace kilde::auth::testing
