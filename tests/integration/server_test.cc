// Operational endpoints and HTTP behaviour of one server with default settings:
// /healthz, /readyz, /metrics, keep-alive, HEAD, oversized headers, concurrency.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

#include "fixtures.h"

namespace kilde::it {
namespace {

class ServerTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }
};

TEST_F(ServerTest, HealthAndReadiness) {
  HttpClient& c = client();
  HttpResponse h = c.Get("/healthz");
  EXPECT_EQ(h.status, 200) << h.Describe();
  EXPECT_EQ(h.Json().value("status", ""), "ok") << h.body;
  HttpResponse r = c.Get("/readyz");
  ASSERT_EQ(r.status, 200) << r.Describe();
  Json j = r.Json();
  EXPECT_EQ(j.value("status", ""), "ready") << r.body;
  ASSERT_TRUE(j.contains("store") && j["store"].is_object()) << r.body;
  EXPECT_GE(j["store"].value("schema_version", 0), 1) << r.body;
}

// The value of the Prometheus sample `series` (name{labels}) in `text`, 0 if absent.
double Sample(const std::string& text, const std::string& series) {
  size_t pos = text.find("\n" + series + " ");
  if (pos == std::string::npos) return 0;
  return std::stod(text.substr(pos + series.size() + 2));
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
  HttpClient& c = client();  // one connection: each request is recorded before the next is read
  const std::string item404 =
      "kilde_http_requests_total{route=\"/api/v1/organizations/{id}\",method=\"GET\",status=\"404\"}";
  const std::string list200 =
      "kilde_http_requests_total{route=\"/api/v1/datasets\",method=\"GET\",status=\"200\"}";
  const std::string before = c.Get("/metrics").body;
  ASSERT_EQ(c.Get("/api/v1/organizations/metrics-none").status, 404);
  ASSERT_EQ(c.Get("/api/v1/organizations/metrics-none-2").status, 404);
  ASSERT_EQ(c.Get("/api/v1/datasets?limit=1").status, 200);
  ASSERT_EQ(c.Get("/no/such/route").status, 404);
  HttpResponse m = c.Get("/metrics");
  ASSERT_EQ(m.status, 200) << m.Describe();
  EXPECT_EQ(m.Header("Content-Type").rfind("text/plain", 0), 0u) << m.Header("Content-Type");
  const std::string& t = m.body;
  EXPECT_NE(t.find("# TYPE kilde_http_requests_total counter"), std::string::npos) << t;
  // The route pattern, not the concrete path (bounded label cardinality): both 404s in one series.
  EXPECT_EQ(Sample(t, item404) - Sample(before, item404), 2) << t;
  EXPECT_EQ(Sample(t, list200) - Sample(before, list200), 1) << t;
  EXPECT_EQ(t.find("metrics-none"), std::string::npos) << "a concrete path leaked into a label";
  EXPECT_EQ(t.find("/no/such/route"), std::string::npos) << "unmatched paths must not become labels";
  EXPECT_NE(t.find("# TYPE kilde_http_request_duration_seconds histogram"), std::string::npos) << t;
  EXPECT_NE(t.find("kilde_http_request_duration_seconds_bucket{route=\"/api/v1/datasets\",le=\""),
            std::string::npos)
      << t;
  const std::string inf =
      "kilde_http_request_duration_seconds_bucket{route=\"/api/v1/datasets\",le=\"+Inf\"}";
  EXPECT_GE(Sample(t, inf), 1) << t;
  EXPECT_EQ(Sample(t, inf),
            Sample(t, "kilde_http_request_duration_seconds_count{route=\"/api/v1/datasets\"}"));
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient& c = client();
  for (int i = 0; i < 10; ++i) {
    HttpResponse r = i % 2 ? c.Get("/healthz") : c.Get("/api/v1/organizations?limit=1");
    ASSERT_EQ(r.status, 200) << "request " << i << ": " << r.Describe();
    EXPECT_NE(r.Header("Connection"), "close");
  }
  // Errors do not cost the connection either.
  EXPECT_EQ(c.Get("/api/v1/datasets/none").status, 404);
  EXPECT_EQ(c.Send("POST", "/api/v1/datasets", "{", {{"Content-Type", "application/json"}}).status, 400);
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(c.connections(), 1) << "keep-alive was not honoured";
  // Connection: close is honoured by the server (read raw: the client would close itself).
  ASSERT_TRUE(c.WriteRaw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  EXPECT_TRUE(c.WaitForClose(2s)) << "the server kept the connection after Connection: close";
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  HttpClient& c = client();
  ASSERT_TRUE(c.WriteRaw(
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: first\r\n\r\n"
      "GET /api/v1/organizations/pipelined-none HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: second\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: third\r\n\r\n"));
  HttpResponse a = c.ReadResponse(), b = c.ReadResponse(), d = c.ReadResponse();
  EXPECT_EQ(a.status, 200) << a.Describe();
  EXPECT_EQ(a.Header("X-Request-Id"), "first");
  EXPECT_EQ(b.status, 404) << b.Describe();
  EXPECT_EQ(b.Header("X-Request-Id"), "second");
  EXPECT_EQ(d.status, 200) << d.Describe();
  EXPECT_EQ(d.Header("X-Request-Id"), "third");
  EXPECT_EQ(c.connections(), 1);
}

TEST_F(ServerTest, Http10ClientsGetAnAnswerAndAClose) {
  HttpClient& c = client();
  ASSERT_TRUE(c.WriteRaw("GET /healthz HTTP/1.0\r\n\r\n"));
  HttpResponse r = c.ReadResponse();
  EXPECT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Json().value("status", ""), "ok");
  EXPECT_FALSE(c.is_open()) << "an HTTP/1.0 request without keep-alive should close the connection";
}

