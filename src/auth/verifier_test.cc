#include "auth/verifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "auth/auth_test_util.h"
#include "auth/jwt.h"

namespace kilde::auth {
namespace {

using namespace testing;

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : verifier_(Options()) {
    const Keys& k = SharedKeys();
    verifier_.SetIssuer({kIssuer, KeySetOf({PublicJwk(k.rsa.get(), "r1"), PublicJwk(k.ec.get(), "e1")}), {}});
  }
  VerifierOptions Options() {
    VerifierOptions o;
    o.refetch = [this](const std::string& issuer) -> Result<std::string> {
      std::lock_guard lock(mu_);
      ++refetches_;
      last_refetch_issuer_ = issuer;
      if (next_jwks_.empty()) return Status::Unavailable("issuer unreachable");
      return next_jwks_;
    };
    return o;
  }
  std::string Rs(const json& claims, const std::string& kid = "r1", JwsAlg alg = JwsAlg::kRs256) {
    return Sign(Header(JwsAlgName(alg), kid), claims, alg, SharedKeys().rsa.get());
  }
  std::string Es(const json& claims, const std::string& kid = "e1") {
    return Sign(Header("ES256", kid), claims, JwsAlg::kEs256, SharedKeys().ec.get());
  }
  // The kUnauthenticated reason of verifying `token` at `now`.
  std::string Reject(const std::string& token, int64_t now = kNow) {
    Result<Principal> p = verifier_.Verify(token, now);
    EXPECT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), Code::kUnauthenticated);
    return p.status().message();
  }
  Principal Accept(const std::string& token, int64_t now = kNow) {
    Result<Principal> p = verifier_.Verify(token, now);
    EXPECT_TRUE(p.ok()) << p.status().message();
    return p.ok() ? *p : Principal{};
  }

  std::mutex mu_;
  int refetches_ = 0;
  std::string last_refetch_issuer_;
  std::string next_jwks_;
  Verifier verifier_;
};

TEST_F(VerifierTest, ValidTokensOfEveryAlgGiveTheMaskinportenPrincipal) {
  for (JwsAlg alg : {JwsAlg::kRs256, JwsAlg::kRs384, JwsAlg::kRs512}) Accept(Rs(Claims(), "r1", alg));
  json c = Claims("kilde:read kilde:write");
  c["supplier"] = {{"authority", "iso6523-actorid-upis"}, {"ID", std::string("0192:") + kSupplier}};
  Principal p = Accept(Es(c));
  EXPECT_EQ(p.issuer, kIssuer);
  EXPECT_EQ(p.consumer_orgnr, kOrgnr);
  EXPECT_EQ(p.client_id, "0b0ee0b8-6a3e-4bd4-9a6b-7fa4b7c5b3b1");
  EXPECT_EQ(p.supplier_orgnr, kSupplier);
  EXPECT_EQ(p.scopes, (std::vector<std::string>{"kilde:read", "kilde:write"}));
  EXPECT_FALSE(p.is_citizen());
  EXPECT_EQ(p.jti, "jti-1");
  EXPECT_EQ(p.expires_at, kNow + 110);
  EXPECT_EQ(refetches_, 0);
}

TEST_F(VerifierTest, AttacksFromTheJwtLayerSurfaceAsUnauthenticated) {
  std::string good = Rs(Claims());
  size_t d1 = good.find('.'), d2 = good.rfind('.');
  EXPECT_EQ(Reject(good.substr(0, d1 + 1) + Base64UrlEncode(Claims("kilde:admin").dump()) + good.substr(d2)),
            "signature does not verify");
  EXPECT_EQ(Reject(HmacToken(Header("HS256", "r1"), Claims(), PublicPem(SharedKeys().rsa.get()))),
            "HMAC alg 'HS256' is not accepted");
  EXPECT_EQ(
      Reject(Base64UrlEncode(R"({"alg":"none","kid":"r1"})") + "." + Base64UrlEncode(Claims().dump()) + "."),
      "alg 'none' is not accepted");
  EXPECT_EQ(Reject(Sign(json{{"alg", "RS256"}}, Claims(), JwsAlg::kRs256, SharedKeys().rsa.get())),
            "token header has no kid");
  EXPECT_EQ(Reject(Sign(Header("RS256", "e1"), Claims(), JwsAlg::kRs256, SharedKeys().rsa.get())),
            "key 'e1' cannot verify alg RS256");
  // The message never contains the token.
  std::string m = Reject(good.substr(0, d2) + ".AAAA");
  EXPECT_EQ(m.find(good.substr(0, d1)), std::string::npos);
}

