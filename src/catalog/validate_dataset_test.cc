#include <gtest/gtest.h>

#include "catalog/validate.h"
#include "catalog/validate_test_util.h"

namespace kilde::catalog {
namespace {

using nlohmann::json;
using testing::HasRef;
using testing::MessageOf;

json Dataset() {
  return json::parse(R"({
    "id": "hjemmetjenester-vedtak",
    "title": {"nb": "Vedtak om hjemmetjenester", "nn": "Vedtak om heimetenester", "en": "Home care decisions"},
    "description": {"nb": "Vedtak om helsetjenester i hjemmet per bruker."},
    "publisher": "bydel-gamle-oslo",
    "contact_point": {"name": "Bydel Gamle Oslo", "email": "postmottak@example.oslo.kommune.no",
                      "phone": "+47 21 80 21 80", "url": "https://www.oslo.kommune.no/"},
    "themes": ["HEAL", "SOCI"],
    "los_themes": ["https://psi.norge.no/los/tema/omsorgstjenester", "https://psi.norge.no/los/ord/hjemmesykepleie"],
    "keywords": {"nb": ["hjemmesykepleie", "praktisk bistand"], "en": ["home care"]},
    "access_rights": "NON_PUBLIC",
    "legal_basis": {
      "restriction": [{"label": {"nb": "Helsepersonelloven § 21"}, "url": "https://lovdata.no/lov/1999-07-02-64/§21"}],
      "processing": [{"label": {"nb": "Pasientjournalloven"}, "url": "https://lovdata.no/lov/2014-06-20-42"}],
      "access": []
    },
    "spatial": ["https://data.geonorge.no/administrativeEnheter/kommune/id/173018"],
    "temporal": {"start": "2024-01-01", "end": "2024-12-31"},
    "frequency": "DAILY",
    "license": "CC_BY_4_0",
    "concepts": ["hjemmetjeneste", "vedtak"],
    "landing_page": "https://www.oslo.kommune.no/helse-og-omsorg/",
    "language": ["nb", "nn"],
    "status": "published",
    "version": 1
  })");
}

json Minimal() {
  return json::parse(R"({
    "title": {"nb": "T"}, "description": {"nb": "D"}, "publisher": "oslo-kommune",
    "contact_point": {"url": "https://www.oslo.kommune.no/"}, "themes": ["GOVE"], "access_rights": "PUBLIC"
  })");
}

TEST(Dataset, ValidPasses) {
  Validation v = Validate(Kind::kDataset, Dataset());
  EXPECT_VALID(v);
  EXPECT_TRUE(HasRef(v, Kind::kOrganization, "bydel-gamle-oslo", "publisher"));
  EXPECT_TRUE(HasRef(v, Kind::kConcept, "hjemmetjeneste", "concepts[0]"));
  EXPECT_TRUE(HasRef(v, Kind::kConcept, "vedtak", "concepts[1]"));
  EXPECT_EQ(v.references.size(), 3u);
}

TEST(Dataset, MinimalPublicPasses) { EXPECT_VALID(Validate(Kind::kDataset, Minimal())); }

TEST(Dataset, ThemesRules) {
  json doc = Minimal();
  doc["themes"] = json::array();
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "themes", "required");
  EXPECT_EQ(MessageOf(v, "themes"), "needs at least one EU data theme");

  doc["themes"] = {"GOVE", "gove", "HEALTH", 3};
  v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "themes[1]", "invalid_value");
  EXPECT_PROBLEM(v, "themes[2]", "invalid_value");
  EXPECT_PROBLEM(v, "themes[3]", "wrong_type");
  EXPECT_EQ(v.problems.size(), 3u) << testing::Dump(v);

  doc["themes"] = "GOVE";
  EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "themes", "wrong_type");
}

TEST(Dataset, LosThemesMustBeLosUris) {
  json doc = Minimal();
  doc["los_themes"] = {"https://psi.norge.no/los/tema/barnehage", "http://psi.norge.no/los/tema/barnehage",
                       "https://example.no/los/x", "barnehage"};
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "los_themes[1]", "invalid_format");
  EXPECT_EQ(MessageOf(v, "los_themes[1]"), "must start with https://psi.norge.no/los/");
  EXPECT_PROBLEM(v, "los_themes[2]", "invalid_format");
  EXPECT_PROBLEM(v, "los_themes[3]", "invalid_format");
  EXPECT_EQ(v.problems.size(), 3u) << testing::Dump(v);
}

