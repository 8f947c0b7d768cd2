// The catalog entry of a dataset summarises its data products: latest edition, quality summary
// and links; the ETag follows new editions, and the document can still be PUT back as read.
#include <gtest/gtest.h>

#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

class CatalogSummaryTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }
};

TEST_F(CatalogSummaryTest, DatasetShowsItsProductsAndTheirQuality) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("sum-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("sum-ds", "sum-org"));
  const std::string ds = "/api/v1/datasets/sum-ds";
  auto before = c.Get(ds);
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.Json()["data_products"], Json::array());
  EXPECT_EQ(before.Header("ETag"), "\"1\"");

  Json schema = {{"columns",
                  {{{"name", "id"}, {"type", "integer"}, {"key", true}},
                   {{"name", "bydel"}, {"type", "string"}},
                   {{"name", "value"}, {"type", "decimal"}}}}};
  ASSERT_EQ(c.Post("/api/v1/products", {{"id", "sum-p"}, {"dataset", "sum-ds"}, {"schema", schema}}).status,
            201);
  auto empty = c.Get(ds);
  Json p = empty.Json()["data_products"][0];
  EXPECT_EQ(p["id"], "sum-p");
  EXPECT_EQ(p["edition_count"], 0);
  EXPECT_TRUE(p["latest_edition"].is_null());
  EXPECT_FALSE(p.contains("download_href"));
  EXPECT_NE(empty.Header("ETag"), before.Header("ETag")) << "a new product changes the entry";

  auto up = c.Send("POST", "/api/v1/products/sum-p/editions",
                   "id,bydel,value\n1,Alna,\n2,,3\n3,Frogner,4\n4,,\n", {{"Content-Type", "text/csv"}});
  ASSERT_EQ(up.status, 201) << up.Describe();
  auto after = c.Get(ds);
  ASSERT_EQ(after.status, 200);
  Json e = after.Json()["data_products"][0];
  EXPECT_EQ(e["edition_count"], 1);
  EXPECT_EQ(e["latest_edition"]["id"], up.Json()["id"]);
  Json q = e["latest_edition"]["quality_summary"];
  EXPECT_EQ(q["rows"], 4);
  EXPECT_EQ(q["invalid"], 0);
  EXPECT_DOUBLE_EQ(q["completeness"].get<double>(), 0.6667);  // (1 + 0.5 + 0.5) / 3
  EXPECT_EQ(q["incomplete_columns"],
            Json::parse(R"([{"name":"bydel","completeness":0.5},{"name":"value","completeness":0.5}])"));
  EXPECT_EQ(e["download_href"], server().base_url() + "/api/v1/products/sum-p/editions/latest/download");
  auto dl = c.Get(e["download_href"].get<std::string>().substr(server().base_url().size()));
  EXPECT_EQ(dl.status, 200);

  // The ETag follows the products; a stale one no longer gives 304.
  const std::string etag = after.Header("ETag");
  EXPECT_NE(etag, empty.Header("ETag"));
  EXPECT_EQ(c.Get(ds, {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(c.Get(ds, {{"If-None-Match", empty.Header("ETag")}}).status, 200);

  // The document as read can be PUT back with its ETag in If-Match (data_products is ignored).
  Json doc = after.Json();
  auto put = c.Send("PUT", ds, doc.dump(), {{"Content-Type", "application/json"}, {"If-Match", etag}});
  EXPECT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(put.Json()["version"], 2);
  auto stale = c.Send("PUT", ds, doc.dump(), {{"Content-Type", "application/json"}, {"If-Match", etag}});
  EXPECT_EQ(stale.status, 412) << "the version inside the ETag is still checked";

  // The product document shows the same summary for its latest edition.
  auto prod = c.Get("/api/v1/products/sum-p");
  EXPECT_EQ(prod.Json()["latest_edition"]["quality_summary"], q);
}

}  // namespace
}  // namespace kilde::it
