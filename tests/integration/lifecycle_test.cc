// The server process's life: start-up output, graceful shutdown with requests in
// flight, reopening the store, and the --demo catalog.
#include <gtest/gtest.h>

#include <signal.h>

#include "fixtures.h"

namespace kilde::it {
namespace {

std::unique_ptr<KildeServer> MustStart(const ServerConfig& cfg) {
  std::string error;
  auto s = KildeServer::Start(cfg, &error);
  EXPECT_NE(s, nullptr) << error;
  return s;
}

TEST(LifecycleTest, StdoutIsExactlyTheListeningLine) {
  auto s = MustStart({});
  ASSERT_NE(s, nullptr);
  HttpClient c(s->port());
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(s->Stop(), 0) << s->Stderr();
  EXPECT_EQ(s->Stdout(), "kilde listening on http://127.0.0.1:" + std::to_string(s->port()) + "\n");
  // The logs are JSON lines on stderr.
  const std::string err = s->Stderr();
  ASSERT_FALSE(err.empty());
  size_t lines = 0;
  for (size_t pos = 0; pos < err.size();) {
    size_t nl = err.find('\n', pos);
    std::string line = err.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? err.size() : nl + 1;
    if (line.empty()) continue;
    ++lines;
    EXPECT_TRUE(Json::accept(line)) << "not a JSON log line: " << line;
  }
  EXPECT_GE(lines, 2u);
}

TEST(LifecycleTest, GracefulShutdownFinishesInFlightRequestsAndRefusesNewOnes) {
  TempDir data;
  auto s = MustStart(ServerConfig().DataDir(data.path().string()));
  ASSERT_NE(s, nullptr);
  HttpClient idle(s->port());
  ASSERT_EQ(idle.Get("/healthz").status, 200);  // an idle keep-alive connection

  // A slow upload: headers, then part of the body. "Expect: 100-continue" tells
  // us when the server has read the headers, so the request is really in flight.
  const std::string body = OrgDoc("inflight-org").dump();
  const size_t half = body.size() / 2;
  HttpClient upload(s->port());
  ASSERT_TRUE(upload.WriteRaw("POST /api/v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              upload.AuthLine() +
                              "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n"));
  HttpResponse cont = upload.ReadResponse();
  ASSERT_EQ(cont.status, 100) << cont.Describe();
  ASSERT_TRUE(upload.WriteRaw(body.substr(0, half)));

  s->Signal(SIGTERM);
  ASSERT_TRUE(s->WaitForLog("shutting down", 5s)) << s->Stderr();
  // Idle connections are closed at once; new connections are refused.
  EXPECT_TRUE(idle.WaitForClose(2s)) << "an idle keep-alive connection survived the shutdown";
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i, SleepFor(10ms)) refused = ConnectionRefused(s->port());
  EXPECT_TRUE(refused) << "new connections are still accepted after SIGTERM";
  EXPECT_TRUE(s->running()) << "the server exited with a request in flight";

  // The in-flight request completes with its response.
  ASSERT_TRUE(upload.WriteRaw(body.substr(half)));
  HttpResponse created = upload.ReadResponse();
  EXPECT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.Header("Connection"), "close");
  auto code = s->Wait(10s);
  ASSERT_TRUE(code.has_value()) << "the server did not exit after draining";
  EXPECT_EQ(*code, 0) << s->Stderr();

  // The store reopens cleanly with the data.
  auto again = MustStart(ServerConfig().DataDir(data.path().string()));
  ASSERT_NE(again, nullptr);
  HttpClient c(again->port());
  EXPECT_EQ(c.Get("/readyz").status, 200);
  HttpResponse got = c.Get("/api/v1/organizations/inflight-org");
  EXPECT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(again->Stop(), 0) << again->Stderr();
}

TEST(LifecycleTest, AStuckClientDelaysShutdownOnlyForTheGracePeriod) {
  auto s = MustStart(ServerConfig().Env("KILDE_HTTP_SHUTDOWN_GRACE_MS", "300"));
  ASSERT_NE(s, nullptr);
  HttpClient stuck(s->port());
  ASSERT_TRUE(stuck.WriteRaw(
      "POST /api/v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n" + stuck.AuthLine() +
      "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n"));
  ASSERT_EQ(stuck.ReadResponse().status, 100);
  ASSERT_TRUE(stuck.WriteRaw("{\"id\": "));
  const auto start = std::chrono::steady_clock::now();
  s->Signal(SIGTERM);
  auto code = s->Wait(5s);
  ASSERT_TRUE(code.has_value()) << "a stuck client kept the server from exiting";
  EXPECT_EQ(*code, 0) << s->Stderr();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms) << "in-flight requests got no grace period";
  EXPECT_TRUE(stuck.WaitForClose(2s));
}

