// Common rules, shared value types, organizations and distributions.
#include "catalog/validate.h"

#include <gtest/gtest.h>

#include "catalog/validate_test_util.h"

namespace kilde::catalog {
namespace {

using nlohmann::json;
using testing::HasRef;
using testing::MessageOf;

json Organization() {
  return json::parse(R"({
    "id": "digitaliseringsetaten",
    "organization_number": "123456785",
    "name": {"nb": "Digitaliseringsetaten", "en": "Agency for Digitalisation"},
    "parent": "oslo-kommune",
    "kind": "agency",
    "homepage": "https://www.oslo.kommune.no/",
    "example_identifier": true,
    "created": "2026-11-23T18:00:00Z",
    "modified": "2026-11-23T18:00:00Z",
    "version": 3
  })");
}

json Distribution() {
  return json::parse(R"({
    "id": "eiendomsskatt-csv",
    "dataset": "eiendomsskatt-boliger-bydel",
    "title": {"nb": "CSV-fil", "en": "CSV file"},
    "description": {"nb": "Originalfila, tegnsett ISO-8859-1."},
    "access_url": "https://kilde.example.oslo.kommune.no/api/v1/datasets/eiendomsskatt",
    "download_url": "https://raw.githubusercontent.com/oslokommune/OK_PxBuild/ee273fc6/KOM011.csv",
    "format": "CSV",
    "media_type": "text/csv",
    "license": "NLOD_2_0",
    "access_service": "kilde-rad-api"
  })");
}

TEST(IsValidSlug, AcceptsAndRejects) {
  EXPECT_TRUE(IsValidSlug("a"));
  EXPECT_TRUE(IsValidSlug("oslo-kommune"));
  EXPECT_TRUE(IsValidSlug("0301"));
  EXPECT_TRUE(IsValidSlug("a-"));
  EXPECT_TRUE(IsValidSlug(std::string(64, 'x')));
  EXPECT_FALSE(IsValidSlug(""));
  EXPECT_FALSE(IsValidSlug("-a"));
  EXPECT_FALSE(IsValidSlug("Oslo"));
  EXPECT_FALSE(IsValidSlug("oslo_kommune"));
  EXPECT_FALSE(IsValidSlug("grünerløkka"));
  EXPECT_FALSE(IsValidSlug("a b"));
  EXPECT_FALSE(IsValidSlug(std::string(65, 'x')));
}

TEST(Validate, NonObjectIsOneWrongTypeProblem) {
  for (const json& doc : {json::array(), json("x"), json(1), json(nullptr)}) {
    for (Kind k : kAllKinds) {
      Validation v = Validate(k, doc);
      ASSERT_EQ(v.problems.size(), 1u);
      EXPECT_EQ(v.problems[0].field, "");
      EXPECT_EQ(v.problems[0].problem, "wrong_type");
      EXPECT_FALSE(v.problems[0].message.empty());
    }
  }
}

TEST(Validate, EmptyObjectReportsEveryRequiredField) {
  Validation v = Validate(Kind::kDataset, json::object());
  for (const char* f : {"title", "description", "publisher", "contact_point", "themes", "access_rights"})
    EXPECT_PROBLEM(v, f, "required");
  EXPECT_EQ(v.problems.size(), 6u) << testing::Dump(v);
}

TEST(Validate, ToStatusCarriesProblems) {
  EXPECT_TRUE(ToStatus(Validate(Kind::kOrganization, Organization())).ok());
  Status st = ToStatus(Validate(Kind::kOrganization, json::object()));
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.details().size(), 2u);
}

TEST(Organization, ValidPasses) {
  Validation v = Validate(Kind::kOrganization, Organization());
  EXPECT_VALID(v);
  ASSERT_EQ(v.references.size(), 1u);
  EXPECT_TRUE(HasRef(v, Kind::kOrganization, "oslo-kommune", "parent"));
}

TEST(Organization, MinimalPasses) {
  EXPECT_VALID(
      Validate(Kind::kOrganization,
               json::parse(R"({"organization_number": "958935420", "name": {"nb": "Oslo kommune"}})")));
}

TEST(Organization, NullCountsAsAbsent) {
  json doc = Organization();
  doc["parent"] = nullptr;
  doc["name"] = nullptr;
  Validation v = Validate(Kind::kOrganization, doc);
  EXPECT_PROBLEM(v, "name", "required");
  EXPECT_EQ(v.problems.size(), 1u);
  EXPECT_TRUE(v.references.empty());
}

TEST(Organization, OrganizationNumberRules) {
  json doc = Organization();
  doc["organization_number"] = "958935421";
  Validation v = Validate(Kind::kOrganization, doc);
  EXPECT_PROBLEM(v, "organization_number", "invalid_checksum");

  doc["organization_number"] = "95893542";
  v = Validate(Kind::kOrganization, doc);
  EXPECT_PROBLEM(v, "organization_number", "invalid_format");
  EXPECT_EQ(MessageOf(v, "organization_number"), "must be 9 digits");

  doc["organization_number"] = 958935420;
  EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "organization_number", "wrong_type");

  doc.erase("organization_number");
  EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "organization_number", "required");
}

