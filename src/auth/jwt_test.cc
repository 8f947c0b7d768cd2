#include "auth/jwt.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"

namespace kilde::auth {
namespace {

using namespace testing;

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Keys& k = SharedKeys();
    Result<KeySet> set = ParseJwks(JwksOf({PublicJwk(k.rsa.get(), "rsa"), PublicJwk(k.ec.get(), "ec"),
                                           PublicJwk(k.rsa.get(), "rsa256only", {{"alg", "RS256"}})}));
    ASSERT_TRUE(set.ok()) << set.status().message();
    keys_ = std::move(set).value();
  }
  // Decodes and verifies with the key named in the header.
  Status Check(const std::string& token) {
    Result<DecodedJwt> jwt = DecodeJwt(token);
    if (!jwt.ok()) return jwt.status();
    const Jwk* key = keys_.Find(jwt->kid);
    if (!key) return Status(Code::kNotFound, "no key");
    return VerifyJwtSignature(*jwt, *key);
  }
  std::string Msg(const std::string& token) {
    Status s = Check(token);
    EXPECT_EQ(s.code(), Code::kUnauthenticated) << s.message();
    return s.message();
  }
  KeySet keys_;
};

TEST_F(JwtTest, ValidSignaturesOfEveryAlg) {
  const Keys& k = SharedKeys();
  for (JwsAlg alg : {JwsAlg::kRs256, JwsAlg::kRs384, JwsAlg::kRs512}) {
    Status s = Check(Sign(Header(JwsAlgName(alg), "rsa"), Claims(), alg, k.rsa.get()));
    EXPECT_TRUE(s.ok()) << JwsAlgName(alg) << ": " << s.message();
  }
  EXPECT_TRUE(Check(Sign(Header("ES256", "ec"), Claims(), JwsAlg::kEs256, k.ec.get())).ok());
  Result<DecodedJwt> d = DecodeJwt(Sign(Header("ES256", "ec"), Claims(), JwsAlg::kEs256, k.ec.get()));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kid, "ec");
  EXPECT_EQ(d->signature.size(), 64u);
  EXPECT_EQ(d->payload["iss"], kIssuer);
}

TEST_F(JwtTest, TamperedPayloadAndSignatureFail) {
  const Keys& k = SharedKeys();
  for (auto [alg, kid, key] :
       {std::tuple{JwsAlg::kRs256, "rsa", k.rsa.get()}, std::tuple{JwsAlg::kEs256, "ec", k.ec.get()}}) {
    std::string token = Sign(Header(JwsAlgName(alg), kid), Claims(), alg, key);
    size_t d1 = token.find('.'), d2 = token.rfind('.');
    // Payload with a different scope, keeping the original signature.
    std::string forged =
        token.substr(0, d1 + 1) + Base64UrlEncode(Claims("kilde:admin").dump()) + token.substr(d2);
    EXPECT_EQ(Msg(forged), "signature does not verify");
    // One flipped bit in the signature bytes.
    std::string sig = *Base64UrlDecode(token.substr(d2 + 1));
    sig[sig.size() / 2] ^= 0x01;
    EXPECT_EQ(Msg(token.substr(0, d2 + 1) + Base64UrlEncode(sig)), "signature does not verify");
    // Truncated signature.
    EXPECT_EQ(Msg(token.substr(0, d2 + 1) + Base64UrlEncode(sig.substr(0, sig.size() - 1))),
              "signature does not verify");
  }
}

TEST_F(JwtTest, AlgNoneIsRejected) {
  std::string input =
      Base64UrlEncode(R"({"alg":"none","kid":"rsa"})") + "." + Base64UrlEncode(Claims().dump());
  EXPECT_EQ(Msg(input + "."), "alg 'none' is not accepted");
  EXPECT_EQ(Msg(input + ".AAAA"), "alg 'none' is not accepted");
  std::string upper =
      Base64UrlEncode(R"({"alg":"NoNe","kid":"rsa"})") + "." + Base64UrlEncode(Claims().dump());
  EXPECT_EQ(Msg(upper + ".AAAA"), "alg 'NoNe' is not accepted");
}

