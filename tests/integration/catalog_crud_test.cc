// CRUD over the JSON API for every kind of catalog resource, against a real
// `kilde serve`: create / get / conditional get / replace / merge patch /
// optimistic concurrency / delete, references and cascades, derived ids.
#include <gtest/gtest.h>

#include "fixtures.h"

namespace kilde::it {
namespace {

class CatalogCrudTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }
};

// One kind's test case: where it lives and how to build / change a document.
struct KindCase {
  std::string kind;   // path name
  std::string field;  // a field the merge patch sets
  Json value;         // ... to this value
};

// "data-services" -> "dataservices" (test names and ids).
std::string Compact(std::string s) {
  std::erase(s, '-');
  return s;
}

std::string PrintKind(const ::testing::TestParamInfo<KindCase>& info) { return Compact(info.param.kind); }
void PrintTo(const KindCase& k, std::ostream* os) { *os << k.kind; }

class CatalogLifecycleTest : public CatalogCrudTest, public ::testing::WithParamInterface<KindCase> {};

// Creates what a resource of `kind` needs and returns {collection, document}.
std::pair<std::string, Json> Prepare(HttpClient& c, const std::string& kind, const std::string& id) {
  const std::string org = id + "-org";
  MustCreate(c, "/api/v1/organizations", OrgDoc(org));
  if (kind == "organizations") return {"/api/v1/organizations", OrgDoc(id, org)};
  if (kind == "datasets") return {"/api/v1/datasets", DatasetDoc(id, org)};
  if (kind == "distributions") {
    MustCreate(c, "/api/v1/datasets", DatasetDoc(id + "-ds", org));
    return {"/api/v1/datasets/" + id + "-ds/distributions", DistributionDoc(id)};
  }
  if (kind == "data-services") return {"/api/v1/data-services", DataServiceDoc(id, org)};
  if (kind == "concepts") return {"/api/v1/concepts", ConceptDoc(id, org)};
  return {"/api/v1/public-services", PublicServiceDoc(id, org)};
}

TEST_P(CatalogLifecycleTest, CreateGetReplacePatchDelete) {
  const KindCase& k = GetParam();
  HttpClient& c = client();
  const std::string id = "life-" + Compact(k.kind);
  auto [collection, doc] = Prepare(c, k.kind, id);
  const std::string item = collection + "/" + id;

  // Create: 201 with Location, ETag "1" and the stored document.
  HttpResponse created = c.Post(collection, doc);
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.Header("Location"), server().base_url() + item);
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  Json stored = created.Json();
  EXPECT_EQ(stored.value("id", ""), id);
  EXPECT_EQ(stored.value("version", 0), 1);
  EXPECT_TRUE(stored.contains("created") && stored.contains("modified")) << stored.dump();
  for (const auto& [key, value] : doc.items()) EXPECT_EQ(stored[key], value) << "field " << key;

  // Get, conditional get.
  HttpResponse got = c.Get(item);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.Json(), stored);
  EXPECT_EQ(got.Header("ETag"), "\"1\"");
  HttpResponse not_modified = c.Get(item, {{"If-None-Match", "\"1\""}});
  EXPECT_EQ(not_modified.status, 304) << not_modified.Describe();
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.Header("ETag"), "\"1\"");
  EXPECT_EQ(c.Get(item, {{"If-None-Match", "\"7\""}}).status, 200);

  // The list has it.
  Json list = c.Get(collection + "?limit=500").Json();
  bool listed = false;
  for (const auto& it : list.value("items", Json::array())) listed |= it.value("id", "") == id;
  EXPECT_TRUE(listed) << list.dump();

  // Replace with If-Match: version 2; a stale If-Match is 412 and changes nothing.
  Json replacement = doc;
  replacement[k.field] = k.value;
  HttpResponse put = c.Put(item, replacement, {{"If-Match", "\"1\""}});
  ASSERT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(put.Header("ETag"), "\"2\"");
  EXPECT_EQ(put.Json()[k.field], k.value);
  EXPECT_EQ(put.Json()["created"], stored["created"]);
  EXPECT_TRUE(IsError(c.Put(item, doc, {{"If-Match", "\"1\""}}), 412, "precondition_failed"));
  EXPECT_EQ(c.Get(item).Json().value("version", 0), 2);

  // Merge patch: null removes the field, everything else is kept.
  HttpResponse patched = c.Patch(item, {{k.field, nullptr}}, {{"If-Match", "\"2\""}});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(patched.Header("ETag"), "\"3\"");
  Json after = patched.Json();
  EXPECT_FALSE(after.contains(k.field)) << after.dump();
  for (const auto& [key, value] : doc.items()) {
    if (key == k.field) continue;
    EXPECT_EQ(after[key], value) << "patch changed field " << key;
  }
  EXPECT_TRUE(
      IsError(c.Patch(item, {{k.field, k.value}}, {{"If-Match", "\"2\""}}), 412, "precondition_failed"));

  // Delete: stale If-Match 412, then 204, then 404 for GET and DELETE.
  EXPECT_TRUE(IsError(c.Delete(item, {{"If-Match", "\"2\""}}), 412, "precondition_failed"));
  HttpResponse deleted = c.Delete(item, {{"If-Match", "\"3\""}});
  EXPECT_EQ(deleted.status, 204) << deleted.Describe();
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_TRUE(IsError(c.Get(item), 404, "not_found"));
  EXPECT_TRUE(IsError(c.Delete(item), 404, "not_found"));
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, CatalogLifecycleTest,
    ::testing::Values(KindCase{"organizations", "homepage", "https://www.example.oslo.kommune.no/"},
                      KindCase{"datasets", "keywords", {{"nb", {"endret"}}}},
                      KindCase{"distributions", "download_url", "https://data.example.oslo.kommune.no/f.csv"},
                      KindCase{"data-services", "description", {{"nb", "Endret beskrivelse"}}},
                      KindCase{"concepts", "scope_note", {{"nb", "Merknad"}}},
                      KindCase{"public-services", "homepage", "https://www.example.oslo.kommune.no/tj"}),
    PrintKind);

