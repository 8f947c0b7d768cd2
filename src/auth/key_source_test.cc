#include "auth/key_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "auth/auth_test_util.h"
#include "auth/test_https_server.h"

namespace kilde::auth {
namespace {

using namespace testing;  // NOLINT: the auth test helpers

const TestCert& Cert() {
  static const TestCert* c = new TestCert(MakeSelfSignedCert("kilde test", "DNS:localhost,IP:127.0.0.1"));
  return *c;
}

HttpGetOptions Options() {
  HttpGetOptions o;
  o.ca_file = Cert().pem_path;
  o.timeout = std::chrono::milliseconds(1500);
  return o;
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "kilde_key_source_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

IssuerSpec Spec(const std::string& text) {
  Result<IssuerSpec> s = ParseIssuerSpec(text);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : IssuerSpec{};
}

// An issuer served by a loopback TLS server: metadata at the RFC 8414 location, JWKS at /jwk.
struct ServedIssuer {
  TestServer server{TestServer::Mode::kTls, &Cert()};
  std::string issuer = server.Url("/");  // "https://127.0.0.1:<port>/"

  void ServeMetadata(const json& metadata,
                     const std::string& path = "/.well-known/oauth-authorization-server") {
    server.Set(path, {200, metadata.dump(), ""});
  }
  void ServeJwks(const std::string& jwks) { server.Set("/jwk", {200, jwks, ""}); }
  json Metadata() const { return json{{"issuer", issuer}, {"jwks_uri", server.Url("/jwk")}}; }
};

TEST(KeySourceTest, FileSource) {
  const Keys& k = SharedKeys();
  std::string path =
      WriteFile("file.json", JwksOf({PublicJwk(k.rsa.get(), "r1"), PublicJwk(k.ec.get(), "e1")}));
  Result<TrustedIssuer> t =
      LoadTrustedIssuer(Spec("https://test.maskinporten.no/=file:" + path + ";aud=kilde"), {});
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->issuer, "https://test.maskinporten.no/");
  ASSERT_TRUE(t->keys);
  EXPECT_EQ(t->keys->kids(), (std::vector<std::string>{"e1", "r1"}));
  EXPECT_EQ(t->audience, "kilde");
}

TEST(KeySourceTest, FileSourceFailures) {
  Result<TrustedIssuer> missing =
      LoadTrustedIssuer(Spec("https://mp.example/=file:/nonexistent/jwks.json"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(missing.status().message(), "/nonexistent/jwks.json")) << missing.status().message();

  // Only an encryption key: nothing to verify with.
  std::string enc = WriteFile("enc.json", JwksOf({PublicJwk(SharedKeys().rsa.get(), "x", {{"use", "enc"}})}));
  Result<TrustedIssuer> unusable = LoadTrustedIssuer(Spec("https://mp.example/=file:" + enc), {});
  ASSERT_FALSE(unusable.ok());
  EXPECT_EQ(unusable.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(unusable.status().message(), "https://mp.example/")) << unusable.status().message();

  std::string big =
      WriteFile("big.json", std::string(5000, ' ') + JwksOf({PublicJwk(SharedKeys().ec.get(), "e")}));
  HttpGetOptions small;
  small.max_body_bytes = 4096;
  Result<std::string> doc = LoadJwksDocument(Spec("https://mp.example/=file:" + big), small);
  ASSERT_FALSE(doc.ok());
  EXPECT_TRUE(Contains(doc.status().message(), "exceeds 4096 bytes")) << doc.status().message();
}

TEST(KeySourceTest, UrlSource) {
  ServedIssuer s;
  s.ServeJwks(JwksOf({PublicJwk(SharedKeys().ec.get(), "e1")}));
  Result<TrustedIssuer> t =
      LoadTrustedIssuer(Spec("https://maskinporten.no/=" + s.server.Url("/jwk")), Options());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->issuer, "https://maskinporten.no/");
  EXPECT_EQ(t->keys->kids(), std::vector<std::string>{"e1"});
}

TEST(KeySourceTest, MetadataDiscovery) {
  ServedIssuer s;
  s.ServeMetadata(s.Metadata());
  s.ServeJwks(JwksOf({PublicJwk(SharedKeys().rsa.get(), "r1")}));
  IssuerSpec spec = Spec(s.issuer);
  ASSERT_EQ(spec.source, IssuerSpec::Source::kMetadata);
  Result<TrustedIssuer> t = LoadTrustedIssuer(spec, Options());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->issuer, s.issuer);
  EXPECT_EQ(t->keys->kids(), std::vector<std::string>{"r1"});
  EXPECT_EQ(s.server.hits("/.well-known/openid-configuration"), 0);
}

TEST(KeySourceTest, MetadataFallsBackToOpenIdConfiguration) {
  ServedIssuer s;  // no RFC 8414 document: 404
  s.ServeMetadata(s.Metadata(), "/.well-known/openid-configuration");
  s.ServeJwks(JwksOf({PublicJwk(SharedKeys().ec.get(), "e1")}));
  Result<TrustedIssuer> t = LoadTrustedIssuer(Spec(s.issuer), Options());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->keys->kids(), std::vector<std::string>{"e1"});
  EXPECT_EQ(s.server.hits("/.well-known/oauth-authorization-server"), 1);

