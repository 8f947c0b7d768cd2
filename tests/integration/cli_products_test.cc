// The data product commands of the CLI, over the real binary: schema infer, product create,
// ingest (CSV with a Latin-1 charset and null markers, NDJSON), and their errors.
#include <gtest/gtest.h>

#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

// A data dir with one organisation and dataset (imported with `kilde catalog import`).
std::string PrepareDataDir(const TempDir& dir) {
  const std::string data = (dir.path() / "data").string();
  Json file = {{"organizations", {OrgDoc("clip-org")}}, {"datasets", {DatasetDoc("clip-ds", "clip-org")}}};
  CommandResult r =
      RunKilde({"catalog", "import", dir.WriteFile("catalog.json", file.dump()), "--data-dir", data});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return data;
}

TEST(CliProducts, InferCreateIngestAndServe) {
  TempDir dir;
  const std::string data = PrepareDataDir(dir);
  const std::string csv =
      dir.WriteFile("obs.csv", "orgnr;bydel;antall;andel\n958935420;Frogner;12;0,5\n974760673;Alna;-;1,25\n");
  CommandResult infer = RunKilde({"schema", "infer", csv});
  ASSERT_EQ(infer.exit_code, 0) << infer.Describe();
  Json proposed = Json::parse(infer.out, nullptr, false);
  ASSERT_TRUE(proposed.is_object()) << infer.out;
  Json schema = proposed.contains("schema") ? proposed["schema"] : proposed;
  ASSERT_EQ(schema["columns"].size(), 4u);
  EXPECT_EQ(schema["columns"][0]["type"], "organisasjonsnummer");

  // The owner edits the proposal (here: antall is an integer with "-" for suppressed values).
  Json edited = {{"columns",
                  {{{"name", "orgnr"}, {"type", "organisasjonsnummer"}, {"key", true}},
                   {{"name", "bydel"}, {"type", "string"}, {"indexed", true}},
                   {{"name", "antall"}, {"type", "integer"}},
                   {{"name", "andel"}, {"type", "decimal"}}}}};
  const std::string schema_file = dir.WriteFile("schema.json", edited.dump());
  CommandResult create = RunKilde({"product", "create", "--data-dir", data, "--id", "clip", "--dataset",
                                   "clip-ds", "--schema", schema_file});
  ASSERT_EQ(create.exit_code, 0) << create.Describe();
  EXPECT_NE(create.out.find("created data product 'clip'"), std::string::npos);

  CommandResult ingest =
      RunKilde({"ingest", "--data-dir", data, "clip", csv, "--null", "-", "--decimal-comma"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.Describe();
  Json edition = Json::parse(ingest.out, nullptr, false);
  EXPECT_EQ(edition["row_count"], 2);
  EXPECT_EQ(edition["source_name"], "obs.csv");
  EXPECT_EQ(ingest.err.find('\r'), std::string::npos) << "no progress bar when stderr is not a terminal";

  // The same rows as NDJSON give the same content hash.
  const std::string nd =
      dir.WriteFile("obs.ndjson",
                    "{\"orgnr\":\"958935420\",\"bydel\":\"Frogner\",\"antall\":12,\"andel\":0.5}\n"
                    "{\"orgnr\":\"974760673\",\"bydel\":\"Alna\",\"antall\":null,\"andel\":1.25}\n");
  CommandResult again = RunKilde({"ingest", "--data-dir", data, "clip", nd});
  ASSERT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_EQ(Json::parse(again.out)["sha256"], edition["sha256"]);

  // A server on the same data dir serves what the CLI loaded.
  std::string error;
  auto server = KildeServer::Start(ServerConfig().DataDir(data), &error);
  ASSERT_TRUE(server) << error;
  HttpClient c(server->port());
  auto rows = c.Get("/api/v1/products/clip/editions/latest/rows?bydel=eq.Alna");
  ASSERT_EQ(rows.status, 200) << rows.Describe();
  EXPECT_TRUE(rows.Json()["items"][0]["antall"].is_null());
}

TEST(CliProducts, ErrorsNameTheProblemAndExitNonZero) {
  TempDir dir;
  const std::string data = PrepareDataDir(dir);
  const std::string schema_file =
      dir.WriteFile("schema.json", R"({"columns":[{"name":"id","type":"integer","key":true}]})");
  CommandResult nodataset = RunKilde({"product", "create", "--data-dir", data, "--id", "x", "--dataset",
                                      "no-such", "--schema", schema_file});
  EXPECT_NE(nodataset.exit_code, 0);
  EXPECT_NE(nodataset.err.find("no-such"), std::string::npos) << nodataset.Describe();
  const std::string bad_schema = dir.WriteFile("bad.json", R"({"columns":[{"name":"id","type":"int"}]})");
  CommandResult badtype = RunKilde(
      {"product", "create", "--data-dir", data, "--id", "x", "--dataset", "clip-ds", "--schema", bad_schema});
  EXPECT_NE(badtype.exit_code, 0);
  EXPECT_NE(badtype.err.find("schema.columns[0].type"), std::string::npos) << badtype.Describe();

  ASSERT_EQ(RunKilde({"product", "create", "--data-dir", data, "--id", "p", "--dataset", "clip-ds",
                      "--schema", schema_file})
                .exit_code,
            0);
  CommandResult rows =
      RunKilde({"ingest", "--data-dir", data, "p", dir.WriteFile("r.csv", "id\n1\nto\n1\n")});
  EXPECT_NE(rows.exit_code, 0);
  EXPECT_NE(rows.err.find("line 3"), std::string::npos) << rows.Describe();
  EXPECT_TRUE(rows.out.empty()) << "no edition is reported";
  EXPECT_NE(RunKilde({"ingest", "--data-dir", data, "nope", dir.WriteFile("ok.csv", "id\n1\n")}).exit_code,
            0);
  CommandResult missing =
      RunKilde({"ingest", "--data-dir", data, "p", (dir.path() / "missing.csv").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("missing.csv"), std::string::npos) << missing.Describe();
  EXPECT_NE(RunKilde({"schema", "infer", (dir.path() / "missing.csv").string()}).exit_code, 0);

  // Nothing half-done: the product has no edition after the failed ingests.
  std::string error;
  auto server = KildeServer::Start(ServerConfig().DataDir(data), &error);
  ASSERT_TRUE(server) << error;
  HttpClient c(server->port());
  EXPECT_EQ(c.Get("/api/v1/products/p/editions").Json()["items"], Json::array());
}

}  // namespace
}  // namespace kilde::it