TEST_F(VerifierTest, TimeClaimsWithLeeway) {
  json c = Claims();
  c["exp"] = kNow - 61;  // default leeway 60 s
  EXPECT_EQ(Reject(Rs(c)), "token expired at 2026-09-21T14:12:19Z");
  c["exp"] = kNow - 60;  // exp must be > now - leeway
  EXPECT_EQ(Reject(Rs(c)), "token expired at 2026-09-21T14:12:20Z");
  c["exp"] = kNow - 59;
  Accept(Rs(c));
  c["exp"] = static_cast<double>(kNow) + 0.5;  // NumericDate may be fractional
  EXPECT_EQ(Accept(Rs(c)).expires_at, kNow);
  c.erase("exp");
  EXPECT_EQ(Reject(Rs(c)), "token has no exp");
  c["exp"] = "tomorrow";
  EXPECT_EQ(Reject(Rs(c)), "claim 'exp' is not a valid time");

  c = Claims();
  c["nbf"] = kNow + 60;  // ≤ now + leeway is fine
  Accept(Rs(c));
  c["nbf"] = kNow + 61;
  EXPECT_EQ(Reject(Rs(c)), "token is not valid before 2026-09-21T14:14:21Z");
  c = Claims();
  c["iat"] = kNow + 60;
  Accept(Rs(c));
  c["iat"] = kNow + 3600;
  EXPECT_EQ(Reject(Rs(c)), "token issued in the future at 2026-09-21T15:13:20Z");
  c["iat"] = 18446744073709551615u;  // huge unsigned: clamped, still in the future
  EXPECT_NE(Reject(Rs(c)).find("issued in the future"), std::string::npos);
}

TEST(VerifierLeeway, IsConfigurable) {
  VerifierOptions o;
  o.leeway_seconds = 0;
  Verifier v(o);
  v.SetIssuer({kIssuer, KeySetOf({PublicJwk(SharedKeys().ec.get(), "e1")}), {}});
  json c = Claims();
  c["exp"] = kNow + 1;
  EXPECT_TRUE(v.Verify(Sign(Header("ES256", "e1"), c, JwsAlg::kEs256, SharedKeys().ec.get()), kNow).ok());
  c["exp"] = kNow;
  EXPECT_FALSE(v.Verify(Sign(Header("ES256", "e1"), c, JwsAlg::kEs256, SharedKeys().ec.get()), kNow).ok());
}

TEST_F(VerifierTest, IssuerMustMatchExactly) {
  json c = Claims();
  c["iss"] = "https://evil.example/";
  EXPECT_EQ(Reject(Rs(c)), "untrusted issuer 'https://evil.example/'");
  c["iss"] = "https://test.maskinporten.no";  // no trailing slash
  EXPECT_EQ(Reject(Rs(c)), "untrusted issuer 'https://test.maskinporten.no'");
  c.erase("iss");
  EXPECT_EQ(Reject(Rs(c)), "token has no iss");
  EXPECT_EQ(refetches_, 0);  // an untrusted issuer never causes a fetch
}

TEST_F(VerifierTest, AudienceWhenConfigured) {
  const Keys& k = SharedKeys();
  verifier_.SetIssuer({kIssuer, KeySetOf({PublicJwk(k.rsa.get(), "r1")}), "https://kilde.oslo.kommune.no"});
  json c = Claims();
  EXPECT_EQ(Reject(Rs(c)), "token has no aud, expected 'https://kilde.oslo.kommune.no'");
  c["aud"] = "https://other.example";
  EXPECT_EQ(Reject(Rs(c)), "token audience does not include 'https://kilde.oslo.kommune.no'");
  c["aud"] = json::array({"https://other.example", 5});
  EXPECT_EQ(Reject(Rs(c)), "token audience does not include 'https://kilde.oslo.kommune.no'");
  c["aud"] = 5;
  EXPECT_EQ(Reject(Rs(c)), "claim 'aud' is not a string or array");
  c["aud"] = "https://kilde.oslo.kommune.no";
  Accept(Rs(c));
  c["aud"] = json::array({"https://other.example", "https://kilde.oslo.kommune.no"});
  Accept(Rs(c));
}