TEST_F(JwtTest, Hs256WithTheRsaPublicKeyAsSecretIsRejected) {
  std::string pem = PublicPem(SharedKeys().rsa.get());
  ASSERT_NE(pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_EQ(Msg(HmacToken(Header("HS256", "rsa"), Claims(), pem)), "HMAC alg 'HS256' is not accepted");
  EXPECT_EQ(Msg(HmacToken(Header("HS512", "rsa"), Claims(), pem)), "HMAC alg 'HS512' is not accepted");
  // Even under an accepted alg name an HMAC is not an RSA signature.
  EXPECT_EQ(Msg(HmacToken(Header("RS256", "rsa"), Claims(), pem)), "signature does not verify");
}

TEST_F(JwtTest, KeyTypeMustFitAlg) {
  const Keys& k = SharedKeys();
  // RS256 header naming the EC key (signed with the EC key as ES256 would be).
  std::string input = Base64UrlEncode(Header("RS256", "ec").dump()) + "." + Base64UrlEncode(Claims().dump());
  Result<std::string> sig = SignJws(input, JwsAlg::kEs256, k.ec.get());
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(Msg(input + "." + Base64UrlEncode(*sig)), "key 'ec' cannot verify alg RS256");
  // ES256 header naming an RSA key.
  EXPECT_EQ(Msg(Sign(Header("ES256", "rsa"), Claims(), JwsAlg::kRs256, k.rsa.get())),
            "key 'rsa' cannot verify alg ES256");
  // A JWK restricted to RS256 does not verify RS512, even with a good signature.
  EXPECT_EQ(Msg(Sign(Header("RS512", "rsa256only"), Claims(), JwsAlg::kRs512, k.rsa.get())),
            "key 'rsa256only' is for alg RS256, not RS512");
  EXPECT_TRUE(Check(Sign(Header("RS256", "rsa256only"), Claims(), JwsAlg::kRs256, k.rsa.get())).ok());
}

TEST_F(JwtTest, OtherAlgsAndHeadersAreRejected) {
  const Keys& k = SharedKeys();
  EXPECT_EQ(Msg(Sign(Header("PS256", "rsa"), Claims(), JwsAlg::kRs256, k.rsa.get())),
            "unsupported alg 'PS256'");
  EXPECT_EQ(Msg(Sign(json{{"kid", "rsa"}}, Claims(), JwsAlg::kRs256, k.rsa.get())),
            "token header has no alg");
  EXPECT_EQ(Msg(Sign(json{{"alg", "RS256"}}, Claims(), JwsAlg::kRs256, k.rsa.get())),
            "token header has no kid");
  EXPECT_EQ(Msg(Sign(json{{"alg", "RS256"}, {"kid", ""}}, Claims(), JwsAlg::kRs256, k.rsa.get())),
            "token header has no kid");
  EXPECT_EQ(Msg(Sign(json{{"alg", "RS256"}, {"kid", 7}}, Claims(), JwsAlg::kRs256, k.rsa.get())),
            "token header has no kid");
  json crit = Header("RS256", "rsa");
  crit["crit"] = {"exp"};
  EXPECT_EQ(Msg(Sign(crit, Claims(), JwsAlg::kRs256, k.rsa.get())), "token header 'crit' is not supported");
}

TEST_F(JwtTest, MalformedTokens) {
  const Keys& k = SharedKeys();
  std::string good = Sign(Header("RS256", "rsa"), Claims(), JwsAlg::kRs256, k.rsa.get());
  EXPECT_EQ(Msg(""), "empty token");
  EXPECT_EQ(Msg("abc"), "malformed token: expected three segments");
  EXPECT_EQ(Msg("a.b"), "malformed token: expected three segments");
  EXPECT_EQ(Msg(good + ".x"), "malformed token: expected three segments");
  EXPECT_EQ(Msg("!!." + good.substr(good.find('.') + 1)), "malformed token: bad base64url in header");
  EXPECT_EQ(Msg(Base64UrlEncode("[1]") + ".e30.AAAA"), "malformed token: header is not a JSON object");
  EXPECT_EQ(Msg(Base64UrlEncode("{") + ".e30.AAAA"), "malformed token: header is not a JSON object");
  EXPECT_EQ(Msg(SignRaw(Header("RS256", "rsa").dump(), "\"str\"", JwsAlg::kRs256, k.rsa.get())),
            "malformed token: payload is not a JSON object");
  EXPECT_EQ(Msg(SignRaw(Header("RS256", "rsa").dump(), "{not json", JwsAlg::kRs256, k.rsa.get())),
            "malformed token: payload is not a JSON object");
  EXPECT_EQ(Msg(good.substr(0, good.rfind('.') + 1)), "malformed token: bad signature encoding");
  // Padding and non-canonical trailing bits are not base64url of the signature.
  EXPECT_EQ(Msg(good + "="), "malformed token: bad signature encoding");
  // A 64-byte ES256 signature is 86 characters; the last one carries 4 unused low bits. Setting one
  // keeps the decoded bytes but is a second spelling of the token, which is refused.
  std::string es = Sign(Header("ES256", "ec"), Claims(), JwsAlg::kEs256, k.ec.get());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  ASSERT_EQ(es.size() - es.rfind('.') - 1, 86u);
  es.back() = alphabet[alphabet.find(es.back()) ^ 1];
  EXPECT_EQ(Msg(es), "malformed token: bad signature encoding");
}

TEST_F(JwtTest, OversizedTokensAreRejectedBeforeDecoding) {
  json claims = Claims();
  claims["pad"] = std::string(kMaxTokenBytes, 'x');
  std::string big = Sign(Header("RS256", "rsa"), claims, JwsAlg::kRs256, SharedKeys().rsa.get());
  std::string m = Msg(big);
  EXPECT_NE(m.find("exceeds 16384"), std::string::npos) << m;
}

TEST(JwtPrintable, CutsAndMasks) {
  EXPECT_EQ(Printable("abc"), "abc");
  EXPECT_EQ(Printable("a\nb\x01\xc3\xa5"), "a?b???");
  EXPECT_EQ(Printable(std::string(100, 'k')), std::string(64, 'k') + "...");
}

}  // namespace
}  // namespace kilde::auth
