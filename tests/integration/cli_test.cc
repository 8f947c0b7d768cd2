// The command line: version, catalog import / export, and start-up failures of
// `kilde serve` (bad flags, bad config, a store from a newer kilde, a busy port).
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <boost/asio.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.h"
#include "rdf_util.h"

namespace kilde::it {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json ImportFile(const std::string& prefix, Json bad_org = nullptr) {
  Json org = OrgDoc(prefix + "-org");
  Json ds = DatasetDoc(prefix + "-ds", prefix + "-org", "published");
  Json dist = DistributionDoc(prefix + "-csv");
  dist["dataset"] = prefix + "-ds";
  Json file = {{"organizations", {org}},
               {"datasets", {ds, DatasetDoc(prefix + "-draft", prefix + "-org", "draft")}},
               {"distributions", {dist}},
               {"concepts", {ConceptDoc(prefix + "-term", prefix + "-org", "published")}}};
  if (!bad_org.is_null()) file["organizations"].push_back(bad_org);
  return file;
}

// The ids of `kind` in the store of `data_dir`, read through a short-lived server.
std::vector<std::string> StoredIds(const std::string& data_dir, const std::string& kind) {
  std::string error;
  auto s = KildeServer::Start(ServerConfig().DataDir(data_dir), &error);
  EXPECT_NE(s, nullptr) << error;
  if (!s) return {};
  HttpClient c(s->port());
  std::vector<std::string> ids;
  for (const auto& it : c.Get("/api/v1/" + kind + "?limit=500").Json().value("items", Json::array()))
    ids.push_back(it.value("id", ""));
  EXPECT_EQ(s->Stop(), 0);
  return ids;
}

TEST(CliTest, Version) {
  CommandResult r = RunKilde({"version"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.out, "kilde " KILDE_VERSION "\n");
}

TEST(CliTest, ImportIsAllOrNothing) {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  Json bad = OrgDoc("cli-bad-org");
  bad["organization_number"] = "958935421";
  const std::string file = dir.WriteFile("bad.json", ImportFile("cli-a", bad).dump(2));
  CommandResult r = RunKilde({"catalog", "import", file, "--data-dir", data});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("organizations[1].organization_number"), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("invalid_checksum"), std::string::npos) << r.Describe();
  EXPECT_EQ(StoredIds(data, "organizations"), std::vector<std::string>{})
      << "a failed import wrote something";
  EXPECT_EQ(StoredIds(data, "datasets"), std::vector<std::string>{});

  // Malformed JSON names the position; a missing file is an error too.
  const std::string broken = dir.WriteFile("broken.json", "{\"organizations\": [\n  {\"id\": }\n]}");
  CommandResult b = RunKilde({"catalog", "import", broken, "--data-dir", data});
  EXPECT_NE(b.exit_code, 0);
  EXPECT_NE(b.err.find("line 2"), std::string::npos) << b.Describe();
  EXPECT_NE(
      RunKilde({"catalog", "import", (dir.path() / "missing.json").string(), "--data-dir", data}).exit_code,
      0);
}

TEST(CliTest, ImportThenExportTurtle) {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const std::string file = dir.WriteFile("good.json", ImportFile("cli-b").dump(2));
  CommandResult r = RunKilde({"catalog", "import", file, "--data-dir", data});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("imported"), std::string::npos) << r.Describe();
  // Importing the same file again upserts: no duplicates, no error.
  ASSERT_EQ(RunKilde({"catalog", "import", file, "--data-dir", data}).exit_code, 0);
  EXPECT_EQ(StoredIds(data, "datasets"), (std::vector<std::string>{"cli-b-draft", "cli-b-ds"}));