TEST_F(VerifierTest, ConsumerAndSupplierMustBeValidOrgnr) {
  json c = Claims();
  c["consumer"]["ID"] = "0192:123456784";  // bad check digit
  EXPECT_NE(Reject(Rs(c)).find("claim 'consumer' ID '0192:123456784' is not a valid organisation number"),
            std::string::npos);
  c["consumer"]["ID"] = "123456785";
  EXPECT_EQ(Reject(Rs(c)), "claim 'consumer' ID is not '0192:<orgnr>'");
  c["consumer"]["ID"] = "0192:12345678";
  EXPECT_NE(Reject(Rs(c)).find("is not a valid organisation number"), std::string::npos);
  c["consumer"] = "0192:123456785";
  EXPECT_EQ(Reject(Rs(c)), "claim 'consumer' is not an object");
  c["consumer"] = {{"authority", "something-else"}, {"ID", "0192:123456785"}};
  EXPECT_EQ(Reject(Rs(c)), "claim 'consumer' has an unknown authority");
  c.erase("consumer");
  EXPECT_EQ(Reject(Rs(c)), "token has no consumer");
  c = Claims();
  c["supplier"] = {{"ID", "0192:958935421"}};
  EXPECT_NE(Reject(Rs(c)).find("claim 'supplier' ID"), std::string::npos);
  c = Claims();
  c.erase("client_id");
  EXPECT_EQ(Reject(Rs(c)), "token has no client_id");
}

TEST_F(VerifierTest, PidMakesACitizenPrincipal) {
  json c = Claims();
  c.erase("consumer");
  c["pid"] = kPid;
  Principal p = Accept(Es(c));
  EXPECT_TRUE(p.is_citizen());
  EXPECT_EQ(p.pid, kPid);
  EXPECT_EQ(p.consumer_orgnr, "");
  c["pid"] = "15038512364";
  EXPECT_EQ(Reject(Es(c)), "claim 'pid' is not a valid fødselsnummer");
}

TEST_F(VerifierTest, ScopesAndAdminImpliesAll) {
  Principal p = Accept(Rs(Claims(" kilde:read  kilde:write ")));
  EXPECT_EQ(p.scopes, (std::vector<std::string>{"kilde:read", "kilde:write"}));
  EXPECT_TRUE(HasScope(p, kScopeRead));
  EXPECT_TRUE(HasScope(p, kScopeWrite));
  EXPECT_FALSE(HasScope(p, kScopeOwner));
  EXPECT_FALSE(HasScope(p, kScopeAdmin));
  EXPECT_FALSE(HasScope(p, "kilde:rea"));
  Principal admin = Accept(Rs(Claims("kilde:admin")));
  for (std::string_view s : {kScopeRead, kScopeWrite, kScopeOwner, kScopeAdmin})
    EXPECT_TRUE(HasScope(admin, s));
  json c = Claims();
  c.erase("scope");
  EXPECT_TRUE(Accept(Rs(c)).scopes.empty());  // valid token, no rights: the route answers 403
  c["scope"] = json::array({"kilde:read"});
  EXPECT_EQ(Reject(Rs(c)), "claim 'scope' is not a string");
}

