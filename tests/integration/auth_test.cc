// Bearer tokens over HTTP: who may write what (issue 4, "Identity"). Real signed dev tokens from
// `kilde token issue`, a real server with --dev, real HTTP on loopback.
#include <gtest/gtest.h>

#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

class AuthTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  // A token for organisation `orgnr` with `scopes` (space-separated).
  std::string Token(const std::string& orgnr, const std::string& scopes) {
    std::string error;
    std::string t = server().IssueToken({"--consumer", "0192:" + orgnr, "--scope", scopes}, &error);
    EXPECT_FALSE(t.empty()) << error;
    return t;
  }
  // An organisation (created by the admin) and its organisation number.
  std::string MakeOrg(const std::string& id) {
    Json doc = OrgDoc(id);
    MustCreate(client(), "/api/v1/organizations", doc);
    return doc["organization_number"].get<std::string>();
  }
  static Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
};

TEST_F(AuthTest, WritesWithoutTokenAre401WithChallengeAndChangeNothing) {
  HttpClient anon(server().port());
  anon.SetBearer("");
  auto r = anon.Post("/api/v1/organizations", OrgDoc("anon-org"));
  EXPECT_TRUE(IsError(r, 401, "unauthenticated")) << r.Describe();
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"kilde\"");
  EXPECT_EQ(client().Get("/api/v1/organizations/anon-org").status, 404);
  // Every write method is guarded, also on resources that exist.
  MakeOrg("auth-existing");
  EXPECT_TRUE(IsError(anon.Send("DELETE", "/api/v1/organizations/auth-existing"), 401, "unauthenticated"));
  EXPECT_TRUE(IsError(anon.Patch("/api/v1/organizations/auth-existing", {{"homepage", "https://x.example"}}),
                      401, "unauthenticated"));
  EXPECT_EQ(client().Get("/api/v1/organizations/auth-existing").status, 200);
}