TEST(Dataset, ContactPointRules) {
  json doc = Minimal();
  doc["contact_point"] = {{"name", "Bare et navn"}};
  EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "contact_point", "required");

  doc["contact_point"] = {
      {"email", "ikke-en-adresse"}, {"phone", "ring oss"}, {"url", "oslo.kommune.no"}, {"fax", "1"}};
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "contact_point.email", "invalid_format");
  EXPECT_PROBLEM(v, "contact_point.phone", "invalid_format");
  EXPECT_PROBLEM(v, "contact_point.url", "invalid_format");
  EXPECT_PROBLEM(v, "contact_point.fax", "unknown_field");
  EXPECT_EQ(v.problems.size(), 4u) << testing::Dump(v);

  for (const char* bad : {"a@b", "@oslo.kommune.no", "a@@b.no", "a b@c.no", "a@.no", "a@b..no"}) {
    doc["contact_point"] = {{"email", bad}};
    EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "contact_point.email", "invalid_format") << bad;
  }
  for (const char* good : {"21 80 21 80", "+47 21802180", "+47 21-80-21-80"}) {
    doc["contact_point"] = {{"phone", good}};
    EXPECT_VALID(Validate(Kind::kDataset, doc)) << good;
  }
  doc["contact_point"] = "postmottak@oslo.kommune.no";
  EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "contact_point", "wrong_type");
}

TEST(Dataset, RestrictedNeedsLegalBasisForRestriction) {
  for (const char* access : {"RESTRICTED", "NON_PUBLIC"}) {
    json doc = Minimal();
    doc["access_rights"] = access;
    Validation v = Validate(Kind::kDataset, doc);
    EXPECT_PROBLEM(v, "legal_basis.restriction", "required");
    EXPECT_EQ(v.problems.size(), 1u) << testing::Dump(v);

    doc["legal_basis"] = {
        {"processing", {{{"label", {{"nb", "Lov"}}}, {"url", "https://lovdata.no/lov/x"}}}}};
    EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "legal_basis.restriction", "required");

    doc["legal_basis"]["restriction"] = json::array();
    EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "legal_basis.restriction", "required");

    doc["legal_basis"]["restriction"] = doc["legal_basis"]["processing"];
    EXPECT_VALID(Validate(Kind::kDataset, doc));
  }
  json doc = Minimal();  // PUBLIC needs none
  doc["legal_basis"] = json::object();
  EXPECT_VALID(Validate(Kind::kDataset, doc));
}

TEST(Dataset, LegalBasisShape) {
  json doc = Dataset();
  doc["legal_basis"] = {
      {"restriction", {{{"label", {{"en", "Act"}}}}, "Offentleglova § 13"}},
      {"processing", {{{"label", {{"nb", "Lov"}}}, {"url", "lovdata.no/lov/x"}, {"paragraph", "13"}}}},
      {"basis", json::array()},
  };
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "legal_basis.restriction[0].label.nb", "required");
  EXPECT_PROBLEM(v, "legal_basis.restriction[0].url", "required");
  EXPECT_PROBLEM(v, "legal_basis.restriction[1]", "wrong_type");
  EXPECT_PROBLEM(v, "legal_basis.processing[0].url", "invalid_format");
  EXPECT_PROBLEM(v, "legal_basis.processing[0].paragraph", "unknown_field");
  EXPECT_PROBLEM(v, "legal_basis.basis", "unknown_field");
  EXPECT_EQ(v.problems.size(), 6u) << testing::Dump(v);
}

