// Listing catalog resources: cursor paging (limit, next_cursor, Link) and filters.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "fixtures.h"

namespace kilde::it {
namespace {

class CatalogListTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  // The ids of one list response (and a failure if it is not a list).
  static std::vector<std::string> IdsOf(const HttpResponse& r) {
    std::vector<std::string> out;
    EXPECT_EQ(r.status, 200) << r.Describe();
    Json j = r.Json();
    for (const auto& it : j.value("items", Json::array())) out.push_back(it.value("id", ""));
    return out;
  }
  std::vector<std::string> ListIds(const std::string& target) { return IdsOf(client().Get(target)); }
};

using Ids = std::vector<std::string>;

TEST_F(CatalogListTest, PagingWalksEveryItemOnceInIdOrder) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("page-root"));
  // Created out of order: the list is ordered by id, not by creation.
  const Ids children = {"page-c5", "page-c2", "page-c7", "page-c1", "page-c4", "page-c6", "page-c3"};
  for (const auto& id : children) MustCreate(c, "/api/v1/organizations", OrgDoc(id, "page-root"));

  std::string target = "/api/v1/organizations?parent=page-root&limit=3";
  Ids seen;
  std::vector<size_t> page_sizes;
  for (int page = 0; page < 10 && !target.empty(); ++page) {
    HttpResponse r = c.Get(target);
    ASSERT_EQ(r.status, 200) << target << " -> " << r.Describe();
    Json j = r.Json();
    ASSERT_TRUE(j.contains("items") && j["items"].is_array() && j.contains("next_cursor")) << r.body;
    page_sizes.push_back(j["items"].size());
    for (const auto& it : j["items"]) seen.push_back(it.value("id", ""));
    if (j["next_cursor"].is_null()) {
      EXPECT_FALSE(r.HasHeader("Link")) << "last page has a Link header: " << r.Header("Link");
      target.clear();
      break;
    }
    const std::string cursor = j["next_cursor"].get<std::string>();
    // RFC 8288 Link to the next page, keeping limit and the filter.
    const std::string link = r.Header("Link");
    const std::string prefix = "<" + server().base_url();
    ASSERT_EQ(link.rfind(prefix, 0), 0u) << link;
    ASSERT_NE(link.find(">; rel=\"next\""), std::string::npos) << link;
    const std::string next = link.substr(prefix.size(), link.find('>') - prefix.size());
    EXPECT_NE(next.find("parent=page-root"), std::string::npos) << next;
    EXPECT_NE(next.find("limit=3"), std::string::npos) << next;
    EXPECT_NE(next.find("cursor=" + cursor), std::string::npos) << next;
    // Following the Link and passing the cursor by hand give the same page.
    EXPECT_EQ(IdsOf(c.Get(next)),
              IdsOf(c.Get("/api/v1/organizations?parent=page-root&limit=3&cursor=" + cursor)));
    target = next;
  }
  EXPECT_TRUE(target.empty()) << "paging did not end";
  EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 3, 1}));
  Ids sorted = children;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(seen, sorted);
}

TEST_F(CatalogListTest, PagingOverAllDatasetsSeesEachExactlyOnce) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("pall-org"));
  for (int i = 0; i < 5; ++i)
    MustCreate(c, "/api/v1/datasets", DatasetDoc("pall-" + std::to_string(i), "pall-org"));
  Ids all = ListIds("/api/v1/datasets?limit=500");
  Ids walked;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    Json j = c.Get("/api/v1/datasets?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)).Json();
    for (const auto& it : j.value("items", Json::array())) walked.push_back(it.value("id", ""));
    if (!j.contains("next_cursor") || !j["next_cursor"].is_string()) break;
    cursor = j["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(walked, all);
  EXPECT_TRUE(std::is_sorted(walked.begin(), walked.end()));
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size()) << "duplicates";
  EXPECT_GE(walked.size(), 5u);
}

