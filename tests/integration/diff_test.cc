// Diffs between editions over HTTP: summary and items, paging that walks to the same result as
// the NDJSON stream, op filters, schema changes between editions, and every bad request.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "fixtures.h"

namespace kilde::it {
namespace {

Json DiffSchema(bool with_note) {
  Json cols = {{{"name", "id"}, {"type", "integer"}, {"key", true}},
               {{"name", "bydel"}, {"type", "string"}},
               {{"name", "value"}, {"type", "decimal"}}};
  if (with_note) cols.push_back({{"name", "note"}, {"type", "string"}});
  return {{"columns", cols}};
}

class DiffTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  void MakeProduct(const std::string& name, const Json& schema) {
    HttpClient& c = client();
    MustCreate(c, "/api/v1/organizations", OrgDoc(name + "-org"));
    MustCreate(c, "/api/v1/datasets", DatasetDoc(name + "-ds", name + "-org"));
    auto r = c.Post("/api/v1/products", {{"id", name}, {"dataset", name + "-ds"}, {"schema", schema}});
    ASSERT_EQ(r.status, 201) << r.Describe();
  }
  std::string Upload(const std::string& product, const std::string& csv) {
    auto r = client().Send("POST", "/api/v1/products/" + product + "/editions", csv,
                           {{"Content-Type", "text/csv"}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.Json().value("id", "");
  }
  std::string Url(const std::string& p, const std::string& a, const std::string& b,
                  const std::string& q = "") {
    return "/api/v1/products/" + p + "/editions/" + a + "/diff/" + b + q;
  }
};

TEST_F(DiffTest, SummaryAndItemsByKey) {
  MakeProduct("diff-a", DiffSchema(false));
  const std::string a = Upload("diff-a", "id,bydel,value\n1,Frogner,10\n2,Alna,5\n3,Sagene,7\n5,Bjerke,\n");
  const std::string b =
      Upload("diff-a", "id,bydel,value\n1,Frogner,11\n3,Sagene,7\n4,Bjerke,1\n5,Bjerke,2\n");
  auto r = client().Get(Url("diff-a", a, "latest"));
  ASSERT_EQ(r.status, 200) << r.Describe();
  Json d = r.Json();
  EXPECT_EQ(d["from"]["id"], a);
  EXPECT_EQ(d["to"]["id"], b);
  EXPECT_EQ(d["key"], "id");
  EXPECT_EQ(d["summary"], Json({{"added", 1}, {"removed", 1}, {"changed", 2}, {"unchanged", 1}}));
  EXPECT_EQ(r.Header("X-Diff-Changed"), "2");
  ASSERT_EQ(d["items"].size(), 4u);
  EXPECT_EQ(d["items"][0],
            Json({{"op", "added"}, {"key", 4}, {"row", {{"id", 4}, {"bydel", "Bjerke"}, {"value", 1}}}}));
  EXPECT_EQ(d["items"][1]["op"], "removed");
  EXPECT_EQ(d["items"][1]["row"]["bydel"], "Alna");
  EXPECT_EQ(d["items"][2]["key"], 1);
  EXPECT_EQ(d["items"][2]["columns"], Json({"value"}));
  EXPECT_EQ(d["items"][2]["before"]["value"], 10);
  EXPECT_EQ(d["items"][2]["after"]["value"], 11);
  EXPECT_EQ(d["items"][3]["key"], 5);  // NULL → 2 is a change
  EXPECT_TRUE(d["next_cursor"].is_null());

  auto same = client().Get(Url("diff-a", b, b)).Json();
  EXPECT_EQ(same["summary"], Json({{"added", 0}, {"removed", 0}, {"changed", 0}, {"unchanged", 4}}));
  auto reverse = client().Get(Url("diff-a", "latest", a, "?op=added")).Json();
  ASSERT_EQ(reverse["items"].size(), 1u);
  EXPECT_EQ(reverse["items"][0]["key"], 2);
}

// Walking the pages with a small limit gives exactly the NDJSON stream's lines.
TEST_F(DiffTest, PagesWalkToTheStream) {
  MakeProduct("diff-p", DiffSchema(false));
  std::string a = "id,bydel,value\n", b = "id,bydel,value\n";
  for (int i = 1; i <= 3000; ++i) {
    if (i % 3) a += std::to_string(i) + ",X," + std::to_string(i % 10) + "\n";
    if (i % 5) b += std::to_string(i) + ",X," + std::to_string(i % 7 ? i % 10 : 99) + "\n";
  }
  const std::string ea = Upload("diff-p", a), eb = Upload("diff-p", b);
  auto stream = client().Get(Url("diff-p", ea, eb, "?format=ndjson"));
  ASSERT_EQ(stream.status, 200) << stream.Describe();
  EXPECT_EQ(stream.Header("Content-Type"), "application/x-ndjson");
  std::vector<Json> streamed;
  std::istringstream lines(stream.body);
  for (std::string line; std::getline(lines, line);) streamed.push_back(Json::parse(line));
  const int64_t total = std::stoll(stream.Header("X-Diff-Added")) +
                        std::stoll(stream.Header("X-Diff-Removed")) +
                        std::stoll(stream.Header("X-Diff-Changed"));
  EXPECT_EQ(static_cast<int64_t>(streamed.size()), total);
  EXPECT_GT(total, 1000);

  std::vector<Json> paged;
  std::string cursor;
  for (int guard = 0; guard < 100; ++guard) {
    auto p = client().Get(Url("diff-p", ea, eb, "?limit=97" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    ASSERT_EQ(p.status, 200) << p.Describe();
    Json page = p.Json();
    EXPECT_LE(page["items"].size(), 97u);
    for (const auto& item : page["items"]) paged.push_back(item);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  EXPECT_EQ(paged, streamed);

  auto changed = client().Get(Url("diff-p", ea, eb, "?op=changed&format=ndjson"));
  size_t n = std::count(changed.body.begin(), changed.body.end(), '\n');
  EXPECT_EQ(std::to_string(n), changed.Header("X-Diff-Changed"));
}

TEST_F(DiffTest, SchemaChangeBetweenEditions) {
  MakeProduct("diff-s", DiffSchema(false));
  const std::string a = Upload("diff-s", "id,bydel,value\n1,Frogner,10\n");
  ASSERT_EQ(client().Put("/api/v1/products/diff-s/schema", DiffSchema(true)).status, 200);
  Upload("diff-s", "id,bydel,value,note\n1,Frogner,10,ny\n");
  Json d = client().Get(Url("diff-s", a, "latest")).Json();
  EXPECT_EQ(d["columns"]["added"], Json({"note"}));
  EXPECT_EQ(d["columns"]["compared"], Json({"bydel", "value"}));
  EXPECT_EQ(d["summary"]["unchanged"], 1) << "a column only in one edition is not compared";
}

TEST_F(DiffTest, BadRequestsNameTheProblem) {
  MakeProduct("diff-bad", DiffSchema(false));
  const std::string a = Upload("diff-bad", "id,bydel,value\n1,Frogner,10\n");
  auto bad = client().Get(Url("diff-bad", a, a, "?op=moved&select=id"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Problems(bad), (std::vector<std::string>{"op:invalid_value", "select:unknown_parameter"}));
  EXPECT_EQ(client().Get(Url("diff-bad", a, a, "?format=ndjson&limit=5")).status, 400);
  auto cur = client().Get(Url("diff-bad", a, a, "?cursor=abc"));
  EXPECT_EQ(cur.status, 400);
  EXPECT_EQ(Problems(cur), (std::vector<std::string>{"cursor:invalid_value"}));
  auto key = client().Get(Url("diff-bad", a, a, "?key=bydel"));
  EXPECT_EQ(key.status, 400);
  EXPECT_EQ(Problems(key), (std::vector<std::string>{"key:invalid_value"}));
  EXPECT_EQ(client().Get(Url("diff-bad", a, a, "?format=csv")).status, 400);
  EXPECT_EQ(client().Get(Url("diff-bad", a, a), {{"Accept", "text/csv"}}).status, 406);
  EXPECT_EQ(client().Get(Url("diff-bad", a, "no-such")).status, 404);
  EXPECT_EQ(client().Get(Url("no-such", "latest", "latest")).status, 404);

  MakeProduct("diff-nokey", {{"columns", {{{"name", "bydel"}, {"type", "string"}}}}});
  const std::string n = Upload("diff-nokey", "bydel\nFrogner\n");
  auto nokey = client().Get(Url("diff-nokey", n, n));
  EXPECT_EQ(nokey.status, 409) << nokey.Describe();
  EXPECT_NE(nokey.Json()["error"]["message"].get<std::string>().find("key"), std::string::npos);
}

}  // namespace
}  // namespace kilde::it
