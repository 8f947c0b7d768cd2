#include "catalog/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kilde::catalog {
namespace {

using nlohmann::json;

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kilde_svc_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = store::OpenSqliteStore(dir_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    svc_ = std::make_unique<CatalogService>(&store_->catalog());
    ASSERT_TRUE(svc_->Create(Kind::kOrganization, Org("oslo-kommune", "958935420")).ok());
  }
  void TearDown() override {
    svc_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static json Org(std::string id, std::string orgnr) {
    return {{"id", id}, {"organization_number", orgnr}, {"name", {{"nb", "Org " + id}}}};
  }
  static json Dataset(std::string title) {
    return {{"title", {{"nb", title}}},    {"description", {{"nb", "Beskrivelse"}}},
            {"publisher", "oslo-kommune"}, {"contact_point", {{"email", "post@oslo.kommune.no"}}},
            {"themes", {"EDUC"}},          {"access_rights", "PUBLIC"}};
  }
  static bool HasProblem(const Status& s, const std::string& field, const std::string& problem) {
    for (const auto& d : s.details())
      if (d.field == field && d.problem == problem) return true;
    return false;
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<CatalogService> svc_;
};

TEST_F(CatalogServiceTest, CreateDerivesIdDefaultsStatusAndSetsVersion) {
  auto a = svc_->Create(Kind::kDataset, Dataset("Barnehageopptak 2026"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ((*a)["id"], "barnehageopptak-2026");
  EXPECT_EQ((*a)["status"], "draft");
  EXPECT_EQ((*a)["version"], 1);
  auto b = svc_->Create(Kind::kDataset, Dataset("Barnehageopptak 2026"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)["id"], "barnehageopptak-2026-2");
}

TEST_F(CatalogServiceTest, MissingReferenceIsAFieldProblem) {
  json d = Dataset("X");
  d["publisher"] = "no-such-org";
  auto r = svc_->Create(Kind::kDataset, d);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r.status(), "publisher", "not_found"));
}

TEST_F(CatalogServiceTest, DuplicateOrganizationNumberAndParentCycleRejected) {
  auto dup = svc_->Create(Kind::kOrganization, Org("other", "958935420"));
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(HasProblem(dup.status(), "organization_number", "conflict"));

  json child = Org("child", "123456785");
  child["parent"] = "oslo-kommune";
  ASSERT_TRUE(svc_->Create(Kind::kOrganization, child).ok());
  auto cyc = svc_->Patch(Kind::kOrganization, "oslo-kommune", {{"parent", "child"}}, std::nullopt);
  ASSERT_FALSE(cyc.ok());
  EXPECT_TRUE(HasProblem(cyc.status(), "parent", "invalid_value"));
}

TEST_F(CatalogServiceTest, PatchMergesAndIfMatchGuardsLostUpdates) {
  ASSERT_TRUE(svc_->Create(Kind::kDataset, Dataset("Fritidskort")).ok());
  auto p = svc_->Patch(Kind::kDataset, "fritidskort",
                       {{"status", "published"}, {"keywords", {{"nb", {"kort"}}}}}, 1);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ((*p)["status"], "published");
  EXPECT_EQ((*p)["version"], 2);
  EXPECT_EQ((*p)["title"]["nb"], "Fritidskort");
  auto stale = svc_->Patch(Kind::kDataset, "fritidskort", {{"status", "draft"}}, 1);
  EXPECT_EQ(stale.status().code(), Code::kFailedPrecondition);
  auto rename = svc_->Patch(Kind::kDataset, "fritidskort", {{"id", "annet"}}, std::nullopt);
  EXPECT_TRUE(HasProblem(rename.status(), "id", "read_only"));
}

TEST_F(CatalogServiceTest, DistributionsBelongToTheirDataset) {
  ASSERT_TRUE(svc_->Create(Kind::kDataset, Dataset("A")).ok());
  ASSERT_TRUE(svc_->Create(Kind::kDataset, Dataset("B")).ok());
  auto dist =
      svc_->Create(Kind::kDistribution, {{"id", "a-csv"}, {"access_url", "https://example.org/a.csv"}}, "a");
  ASSERT_TRUE(dist.ok()) << dist.status().message();
  EXPECT_EQ((*dist)["dataset"], "a");
  EXPECT_TRUE(svc_->Get(Kind::kDistribution, "a-csv", "a").ok());
  EXPECT_EQ(svc_->Get(Kind::kDistribution, "a-csv", "b").status().code(), Code::kNotFound);
  auto moved = svc_->Create(Kind::kDistribution, {{"access_url", "https://x.org"}, {"dataset", "b"}}, "a");
  EXPECT_TRUE(HasProblem(moved.status(), "dataset", "conflict"));
  EXPECT_EQ(svc_->Create(Kind::kDistribution, {{"access_url", "https://x.org"}}, "nope").status().code(),
            Code::kNotFound);
}

TEST_F(CatalogServiceTest, ImportIsAllOrNothingAndNamesEveryProblem) {
  json file = {{"organizations", {Org("dig", "123456785")}}, {"datasets", {Dataset("Ok"), Dataset("Bad")}}};
  file["datasets"][0]["id"] = "ok";
  file["datasets"][0]["publisher"] = "dig";  // defined in the same file
  file["datasets"][1]["id"] = "bad";
  file["datasets"][1]["themes"] = json::array({"NOPE"});
  auto r = svc_->Import(file);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r.status(), "datasets[1].themes[0]", "invalid_value")) << r.status().message();
  EXPECT_EQ(svc_->Get(Kind::kOrganization, "dig").status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(Kind::kDataset, "ok").status().code(), Code::kNotFound);

  file["datasets"].erase(1);
  auto ok = svc_->Import(file);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ((*ok)["datasets"], 1);
  EXPECT_TRUE(svc_->Get(Kind::kDataset, "ok").ok());
  EXPECT_EQ(svc_->Import({{"datasets", {Dataset("no id")}}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(svc_->Import({{"widgets", json::array()}}).status().code(), Code::kInvalidArgument);
}

TEST_F(CatalogServiceTest, ListPagesWithOpaqueCursorAndRejectsBadCursor) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(svc_->Create(Kind::kDataset, Dataset("D" + std::to_string(i))).ok());
  ListRequest lr;
  lr.kind = Kind::kDataset;
  lr.limit = 2;
  int total = 0, pages = 0;
  for (; pages < 10; ++pages) {
    auto p = svc_->List(lr);
    ASSERT_TRUE(p.ok());
    total += static_cast<int>(p->items.size());
    if (!p->next_cursor) break;
    lr.cursor = *p->next_cursor;
  }
  EXPECT_EQ(total, 5);
  EXPECT_EQ(pages, 2);
  lr.cursor = "!!";
  EXPECT_EQ(svc_->List(lr).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace kilde::catalog
