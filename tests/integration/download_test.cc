// Whole-edition downloads over HTTP: formats, determinism (same bytes, same ETag),
// round trips (a download re-uploaded gives the same content hash), conditional
// requests, bad parameters, clients that go away, and memory that does not grow.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

Json DlSchema() {
  return {{"columns",
           {{{"name", "id"}, {"type", "integer"}, {"key", true}},
            {{"name", "bydel"}, {"type", "string"}, {"indexed", true}},
            {{"name", "when"}, {"type", "date"}},
            {{"name", "ok"}, {"type", "boolean"}},
            {{"name", "value"}, {"type", "decimal"}},
            {{"name", "note"}, {"type", "string"}}}}};
}

// `n` rows with nulls, quotes, commas, newlines and non-ASCII text in them.
std::string DlCsv(int n) {
  std::string csv = "id,bydel,when,ok,value,note\n";
  static const char* kBydel[] = {"Frogner", "Gamle Oslo", "Søndre Nordstrand", "Alna"};
  for (int i = 1; i <= n; ++i) {
    csv += std::to_string(i) + "," + kBydel[i % 4] + ",2024-0" + std::to_string(1 + i % 9) + "-1" +
           std::to_string(i % 10) + "," + (i % 3 ? "true" : "false") + ",";
    if (i % 7) csv += std::to_string(i) + "." + std::to_string(i % 100);
    csv += ",";
    if (i % 5 == 0)
      csv += "\"sitat \"\"x\"\", komma, og\nlinjeskift\"";
    else if (i % 5 == 1)
      csv += "blåbær";
    csv += "\n";
  }
  return csv;
}

long ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

class DownloadTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  // A product with one edition of `rows` rows; returns the edition description.
  Json MakeEdition(const std::string& name, int rows) {
    HttpClient& c = client();
    MustCreate(c, "/api/v1/organizations", OrgDoc(name + "-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc(name + "-ds", name + "-org"));
    auto r = c.Post("/api/v1/products", {{"id", name}, {"dataset", name + "-ds"}, {"schema", DlSchema()}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return Upload(name, DlCsv(rows), "text/csv");
  }
  Json Upload(const std::string& product, const std::string& body, const std::string& type) {
    auto r =
        client().Send("POST", "/api/v1/products/" + product + "/editions", body, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.Json();
  }
  std::string Url(const std::string& product, const std::string& edition, const std::string& query = "") {
    return "/api/v1/products/" + product + "/editions/" + edition + "/download" + query;
  }
};

// 4000 rows = exactly two store batches: the end is found by an empty third batch.
TEST_F(DownloadTest, CsvIsCompleteDeterministicAndNamed) {
  Json e = MakeEdition("dl-csv", 4000);
  const std::string id = e["id"], sha = e["sha256"];
  auto a = client().Get(Url("dl-csv", id, "?format=csv"));
  ASSERT_EQ(a.status, 200) << a.Describe();
  EXPECT_EQ(a.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(a.Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(a.Header("ETag"), "\"" + sha + ".csv\"");
  EXPECT_EQ(a.Header("X-Content-SHA256"), sha);
  EXPECT_EQ(a.Header("Content-Disposition"), "attachment; filename=\"dl-csv_" + id + ".csv\"");
  EXPECT_EQ(a.Header("Cache-Control"), "private, max-age=31536000, immutable");
  EXPECT_EQ(a.body.rfind("id,bydel,when,ok,value,note\r\n", 0), 0u);
  EXPECT_NE(a.body.find("\r\n4000,Frogner,"), std::string::npos);
  EXPECT_NE(a.body.find("\"sitat \"\"x\"\", komma, og\nlinjeskift\""), std::string::npos);
  EXPECT_EQ(a.body.find("\r\n4001,"), std::string::npos);

  auto b = client().Get(Url("dl-csv", "latest"));  // no format, no Accept: CSV
  ASSERT_EQ(b.status, 200) << b.Describe();
  EXPECT_EQ(b.body, a.body) << "downloads of one edition must be byte-identical";
  EXPECT_EQ(b.Header("ETag"), a.Header("ETag"));
  EXPECT_EQ(b.Header("Cache-Control"), "private, no-cache");
}

TEST_F(DownloadTest, EveryFormatRoundTripsToTheSameContentHash) {
  Json e = MakeEdition("dl-rt", 2500);
  const std::string sha = e["sha256"];
  MustCreate(client(), "/api/v1/datasets", DatasetDoc("dl-rt2-ds", "dl-rt-org"));
  ASSERT_EQ(
      client()
          .Post("/api/v1/products", {{"id", "dl-rt2"}, {"dataset", "dl-rt2-ds"}, {"schema", DlSchema()}})
          .status,
      201);
  const std::pair<const char*, const char*> kFormats[] = {
      {"csv", "text/csv"}, {"json", "application/json"}, {"ndjson", "application/x-ndjson"}};
  for (auto [format, type] : kFormats) {
    auto d = client().Get(Url("dl-rt", "latest", std::string("?format=") + format));
    ASSERT_EQ(d.status, 200) << format << ": " << d.Describe();
    EXPECT_EQ(d.Header("ETag"), "\"" + sha + "." + format + "\"");
    EXPECT_EQ(d.Header("Content-Type").rfind(type, 0), 0u) << d.Header("Content-Type");
    if (std::string(format) == "json") {
      Json arr = d.Json();
      ASSERT_TRUE(arr.is_array()) << d.body.substr(0, 200);
      EXPECT_EQ(arr.size(), 2500u);
      EXPECT_EQ(arr[0]["ok"], true);
      EXPECT_EQ(arr[9]["value"], 10.1);        // row 10 was uploaded as "10.10"
      EXPECT_TRUE(arr[6]["value"].is_null());  // row 7
    }
    Json again = Upload("dl-rt2", d.body, type);
    EXPECT_EQ(again["sha256"], sha) << format << " download re-uploaded changed the content";
    EXPECT_EQ(again["row_count"], 2500);
  }
}

TEST_F(DownloadTest, AcceptHeaderConditionalRequestsAndHead) {
  Json e = MakeEdition("dl-neg", 10);
  const std::string sha = e["sha256"];
  auto nd = client().Get(Url("dl-neg", "latest"), {{"Accept", "application/x-ndjson"}});
  ASSERT_EQ(nd.status, 200);
  EXPECT_EQ(nd.Header("ETag"), "\"" + sha + ".ndjson\"");
  EXPECT_EQ(std::count(nd.body.begin(), nd.body.end(), '\n'), 10);
  auto js = client().Get(Url("dl-neg", "latest"), {{"Accept", "application/json"}});
  EXPECT_EQ(js.Header("ETag"), "\"" + sha + ".json\"");

  auto nm = client().Get(Url("dl-neg", "latest"), {{"If-None-Match", "\"" + sha + ".csv\""}});
  EXPECT_EQ(nm.status, 304) << nm.Describe();
  EXPECT_TRUE(nm.body.empty());
  auto other =
      client().Get(Url("dl-neg", "latest", "?format=json"), {{"If-None-Match", "\"" + sha + ".csv\""}});
  EXPECT_EQ(other.status, 200) << "a CSV tag must not validate the JSON bytes";

  ASSERT_TRUE(client().WriteRaw("HEAD " + Url("dl-neg", "latest") + " HTTP/1.1\r\nHost: x\r\n" +
                                client().AuthLine() + "\r\n"));
  auto head = client().ReadResponse(true);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("ETag"), "\"" + sha + ".csv\"");
  EXPECT_EQ(client().Get("/healthz").status, 200) << "the connection stays usable after HEAD";
}

TEST_F(DownloadTest, BadRequestsNameTheProblem) {
  MakeEdition("dl-bad", 3);
  auto unknown = client().Get(Url("dl-bad", "latest", "?limit=5"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.Json()["error"]["message"].get<std::string>().find("'limit'"), std::string::npos);
  auto fmt = client().Get(Url("dl-bad", "latest", "?format=xml"));
  EXPECT_EQ(fmt.status, 400);
  EXPECT_NE(fmt.Json()["error"]["message"].get<std::string>().find("xml"), std::string::npos);
  EXPECT_EQ(client().Get(Url("dl-bad", "latest"), {{"Accept", "image/png"}}).status, 406);
  EXPECT_EQ(client().Get(Url("dl-bad", "no-such-edition")).status, 404);
  EXPECT_EQ(client().Get(Url("no-such-product", "latest")).status, 404);
}

// A client that reads a little and hangs up costs the server nothing lasting.
TEST_F(DownloadTest, ClientThatGoesAwayMidDownload) {
  MakeEdition("dl-gone", 30000);
  {
    HttpClient raw(server().port());
    ASSERT_TRUE(raw.WriteRaw("GET " + Url("dl-gone", "latest") + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    raw.Close();
  }
  auto full = client().Get(Url("dl-gone", "latest", "?format=ndjson"));
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(std::count(full.body.begin(), full.body.end(), '\n'), 30000);
  EXPECT_EQ(client().Get("/healthz").status, 200);
}

// The body streams: downloading ~20 MB does not raise the server's peak memory by
// anything like the size of the body.
TEST(DownloadMemory, DownloadDoesNotGrowServerMemory) {
  std::string error;
  auto server = KildeServer::Start(ServerConfig(), &error);
  ASSERT_TRUE(server) << error;
  HttpClient c(server->port(), 60s);
  MustCreate(c, "/api/v1/organizations", OrgDoc("dlm-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("dlm-ds", "dlm-org"));
  ASSERT_EQ(c.Post("/api/v1/products", {{"id", "dlm"}, {"dataset", "dlm-ds"}, {"schema", DlSchema()}}).status,
            201);
  const std::string csv = DlCsv(400000);
  auto up = c.Send("POST", "/api/v1/products/dlm/editions", csv, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(up.status, 201) << up.Describe();
  // Reset the peak (VmHWM) so that only the download counts.
  {
    std::ofstream clear("/proc/" + std::to_string(server->pid()) + "/clear_refs");
    clear << "5";
  }
  const long before = ProcStatusKb(server->pid(), "VmRSS");
  auto d = c.Get("/api/v1/products/dlm/editions/latest/download?format=json");
  ASSERT_EQ(d.status, 200);
  ASSERT_GT(d.body.size(), 20u << 20);
  const long peak = ProcStatusKb(server->pid(), "VmHWM");
  ASSERT_GT(before, 0);
  EXPECT_LT(peak - before, 12 * 1024) << "peak grew from " << before << " kB to " << peak << " kB for a "
                                      << d.body.size() / 1000000 << " MB download";
}

}  // namespace
}  // namespace kilde::it