// RFC 9110 section 13.1.2: If-None-Match uses weak comparison, may list several
// tags, and "*" matches any current representation. (Regression test: the GET
// item route once compared the header as one exact string and answered 200.)
TEST_F(CatalogCrudTest, ConditionalGetHonoursTagListsWeakTagsAndStar) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("inm-org"));
  const std::string item = "/api/v1/organizations/inm-org";
  EXPECT_EQ(c.Get(item, {{"If-None-Match", "\"1\""}}).status, 304);
  EXPECT_EQ(c.Get(item, {{"If-None-Match", "\"0\", \"1\""}}).status, 304) << "a list of ETags";
  EXPECT_EQ(c.Get(item, {{"If-None-Match", "W/\"1\""}}).status, 304) << "a weak ETag";
  EXPECT_EQ(c.Get(item, {{"If-None-Match", "*"}}).status, 304) << "*";
  EXPECT_EQ(c.Get(item, {{"If-None-Match", "\"0\", \"2\""}}).status, 200);
}

TEST_F(CatalogCrudTest, IdIsDerivedFromTheTitleAndMadeUnique) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("slug-org"));
  Json doc = DatasetDoc("x", "slug-org");
  doc.erase("id");
  doc["title"] = {{"nb", "Bæreevne på Østensjø 2024"}};
  HttpResponse first = c.Post("/api/v1/datasets", doc);
  ASSERT_EQ(first.status, 201) << first.Describe();
  EXPECT_EQ(first.Json().value("id", ""), "baereevne-pa-ostensjo-2024");
  EXPECT_EQ(first.Header("Location"), server().base_url() + "/api/v1/datasets/baereevne-pa-ostensjo-2024");
  HttpResponse second = c.Post("/api/v1/datasets", doc);
  ASSERT_EQ(second.status, 201) << second.Describe();
  EXPECT_EQ(second.Json().value("id", ""), "baereevne-pa-ostensjo-2024-2");
  EXPECT_EQ(c.Get("/api/v1/datasets/baereevne-pa-ostensjo-2024-2").status, 200);

  Json org = OrgDoc("ignored");
  org.erase("id");
  org["name"] = {{"nb", "Bydel Søndre Åsen"}};
  HttpResponse o = c.Post("/api/v1/organizations", org);
  ASSERT_EQ(o.status, 201) << o.Describe();
  EXPECT_EQ(o.Json().value("id", ""), "bydel-sondre-asen");
}

TEST_F(CatalogCrudTest, DeletingAReferencedOrganizationIsAConflictNamingTheReferrer) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("ref-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("ref-org-dataset", "ref-org"));
  HttpResponse r = c.Delete("/api/v1/organizations/ref-org");
  ASSERT_TRUE(IsError(r, 409, "conflict"));
  EXPECT_NE(r.Json()["error"].value("message", "").find("ref-org-dataset"), std::string::npos) << r.body;
  EXPECT_EQ(c.Get("/api/v1/organizations/ref-org").status, 200);

  // A child organisation's parent link also protects the parent.
  MustCreate(c, "/api/v1/organizations", OrgDoc("ref-parent"));
  MustCreate(c, "/api/v1/organizations", OrgDoc("ref-child", "ref-parent"));
  HttpResponse p = c.Delete("/api/v1/organizations/ref-parent");
  EXPECT_TRUE(IsError(p, 409, "conflict"));
  EXPECT_NE(p.body.find("ref-child"), std::string::npos) << p.body;

  // Datasets and concepts are protected by their referrers too.
  MustCreate(c, "/api/v1/concepts", ConceptDoc("ref-term", "ref-parent"));
  Json ds = DatasetDoc("ref-served", "ref-parent");
  ds["concepts"] = {"ref-term"};
  MustCreate(c, "/api/v1/datasets", ds);
  Json api = DataServiceDoc("ref-api", "ref-parent");
  api["serves_datasets"] = {"ref-served"};
  MustCreate(c, "/api/v1/data-services", api);
  HttpResponse d = c.Delete("/api/v1/datasets/ref-served");
  EXPECT_TRUE(IsError(d, 409, "conflict"));
  EXPECT_NE(d.body.find("ref-api"), std::string::npos) << d.body;
  HttpResponse t = c.Delete("/api/v1/concepts/ref-term");
  EXPECT_TRUE(IsError(t, 409, "conflict"));
  EXPECT_NE(t.body.find("ref-served"), std::string::npos) << t.body;

  // Once the referrer is gone the organisation can be deleted.
  EXPECT_EQ(c.Delete("/api/v1/datasets/ref-org-dataset").status, 204);
  EXPECT_EQ(c.Delete("/api/v1/organizations/ref-org").status, 204);
}