TEST_F(ServerTest, HeadHasNoBody) {
  HttpClient& c = client();
  HttpResponse get = c.Get("/api/v1");
  HttpResponse head = c.Send("HEAD", "/api/v1");
  ASSERT_EQ(head.status, 200) << head.Describe();
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(c.Get("/healthz").status, 200) << "the connection is still usable after HEAD";
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  HttpClient& c = client();
  HttpResponse r = c.Get("/healthz", {{"X-Filler", std::string(20000, 'x')}});
  EXPECT_TRUE(IsError(r, 431, "headers_too_large"));
  EXPECT_FALSE(r.Header("X-Request-Id").empty());
  // Just under the default 16 KiB limit is fine.
  HttpClient fresh(server().port());
  EXPECT_EQ(fresh.Get("/healthz", {{"X-Filler", std::string(12000, 'x')}}).status, 200);
}

TEST_F(ServerTest, MalformedRequestLineIs400) {
  HttpClient& c = client();
  ASSERT_TRUE(c.WriteRaw("THIS IS NOT HTTP\r\n\r\n"));
  HttpResponse r = c.ReadResponse();
  EXPECT_TRUE(IsError(r, 400, "bad_request"));
  HttpClient bad_target(server().port());
  EXPECT_TRUE(IsError(bad_target.Get("/api/v1/datasets/%zz"), 400, "bad_request"));
}

TEST_F(ServerTest, ConcurrentClientsAreAllServed) {
  MustCreate(client(), "/api/v1/organizations", OrgDoc("conc-org"));
  constexpr int kThreads = 6, kPerThread = 8;
  std::atomic<int> ok{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  const uint16_t port = server().port();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c(port);
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "conc-" + std::to_string(t) + "-" + std::to_string(i);
        HttpResponse w = c.Post("/api/v1/datasets", DatasetDoc(id, "conc-org"));
        HttpResponse r = c.Get("/api/v1/datasets/" + id);
        if (w.status == 201 && r.status == 200)
          ++ok;
        else if (failures[t].empty())
          failures[t] = id + ": " + w.Describe() + " / " + r.Describe();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f;
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  Json list = client().Get("/api/v1/datasets?publisher=conc-org&limit=500").Json();
  EXPECT_EQ(list.value("items", Json::array()).size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(ServerTest, ConcurrentConditionalWritesHaveExactlyOneWinner) {
  MustCreate(client(), "/api/v1/organizations", OrgDoc("race-org"));
  constexpr int kThreads = 6;
  std::vector<int> statuses(kThreads);
  std::vector<std::thread> threads;
  const uint16_t port = server().port();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c(port);
      statuses[t] = c.Patch("/api/v1/organizations/race-org",
                            {{"homepage", "https://t" + std::to_string(t) + ".no/"}}, {{"If-Match", "\"1\""}})
                        .status;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 412), kThreads - 1);
  EXPECT_EQ(client().Get("/api/v1/organizations/race-org").Header("ETag"), "\"2\"");
}

}  // namespace
}  // namespace kilde::it
