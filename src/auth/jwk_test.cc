#include "auth/jwk.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"

namespace kilde::auth {
namespace {

using namespace testing;

std::string Skipped(const KeySet& s) {
  std::string out;
  for (const std::string& x : s.skipped()) out += x + "\n";
  return out;
}

TEST(JwkParse, RsaAndEcKeysByKid) {
  const Keys& k = SharedKeys();
  Result<KeySet> set =
      ParseJwks(JwksOf({PublicJwk(k.rsa.get(), "r1", {{"alg", "RS256"}}), PublicJwk(k.ec.get(), "e1")}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->size(), 2u);
  ASSERT_NE(set->Find("r1"), nullptr);
  EXPECT_EQ(set->Find("r1")->type, KeyType::kRsa);
  EXPECT_EQ(set->Find("r1")->alg, "RS256");
  EXPECT_TRUE(EVP_PKEY_eq(set->Find("r1")->key.get(), k.rsa.get()) == 1);
  ASSERT_NE(set->Find("e1"), nullptr);
  EXPECT_EQ(set->Find("e1")->type, KeyType::kEcP256);
  EXPECT_TRUE(EVP_PKEY_eq(set->Find("e1")->key.get(), k.ec.get()) == 1);
  EXPECT_EQ(set->Find("nope"), nullptr);
  EXPECT_TRUE(set->skipped().empty());
}

TEST(JwkParse, UnusableKeysAreSkippedWithTheirKid) {
  const Keys& k = SharedKeys();
  json enc = PublicJwk(k.rsa.get(), "enc", {{"use", "enc"}});
  json oct = {{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}};
  json p384 = PublicJwk(k.ec.get(), "p384", {{"crv", "P-384"}});
  json badb64 = PublicJwk(k.rsa.get(), "badb64", {{"n", "!!!"}});
  json nokid = PublicJwk(k.rsa.get(), "x");
  nokid.erase("kid");
  json wrongalg = PublicJwk(k.rsa.get(), "wrongalg", {{"alg", "ES256"}});
  json hsalg = PublicJwk(k.rsa.get(), "hsalg", {{"alg", "HS256"}});
  json shortx = PublicJwk(k.ec.get(), "shortx", {{"x", "AAAA"}});
  json offcurve = PublicJwk(k.ec.get(), "offcurve", {{"y", std::string(43, 'A')}});
  json dup = PublicJwk(k.ec.get(), "good");
  Result<KeySet> set = ParseJwks(JwksOf({PublicJwk(k.rsa.get(), "good"), enc, oct, p384, badb64, nokid,
                                         wrongalg, hsalg, shortx, offcurve, dup}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->kids(), std::vector<std::string>{"good"});
  EXPECT_EQ(set->Find("good")->type, KeyType::kRsa);  // the first of two with the same kid
  std::string why = Skipped(*set);
  for (const char* s : {"kid 'enc': use", "kid 'hmac': unsupported kty", "kid 'p384': crv",
                        "kid 'badb64': bad base64url in 'n'", "no kid", "kid 'wrongalg': alg",
                        "kid 'hsalg': alg", "kid 'shortx'", "kid 'offcurve'", "kid 'good': duplicate"})
    EXPECT_NE(why.find(s), std::string::npos) << s << " not in\n" << why;
}

TEST(JwkParse, ShortRsaModulusIsSkipped) {
  EvpPkeyPtr small = NewRsaKey(1024);
  Result<KeySet> set =
      ParseJwks(JwksOf({PublicJwk(small.get(), "small"), PublicJwk(SharedKeys().ec.get(), "e")}));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->Find("small"), nullptr);
  EXPECT_NE(Skipped(*set).find("1024 bits"), std::string::npos) << Skipped(*set);
}

TEST(JwkParse, BadDocumentsAreErrors) {
  EXPECT_FALSE(ParseJwks("").ok());
  EXPECT_FALSE(ParseJwks("not json").ok());
  EXPECT_FALSE(ParseJwks("[]").ok());
  EXPECT_FALSE(ParseJwks(R"({"keys": {}})").ok());
  Result<KeySet> empty = ParseJwks(R"({"keys": []})");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no usable signing key"), std::string::npos);
  Result<KeySet> only_bad = ParseJwks(R"({"keys": [{"kty":"oct","kid":"h","k":"AA"}]})");
  ASSERT_FALSE(only_bad.ok());
  EXPECT_NE(only_bad.status().message().find("kid 'h'"), std::string::npos) << only_bad.status().message();
}

TEST(JwkThumbprint, Rfc7638ExampleVector) {
  // RFC 7638 §3.1: the RSA key whose thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
  const std::string n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
      "BJECPebWKRXjBZCiFV4n3"
      "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
      "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdA"
      "ZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-"
      "csFCur-"
      "kEgU8awapJzKnqDKgw";
  Result<KeySet> set = ParseJwks(JwksOf({{{"kty", "RSA"}, {"kid", "2011-04-29"}, {"n", n}, {"e", "AQAB"}}}));
  ASSERT_TRUE(set.ok()) << set.status().message();
  Result<std::string> tp = JwkThumbprint(set->Find("2011-04-29")->key.get());
  ASSERT_TRUE(tp.ok());
  EXPECT_EQ(*tp, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwkThumbprint, EcIsStableAndPublicOnly) {
  const Keys& k = SharedKeys();
  Result<std::string> a = JwkThumbprint(k.ec.get());
  Result<KeySet> set = ParseJwks(JwksOf({PublicJwk(k.ec.get(), "e")}));
  ASSERT_TRUE(a.ok() && set.ok());
  Result<std::string> b = JwkThumbprint(set->Find("e")->key.get());  // from the public half only
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->size(), 43u);
  Result<std::string> jwk = PublicJwkJson(k.ec.get());
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ(jwk->find("\"d\""), std::string::npos);  // no private part
  EXPECT_EQ(jwk->rfind("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":", 0), 0u) << *jwk;
}

}  // namespace
}  // namespace kilde::auth