TEST(Dataset, TemporalRules) {
  json doc = Minimal();
  doc["temporal"] = {{"start", "2024-12-31"}, {"end", "2024-01-01"}};
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "temporal.end", "invalid_value");
  EXPECT_EQ(v.problems.size(), 1u);

  doc["temporal"] = {{"start", "2024-01-01"}, {"end", "2024-01-01"}};
  EXPECT_VALID(Validate(Kind::kDataset, doc));
  doc["temporal"] = {{"end", "2024-01-01"}};
  EXPECT_VALID(Validate(Kind::kDataset, doc));

  doc["temporal"] = json::object();
  EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "temporal", "required");

  doc["temporal"] = {{"start", "2023-02-29"}, {"end", "31.12.2024"}, {"until", "x"}};
  v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "temporal.start", "invalid_format");
  EXPECT_PROBLEM(v, "temporal.end", "invalid_format");
  EXPECT_PROBLEM(v, "temporal.until", "unknown_field");
  EXPECT_EQ(v.problems.size(), 3u) << testing::Dump(v);

  doc["temporal"] = {{"start", "2024-02-29"}};  // leap day
  EXPECT_VALID(Validate(Kind::kDataset, doc));
  doc["temporal"] = {{"start", "2100-02-29"}};
  EXPECT_PROBLEM(Validate(Kind::kDataset, doc), "temporal.start", "invalid_format");
}

TEST(Dataset, EnumsArraysAndUrls) {
  json doc = Dataset();
  doc["access_rights"] = "public";
  doc["frequency"] = "YEARLY";
  doc["license"] = "MIT";
  doc["language"] = {"nb", "no"};
  doc["status"] = "active";
  doc["spatial"] = {"Oslo"};
  doc["landing_page"] = "oslo.kommune.no";
  doc["concepts"] = {"hjemmetjeneste", "Vedtak"};
  doc["keywords"] = {{"nb", {"ok", ""}}, {"sv", json::array()}, {"en", "home care"}};
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "access_rights", "invalid_value");
  EXPECT_EQ(MessageOf(v, "access_rights"), "must be one of PUBLIC, RESTRICTED, NON_PUBLIC");
  EXPECT_PROBLEM(v, "frequency", "invalid_value");
  EXPECT_PROBLEM(v, "license", "invalid_value");
  EXPECT_PROBLEM(v, "language[1]", "invalid_value");
  EXPECT_PROBLEM(v, "status", "invalid_value");
  EXPECT_PROBLEM(v, "spatial[0]", "invalid_format");
  EXPECT_PROBLEM(v, "landing_page", "invalid_format");
  EXPECT_PROBLEM(v, "concepts[1]", "invalid_format");
  EXPECT_PROBLEM(v, "keywords.nb[1]", "required");
  EXPECT_PROBLEM(v, "keywords.sv", "invalid_value");
  EXPECT_PROBLEM(v, "keywords.en", "wrong_type");
  // An invalid access_rights value does not also trigger the restriction rule.
  EXPECT_EQ(v.problems.size(), 11u) << testing::Dump(v);
  EXPECT_TRUE(HasRef(v, Kind::kConcept, "hjemmetjeneste", "concepts[0]"));
  EXPECT_FALSE(HasRef(v, Kind::kConcept, "Vedtak", "concepts[1]"));
}

TEST(Dataset, ManyProblemsReportedTogether) {
  json doc = json::parse(R"({
    "id": "-bad", "title": {"en": "Only English"}, "description": "not an object",
    "publisher": "", "contact_point": {}, "themes": [], "access_rights": "SECRET",
    "temporal": {"start": "2025-01-01", "end": "2024-01-01"}, "colour": "blue",
    "created": "whatever", "modified": 17, "version": "x"
  })");
  Validation v = Validate(Kind::kDataset, doc);
  EXPECT_PROBLEM(v, "id", "invalid_format");
  EXPECT_PROBLEM(v, "title.nb", "required");
  EXPECT_PROBLEM(v, "description", "wrong_type");
  EXPECT_PROBLEM(v, "publisher", "invalid_format");
  EXPECT_PROBLEM(v, "contact_point", "required");
  EXPECT_PROBLEM(v, "themes", "required");
  EXPECT_PROBLEM(v, "access_rights", "invalid_value");
  EXPECT_PROBLEM(v, "temporal.end", "invalid_value");
  EXPECT_PROBLEM(v, "colour", "unknown_field");
  // Server-managed fields are accepted unchecked.
  EXPECT_EQ(v.problems.size(), 9u) << testing::Dump(v);
  EXPECT_TRUE(v.references.empty());
}

}  // namespace
}  // namespace kilde::catalog