TEST_F(AuthTest, CatalogReadsStayOpenButABadTokenIsRejectedEverywhere) {
  HttpClient anon(server().port());
  anon.SetBearer("");
  EXPECT_EQ(anon.Get("/api/v1/organizations").status, 200);
  EXPECT_EQ(anon.Get("/catalog").status, 200);
  // A token that is presented must be valid, even where none is needed.
  for (const std::string& bad :
       {std::string("not-a-jwt"), std::string("a.b.c"), server().admin_token() + "x"}) {
    auto r = anon.Get("/api/v1/organizations", Bearer(bad));
    EXPECT_TRUE(IsError(r, 401, "invalid_token")) << bad << " " << r.Describe();
    EXPECT_NE(r.Header("WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
  }
  auto basic = anon.Get("/api/v1/organizations", {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_TRUE(IsError(basic, 401, "invalid_token")) << basic.Describe();
}

TEST_F(AuthTest, TamperedTokensAreRejected) {
  const std::string t = Token(MakeOrg("auth-tamper"), "kilde:write");
  const size_t dot1 = t.find('.'), dot2 = t.rfind('.');
  // Flip one character of the payload and of the signature.
  std::string payload = t, signature = t;
  payload[dot1 + 5] = payload[dot1 + 5] == 'A' ? 'B' : 'A';
  signature[dot2 + 5] = signature[dot2 + 5] == 'A' ? 'B' : 'A';
  // alg "none": header {"alg":"none","typ":"JWT"} and no signature.
  const std::string none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0" + t.substr(dot1, dot2 - dot1) + ".";
  for (const auto& bad : {payload, signature, none}) {
    auto r = client().Post("/api/v1/organizations", OrgDoc("auth-tampered"), Bearer(bad));
    EXPECT_TRUE(IsError(r, 401, "invalid_token")) << r.Describe();
  }
  EXPECT_EQ(client().Get("/api/v1/organizations/auth-tampered").status, 404);
}

TEST_F(AuthTest, OnlyThePublishingOrganisationWritesItsResources) {
  const std::string own = MakeOrg("auth-owner");
  const std::string other = MakeOrg("auth-other");
  const std::string writer = Token(own, "kilde:write");
  // The owner creates, patches and deletes its own dataset.
  auto created = client().Post("/api/v1/datasets", DatasetDoc("auth-ds", "auth-owner"), Bearer(writer));
  ASSERT_EQ(created.status, 201) << created.Describe();
  // Another organisation, even with kilde:write and kilde:owner, may not touch it.
  const std::string stranger = Token(other, "kilde:write kilde:owner");
  auto patched =
      client().Patch("/api/v1/datasets/auth-ds", {{"keywords", {{"nb", {"x"}}}}}, Bearer(stranger));
  EXPECT_TRUE(IsError(patched, 403, "forbidden")) << patched.Describe();
  EXPECT_NE(patched.Json()["error"]["message"].get<std::string>().find("auth-owner"), std::string::npos);
  // Nor publish in the owner's name, nor take the dataset over.
  EXPECT_TRUE(
      IsError(client().Post("/api/v1/datasets", DatasetDoc("auth-ds2", "auth-owner"), Bearer(stranger)), 403,
              "forbidden"));
  EXPECT_TRUE(
      IsError(client().Patch("/api/v1/datasets/auth-ds", {{"publisher", "auth-other"}}, Bearer(writer)), 403,
              "forbidden"));
  // A read-only token of the owner is not enough: 403 naming the scope.
  auto read_only = client().Send("DELETE", "/api/v1/datasets/auth-ds", "", Bearer(Token(own, "kilde:read")));
  EXPECT_TRUE(IsError(read_only, 403, "forbidden")) << read_only.Describe();
  EXPECT_NE(read_only.Header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
  // Distributions and data products follow their dataset's publisher.
  auto dist =
      client().Post("/api/v1/datasets/auth-ds/distributions", DistributionDoc("auth-dist"), Bearer(stranger));
  EXPECT_TRUE(IsError(dist, 403, "forbidden")) << dist.Describe();
  Json product = {{"id", "auth-prod"},
                  {"dataset", "auth-ds"},
                  {"schema", {{"columns", {{{"name", "id"}, {"type", "integer"}, {"key", true}}}}}}};
  EXPECT_TRUE(IsError(client().Post("/api/v1/products", product, Bearer(stranger)), 403, "forbidden"));
  ASSERT_EQ(client().Post("/api/v1/products", product, Bearer(writer)).status, 201);
  // A streamed upload is refused before its body is read.
  auto up = client().Send("POST", "/api/v1/products/auth-prod/editions", "id\n1\n",
                          {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + stranger}});
  EXPECT_TRUE(IsError(up, 403, "forbidden")) << up.Describe();
  HttpClient anon(server().port());
  anon.SetBearer("");
  EXPECT_TRUE(IsError(
      anon.Send("POST", "/api/v1/products/auth-prod/editions", "id\n1\n", {{"Content-Type", "text/csv"}}),
      401, "unauthenticated"));
  EXPECT_EQ(client().Get("/api/v1/products/auth-prod/editions").Json()["items"].size(), 0u);
  auto ok = client().Send("POST", "/api/v1/products/auth-prod/editions", "id\n1\n",
                          {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + writer}});
  EXPECT_EQ(ok.status, 201) << ok.Describe();
  // Organisations are written by their parent organisation (top-level ones by an admin only).
  EXPECT_TRUE(
      IsError(client().Post("/api/v1/organizations", OrgDoc("auth-top"), Bearer(writer)), 403, "forbidden"));
  EXPECT_EQ(client().Post("/api/v1/organizations", OrgDoc("auth-child", "auth-owner"), Bearer(writer)).status,
            201);
  EXPECT_EQ(client().Send("DELETE", "/api/v1/datasets/auth-ds/distributions/none", "", Bearer(writer)).status,
            404);
}

TEST_F(AuthTest, CitizenTokensCannotWrite) {
  std::string error;
  const std::string citizen = server().IssueToken({"--pid", "08089409382"}, &error);
  ASSERT_FALSE(citizen.empty()) << error;
  auto r = client().Post("/api/v1/organizations", OrgDoc("auth-citizen"), Bearer(citizen));
  EXPECT_TRUE(IsError(r, 403, "forbidden")) << r.Describe();
}

TEST(AuthNoDev, DevTokensAreUntrustedWithoutDevAndItsKeysAreNotServed) {
  std::string error;
  auto s = KildeServer::Start(ServerConfig().NoDev(), &error);
  ASSERT_TRUE(s) << error;
  const std::string token = s->IssueToken({"--consumer", "0192:958935420", "--scope", "kilde:admin"}, &error);
  ASSERT_FALSE(token.empty()) << error;
  HttpClient c(s->port());
  EXPECT_EQ(c.bearer(), "");
  auto r = c.Post("/api/v1/organizations", OrgDoc("nodev-org"), {{"Authorization", "Bearer " + token}});
  EXPECT_TRUE(IsError(r, 401, "invalid_token")) << r.Describe();
  EXPECT_EQ(c.Get("/api/v1/dev/jwks.json").status, 404);
}

TEST(TokenCli, IssuesVerifiableTokensAndRejectsBadInput) {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  auto ok = RunKilde({"token", "issue", "--data-dir", data, "--consumer", "958935420", "--scope",
                      "kilde:read", "--ttl", "30m"});
  ASSERT_EQ(ok.exit_code, 0) << ok.Describe();
  EXPECT_EQ(std::count(ok.out.begin(), ok.out.end(), '.'), 2);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--consumer", "0192:958935421", "--scope", "kilde:read"},
        {"--consumer", "0192:958935420"},
        {"--consumer", "0192:958935420", "--scope", "kilde:read", "--ttl", "forever"},
        {"--pid", "12345678901"}}) {
    std::vector<std::string> args = {"token", "issue", "--data-dir", data};
    args.insert(args.end(), bad.begin(), bad.end());
    auto r = RunKilde(args);
    EXPECT_NE(r.exit_code, 0) << r.Describe();
    EXPECT_TRUE(r.out.empty()) << r.Describe();
    EXPECT_NE(r.err.find("kilde:"), std::string::npos) << r.Describe();
  }
}

}  // namespace
}  // namespace kilde::it
