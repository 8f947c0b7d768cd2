// Data products over HTTP: create, ingest (CSV / JSON / NDJSON, charsets, null markers,
// reject and quarantine), editions, quality, rows, and atomicity of an ingest that is killed.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

const char* kCsv =
    "id;bydel;year;value\n"
    "1;Frogner;2024;10,5\n"
    "2;Alna;2024;-\n"
    "3;Frogner;2025;7\n";

Json ObsSchema() {
  return {{"columns",
           {{{"name", "id"}, {"type", "integer"}, {"key", true}},
            {{"name", "bydel"}, {"type", "string"}, {"indexed", true}, {"required", true}},
            {{"name", "year"}, {"type", "integer"}},
            {{"name", "value"}, {"type", "decimal"}}}}};
}

class ProductsTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  // A dataset (and its organisation) and a product over it, ids derived from `name`.
  std::string MakeProduct(const std::string& name) {
    HttpClient& c = client();
    MustCreate(c, "/api/v1/organizations", OrgDoc(name + "-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc(name + "-ds", name + "-org"));
    auto r = c.Post("/api/v1/products", {{"id", name}, {"dataset", name + "-ds"}, {"schema", ObsSchema()}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return name;
  }
  HttpResponse Upload(const std::string& product, const std::string& body, const std::string& type,
                      const std::string& query = "") {
    return client().Send("POST", "/api/v1/products/" + product + "/editions" + query, body,
                         {{"Content-Type", type}});
  }
};

TEST_F(ProductsTest, CsvIngestThenRowsAndQuality) {
  const std::string p = MakeProduct("prod-csv");
  auto r = Upload(p, kCsv, "text/csv", "?decimal_comma=true&null=-&source_name=obs.csv");
  ASSERT_EQ(r.status, 201) << r.Describe();
  Json e = r.Json();
  EXPECT_EQ(e["row_count"], 3);
  EXPECT_EQ(e["source_name"], "obs.csv");
  EXPECT_EQ(e["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(e["quality"]["columns"][3]["nulls"], 1);
  EXPECT_EQ(e["quality"]["columns"][1]["distinct"], 2);

  auto rows =
      client().Get("/api/v1/products/" + p + "/editions/latest/rows?bydel=eq.Frogner&order=year.desc");
  ASSERT_EQ(rows.status, 200) << rows.Describe();
  Json items = rows.Json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["year"], 2025);
  EXPECT_EQ(items[1]["value"], 10.5);

  auto csv = client().Get("/api/v1/products/" + p + "/editions/latest/rows?select=id,bydel&format=csv");
  EXPECT_EQ(csv.body, "id,bydel\r\n1,Frogner\r\n2,Alna\r\n3,Frogner\r\n");
  auto q = client().Get("/api/v1/products/" + p + "/editions/" + e["id"].get<std::string>() + "/quality");
  EXPECT_EQ(q.Json()["rows"], 3);

  // The same content twice gives the same hash; editions are listed newest first.
  auto again = Upload(p, kCsv, "text/csv", "?decimal_comma=true&null=-");
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.Json()["sha256"], e["sha256"]);
  auto list = client().Get("/api/v1/products/" + p + "/editions").Json()["items"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], again.Json()["id"]);
}

TEST_F(ProductsTest, BadRowsRejectWholeEditionOrAreQuarantined) {
  const std::string p = MakeProduct("prod-bad");
  const std::string bad = "id,bydel,year,value\n1,Frogner,2024,1.5\n2,,20x4,2\n1,Alna,2024,3\n4,Alna\n";
  auto r = Upload(p, bad, "text/csv");
  EXPECT_TRUE(IsError(r, 400, "validation_failed")) << r.Describe();
  auto problems = Problems(r);
  auto has = [&](const std::string& s) {
    return std::find(problems.begin(), problems.end(), s) != problems.end();
  };
  EXPECT_TRUE(has("line 3, column bydel:invalid_value")) << r.body;
  EXPECT_TRUE(has("line 3, column year:invalid_value")) << r.body;
  EXPECT_TRUE(has("line 4, column id:invalid_value")) << r.body;  // duplicate key
  EXPECT_TRUE(has("line 5:wrong_field_count")) << r.body;
  EXPECT_EQ(r.Json()["error"]["message"].get<std::string>().find("the first"),
            std::string::npos);  // all listed
  EXPECT_EQ(client().Get("/api/v1/products/" + p + "/editions/latest").status, 404);

  auto q = Upload(p, bad, "text/csv", "?on_error=quarantine");
  ASSERT_EQ(q.status, 201) << q.Describe();
  EXPECT_EQ(q.Json()["row_count"], 1);
  EXPECT_EQ(q.Json()["quality"]["rejected_rows"], 3);
  EXPECT_FALSE(q.Json()["quality"]["quarantined"].empty());
}

TEST_F(ProductsTest, CharsetsAndFormats) {
  const std::string p = MakeProduct("prod-enc");
  const std::string latin1 = "id;bydel;year;value\n1;S\xF8ndre Nordstrand;2024;1\n";
  auto r = Upload(p, latin1, "text/csv");
  EXPECT_TRUE(IsError(r, 400, "bad_request")) << r.Describe();
  EXPECT_NE(r.body.find("byte"), std::string::npos);
  EXPECT_NE(r.body.find("windows-1252"), std::string::npos);
  auto ok = Upload(p, latin1, "text/csv; charset=windows-1252");
  ASSERT_EQ(ok.status, 201) << ok.Describe();
  auto rows = client().Get("/api/v1/products/" + p + "/editions/latest/rows").Json()["items"];
  EXPECT_EQ(rows[0]["bydel"], "Søndre Nordstrand");

  auto j = Upload(
      p, R"([{"id":1,"bydel":"Alna","year":2024,"value":1.25},{"id":2,"bydel":"Bjerke","value":null}])",
      "application/json");
  ASSERT_EQ(j.status, 201) << j.Describe();
  EXPECT_EQ(j.Json()["row_count"], 2);
  auto n = Upload(p, "{\"id\":1,\"bydel\":\"Alna\"}\n\n{\"id\":2,\"bydel\":\"Alna\",\"extra\":1}\n",
                  "application/x-ndjson");
  EXPECT_TRUE(IsError(n, 400, "validation_failed")) << n.Describe();
  EXPECT_NE(n.body.find("line 3"), std::string::npos) << n.body;
  EXPECT_TRUE(IsError(Upload(p, "x", "text/plain"), 415, "unsupported_media_type"));
  EXPECT_TRUE(IsError(Upload("no-such-product", kCsv, "text/csv"), 404, "not_found"));
  EXPECT_TRUE(IsError(Upload(p, kCsv, "text/csv", "?on_error=ignore"), 400, "validation_failed"));
}

// A client that asks first (Expect: 100-continue, as curl does for bodies over 1 MB) is told to go
// on at once. (Regression test: uploads never got "100 Continue", so curl waited a second first.)
TEST_F(ProductsTest, UploadWithExpectContinueIsToldToGoOn) {
  const std::string p = MakeProduct("prod-expect");
  HttpClient c(server().port(), std::chrono::milliseconds(500));  // well under curl's 1 s wait
  ASSERT_TRUE(c.WriteRaw("POST /api/v1/products/" + p +
                         "/editions?decimal_comma=true&null=- HTTP/1.1\r\nHost: x\r\n" + c.AuthLine() +
                         "Content-Type: text/csv\r\n"
                         "Expect: 100-continue\r\nContent-Length: " +
                         std::to_string(std::string(kCsv).size()) + "\r\n\r\n"));
  auto cont = c.ReadResponse();
  ASSERT_EQ(cont.status, 100) << cont.Describe();
  ASSERT_TRUE(c.WriteRaw(kCsv));
  auto r = c.ReadResponse();
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.Json()["row_count"], 3);
}

TEST_F(ProductsTest, DeletionNeedsEditionsGoneAndHoldsTheDataset) {
  const std::string p = MakeProduct("prod-del");
  auto e = Upload(p, "id,bydel\n1,Alna\n", "text/csv");
  ASSERT_EQ(e.status, 201) << e.Describe();
  EXPECT_TRUE(IsError(client().Delete("/api/v1/products/" + p), 409, "conflict"));
  EXPECT_TRUE(IsError(client().Delete("/api/v1/datasets/" + p + "-ds"), 409, "conflict"));
  EXPECT_EQ(
      client().Delete("/api/v1/products/" + p + "/editions/" + e.Json()["id"].get<std::string>()).status,
      204);
  EXPECT_EQ(client().Delete("/api/v1/products/" + p).status, 204);
  EXPECT_EQ(client().Get("/api/v1/products/" + p).status, 404);
}

TEST_F(ProductsTest, SchemaChangesMakeVersionsAndOldEditionsKeepTheirs) {
  const std::string p = MakeProduct("prod-schema");
  ASSERT_EQ(Upload(p, "id,bydel\n1,Alna\n", "text/csv").status, 201);
  Json s2 = ObsSchema();
  s2["columns"].push_back({{"name", "note"}, {"type", "string"}});
  auto r = client().Put("/api/v1/products/" + p + "/schema", s2);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Json()["schema_version"], 2);
  EXPECT_EQ(client().Put("/api/v1/products/" + p + "/schema", s2).Json()["schema_version"], 2);  // unchanged
  auto rows = client().Get("/api/v1/products/" + p + "/editions/latest/rows").Json()["items"];
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].contains("note"));  // read with the edition's schema version 1
  EXPECT_EQ(client().Get("/api/v1/products/" + p + "/schema-versions").Json()["items"].size(), 2u);
}