TEST_F(CatalogCrudTest, DeletingADatasetDeletesItsDistributions) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("casc-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("casc-ds", "casc-org"));
  MustCreate(c, "/api/v1/datasets/casc-ds/distributions", DistributionDoc("casc-csv"));
  MustCreate(c, "/api/v1/datasets/casc-ds/distributions", DistributionDoc("casc-json"));
  Json list = c.Get("/api/v1/datasets/casc-ds/distributions").Json();
  ASSERT_EQ(list.value("items", Json::array()).size(), 2u) << list.dump();
  EXPECT_EQ(list["items"][0].value("dataset", ""), "casc-ds");

  ASSERT_EQ(c.Delete("/api/v1/datasets/casc-ds").status, 204);
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets/casc-ds/distributions/casc-csv"), 404, "not_found"));
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets/casc-ds/distributions"), 404, "not_found"));
  // A new dataset with the same id starts empty, and the distribution ids are free again.
  MustCreate(c, "/api/v1/datasets", DatasetDoc("casc-ds", "casc-org"));
  EXPECT_EQ(c.Get("/api/v1/datasets/casc-ds/distributions").Json()["items"], Json::array());
  MustCreate(c, "/api/v1/datasets/casc-ds/distributions", DistributionDoc("casc-csv"));
}

TEST_F(CatalogCrudTest, DistributionsBelongToTheirDataset) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("dist-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("dist-a", "dist-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("dist-b", "dist-org"));
  MustCreate(c, "/api/v1/datasets/dist-a/distributions", DistributionDoc("dist-file"));
  // Not reachable through another dataset; ids are unique across all distributions.
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets/dist-b/distributions/dist-file"), 404, "not_found"));
  EXPECT_TRUE(IsError(c.Post("/api/v1/datasets/dist-b/distributions", DistributionDoc("dist-file")), 409,
                      "already_exists"));
  // `dataset` in the body must match the URL; a missing dataset is 404.
  Json wrong = DistributionDoc("dist-other");
  wrong["dataset"] = "dist-b";
  HttpResponse r = c.Post("/api/v1/datasets/dist-a/distributions", wrong);
  EXPECT_TRUE(IsError(r, 400, "validation_failed"));
  EXPECT_EQ(Problems(r), std::vector<std::string>{"dataset:conflict"});
  EXPECT_TRUE(IsError(c.Post("/api/v1/datasets/no-such-ds/distributions", DistributionDoc("dist-x")), 404,
                      "not_found"));
}

TEST_F(CatalogCrudTest, CreatingAnExistingIdIsAConflictAndIdIsImmutable) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("dup-org"));
  EXPECT_TRUE(IsError(c.Post("/api/v1/organizations", OrgDoc("dup-org")), 409, "already_exists"));
  Json renamed = c.Get("/api/v1/organizations/dup-org").Json();
  renamed["id"] = "dup-org-renamed";
  HttpResponse r = c.Put("/api/v1/organizations/dup-org", renamed);
  EXPECT_TRUE(IsError(r, 400, "validation_failed"));
  EXPECT_EQ(Problems(r), std::vector<std::string>{"id:read_only"});
  // Server-managed fields sent by the client are ignored, not trusted.
  Json doc = c.Get("/api/v1/organizations/dup-org").Json();
  doc["version"] = 42;
  doc["created"] = "1999-01-01T00:00:00Z";
  HttpResponse put = c.Put("/api/v1/organizations/dup-org", doc);
  ASSERT_EQ(put.status, 200) << put.Describe();
  EXPECT_EQ(put.Json().value("version", 0), 2);
  EXPECT_NE(put.Json().value("created", ""), "1999-01-01T00:00:00Z");
}

}  // namespace
}  // namespace kilde::it
