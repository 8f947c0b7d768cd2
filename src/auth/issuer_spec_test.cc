#include "auth/issuer_spec.h"

#include <gtest/gtest.h>

namespace kilde::auth {
namespace {

using Source = IssuerSpec::Source;

IssuerSpec Parsed(std::string_view text) {
  Result<IssuerSpec> spec = ParseIssuerSpec(text);
  EXPECT_TRUE(spec.ok()) << text << ": " << spec.status().message();
  return spec.ok() ? *spec : IssuerSpec{};
}

TEST(IssuerSpecTest, BareIssuerUsesMetadataDiscovery) {
  IssuerSpec s = Parsed("https://test.maskinporten.no/");
  EXPECT_EQ(s.issuer, "https://test.maskinporten.no/");  // the trailing slash is kept: iss is exact
  EXPECT_EQ(s.source, Source::kMetadata);
  EXPECT_EQ(s.location, "https://test.maskinporten.no/.well-known/oauth-authorization-server");
  EXPECT_FALSE(s.audience);

  IssuerSpec no_slash = Parsed("https://idporten.no");
  EXPECT_EQ(no_slash.issuer, "https://idporten.no");
  EXPECT_EQ(no_slash.location, "https://idporten.no/.well-known/oauth-authorization-server");

  IssuerSpec with_path = Parsed("https://login.example.no/realms/kilde/");
  EXPECT_EQ(with_path.location,
            "https://login.example.no/realms/kilde/.well-known/oauth-authorization-server");
  EXPECT_EQ(OpenIdConfigurationUrl(with_path.issuer),
            "https://login.example.no/realms/kilde/.well-known/openid-configuration");
}

TEST(IssuerSpecTest, FileSourceWithTrailingSlashIssuer) {
  IssuerSpec s = Parsed("https://test.maskinporten.no/=file:/etc/kilde/mp-test-jwks.json");
  EXPECT_EQ(s.issuer, "https://test.maskinporten.no/");
  EXPECT_EQ(s.source, Source::kFile);
  EXPECT_EQ(s.location, "/etc/kilde/mp-test-jwks.json");

  IssuerSpec relative = Parsed("https://maskinporten.no=file:keys/mp.json");
  EXPECT_EQ(relative.issuer, "https://maskinporten.no");
  EXPECT_EQ(relative.location, "keys/mp.json");
}

TEST(IssuerSpecTest, UrlSource) {
  IssuerSpec s = Parsed("https://maskinporten.no/=https://maskinporten.no/jwk");
  EXPECT_EQ(s.issuer, "https://maskinporten.no/");
  EXPECT_EQ(s.source, Source::kUrl);
  EXPECT_EQ(s.location, "https://maskinporten.no/jwk");

  // A JWKS URL may itself contain "=https://" in its query: the split is at the first marker.
  IssuerSpec q = Parsed("https://issuer.example/=https://keys.example/jwks?from=https://issuer.example/");
  EXPECT_EQ(q.issuer, "https://issuer.example/");
  EXPECT_EQ(q.location, "https://keys.example/jwks?from=https://issuer.example/");

  IssuerSpec loopback = Parsed("http://127.0.0.1:8080/=http://localhost:8080/jwks");
  EXPECT_EQ(loopback.issuer, "http://127.0.0.1:8080/");
  EXPECT_EQ(loopback.source, Source::kUrl);
  EXPECT_EQ(loopback.location, "http://localhost:8080/jwks");
}

TEST(IssuerSpecTest, AudienceSuffixAndWhitespace) {
  IssuerSpec s = Parsed("  https://maskinporten.no/=file:/k.json;aud=https://kilde.oslo.kommune.no/api \n");
  EXPECT_EQ(s.issuer, "https://maskinporten.no/");
  EXPECT_EQ(s.location, "/k.json");
  ASSERT_TRUE(s.audience);
  EXPECT_EQ(*s.audience, "https://kilde.oslo.kommune.no/api");

  IssuerSpec m = Parsed("https://maskinporten.no/;aud=kilde");
  EXPECT_EQ(m.source, Source::kMetadata);
  EXPECT_EQ(m.issuer, "https://maskinporten.no/");
  EXPECT_EQ(m.audience, "kilde");
}

TEST(IssuerSpecTest, FormatRoundTrips) {
  for (const char* text : {"https://test.maskinporten.no/", "https://test.maskinporten.no/=file:/etc/k.json",
                           "https://maskinporten.no/=https://maskinporten.no/jwk;aud=kilde"}) {
    IssuerSpec s = Parsed(text);
    EXPECT_EQ(FormatIssuerSpec(s), text);
    EXPECT_EQ(Parsed(FormatIssuerSpec(s)), s);
  }
}

TEST(IssuerSpecTest, BadSpecsAreRefusedNamingTheBadPart) {
  struct Case {
    const char* text;
    const char* quoted;  // must appear in the message
  };
  const Case cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {"maskinporten.no", "'maskinporten.no'"},
      {"ftp://maskinporten.no/", "'ftp://maskinporten.no/'"},
      {"http://maskinporten.no/", "not loopback"},            // plain http only for tests
      {"https://", "has no host"},                            //
      {"https://maskinporten.no/?x=1", "query or fragment"},  //
      {"https://maskinporten.no/#top", "query or fragment"},
      {"https://user@maskinporten.no/", "user info"},
      {"https://maskinporten.no:99999/", "invalid port '99999'"},
      {"https://mask inporten.no/", "space"},
      {"=file:/etc/k.json", "empty issuer"},
      {"https://maskinporten.no/=file:", "empty file path"},
      {"https://maskinporten.no/=https://", "has no host"},
      {"https://maskinporten.no/=http://keys.example/jwks", "'http://keys.example/jwks'"},
      {"https://maskinporten.no/;aud=", "empty ;aud="},
      {"https://maskinporten.no/;aud=a b", "'a b'"},
      {"maskinporten.no=file:/k.json", "'maskinporten.no'"},
  };
  for (const Case& c : cases) {
    Result<IssuerSpec> spec = ParseIssuerSpec(c.text);
    ASSERT_FALSE(spec.ok()) << "accepted: '" << c.text << "'";
    EXPECT_EQ(spec.status().code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(spec.status().message().find(c.quoted), std::string::npos)
        << "'" << c.text << "' → " << spec.status().message();
  }
}

}  // namespace
}  // namespace kilde::auth
