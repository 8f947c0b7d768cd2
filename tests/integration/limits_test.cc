// Configured HTTP limits: body size (env and config file) and the read timeout
// against slow clients. Each test starts its own server with its settings.
#include <gtest/gtest.h>

#include "fixtures.h"

namespace kilde::it {
namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<KildeServer> MustStart(const ServerConfig& cfg) {
  std::string error;
  auto s = KildeServer::Start(cfg, &error);
  EXPECT_NE(s, nullptr) << error;
  return s;
}

// POSTs an organisation padded to `bytes` with an unknown field: under the
// limit it is a 400 validation error, over it a 413.
HttpResponse PostPadded(HttpClient& c, size_t bytes) {
  Json doc = OrgDoc("padded");
  doc["padding"] = "";
  const size_t base = doc.dump().size();
  doc["padding"] = std::string(bytes > base ? bytes - base : 0, 'x');
  return c.Post("/api/v1/organizations", doc);
}

void ExpectBodyLimit2048(KildeServer& s) {
  HttpClient c(s.port());
  HttpResponse big = PostPadded(c, 10 * 1024);
  EXPECT_TRUE(IsError(big, 413, "payload_too_large"));
  EXPECT_FALSE(big.Header("X-Request-Id").empty());
  EXPECT_NE(big.body.find("2048"), std::string::npos) << "the message should name the limit: " << big.body;
  // Just under the limit is read and validated normally.
  HttpClient c2(s.port());
  HttpResponse small = PostPadded(c2, 2000);
  EXPECT_TRUE(IsError(small, 400, "validation_failed"));
  EXPECT_EQ(Problems(small), std::vector<std::string>{"padding:unknown_field"});
  // A chunked body is held to the same limit.
  HttpClient c3(s.port());
  std::string chunked = "POST /api/v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n" + c3.AuthLine() +
                        "Content-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 10; ++i) chunked += "400\r\n" + std::string(1024, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  ASSERT_TRUE(c3.WriteRaw(chunked));
  EXPECT_TRUE(IsError(c3.ReadResponse(), 413, "payload_too_large"));
  // A client that asks first (Expect: 100-continue) is told 413 before it sends the body.
  HttpClient c4(s.port());
  ASSERT_TRUE(
      c4.WriteRaw("POST /api/v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n" + c4.AuthLine() +
                  "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 10240\r\n\r\n"));
  EXPECT_TRUE(IsError(c4.ReadResponse(), 413, "payload_too_large"));
}

TEST(LimitsTest, BodyLimitFromEnvironment) {
  auto s = MustStart(ServerConfig().Env("KILDE_HTTP_MAX_BODY_BYTES", "2048"));
  ASSERT_NE(s, nullptr);
  ExpectBodyLimit2048(*s);
  EXPECT_EQ(s->Stop(), 0);
}

TEST(LimitsTest, BodyLimitFromConfigFile) {
  TempDir dir;
  const std::string cfg = dir.WriteFile("kilde.toml", "[http]\nmax_body_bytes = 2048\n");
  auto s = MustStart(ServerConfig().Args({"--config", cfg}));
  ASSERT_NE(s, nullptr);
  ExpectBodyLimit2048(*s);
  EXPECT_EQ(s->Stop(), 0);
}

// The request headers (with a well-formed X-Request-Id) have been read when the
// body is found too large, so the 413 echoes the client's id like every other
// response. (Regression test: Session::SendError once sent a fresh random id.)
TEST(LimitsTest, PayloadTooLargeEchoesTheRequestId) {
  auto s = MustStart(ServerConfig().Env("KILDE_HTTP_MAX_BODY_BYTES", "2048"));
  ASSERT_NE(s, nullptr);
  HttpClient c(s->port());
  Json doc = OrgDoc("big");
  doc["padding"] = std::string(10 * 1024, 'x');
  HttpResponse r = c.Post("/api/v1/organizations", doc, {{"X-Request-Id", "big-upload-1"}});
  EXPECT_EQ(r.status, 413) << r.Describe();
  EXPECT_EQ(r.Header("X-Request-Id"), "big-upload-1");
  EXPECT_EQ(s->Stop(), 0);
}

TEST(LimitsTest, DefaultBodyLimitAcceptsLargerDocuments) {
  auto s = MustStart({});
  ASSERT_NE(s, nullptr);
  HttpClient c(s->port());
  // 100 KB is well under the 1 MiB default: validated (unknown field), not rejected for size.
  EXPECT_EQ(Problems(PostPadded(c, 100 * 1024)), std::vector<std::string>{"padding:unknown_field"});
  EXPECT_EQ(s->Stop(), 0);
}

class ReadTimeoutTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared(ServerConfig().Env("KILDE_HTTP_READ_TIMEOUT_MS", "500")); }
  static void TearDownTestSuite() { StopShared(); }
};

TEST_F(ReadTimeoutTest, StalledRequestLineIsDisconnectedWhileOthersAreServed) {
  HttpClient slow(server().port());
  ASSERT_TRUE(slow.WriteRaw("GET /heal"));
  const auto start = Clock::now();
  // Meanwhile another client is served promptly.
  HttpClient other(server().port());
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    EXPECT_EQ(other.Get("/healthz").status, 200);
    EXPECT_LT(Clock::now() - t0, 300ms) << "a stalled client slowed others down";
  }
  EXPECT_TRUE(slow.WaitForClose(5s)) << "the stalled connection was not closed";
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, 400ms) << "closed before the read timeout";
  EXPECT_LT(waited, 3000ms) << "closed long after the 500 ms read timeout";
  EXPECT_EQ(other.Get("/healthz").status, 200);
  EXPECT_EQ(other.connections(), 1);
}

TEST_F(ReadTimeoutTest, StalledBodyIsDisconnected) {
  HttpClient slow(server().port());
  ASSERT_TRUE(slow.WriteRaw("POST /api/v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n" + slow.AuthLine() +
                            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\": "));
  const auto start = Clock::now();
  EXPECT_TRUE(slow.WaitForClose(5s)) << "a connection with a stalled body was kept";
  EXPECT_LT(Clock::now() - start, 3000ms);
  EXPECT_EQ(client().Get("/healthz").status, 200);
}

TEST_F(ReadTimeoutTest, DripFedHeadersAreCutOff) {
  // A byte every 100 ms never lets the request complete; the timeout covers the
  // whole request, not each read.
  HttpClient slow(server().port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(100, 'z');
  const auto start = Clock::now();
  bool closed = false;
  for (size_t i = 0; i < request.size() && Clock::now() - start < 5s; ++i) {
    if (!slow.WriteRaw(request.substr(i, 1))) {
      closed = true;
      break;
    }
    SleepFor(100ms);
  }
  if (!closed) closed = slow.WaitForClose(3s);
  EXPECT_TRUE(closed) << "a drip-fed request kept its connection";
  EXPECT_LT(Clock::now() - start, 4s);
}

TEST_F(ReadTimeoutTest, SlowButTimelyRequestsSucceed) {
  HttpClient c(server().port());
  ASSERT_TRUE(c.WriteRaw("GET /healthz HTTP/1.1\r\n"));
  SleepFor(200ms);
  ASSERT_TRUE(c.WriteRaw("Host: 127.0.0.1\r\n\r\n"));
  HttpResponse r = c.ReadResponse();
  EXPECT_EQ(r.status, 200) << r.Describe();
  // The keep-alive idle time between requests is not the read timeout.
  SleepFor(800ms);
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(c.connections(), 1) << "an idle keep-alive connection was closed by the read timeout";
}

}  // namespace
}  // namespace kilde::it
