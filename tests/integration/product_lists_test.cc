// Product lists page with a Link header; the read routes without parameters refuse unknown ones.
#include <gtest/gtest.h>

#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

class ProductListsTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }
};

TEST_F(ProductListsTest, LinkHeaderAndUnknownParameters) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("pl-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("pl-ds", "pl-org"));
  Json schema = {{"columns", {{{"name", "id"}, {"type", "integer"}, {"key", true}}}}};
  for (const char* id : {"pl-a", "pl-b", "pl-c"})
    ASSERT_EQ(c.Post("/api/v1/products", {{"id", id}, {"dataset", "pl-ds"}, {"schema", schema}}).status, 201);

  auto first = c.Get("/api/v1/products?dataset=pl-ds&limit=2");
  ASSERT_EQ(first.status, 200);
  const std::string cursor = first.Json()["next_cursor"];
  EXPECT_EQ(first.Header("Link"), "<" + server().base_url() +
                                      "/api/v1/products?dataset=pl-ds&limit=2&cursor=" + cursor +
                                      ">; rel=\"next\"");
  auto second = c.Get("/api/v1/products?dataset=pl-ds&limit=2&cursor=" + cursor);
  EXPECT_EQ(second.Json()["items"].size(), 1u);
  EXPECT_FALSE(second.HasHeader("Link"));

  ASSERT_EQ(
      c.Send("POST", "/api/v1/products/pl-a/editions", "id\n1\n", {{"Content-Type", "text/csv"}}).status,
      201);
  for (const char* path :
       {"/api/v1/products/pl-a?x=1", "/api/v1/products/pl-a/editions?limit=5",
        "/api/v1/products/pl-a/schema-versions?page=2", "/api/v1/products/pl-a/editions/latest?format=csv",
        "/api/v1/products/pl-a/editions/latest/quality?x=1"}) {
    auto r = c.Get(path);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(Problems(r).size(), 1u) << path << " " << r.Describe();
    EXPECT_NE(Problems(r)[0].find(":unknown_parameter"), std::string::npos) << path;
  }
}

// Reads of an immutable edition are answered from the response cache the second time; deleting
// an edition empties it, so a deleted edition's rows are never served again.
TEST_F(ProductListsTest, RowAndAggregateResponsesAreCachedPerEdition) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("rc-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("rc-ds", "rc-org"));
  Json schema = {
      {"columns",
       {{{"name", "id"}, {"type", "integer"}, {"key", true}}, {{"name", "v"}, {"type", "integer"}}}}};
  ASSERT_EQ(c.Post("/api/v1/products", {{"id", "rc"}, {"dataset", "rc-ds"}, {"schema", schema}}).status, 201);
  ASSERT_EQ(
      c.Send("POST", "/api/v1/products/rc/editions", "id,v\n1,10\n2,20\n", {{"Content-Type", "text/csv"}})
          .status,
      201);
  const std::string rows = "/api/v1/products/rc/editions/latest/rows?v=gt.5&order=v.desc";
  auto miss = c.Get(rows);
  auto hit = c.Get(rows);
  EXPECT_EQ(miss.Header("X-Cache"), "miss");
  EXPECT_EQ(hit.Header("X-Cache"), "hit");
  EXPECT_EQ(hit.body, miss.body);
  EXPECT_EQ(c.Get(rows, {{"Accept", "text/csv"}}).Header("X-Cache"), "miss") << "Accept is part of the key";
  auto agg = "/api/v1/products/rc/editions/latest/aggregate?sum=v";
  EXPECT_EQ(c.Get(agg).Header("X-Cache"), "miss");
  EXPECT_EQ(c.Get(agg).Json()["rows"][0]["sum_v"], 30);
  EXPECT_EQ(c.Get(agg).Header("X-Cache"), "hit");
  EXPECT_EQ(c.Get("/api/v1/products/rc/editions/latest/rows?nope=eq.1").Header("X-Cache"), "miss")
      << "errors are not cached";

  // A new edition: `latest` resolves to it, so the cached page of the old one is not used.
  ASSERT_EQ(
      c.Send("POST", "/api/v1/products/rc/editions", "id,v\n1,11\n", {{"Content-Type", "text/csv"}}).status,
      201);
  auto fresh = c.Get(rows);
  EXPECT_EQ(fresh.Header("X-Cache"), "miss");
  EXPECT_EQ(fresh.Json()["items"].size(), 1u);
  ASSERT_EQ(c.Delete("/api/v1/products/rc/editions/" + fresh.Header("X-Edition")).status, 204);
  auto old = c.Get(rows);
  EXPECT_EQ(old.Header("X-Cache"), "miss");
  EXPECT_EQ(old.Json()["items"].size(), 2u);
  EXPECT_NE(c.Get("/metrics").body.find("kilde_response_cache_hits_total"), std::string::npos);
}

}  // namespace
}  // namespace kilde::it