// Memory must not grow with the size of the uploaded file: the body streams into the ingest.
// (Ingesting from a file costs ~40 MB here; a server that buffered the 40 MB body would need
// at least that much more, which the limit below catches.)
TEST(ProductsMemory, UploadDoesNotGrowServerMemory) {
  TempDir dir;
  std::string error;
  auto server = KildeServer::Start(ServerConfig().DataDir(dir.path().string()), &error);
  ASSERT_TRUE(server) << error;
  HttpClient c(server->port(), std::chrono::seconds(60));
  MustCreate(c, "/api/v1/organizations", OrgDoc("mem-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("mem-ds", "mem-org"));
  ASSERT_EQ(
      c.Post("/api/v1/products", {{"id", "mem"}, {"dataset", "mem-ds"}, {"schema", ObsSchema()}}).status,
      201);
  std::string rows = "id,bydel,year,value\n";
  for (int i = 0; i < 1500000; ++i) rows += std::to_string(i) + ",Gamle Oslo,2024,12.5\n";  // ~40 MB
  auto r = c.Send("POST", "/api/v1/products/mem/editions", rows, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.Json()["row_count"], 1500000);
  // Peak resident memory of the server process, from /proc (kB).
  std::ifstream status("/proc/" + std::to_string(server->pid()) + "/status");
  std::string line;
  long peak_kb = -1;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) peak_kb = std::stol(line.substr(6));
  ASSERT_GT(peak_kb, 0);
  EXPECT_LT(peak_kb, 75 * 1024) << "peak RSS " << peak_kb << " kB for a " << rows.size() / 1000000
                                << " MB upload";
}

// A server killed in the middle of an upload leaves no edition, and the store opens cleanly.
TEST(ProductsAtomicity, KilledIngestLeavesNoPartialEdition) {
  TempDir dir;
  std::string error;
  auto server = KildeServer::Start(ServerConfig().DataDir(dir.path().string()), &error);
  ASSERT_TRUE(server) << error;
  {
    HttpClient c(server->port());
    MustCreate(c, "/api/v1/organizations", OrgDoc("kill-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc("kill-ds", "kill-org"));
    ASSERT_EQ(
        c.Post("/api/v1/products", {{"id", "kill"}, {"dataset", "kill-ds"}, {"schema", ObsSchema()}}).status,
        201);
  }
  HttpClient up(server->port());
  std::string rows = "id,bydel,year,value\n";
  for (int i = 0; i < 50000; ++i) rows += std::to_string(i) + ",Alna,2024,1\n";
  ASSERT_TRUE(up.WriteRaw("POST /api/v1/products/kill/editions HTTP/1.1\r\nHost: x\r\n" + up.AuthLine() +
                          "Content-Type: text/csv\r\n"
                          "Content-Length: " +
                          std::to_string(rows.size() * 2) + "\r\n\r\n" + rows));
  SleepFor(std::chrono::milliseconds(300));  // the server is inside the ingest now
  server->Signal(SIGKILL);
  server->Wait(std::chrono::seconds(5));
  auto again = KildeServer::Start(ServerConfig().DataDir(dir.path().string()), &error);
  ASSERT_TRUE(again) << error;
  HttpClient c(again->port());
  auto list = c.Get("/api/v1/products/kill/editions");
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_TRUE(list.Json()["items"].empty()) << list.body;
  EXPECT_EQ(c.Get("/readyz").status, 200);
  // And a complete upload works afterwards.
  EXPECT_EQ(c.Send("POST", "/api/v1/products/kill/editions", rows, {{"Content-Type", "text/csv"}}).status,
            201);
}

}  // namespace
}  // namespace kilde::it
