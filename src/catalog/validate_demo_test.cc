// The demo catalog (demo/catalog.json, also embedded in the binary) is valid: every resource
// passes Validate, ids are unique, every reference resolves within the file, and published
// resources refer only to published ones (so the RDF exports are closed).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "base/assets.h"
#include "base/norwegian_ids.h"
#include "catalog/validate.h"
#include "catalog/validate_test_util.h"

namespace kilde::catalog {
namespace {

using nlohmann::json;

std::filesystem::path DemoPath() {
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "demo" / "catalog.json";
}

// The demo catalog from the source tree if present, else the copy embedded in the binary.
std::string DemoText() {
  std::ifstream in(DemoPath(), std::ios::binary);
  if (in) {
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  auto embedded = assets::Find("catalog.json");
  return embedded ? std::string(*embedded) : std::string();
}

class DemoCatalog : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = DemoText();
    ASSERT_FALSE(text.empty()) << "demo/catalog.json not found at " << DemoPath();
    catalog_ = json::parse(text, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(catalog_.is_object()) << "demo/catalog.json is not a JSON object";
  }

  // The resources of `kind` in the file (an empty array if the key is absent).
  const json& Items(Kind kind) {
    static const json kEmpty = json::array();
    auto it = catalog_.find(StoreName(kind));
    return it == catalog_.end() ? kEmpty : *it;
  }

  json catalog_;
};

TEST_F(DemoCatalog, OnlyKnownTopLevelKeys) {
  for (const auto& [key, value] : catalog_.items()) {
    EXPECT_TRUE(KindFromStoreName(key).has_value()) << "unknown key " << key;
    EXPECT_TRUE(value.is_array()) << key;
  }
}

TEST_F(DemoCatalog, EveryResourceIsValidAndHasAUniqueId) {
  for (Kind kind : kAllKinds) {
    std::set<std::string> ids;
    for (const json& doc : Items(kind)) {
      std::string id = doc.value("id", "");
      EXPECT_TRUE(IsValidSlug(id)) << StoreName(kind) << ": missing or bad id '" << id << "'";
      EXPECT_TRUE(ids.insert(id).second) << StoreName(kind) << ": duplicate id " << id;
      Validation v = Validate(kind, doc);
      EXPECT_TRUE(v.ok()) << StoreName(kind) << "/" << id << ":\n" << testing::Dump(v);
    }
  }
}

TEST_F(DemoCatalog, HasThePromisedContent) {
  EXPECT_GE(Items(Kind::kOrganization).size(), 11u);
  EXPECT_GE(Items(Kind::kDataset).size(), 10u);
  EXPECT_GE(Items(Kind::kDistribution).size(), 5u);
  EXPECT_GE(Items(Kind::kDataService).size(), 2u);
  EXPECT_GE(Items(Kind::kConcept).size(), 5u);
  EXPECT_GE(Items(Kind::kPublicService).size(), 3u);
  std::set<std::string> access, status;
  for (const json& d : Items(Kind::kDataset)) {
    access.insert(d.value("access_rights", ""));
    status.insert(d.value("status", "draft"));
  }
  EXPECT_EQ(access, (std::set<std::string>{"PUBLIC", "RESTRICTED", "NON_PUBLIC"}));
  EXPECT_EQ(status, (std::set<std::string>{"draft", "published"}));
}

TEST_F(DemoCatalog, EveryReferenceResolvesWithinTheFile) {
  std::map<Kind, std::set<std::string>> ids;
  for (Kind kind : kAllKinds)
    for (const json& doc : Items(kind)) ids[kind].insert(doc.value("id", ""));
  std::size_t checked = 0;
  for (Kind kind : kAllKinds) {
    for (const json& doc : Items(kind)) {
      for (const Reference& ref : Validate(kind, doc).references) {
        ++checked;
        EXPECT_TRUE(ids[ref.kind].count(ref.id)) << StoreName(kind) << "/" << doc.value("id", "") << " "
                                                 << ref.field << ": no " << Noun(ref.kind) << " " << ref.id;
      }
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST_F(DemoCatalog, OrganisationNumbersAreUniqueAndInventedOnesAreMarked) {
  std::set<std::string> numbers;
  for (const json& org : Items(Kind::kOrganization)) {
    std::string number = org.value("organization_number", "");
    EXPECT_TRUE(IsValidOrganizationNumber(number)) << number;
    EXPECT_TRUE(numbers.insert(number).second) << "duplicate organisation number " << number;
    // The only real number in the demo is Oslo kommune's; every other one is invented.
    bool real = number == "958935420";
    EXPECT_EQ(org.value("example_identifier", false), !real) << org.value("id", "");
  }
}

TEST_F(DemoCatalog, OrganisationTreeHasOneRootAndNoCycles) {
  std::map<std::string, std::string> parent;
  for (const json& org : Items(Kind::kOrganization)) parent[org.value("id", "")] = org.value("parent", "");
  int roots = 0;
  for (const auto& [id, p] : parent) {
    if (p.empty()) ++roots;
    std::string cur = id;
    for (std::size_t depth = 0; !cur.empty(); ++depth) {
      ASSERT_LE(depth, parent.size()) << "cycle through " << id;
      cur = parent[cur];
    }
  }
  EXPECT_EQ(roots, 1);
}

// A published resource must not point at a draft one, or the RDF export would link to IRIs
// it does not describe. Organizations have no status; distributions follow their dataset.
TEST_F(DemoCatalog, PublishedResourcesReferOnlyToPublishedOnes) {
  std::map<Kind, std::set<std::string>> published;
  for (Kind kind : kAllKinds)
    for (const json& doc : Items(kind))
      if (kind == Kind::kOrganization || doc.value("status", "draft") == "published")
        published[kind].insert(doc.value("id", ""));
  for (const json& dist : Items(Kind::kDistribution))
    if (published[Kind::kDataset].count(dist.value("dataset", "")))
      published[Kind::kDistribution].insert(dist.value("id", ""));
  for (Kind kind : kAllKinds) {
    for (const json& doc : Items(kind)) {
      if (!published[kind].count(doc.value("id", ""))) continue;
      for (const Reference& ref : Validate(kind, doc).references)
        EXPECT_TRUE(published[ref.kind].count(ref.id))
            << StoreName(kind) << "/" << doc.value("id", "") << " " << ref.field << " -> draft " << ref.id;
    }
  }
}

TEST_F(DemoCatalog, EmbeddedCopyMatchesSourceTree) {
  std::ifstream in(DemoPath(), std::ios::binary);
  if (!in) GTEST_SKIP() << "no source tree at " << DemoPath();
  auto embedded = assets::Find("catalog.json");
  ASSERT_TRUE(embedded.has_value());
  EXPECT_EQ(json::parse(*embedded, nullptr, false), catalog_) << "rebuild to re-embed demo/catalog.json";
}

}  // namespace
}  // namespace kilde::catalog
