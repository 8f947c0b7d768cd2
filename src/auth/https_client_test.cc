#include "auth/https_client.h"

#include <gtest/gtest.h>

#include <chrono>

#include "auth/test_https_server.h"

namespace kilde::auth {
namespace {

using testing::MakeSelfSignedCert;
using testing::TestCert;
using testing::TestServer;

// Certificates are made once per test binary (shared read-only).
const TestCert& GoodCert() {
  static const TestCert* c = new TestCert(MakeSelfSignedCert("kilde test", "DNS:localhost,IP:127.0.0.1"));
  return *c;
}
const TestCert& OtherNameCert() {
  static const TestCert* c = new TestCert(MakeSelfSignedCert("other", "DNS:other.example"));
  return *c;
}

HttpGetOptions TestOptions(const TestCert& trusted = GoodCert()) {
  HttpGetOptions o;
  o.ca_file = trusted.pem_path;
  o.timeout = std::chrono::milliseconds(1500);
  return o;
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(HttpUrlTest, ParsesHostPortAndTarget) {
  Result<HttpUrl> u = ParseHttpUrl("https://Maskinporten.no/jwk?x=1#frag");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "maskinporten.no");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/jwk?x=1");

  u = ParseHttpUrl("https://example.no:8443");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/");

  u = ParseHttpUrl("http://[::1]:9000/jwks");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9000);

  for (const char* bad :
       {"ftp://x/", "https:///jwk", "https://a@b/", "https://x:0/", "https://x:65536/", "https://x:8a/",
        "https://[::1/", "http://example.no/jwks", "http://10.0.0.1/", "https://x/a b"}) {
    Result<HttpUrl> r = ParseHttpUrl(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(HttpUrlTest, LoopbackHosts) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1"})
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  for (const char* h : {"128.0.0.1", "localhost.example.no", "10.0.0.1", "", "::2"})
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
}

TEST(HttpsClientTest, GetsOverVerifiedTls) {
  TestServer server(TestServer::Mode::kTls, &GoodCert());
  server.Set("/jwks?v=1", {200, R"({"keys":[]})", ""});
  Result<std::string> body = HttpGet(server.Url("/jwks?v=1"), TestOptions());
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, R"({"keys":[]})");

  // By DNS name: SNI and host name verification against the DNS SAN.
  body = HttpGet(server.Url("/jwks?v=1", "localhost"), TestOptions());
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(server.hits("/jwks?v=1"), 2);
}

TEST(HttpsClientTest, RefusesACertificateNotFromATrustedCa) {
  TestServer server(TestServer::Mode::kTls, &GoodCert());
  server.Set("/jwks", {200, "{}", ""});
  HttpGetOptions system_store = TestOptions();
  system_store.ca_file.clear();  // the system CAs do not include our self-signed certificate
  Result<std::string> body = HttpGet(server.Url("/jwks"), system_store);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(body.status().message(), "certificate verification failed"))
      << body.status().message();
  EXPECT_TRUE(Contains(body.status().message(), server.Url("/jwks"))) << body.status().message();
  EXPECT_EQ(server.hits("/jwks"), 0);  // no request was sent
}

TEST(HttpsClientTest, RefusesACertificateForAnotherHost) {
  TestServer server(TestServer::Mode::kTls, &OtherNameCert());
  server.Set("/jwks", {200, "{}", ""});
  // The chain is trusted (ca_file is this very certificate), but it names other.example.
  Result<std::string> body = HttpGet(server.Url("/jwks"), TestOptions(OtherNameCert()));
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(Contains(body.status().message(), "IP address mismatch")) << body.status().message();
  body = HttpGet(server.Url("/jwks", "localhost"), TestOptions(OtherNameCert()));
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(Contains(body.status().message(), "hostname mismatch")) << body.status().message();
  EXPECT_EQ(server.hits("/jwks"), 0);
}

TEST(HttpsClientTest, NonOkStatusIsAnErrorNamingUrlAndStatus) {
  TestServer server(TestServer::Mode::kTls, &GoodCert());
  server.Set("/moved", {301, "", "https://elsewhere.example/jwks"});
  Result<std::string> body = HttpGet(server.Url("/missing"), TestOptions());
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(body.status().message(), server.Url("/missing"))) << body.status().message();
  EXPECT_TRUE(Contains(body.status().message(), "HTTP 404")) << body.status().message();

  body = HttpGet(server.Url("/moved"), TestOptions());
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(Contains(body.status().message(), "HTTP 301")) << body.status().message();
  EXPECT_TRUE(Contains(body.status().message(), "https://elsewhere.example/jwks")) << body.status().message();

  Result<HttpResponse> raw = HttpFetch(server.Url("/missing"), TestOptions());
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(raw->status, 404);
}

TEST(HttpsClientTest, RefusesABodyOverTheLimit) {
  TestServer server(TestServer::Mode::kTls, &GoodCert());
  server.Set("/big", {200, std::string(2000, 'x'), ""});
  server.Set("/fits", {200, std::string(1000, 'x'), ""});
  HttpGetOptions o = TestOptions();
  o.max_body_bytes = 1000;
  Result<std::string> body = HttpGet(server.Url("/big"), o);
  ASSERT_FALSE(body.ok()) << body->size();
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(body.status().message(), "exceeds 1000 bytes")) << body.status().message();
  body = HttpGet(server.Url("/fits"), o);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(body->size(), 1000u);

  server.Set("/big-chunked", {200, std::string(2000, 'x'), "", /*chunked=*/true});
  server.Set("/fits-chunked", {200, std::string(1000, 'x'), "", /*chunked=*/true});
  body = HttpGet(server.Url("/big-chunked"), o);
  ASSERT_FALSE(body.ok()) << body->size();
  EXPECT_TRUE(Contains(body.status().message(), "exceeds 1000 bytes")) << body.status().message();
  body = HttpGet(server.Url("/fits-chunked"), o);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(body->size(), 1000u);
}

TEST(HttpsClientTest, ASilentServerTimesOutWithinTheLimit) {
  TestServer server(TestServer::Mode::kSilent);
  HttpGetOptions o = TestOptions();
  o.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  Result<std::string> body = HttpGet(server.Url("/jwks"), o);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(body.status().message(), "timed out after 300 ms in the TLS handshake"))
      << body.status().message();
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  EXPECT_LT(elapsed, std::chrono::milliseconds(800));
}

TEST(HttpsClientTest, PlainHttpOnlyForLoopback) {
  TestServer server(TestServer::Mode::kPlain);
  server.Set("/jwks", {200, "plain", ""});
  Result<std::string> body = HttpGet(server.Url("/jwks"), TestOptions());
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, "plain");

  body = HttpGet("http://example.no/jwks", TestOptions());
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kInvalidArgument);
}

TEST(HttpsClientTest, ConnectionRefusedAndBadCaFile) {
  uint16_t closed_port;
  { closed_port = TestServer(TestServer::Mode::kSilent).port(); }  // listened once, now closed
  Result<std::string> body = HttpGet("https://127.0.0.1:" + std::to_string(closed_port) + "/", TestOptions());
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(body.status().message(), "cannot connect")) << body.status().message();

  HttpGetOptions o = TestOptions();
  o.ca_file = "/nonexistent/ca.pem";
  body = HttpGet("https://127.0.0.1:" + std::to_string(closed_port) + "/", o);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(body.status().message(), "/nonexistent/ca.pem")) << body.status().message();
}

}  // namespace
}  // namespace kilde::auth