TEST(LifecycleTest, SigintAlsoStopsCleanly) {
  auto s = MustStart({});
  ASSERT_NE(s, nullptr);
  s->Signal(SIGINT);
  auto code = s->Wait(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << s->Stderr();
}

TEST(LifecycleTest, DataSurvivesARestart) {
  TempDir data;
  std::string etag;
  {
    auto s = MustStart(ServerConfig().DataDir(data.path().string()));
    ASSERT_NE(s, nullptr);
    HttpClient c(s->port());
    MustCreate(c, "/api/v1/organizations", OrgDoc("restart-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc("restart-ds", "restart-org", "published"));
    MustCreate(c, "/api/v1/datasets/restart-ds/distributions", DistributionDoc("restart-file"));
    HttpResponse p = c.Patch("/api/v1/datasets/restart-ds", {{"keywords", {{"nb", {"etter"}}}}});
    ASSERT_EQ(p.status, 200);
    etag = p.Header("ETag");
    EXPECT_EQ(s->Stop(), 0) << s->Stderr();
  }
  auto s = MustStart(ServerConfig().DataDir(data.path().string()));
  ASSERT_NE(s, nullptr);
  HttpClient c(s->port());
  HttpResponse ds = c.Get("/api/v1/datasets/restart-ds");
  ASSERT_EQ(ds.status, 200) << ds.Describe();
  EXPECT_EQ(ds.Header("ETag"), etag);
  EXPECT_EQ(ds.Json()["keywords"]["nb"], Json({"etter"}));
  EXPECT_EQ(c.Get("/api/v1/datasets/restart-ds/distributions/restart-file").status, 200);
  EXPECT_EQ(s->Stop(), 0);
}

TEST(LifecycleTest, AcknowledgedWritesSurviveACrash) {
  TempDir data;
  {
    auto s = MustStart(ServerConfig().DataDir(data.path().string()));
    ASSERT_NE(s, nullptr);
    HttpClient c(s->port());
    MustCreate(c, "/api/v1/organizations", OrgDoc("crash-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc("crash-ds", "crash-org"));
    s->Signal(SIGKILL);
    auto code = s->Wait(5s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 128 + SIGKILL);
  }
  auto s = MustStart(ServerConfig().DataDir(data.path().string()));
  ASSERT_NE(s, nullptr);
  HttpClient c(s->port());
  EXPECT_EQ(c.Get("/readyz").status, 200);
  EXPECT_EQ(c.Get("/api/v1/organizations/crash-org").status, 200);
  EXPECT_EQ(c.Get("/api/v1/datasets/crash-ds").status, 200);
  EXPECT_EQ(s->Stop(), 0) << s->Stderr();
}

TEST(LifecycleTest, DemoCatalogLoadsOnceAndEditsSurviveRestarts) {
  TempDir data;
  size_t orgs = 0, datasets = 0;
  {
    auto s = MustStart(ServerConfig().Demo().DataDir(data.path().string()));
    ASSERT_NE(s, nullptr);
    HttpClient c(s->port());
    Json list = c.Get("/api/v1/organizations?limit=500").Json();
    orgs = list.value("items", Json::array()).size();
    bool oslo = false;
    for (const auto& o : list["items"]) oslo |= o.value("id", "") == "oslo-kommune";
    EXPECT_TRUE(oslo) << list.dump();
    datasets = c.Get("/api/v1/datasets?limit=500").Json().value("items", Json::array()).size();
    EXPECT_GT(datasets, 0u);
    EXPECT_GT(c.Get("/api/v1/concepts?limit=500").Json().value("items", Json::array()).size(), 0u);
    // The demo catalog is published: the DCAT catalog lists its datasets.
    EXPECT_NE(c.Get("/catalog").body.find("/datasets/"), std::string::npos);
    HttpResponse p =
        c.Patch("/api/v1/organizations/oslo-kommune", {{"homepage", "https://endret.example.no/"}});
    ASSERT_EQ(p.status, 200) << p.Describe();
    EXPECT_EQ(s->Stop(), 0) << s->Stderr();
  }
  auto s = MustStart(ServerConfig().Demo().DataDir(data.path().string()));
  ASSERT_NE(s, nullptr);
  HttpClient c(s->port());
  EXPECT_EQ(c.Get("/api/v1/organizations?limit=500").Json().value("items", Json::array()).size(), orgs)
      << "restarting with --demo duplicated organizations";
  EXPECT_EQ(c.Get("/api/v1/datasets?limit=500").Json().value("items", Json::array()).size(), datasets);
  HttpResponse oslo = c.Get("/api/v1/organizations/oslo-kommune");
  EXPECT_EQ(oslo.Json().value("homepage", ""), "https://endret.example.no/") << "--demo overwrote an edit";
  EXPECT_EQ(oslo.Header("ETag"), "\"2\"");
  EXPECT_EQ(s->Stop(), 0);
}

}  // namespace
}  // namespace kilde::it
