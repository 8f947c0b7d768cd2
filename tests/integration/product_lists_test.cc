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

}  // namespace
}  // namespace kilde::it
