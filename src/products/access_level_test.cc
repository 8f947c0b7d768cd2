// The access_level field of data products: default, validation, PATCH, and the cheap reads.
#include "products/access_level.h"

#include <gtest/gtest.h>

#include "products/service.h"
#include "store/store_test_util.h"

namespace kilde::products {
namespace {

using nlohmann::json;

class AccessLevelTest : public store::testing::StoreTest {
 protected:
  json Body(json extra = json::object()) {
    json b = {
        {"id", "p"}, {"dataset", "ds"}, {"schema", {{"columns", {{{"name", "bydel"}, {"type", "string"}}}}}}};
    b.merge_patch(extra);
    return b;
  }
  static bool HasProblem(const Status& s, const std::string& field, const std::string& problem) {
    for (const auto& p : s.details())
      if (p.field == field && p.problem == problem) return true;
    return false;
  }
};

TEST(AccessLevelNames, RoundTripAndRejectOthers) {
  for (AccessLevel l : {AccessLevel::kPublic, AccessLevel::kRestricted, AccessLevel::kNonPublic})
    EXPECT_EQ(AccessLevelFromName(AccessLevelName(l)), l);
  EXPECT_EQ(AccessLevelName(AccessLevel::kNonPublic), "non_public");
  EXPECT_EQ(AccessLevelFromName("PUBLIC"), std::nullopt);
  EXPECT_EQ(AccessLevelFromName("non-public"), std::nullopt);
  EXPECT_EQ(AccessLevelFromName(""), std::nullopt);
}

TEST(AccessLevelNames, DocumentsWithoutAValidLevelAreNonPublic) {
  EXPECT_EQ(AccessLevelOfDoc(json::object()), AccessLevel::kNonPublic);
  EXPECT_EQ(AccessLevelOfDoc(json{{"access_level", "public"}}), AccessLevel::kPublic);
  EXPECT_EQ(AccessLevelOfDoc(json{{"access_level", "everyone"}}), AccessLevel::kNonPublic);
  EXPECT_EQ(AccessLevelOfDoc(json{{"access_level", 1}}), AccessLevel::kNonPublic);
  EXPECT_EQ(AccessLevelOfRow(store::ProductRow{"p", "ds", "", "", 1, 1, "not json"}),
            AccessLevel::kNonPublic);
}

TEST_F(AccessLevelTest, CreateDefaultsToNonPublicAndEveryReadShowsIt) {
  ProductService svc(store_.get());
  auto created = svc.Create(Body());
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ((*created)["access_level"], "non_public");
  EXPECT_EQ((*svc.Get("p"))["access_level"], "non_public");
  auto page = svc.List("", 10, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.at(0)["access_level"], "non_public");
  EXPECT_EQ((*svc.DatasetProducts("ds", "http://x"))[0]["access_level"], "non_public");
  EXPECT_EQ(*svc.AccessLevelOf("p"), AccessLevel::kNonPublic);
  EXPECT_EQ(svc.Load("p")->access_level, AccessLevel::kNonPublic);
  // Stored explicitly, so that a later change of the default cannot open existing products.
  EXPECT_EQ(json::parse(store_->products().Get("p")->doc)["access_level"], "non_public");
}

TEST_F(AccessLevelTest, CreateWithLevelAndRejectUnknownLevel) {
  ProductService svc(store_.get());
  auto created = svc.Create(Body({{"access_level", "public"}}));
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ((*created)["access_level"], "public");
  EXPECT_EQ(*svc.AccessLevelOf("p"), AccessLevel::kPublic);

  auto bad = svc.Create(Body({{"id", "q"}, {"access_level", "open"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(HasProblem(bad.status(), "access_level", "invalid_value"));
  auto wrong = svc.Create(Body({{"id", "q"}, {"access_level", true}}));
  EXPECT_TRUE(HasProblem(wrong.status(), "access_level", "wrong_type"));
  EXPECT_EQ(svc.Get("q").status().code(), Code::kNotFound);
}

TEST_F(AccessLevelTest, PatchChangesLevelAndRejectsUnknown) {
  ProductService svc(store_.get());
  ASSERT_TRUE(svc.Create(Body()).ok());
  auto patched = svc.Patch("p", {{"access_level", "restricted"}}, 1);
  ASSERT_TRUE(patched.ok()) << patched.status().message();
  EXPECT_EQ((*patched)["access_level"], "restricted");
  EXPECT_EQ((*patched)["version"], 2);
  EXPECT_EQ(*svc.AccessLevelOf("p"), AccessLevel::kRestricted);

  auto bad = svc.Patch("p", {{"access_level", "Public"}}, std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(HasProblem(bad.status(), "access_level", "invalid_value"));
  EXPECT_EQ(*svc.AccessLevelOf("p"), AccessLevel::kRestricted);

  // A merge-patch null resets to the default, which is the closed one.
  auto reset = svc.Patch("p", {{"access_level", nullptr}}, std::nullopt);
  ASSERT_TRUE(reset.ok()) << reset.status().message();
  EXPECT_EQ((*reset)["access_level"], "non_public");
  // Other PATCHes keep the level.
  ASSERT_TRUE(svc.Patch("p", {{"access_level", "public"}}, std::nullopt).ok());
  ASSERT_TRUE(svc.Patch("p", {{"title", {{"nb", "Tittel"}}}}, std::nullopt).ok());
  EXPECT_EQ(*svc.AccessLevelOf("p"), AccessLevel::kPublic);
}

TEST_F(AccessLevelTest, NonPublicProductsLinkWhereAccessIsRequested) {
  ProductService svc(store_.get());
  ASSERT_TRUE(store_->catalog().Insert(Dataset("open-ds")).ok());
  ASSERT_TRUE(svc.Create(Body({{"id", "b-open"}, {"access_level", "public"}})).ok());
  ASSERT_TRUE(svc.Create(Body({{"id", "c-closed"}})).ok());
  ASSERT_TRUE(svc.Create(Body({{"id", "d-restricted"}, {"access_level", "restricted"}})).ok());
  ASSERT_TRUE(svc.Create(Body({{"id", "a-open"}, {"dataset", "open-ds"}, {"access_level", "public"}})).ok());
  auto summary = svc.DatasetProducts("ds", "http://x");
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->size(), 3u);
  EXPECT_EQ((*summary)[0]["id"], "b-open");
  EXPECT_TRUE((*summary)[0]["access_request_href"].is_null());
  EXPECT_EQ((*summary)[1]["access_request_href"], "http://x/api/v1/products/c-closed/access-requests");
  EXPECT_EQ((*summary)[2]["access_level"], "restricted");
  EXPECT_EQ((*summary)[2]["access_request_href"], "http://x/api/v1/products/d-restricted/access-requests");
  // Per dataset, the first product (by id) that is not public; datasets with only public ones have none.
  auto urls = svc.AccessRequestUrls("http://x");
  ASSERT_TRUE(urls.ok()) << urls.status().message();
  EXPECT_EQ(
      *urls,
      (std::map<std::string, std::string>{{"ds", "http://x/api/v1/products/c-closed/access-requests"}}));
  ASSERT_TRUE(svc.Patch("c-closed", {{"access_level", "public"}}, std::nullopt).ok());
  EXPECT_EQ(svc.AccessRequestUrls("http://x")->at("ds"),
            "http://x/api/v1/products/d-restricted/access-requests");
  ASSERT_TRUE(svc.Patch("d-restricted", {{"access_level", "public"}}, std::nullopt).ok());
  EXPECT_TRUE(svc.AccessRequestUrls("http://x")->empty());
}

TEST_F(AccessLevelTest, ProductStoredBeforeAccessLevelsIsNonPublic) {
  store::ProductRow row{"old", "ds", "2026-01-01T00:00:00Z",          "2026-01-01T00:00:00Z",
                        1,     1,    R"({"id":"old","dataset":"ds"})"};
  ASSERT_TRUE(store_->products()
                  .Insert(row, {1, "2026-01-01T00:00:00Z", R"({"columns":[{"name":"a","type":"string"}]})"})
                  .ok());
  ProductService svc(store_.get());
  EXPECT_EQ((*svc.Get("old"))["access_level"], "non_public");
  EXPECT_EQ(*svc.AccessLevelOf("old"), AccessLevel::kNonPublic);
  EXPECT_EQ(svc.AccessLevelOf("missing").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace kilde::products