  const std::string out = (dir.path() / "catalog.ttl").string();
  CommandResult e = RunKilde({"catalog", "export", "--kind", "datasets", "--format", "turtle", "--data-dir",
                              data, "--out", out, "--public-url", "https://data.example.oslo.kommune.no"});
  ASSERT_EQ(e.exit_code, 0) << e.Describe();
  std::string error;
  auto g = ParseRdf(ReadFile(out), false, &error);
  ASSERT_TRUE(g.has_value()) << error << "\n" << ReadFile(out);
  const std::string iri = "https://data.example.oslo.kommune.no/datasets/cli-b-ds";
  EXPECT_TRUE(HasTriple(*g, iri, kRdfType, std::string(kDcat) + "Dataset")) << ReadFile(out);
  EXPECT_EQ(Nodes(*g).count("https://data.example.oslo.kommune.no/datasets/cli-b-draft"), 0u);
  EXPECT_TRUE(HasTriple(*g, iri, std::string(kDcat) + "distribution", iri + "/distributions/cli-b-csv"));

  // To stdout, other documents and formats.
  CommandResult c =
      RunKilde({"catalog", "export", "--kind", "concepts", "--format", "ntriples", "--data-dir", data});
  ASSERT_EQ(c.exit_code, 0) << c.Describe();
  auto cg = ParseRdf(c.out, true, &error);
  ASSERT_TRUE(cg.has_value()) << error;
  EXPECT_FALSE(OfType(*cg, std::string(kSkos) + "Concept").empty()) << c.out;
  CommandResult bad_kind = RunKilde({"catalog", "export", "--kind", "widgets", "--data-dir", data});
  EXPECT_NE(bad_kind.exit_code, 0);
  EXPECT_NE(bad_kind.err.find("widgets"), std::string::npos) << bad_kind.Describe();
  EXPECT_NE(RunKilde({"catalog", "export", "--format", "docx", "--data-dir", data}).exit_code, 0);
}

TEST(CliTest, ServeRejectsABadListenAddress) {
  TempDir dir;
  CommandResult r =
      RunKilde({"serve", "--listen", "nope", "--data-dir", (dir.path() / "d").string()}, {}, 10s);
  EXPECT_FALSE(r.timed_out) << "serve with a bad --listen kept running";
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("listen"), std::string::npos) << r.Describe();
  EXPECT_EQ(r.out.find("listening"), std::string::npos);
}

TEST(CliTest, ServeReportsABusyPort) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor busy(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string port = std::to_string(busy.local_endpoint().port());
  TempDir dir;
  CommandResult r = RunKilde(
      {"serve", "--listen", "127.0.0.1:" + port, "--data-dir", (dir.path() / "d").string()}, {}, 10s);
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find(port), std::string::npos) << r.Describe();
}

TEST(CliTest, ConfigWithAnUnknownKeyIsRejected) {
  TempDir dir;
  const std::string cfg = dir.WriteFile("kilde.toml", "[http]\nmax_body_bytez = 2048\n");
  CommandResult r = RunKilde(
      {"serve", "--listen", "127.0.0.1:0", "--config", cfg, "--data-dir", (dir.path() / "d").string()}, {},
      10s);
  EXPECT_FALSE(r.timed_out) << "serve with a bad config kept running";
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("max_body_bytez"), std::string::npos) << r.Describe();
  // A bad value in the environment names the variable.
  CommandResult env =
      RunKilde({"serve", "--listen", "127.0.0.1:0", "--data-dir", (dir.path() / "d").string()},
               {{"KILDE_HTTP_READ_TIMEOUT_MS", "soon"}}, 10s);
  EXPECT_NE(env.exit_code, 0) << env.Describe();
  EXPECT_NE(env.err.find("KILDE_HTTP_READ_TIMEOUT_MS"), std::string::npos) << env.Describe();
}

TEST(CliTest, AStoreWithANewerSchemaIsRefused) {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  ASSERT_EQ(StoredIds(data, "organizations"), std::vector<std::string>{});  // creates the store
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "data" / "kilde.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (99, 'x')", nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;

  CommandResult r = RunKilde({"serve", "--listen", "127.0.0.1:0", "--data-dir", data}, {}, 10s);
  EXPECT_FALSE(r.timed_out) << "serve opened a store from the future";
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("schema version 99"), std::string::npos) << r.Describe();
  EXPECT_EQ(r.out.find("listening"), std::string::npos);
  // The CLI refuses it too, and leaves it alone.
  EXPECT_NE(RunKilde({"catalog", "export", "--data-dir", data}).exit_code, 0);
}

}  // namespace
}  // namespace kilde::it