  ServedIssuer none;
  Result<TrustedIssuer> missing = LoadTrustedIssuer(Spec(none.issuer), Options());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(missing.status().message(), "oauth-authorization-server' answered HTTP 404"))
      << missing.status().message();
  EXPECT_TRUE(Contains(missing.status().message(), "openid-configuration' answered HTTP 404"))
      << missing.status().message();
}

TEST(KeySourceTest, MetadataOfAnotherIssuerIsRefused) {
  ServedIssuer s;
  s.ServeJwks(JwksOf({PublicJwk(SharedKeys().ec.get(), "e1")}));
  // The configured issuer without its trailing slash is a different issuer (iss is compared exactly).
  std::string no_slash = s.issuer.substr(0, s.issuer.size() - 1);
  for (const std::string& named : {std::string("https://evil.example/"), no_slash}) {
    json m = s.Metadata();
    m["issuer"] = named;
    s.ServeMetadata(m);
    Result<TrustedIssuer> t = LoadTrustedIssuer(Spec(s.issuer), Options());
    ASSERT_FALSE(t.ok()) << named;
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(Contains(t.status().message(), "names issuer '" + named + "'")) << t.status().message();
  }
  EXPECT_EQ(s.server.hits("/jwk"), 0);  // keys of a mismatched issuer are never fetched
}

TEST(KeySourceTest, UnusableMetadataIsRefused) {
  ServedIssuer s;
  const std::pair<json, std::string> cases[] = {
      {json{{"issuer", s.issuer}}, "no \"jwks_uri\""},
      {json{{"issuer", s.issuer}, {"jwks_uri", "http://keys.example/jwk"}}, "unusable jwks_uri"},
      {json::array(), "not a JSON object"},
      {json{{"jwks_uri", s.server.Url("/jwk")}}, "no \"issuer\""},
  };
  for (const auto& [metadata, expected] : cases) {
    s.ServeMetadata(metadata);
    Result<std::string> doc = LoadJwksDocument(Spec(s.issuer), Options());
    ASSERT_FALSE(doc.ok()) << metadata.dump();
    EXPECT_TRUE(Contains(doc.status().message(), expected)) << doc.status().message();
  }
}

// Offline key rotation: the refetch hook re-reads the file, and the verifier picks up the new kid.
TEST(KeySourceTest, RefetchRereadsTheFileSoKeysRotateOffline) {
  const Keys& k = SharedKeys();
  std::string path = WriteFile("rotate.json", JwksOf({PublicJwk(k.rsa.get(), "old")}));
  IssuerSpec spec = Spec(std::string(kIssuer) + "=file:" + path);
  Result<TrustedIssuer> initial = LoadTrustedIssuer(spec, {});
  ASSERT_TRUE(initial.ok()) << initial.status().message();

  VerifierOptions vo;
  vo.refetch = MakeRefetch({spec}, {});
  Verifier verifier(vo);
  verifier.SetIssuer(*initial);
  std::string token = Sign(Header("RS256", "new"), Claims(), JwsAlg::kRs256, k.rsa2.get());
  EXPECT_FALSE(verifier.Verify(token, kNow).ok());  // unknown kid, the file has not changed yet

  WriteFile("rotate.json", JwksOf({PublicJwk(k.rsa.get(), "old"), PublicJwk(k.rsa2.get(), "new")}));
  Verifier fresh(vo);  // a fresh rate-limit window
  fresh.SetIssuer(*initial);
  Result<Principal> p = fresh.Verify(token, kNow);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->consumer_orgnr, kOrgnr);

  Result<std::string> unknown = vo.refetch("https://other.example/");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
}

TEST(KeySourceTest, RefetchFetchesMetadataAgain) {
  ServedIssuer s;
  s.ServeMetadata(s.Metadata());
  s.ServeJwks(JwksOf({PublicJwk(SharedKeys().ec.get(), "e2")}));
  RefetchFn refetch = MakeRefetch({Spec(s.issuer)}, Options());
  Result<std::string> doc = refetch(s.issuer);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_TRUE(Contains(*doc, "\"e2\""));
  EXPECT_EQ(s.server.hits("/.well-known/oauth-authorization-server"), 1);
  EXPECT_EQ(s.server.hits("/jwk"), 1);
}

}  // namespace
}  // namespace kilde::auth