TEST(Organization, EachFieldRule) {
  json doc = Organization();
  doc["id"] = "Digitaliseringsetaten";
  doc["name"] = {{"en", "Agency"}};
  doc["parent"] = "Oslo Kommune";
  doc["kind"] = "etat";
  doc["homepage"] = "www.oslo.kommune.no";
  doc["example_identifier"] = "yes";
  doc["orgnr"] = "958935420";
  Validation v = Validate(Kind::kOrganization, doc);
  EXPECT_PROBLEM(v, "id", "invalid_format");
  EXPECT_PROBLEM(v, "name.nb", "required");
  EXPECT_PROBLEM(v, "parent", "invalid_format");
  EXPECT_PROBLEM(v, "kind", "invalid_value");
  EXPECT_EQ(MessageOf(v, "kind"),
            "must be one of municipality, agency, district, department, company, other");
  EXPECT_PROBLEM(v, "homepage", "invalid_format");
  EXPECT_PROBLEM(v, "example_identifier", "wrong_type");
  EXPECT_PROBLEM(v, "orgnr", "unknown_field");
  EXPECT_EQ(v.problems.size(), 7u) << testing::Dump(v);
  EXPECT_TRUE(v.references.empty());  // a malformed id is not handed on as a reference
}

TEST(LangText, Rules) {
  json doc = Organization();
  doc["name"] = {{"nb", ""}, {"nn", 5}, {"de", "Digitalisierungsamt"}, {"en", std::string(501, 'x')}};
  Validation v = Validate(Kind::kOrganization, doc);
  EXPECT_PROBLEM(v, "name.nb", "required");
  EXPECT_PROBLEM(v, "name.nn", "wrong_type");
  EXPECT_PROBLEM(v, "name.de", "invalid_value");
  EXPECT_PROBLEM(v, "name.en", "too_long");

  doc["name"] = "Digitaliseringsetaten";
  EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "name", "wrong_type");
  doc["name"] = {{"nb", "   "}};
  EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "name.nb", "required");
}

TEST(LangText, LengthCountsCharactersNotBytes) {
  json doc = Organization();
  std::string ae500;
  for (int i = 0; i < 500; ++i) ae500 += "æ";  // 1000 bytes, 500 characters
  doc["name"] = {{"nb", ae500}};
  EXPECT_VALID(Validate(Kind::kOrganization, doc));
  doc["name"] = {{"nb", ae500 + "ø"}};
  EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "name.nb", "too_long");
}

TEST(Url, AcceptsAndRejects) {
  json doc = Organization();
  for (const char* good :
       {"https://www.oslo.kommune.no", "http://localhost:8080/x?y=1#z", "HTTPS://EXAMPLE.NO/",
        "https://lovdata.no/lov/2006-05-19-16/§13", "https://[::1]:8443/api", "https://user@example.no/"}) {
    doc["homepage"] = good;
    EXPECT_VALID(Validate(Kind::kOrganization, doc)) << good;
  }
  for (const char* bad : {"", "www.oslo.kommune.no", "ftp://example.no/", "https://", "https:///path",
                          "https://exa mple.no/", "https://example.no/a b", "https://example.no:port/",
                          "https://example.no/<x>", "mailto:a@b.no", "https://.example.no/"}) {
    doc["homepage"] = bad;
    EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "homepage", "invalid_format") << bad;
  }
  doc["homepage"] = "https://example.no/" + std::string(2100, 'a');
  EXPECT_PROBLEM(Validate(Kind::kOrganization, doc), "homepage", "too_long");
}

TEST(Distribution, ValidPasses) {
  Validation v = Validate(Kind::kDistribution, Distribution());
  EXPECT_VALID(v);
  EXPECT_TRUE(HasRef(v, Kind::kDataset, "eiendomsskatt-boliger-bydel", "dataset"));
  EXPECT_TRUE(HasRef(v, Kind::kDataService, "kilde-rad-api", "access_service"));
  EXPECT_EQ(v.references.size(), 2u);
}

TEST(Distribution, MinimalPasses) {
  EXPECT_VALID(Validate(Kind::kDistribution,
                        json::parse(R"({"dataset": "d", "access_url": "https://example.no/d"})")));
}

TEST(Distribution, EachFieldRule) {
  json doc = Distribution();
  doc.erase("dataset");
  doc.erase("access_url");
  doc["title"] = {{"se", "CSV"}};
  doc["download_url"] = "raw.githubusercontent.com/x.csv";
  doc["format"] = "csv";
  doc["media_type"] = "text/csv; charset=utf-8";
  doc["license"] = "NLOD";
  doc["access_service"] = 7;
  doc["checksum"] = "abc";
  Validation v = Validate(Kind::kDistribution, doc);
  EXPECT_PROBLEM(v, "dataset", "required");
  EXPECT_PROBLEM(v, "access_url", "required");
  EXPECT_PROBLEM(v, "title.se", "invalid_value");
  EXPECT_PROBLEM(v, "download_url", "invalid_format");
  EXPECT_PROBLEM(v, "format", "invalid_value");
  EXPECT_PROBLEM(v, "media_type", "invalid_format");
  EXPECT_PROBLEM(v, "license", "invalid_value");
  EXPECT_EQ(MessageOf(v, "license"), "must be one of NLOD_2_0, CC_BY_4_0, CC0, CC_BYSA_4_0");
  EXPECT_PROBLEM(v, "access_service", "wrong_type");
  EXPECT_PROBLEM(v, "checksum", "unknown_field");
  EXPECT_EQ(v.problems.size(), 9u) << testing::Dump(v);
}

TEST(Distribution, MediaTypes) {
  json doc = Distribution();
  for (const char* good : {"text/csv", "application/ld+json",
                           "application/vnd.openxmlformats-officedocument"
                           ".spreadsheetml.sheet"}) {
    doc["media_type"] = good;
    EXPECT_VALID(Validate(Kind::kDistribution, doc)) << good;
  }
  for (const char* bad : {"csv", "text/", "/csv", "text/csv/x", "text /csv"}) {
    doc["media_type"] = bad;
    EXPECT_PROBLEM(Validate(Kind::kDistribution, doc), "media_type", "invalid_format") << bad;
  }
}

}  // namespace
}  // namespace kilde::catalog