TEST_F(CatalogListTest, DatasetFilters) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("flt-a"));
  MustCreate(c, "/api/v1/organizations", OrgDoc("flt-b"));
  Json a1 = DatasetDoc("flt-a1", "flt-a", "published");
  Json a2 = DatasetDoc("flt-a2", "flt-a");
  a2["themes"] = {"HEAL", "SOCI"};
  a2["los_themes"] = {"https://psi.norge.no/los/tema/helse-og-omsorg"};
  a2["access_rights"] = "RESTRICTED";
  a2["legal_basis"] = {
      {"restriction",
       {{{"label", {{"nb", "Offentleglova § 13"}}}, {"url", "https://lovdata.no/lov/2006-05-19-16"}}}}};
  Json b1 = DatasetDoc("flt-b1", "flt-b", "published");
  for (const Json& d : {a1, a2, b1}) MustCreate(c, "/api/v1/datasets", d);

  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a"), (Ids{"flt-a1", "flt-a2"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-b"), (Ids{"flt-b1"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&theme=HEAL"), (Ids{"flt-a2"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&theme=GOVE"), (Ids{"flt-a1"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&theme=" +
                    std::string("https%3A%2F%2Fpsi.norge.no%2Flos%2Ftema%2Fhelse-og-omsorg")),
            (Ids{"flt-a2"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&access_rights=RESTRICTED"), (Ids{"flt-a2"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&access_rights=PUBLIC"), (Ids{"flt-a1"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&status=published"), (Ids{"flt-a1"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=flt-a&status=draft"), (Ids{"flt-a2"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=no-such-org"), Ids{});
  // Filters combine with paging.
  Json first = c.Get("/api/v1/datasets?publisher=flt-a&limit=1").Json();
  ASSERT_TRUE(first["next_cursor"].is_string()) << first.dump();
  EXPECT_EQ(
      ListIds("/api/v1/datasets?publisher=flt-a&limit=1&cursor=" + first["next_cursor"].get<std::string>()),
      (Ids{"flt-a2"}));
}

TEST_F(CatalogListTest, ModifiedSince) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("mod-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("mod-old", "mod-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("mod-new", "mod-org"));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=mod-org&modified_since=2000-01-01"),
            (Ids{"mod-new", "mod-old"}));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=mod-org&modified_since=2100-01-01T00:00:00Z"), Ids{});
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=mod-org&modified_since=2100-01-01"), Ids{});
  SleepFor(1100ms);  // `modified` has one-second resolution
  HttpResponse p = c.Patch("/api/v1/datasets/mod-new", {{"keywords", {{"nb", {"ny"}}}}});
  ASSERT_EQ(p.status, 200) << p.Describe();
  const std::string since = p.Json().value("modified", "");
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=mod-org&modified_since=" + since), (Ids{"mod-new"}));
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets?modified_since=yesterday"), 400, "validation_failed"));
}

// Regression test: a time after 2262-04-11 once overflowed std::chrono::system_clock
// in NormalizeTimestamp (src/base/time.cc), so "2999-01-01T00:00:00Z" became
// "1829-11-23T00:50:53Z" and matched everything.
TEST_F(CatalogListTest, ModifiedSinceFarFutureTimestampMatchesNothing) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("far-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("far-ds", "far-org"));
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=far-org&modified_since=2999-01-01"), Ids{});
  EXPECT_EQ(ListIds("/api/v1/datasets?publisher=far-org&modified_since=2999-01-01T00:00:00Z"), Ids{});
}

TEST_F(CatalogListTest, FiltersOfTheOtherKinds) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("okf-a"));
  MustCreate(c, "/api/v1/organizations", OrgDoc("okf-b"));
  MustCreate(c, "/api/v1/organizations", OrgDoc("okf-a-child", "okf-a"));
  EXPECT_EQ(ListIds("/api/v1/organizations?parent=okf-a"), (Ids{"okf-a-child"}));
  EXPECT_EQ(ListIds("/api/v1/organizations?parent=okf-b"), Ids{});

  MustCreate(c, "/api/v1/data-services", DataServiceDoc("okf-api-a", "okf-a", "published"));
  MustCreate(c, "/api/v1/data-services", DataServiceDoc("okf-api-b", "okf-b"));
  EXPECT_EQ(ListIds("/api/v1/data-services?publisher=okf-a"), (Ids{"okf-api-a"}));
  EXPECT_EQ(ListIds("/api/v1/data-services?publisher=okf-b&status=draft"), (Ids{"okf-api-b"}));
  EXPECT_EQ(ListIds("/api/v1/data-services?publisher=okf-b&status=published"), Ids{});

  MustCreate(c, "/api/v1/concepts", ConceptDoc("okf-term-a", "okf-a", "published"));
  MustCreate(c, "/api/v1/concepts", ConceptDoc("okf-term-a2", "okf-a"));
  EXPECT_EQ(ListIds("/api/v1/concepts?publisher=okf-a"), (Ids{"okf-term-a", "okf-term-a2"}));
  EXPECT_EQ(ListIds("/api/v1/concepts?publisher=okf-a&status=published"), (Ids{"okf-term-a"}));

  MustCreate(c, "/api/v1/public-services", PublicServiceDoc("okf-svc-a", "okf-a"));
  MustCreate(c, "/api/v1/public-services", PublicServiceDoc("okf-svc-b", "okf-b"));
  EXPECT_EQ(ListIds("/api/v1/public-services?competent_authority=okf-b"), (Ids{"okf-svc-b"}));
  EXPECT_EQ(ListIds("/api/v1/public-services?publisher=okf-a"), (Ids{"okf-svc-a"}));
}

TEST_F(CatalogListTest, BadListParametersAre400) {
  HttpClient& c = client();
  for (const std::string q : {"limit=0", "limit=501", "limit=abc", "limit=", "limit=10x"}) {
    HttpResponse r = c.Get("/api/v1/datasets?" + q);
    EXPECT_TRUE(IsError(r, 400, "validation_failed")) << q;
    EXPECT_EQ(Problems(r), std::vector<std::string>{"limit:invalid_value"}) << q;
  }
  HttpResponse unknown = c.Get("/api/v1/datasets?colour=blue");
  EXPECT_TRUE(IsError(unknown, 400, "validation_failed"));
  EXPECT_EQ(Problems(unknown), std::vector<std::string>{"colour:unknown_field"});
  // `parent` is only a filter of organizations.
  EXPECT_EQ(Problems(c.Get("/api/v1/datasets?parent=x")), std::vector<std::string>{"parent:unknown_field"});
  EXPECT_EQ(Problems(c.Get("/api/v1/datasets?status=gone")),
            std::vector<std::string>{"status:invalid_value"});
  EXPECT_EQ(Problems(c.Get("/api/v1/datasets?access_rights=OPEN")),
            std::vector<std::string>{"access_rights:invalid_value"});
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets?cursor=not-a-cursor!"), 400, "validation_failed"));
  EXPECT_EQ(c.Get("/api/v1/datasets?limit=500").status, 200);
  EXPECT_EQ(c.Get("/api/v1/datasets?limit=1").status, 200);
}

}  // namespace
}  // namespace kilde::it
