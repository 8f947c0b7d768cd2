#include "auth/dev_issuer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "auth/auth_test_util.h"
#include "auth/jwt.h"

namespace kilde::auth {
namespace {

using namespace testing;
namespace fs = std::filesystem;

constexpr const char* kDevIss = "http://127.0.0.1:8080/dev";

class DevIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fs::temp_directory_path() / ("kilde-auth-test-" + RandomHex(6)); }
  void TearDown() override { fs::remove_all(dir_); }
  DevIssuer OpenOk() {
    Result<DevIssuer> d = DevIssuer::Open(dir_, kDevIss);
    EXPECT_TRUE(d.ok()) << d.status().message();
    return std::move(d).value();
  }
  fs::path dir_;
};

TEST_F(DevIssuerTest, KeyFileIsCreated0600AndReused) {
  DevIssuer a = OpenOk();
  fs::path key = dir_ / kDevIssuerKeyFile;
  EXPECT_EQ(a.key_path(), key);
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(key);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  DevIssuer b = OpenOk();
  EXPECT_EQ(a.kid(), b.kid());  // same key, same thumbprint
  EXPECT_EQ(a.JwksJson(), b.JwksJson());
  EXPECT_EQ(a.kid().size(), 43u);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary file left behind
}

TEST_F(DevIssuerTest, LooseKeyFileModeOrGarbageIsRefused) {
  DevIssuer a = OpenOk();
  fs::permissions(a.key_path(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  Result<DevIssuer> loose = DevIssuer::Open(dir_, kDevIss);
  ASSERT_FALSE(loose.ok());
  EXPECT_EQ(loose.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(loose.status().message().find("0604"), std::string::npos) << loose.status().message();
  fs::permissions(a.key_path(), fs::perms::owner_read | fs::perms::owner_write);
  { std::ofstream(a.key_path()) << "not a key"; }
  EXPECT_FALSE(DevIssuer::Open(dir_, kDevIss).ok());
}

TEST_F(DevIssuerTest, TokenVerifiesThroughVerifierWithItsJwks) {
  DevIssuer dev = OpenOk();
  Result<KeySet> keys = ParseJwks(dev.JwksJson());
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  ASSERT_NE(keys->Find(dev.kid()), nullptr);
  EXPECT_EQ(keys->Find(dev.kid())->alg, "ES256");
  Verifier v;
  v.SetIssuer({kDevIss, std::make_shared<const KeySet>(std::move(keys).value()), "kilde"});

  DevTokenRequest r;
  r.consumer = std::string("0192:") + kOrgnr;
  r.scopes = {"kilde:read", "kilde:write"};
  r.supplier = kSupplier;
  r.audience = "kilde";
  r.ttl_seconds = 600;
  Result<std::string> token = dev.IssueToken(r, kNow);
  ASSERT_TRUE(token.ok()) << token.status().message();
  Result<DecodedJwt> d = DecodeJwt(*token);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kid, dev.kid());
  EXPECT_EQ(d->payload["consumer"]["authority"], "iso6523-actorid-upis");
  EXPECT_EQ(d->payload["token_type"], "Bearer");

  Result<Principal> p = v.Verify(*token, kNow + 1);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->issuer, kDevIss);
  EXPECT_EQ(p->consumer_orgnr, kOrgnr);
  EXPECT_EQ(p->supplier_orgnr, kSupplier);
  EXPECT_EQ(p->client_id, "kilde-dev");
  EXPECT_EQ(p->scopes, (std::vector<std::string>{"kilde:read", "kilde:write"}));
  EXPECT_EQ(p->expires_at, kNow + 600);
  EXPECT_EQ(p->jti.size(), 32u);
  EXPECT_NE(v.Verify(*token, kNow + 600 + 61).status().message().find("expired"), std::string::npos);

  // Trusted() gives the same result without going through JSON by hand.
  Verifier v2;
  v2.SetIssuer(dev.Trusted());
  r.audience.reset();
  r.pid = kPid;
  r.consumer.clear();
  Result<std::string> citizen = dev.IssueToken(r, kNow);
  ASSERT_TRUE(citizen.ok()) << citizen.status().message();
  Result<Principal> c = v2.Verify(*citizen, kNow);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->is_citizen());
  EXPECT_EQ(c->pid, kPid);
}

TEST_F(DevIssuerTest, BadRequestsAreRejected) {
  DevIssuer dev = OpenOk();
  DevTokenRequest r;
  r.consumer = "0192:123456784";
  r.scopes = {"kilde:read"};
  EXPECT_EQ(dev.IssueToken(r, kNow).status().code(), Code::kInvalidArgument);
  r.consumer = kOrgnr;  // bare orgnr is accepted
  EXPECT_TRUE(dev.IssueToken(r, kNow).ok());
  r.scopes = {"kilde:read kilde:admin"};
  EXPECT_FALSE(dev.IssueToken(r, kNow).ok());
  r.scopes = {"kilde:read"};
  r.ttl_seconds = 0;
  EXPECT_FALSE(dev.IssueToken(r, kNow).ok());
  r.ttl_seconds = 60;
  r.pid = "15038512364";
  EXPECT_FALSE(dev.IssueToken(r, kNow).ok());
  r.pid.reset();
  r.consumer.clear();
  EXPECT_FALSE(dev.IssueToken(r, kNow).ok());
}

TEST_F(DevIssuerTest, TwoIssuersInDifferentDirsDoNotTrustEachOther) {
  DevIssuer a = OpenOk();
  fs::path other = dir_ / "other";
  Result<DevIssuer> b = DevIssuer::Open(other, kDevIss);
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a.kid(), b->kid());
  Verifier v;
  v.SetIssuer(a.Trusted());
  DevTokenRequest r;
  r.consumer = kOrgnr;
  Result<std::string> t = b->IssueToken(r, kNow);
  ASSERT_TRUE(t.ok());
  EXPECT_NE(v.Verify(*t, kNow).status().message().find("unknown key id"), std::string::npos);
}

}  // namespace
}  // namespace kilde::auth