TEST_F(VerifierTest, UnknownKidRefetchesOnceThenRateLimits) {
  EvpPkeyPtr fresh = NewEcKey();
  json c = Claims();
  std::string token = Sign(Header("ES256", "new"), c, JwsAlg::kEs256, fresh.get());
  // The issuer is unreachable: one refetch, then the rate limit holds for 60 s.
  EXPECT_EQ(Reject(token), "unknown key id 'new'");
  EXPECT_EQ(refetches_, 1);
  EXPECT_EQ(last_refetch_issuer_, kIssuer);
  EXPECT_EQ(Reject(token, kNow + 30), "unknown key id 'new'");
  EXPECT_EQ(Reject(token, kNow + 59), "unknown key id 'new'");
  EXPECT_EQ(refetches_, 1);
  // The issuer now publishes a JWKS without the kid: one more fetch after the interval.
  next_jwks_ = JwksOf({PublicJwk(SharedKeys().rsa.get(), "r1")});
  c["exp"] = kNow + 1000;
  token = Sign(Header("ES256", "new"), c, JwsAlg::kEs256, fresh.get());
  EXPECT_EQ(Reject(token, kNow + 60), "unknown key id 'new'");
  EXPECT_EQ(refetches_, 2);
  // A broken JWKS never replaces working keys.
  next_jwks_ = "{\"keys\": []}";
  EXPECT_EQ(Reject(token, kNow + 120), "unknown key id 'new'");
  EXPECT_EQ(refetches_, 3);
  Accept(Rs(c), kNow + 120);
}

TEST_F(VerifierTest, RotationAcceptsNewKeyAndDropsRemovedKey) {
  EvpPkeyPtr rotated = NewEcKey();
  json c = Claims();
  std::string old_token = Rs(c, "r1");
  std::string new_token = Sign(Header("ES256", "2026-09"), c, JwsAlg::kEs256, rotated.get());
  Accept(old_token);
  next_jwks_ = JwksOf({PublicJwk(rotated.get(), "2026-09")});  // r1 and e1 retired
  Principal p = Accept(new_token);                             // unknown kid → refetch → retry once
  EXPECT_EQ(p.consumer_orgnr, kOrgnr);
  EXPECT_EQ(refetches_, 1);
  EXPECT_EQ(Reject(old_token), "unknown key id 'r1'");  // rate limited: no second fetch
  EXPECT_EQ(refetches_, 1);
  // A token claiming the new kid but signed with an old key still fails.
  EXPECT_EQ(Reject(Sign(Header("ES256", "2026-09"), c, JwsAlg::kEs256, SharedKeys().ec.get())),
            "signature does not verify");
}

TEST_F(VerifierTest, IssuerWithoutKeysFetchesOnFirstUse) {
  next_jwks_ = JwksOf({PublicJwk(SharedKeys().ec.get(), "e1")});
  verifier_.SetIssuer({kIssuer, nullptr, {}});
  Accept(Es(Claims()));
  EXPECT_EQ(refetches_, 1);
  EXPECT_EQ(verifier_.ReplaceKeys("https://unknown/", nullptr).code(), Code::kNotFound);
  EXPECT_EQ(verifier_.issuers(), std::vector<std::string>{kIssuer});
}

TEST(VerifierNoHook, UnknownKidWithoutRefetchHook) {
  Verifier v;
  v.SetIssuer({kIssuer, KeySetOf({PublicJwk(SharedKeys().ec.get(), "e1")}), {}});
  Result<Principal> p =
      v.Verify(Sign(Header("ES256", "zz"), Claims(), JwsAlg::kEs256, SharedKeys().ec.get()), kNow);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "unknown key id 'zz'");
}

TEST_F(VerifierTest, ConcurrentVerifyWhileKeysAreSwapped) {
  const Keys& k = SharedKeys();
  auto both = KeySetOf({PublicJwk(k.rsa.get(), "r1"), PublicJwk(k.ec.get(), "e1")});
  auto ec_only = KeySetOf({PublicJwk(k.ec.get(), "e1")});
  const std::string es = Es(Claims());
  const std::string rs = Rs(Claims());
  std::atomic<int> es_failures{0}, rs_ok{0}, rs_unknown{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        if (!verifier_.Verify(es, kNow).ok()) ++es_failures;
        Result<Principal> r = verifier_.Verify(rs, kNow);
        if (r.ok())
          ++rs_ok;
        else if (r.status().message() == "unknown key id 'r1'")
          ++rs_unknown;
        else
          ++other;
      }
    });
  }
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(verifier_.ReplaceKeys(kIssuer, i % 2 ? both : ec_only).ok());
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(es_failures, 0);  // e1 is in every key set
  EXPECT_EQ(other, 0);
  EXPECT_EQ(rs_ok + rs_unknown, 1200);
  EXPECT_LE(refetches_, 1);  // the rate limit holds across threads (same `now`)
}

}  // namespace
}  // namespace kilde::auth
