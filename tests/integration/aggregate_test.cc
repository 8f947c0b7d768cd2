// GET /api/v1/products/{id}/editions/{edition}/aggregate over HTTP: grouped aggregates, formats,
// filters, order and pages, latest and explicit editions, and the errors (400 / 404 / 406).
#include <gtest/gtest.h>

#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

const char* kCsv =
    "id,bydel,year,value,aktiv,dato\n"
    "1,Frogner,2024,10.5,true,2024-01-31\n"
    "2,Alna,2024,,false,2024-02-01\n"
    "3,Frogner,2025,7,false,2025-03-01\n"
    "4,Alna,2025,2.25,true,\n"
    "5,Gamle Oslo,2025,1,true,2025-12-31\n"
    "6,,2025,4,,2025-06-01\n";

Json AggSchema() {
  return {{"columns",
           {{{"name", "id"}, {"type", "integer"}, {"key", true}},
            {{"name", "bydel"}, {"type", "string"}, {"indexed", true}},
            {{"name", "year"}, {"type", "integer"}},
            {{"name", "value"}, {"type", "decimal"}},
            {{"name", "aktiv"}, {"type", "boolean"}},
            {{"name", "dato"}, {"type", "date"}}}}};
}

class AggregateTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  // A product named `name` (with its dataset and organisation); uploads `csv` unless empty and
  // returns the edition id ("" without upload).
  std::string MakeProduct(const std::string& name, const std::string& csv = kCsv) {
    HttpClient& c = client();
    MustCreate(c, "/api/v1/organizations", OrgDoc(name + "-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc(name + "-ds", name + "-org"));
    auto r = c.Post("/api/v1/products", {{"id", name}, {"dataset", name + "-ds"}, {"schema", AggSchema()}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    if (csv.empty()) return "";
    auto e = c.Send("POST", "/api/v1/products/" + name + "/editions", csv, {{"Content-Type", "text/csv"}});
    EXPECT_EQ(e.status, 201) << e.Describe();
    return e.Json().value("id", "");
  }
  HttpResponse Agg(const std::string& product, const std::string& query, const Headers& headers = {},
                   const std::string& edition = "latest") {
    return client().Get("/api/v1/products/" + product + "/editions/" + edition + "/aggregate?" + query,
                        headers);
  }
};

TEST_F(AggregateTest, GroupedJsonRendersLikeRows) {
  const std::string e = MakeProduct("agg-json");
  auto r = Agg("agg-json", "group_by=bydel&count=*&sum=value&avg=value&min=dato&max=aktiv");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("X-Edition"), e);
  EXPECT_EQ(r.Header("X-Total-Count"), "4");
  EXPECT_FALSE(r.HasHeader("X-Next-Offset"));
  // NULL is a group of its own, first ascending; decimals shortest, booleans true/false.
  EXPECT_EQ(
      r.body,
      "{\"edition\":\"" + e +
          "\",\"rows\":["
          R"({"bydel":null,"count":1,"sum_value":4,"avg_value":4,"min_dato":"2025-06-01","max_aktiv":null},)"
          R"({"bydel":"Alna","count":2,"sum_value":2.25,"avg_value":2.25,"min_dato":"2024-02-01","max_aktiv":true},)"
          R"({"bydel":"Frogner","count":2,"sum_value":17.5,"avg_value":8.75,"min_dato":"2024-01-31","max_aktiv":true},)"
          R"({"bydel":"Gamle Oslo","count":1,"sum_value":1,"avg_value":1,"min_dato":"2025-12-31","max_aktiv":true}],)"
          R"("total_groups":4,"truncated":false,"next_offset":null})");
}

TEST_F(AggregateTest, WholeEditionWithoutGroupBy) {
  MakeProduct("agg-whole");
  auto r = Agg("agg-whole", "count=*,value&sum=year&avg=year&max=dato");
  ASSERT_EQ(r.status, 200) << r.Describe();
  Json row = r.Json()["rows"].at(0);
  EXPECT_EQ(row["count"], 6);
  EXPECT_EQ(row["count_value"], 5);
  EXPECT_TRUE(row["sum_year"].is_number_integer());
  EXPECT_EQ(row["sum_year"], 12148);
  EXPECT_NEAR(row["avg_year"].get<double>(), 12148.0 / 6, 1e-9);
  EXPECT_EQ(row["max_dato"], "2025-12-31");
  // A filter that matches nothing still gives the one row: count 0, the rest null.
  r = Agg("agg-whole", "count=*&sum=value&year=gt.3000");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Json()["rows"], Json::parse(R"([{"count":0,"sum_value":null}])"));
  EXPECT_EQ(r.Json()["total_groups"], 1);
}

TEST_F(AggregateTest, FiltersOrderAndPages) {
  MakeProduct("agg-page");
  const std::string q = "year=eq.2025&group_by=bydel&sum=value&order=sum_value.desc&limit=2";
  auto r = Agg("agg-page", q);
  ASSERT_EQ(r.status, 200) << r.Describe();
  Json j = r.Json();
  EXPECT_EQ(j["rows"], Json::parse(R"([{"bydel":"Frogner","sum_value":7},{"bydel":null,"sum_value":4}])"));
  EXPECT_EQ(j["total_groups"], 4);
  EXPECT_EQ(j["truncated"], true);
  EXPECT_EQ(j["next_offset"], 2);
  EXPECT_EQ(r.Header("X-Next-Offset"), "2");
  EXPECT_EQ(r.Header("X-Total-Count"), "4");
  j = Agg("agg-page", q + "&offset=2").Json();
  EXPECT_EQ(j["rows"],
            Json::parse(R"([{"bydel":"Alna","sum_value":2.25},{"bydel":"Gamle Oslo","sum_value":1}])"));
  EXPECT_EQ(j["truncated"], false);
  EXPECT_EQ(j["next_offset"], nullptr);
  j = Agg("agg-page", q + "&offset=10").Json();
  EXPECT_TRUE(j["rows"].empty());
  EXPECT_EQ(j["total_groups"], 4);
  // Other filters of /rows: in, ilike, not.is.null; several ANDed.
  j = Agg("agg-page", "bydel=in.(Alna,Frogner,%22Gamle%20Oslo%22)&bydel=ilike.*o*&value=not.is.null&count=*")
          .Json();
  EXPECT_EQ(j["rows"][0]["count"], 3);  // Frogner twice, Gamle Oslo; Alna has no o
}

TEST_F(AggregateTest, NdjsonAndCsv) {
  MakeProduct("agg-fmt");
  auto r = Agg("agg-fmt", "group_by=year&count=*,value&format=csv");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.body, "year,count,count_value\r\n2024,2,1\r\n2025,4,4\r\n");
  EXPECT_EQ(r.Header("X-Total-Count"), "2");
  EXPECT_FALSE(r.Header("X-Edition").empty());
  r = Agg("agg-fmt", "group_by=aktiv&count=*", {{"Accept", "application/x-ndjson"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type"), "application/x-ndjson");
  EXPECT_EQ(r.body,
            "{\"aktiv\":null,\"count\":1}\n{\"aktiv\":false,\"count\":2}\n{\"aktiv\":true,\"count\":3}\n");
  r = Agg("agg-fmt", "group_by=aktiv&count=*&limit=1", {{"Accept", "text/csv"}});
  EXPECT_EQ(r.body, "aktiv,count\r\n,1\r\n");
  EXPECT_EQ(r.Header("X-Next-Offset"), "1");
  EXPECT_TRUE(IsError(Agg("agg-fmt", "count=*", {{"Accept", "text/html"}}), 406, "not_acceptable"));
}

TEST_F(AggregateTest, BadQueriesAre400NamingTheProblem) {
  MakeProduct("agg-bad");
  auto expect = [&](const std::string& query, const std::vector<std::string>& problems) {
    auto r = Agg("agg-bad", query);
    EXPECT_TRUE(IsError(r, 400, "validation_failed")) << query << ": " << r.Describe();
    EXPECT_EQ(Problems(r), problems) << query;
    return r;
  };
  expect("", {"group_by:required"});
  expect("year=eq.2025", {"group_by:required"});
  expect("bydell=eq.x&count=*", {"bydell:unknown_column"});
  expect("count=*&year=between.1", {"year:unknown_operator"});
  expect("count=*&year=eq.tjue", {"year:invalid_value"});
  expect("group_by=nope", {"group_by:unknown_column"});
  expect("count=*&select=id", {"select:unknown_column"});
  expect("count=*&limit=0", {"limit:invalid_value"});
  expect("count=*&offset=x", {"offset:invalid_value"});
  expect("count=*&format=xml", {"format:invalid_value"});
  expect("count=*&order=sum_value", {"order:unknown_column"});
  expect("count=*&count=id", {"count:invalid_value"});
  auto r = expect("sum=bydel&avg=aktiv", {"sum:invalid_value", "avg:invalid_value"});
  EXPECT_NE(r.body.find("sum needs an integer or decimal column; bydel is string"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("aktiv is boolean"), std::string::npos) << r.body;
}

TEST_F(AggregateTest, EditionsLatestAnd404) {
  const std::string first = MakeProduct("agg-ed");
  auto second = client().Send("POST", "/api/v1/products/agg-ed/editions", "id,bydel\n1,Alna\n",
                              {{"Content-Type", "text/csv"}});
  ASSERT_EQ(second.status, 201) << second.Describe();
  auto r = Agg("agg-ed", "count=*");
  EXPECT_EQ(r.Json()["rows"][0]["count"], 1);
  EXPECT_EQ(r.Json()["edition"], second.Json()["id"]);
  r = Agg("agg-ed", "count=*", {}, first);
  EXPECT_EQ(r.Json()["rows"][0]["count"], 6);
  EXPECT_EQ(r.Header("X-Edition"), first);
  EXPECT_TRUE(IsError(Agg("agg-ed", "count=*", {}, "2000-01-01-000000"), 404, "not_found"));
  EXPECT_TRUE(IsError(Agg("no-such-product", "count=*"), 404, "not_found"));
  MakeProduct("agg-empty", "");
  EXPECT_TRUE(IsError(Agg("agg-empty", "count=*"), 404, "not_found"));
}

TEST_F(AggregateTest, IntegerSumOverflowIs400) {
  MakeProduct("agg-big", "id,year\n1,9223372036854775807\n2,1\n");
  auto r = Agg("agg-big", "sum=year");
  EXPECT_TRUE(IsError(r, 400, "validation_failed")) << r.Describe();
  EXPECT_EQ(Problems(r), std::vector<std::string>{"sum:out_of_range"});
  r = Agg("agg-big", "avg=year&group_by=id&sum=year");  // per row, nothing overflows
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Json()["rows"][0]["sum_year"], 9223372036854775807LL);
}

}  // namespace
}  // namespace kilde::it
