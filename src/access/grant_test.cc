// The JSON form of grants and requests: validation problems, defaults, what is never rendered.
#include "access/grant.h"

#include <gtest/gtest.h>

#include "access/access_test_util.h"

namespace kilde::access {
namespace {

using nlohmann::json;
using testing::HasProblem;
using testing::Problems;

constexpr const char* kNow = "2026-03-01T12:00:00Z";

json Body(json extra = json::object()) {
  json b = {
      {"grantee_orgnr", testing::kConsumer},
      {"purpose", "Statistikk"},
      {"legal_basis", {{"law", "Kommuneloven"}, {"paragraph", "§ 2-1"}, {"url", "https://lovdata.no/x"}}}};
  for (auto it = extra.begin(); it != extra.end(); ++it) b[it.key()] = it.value();  // nulls kept
  return b;
}

Status Parse(const json& body) { return ParseGrant(body, testing::TestSchema(), kNow).status(); }

TEST(ParseGrant, MinimalBodyGetsTheClosedDefaults) {
  auto g = ParseGrant(Body(), testing::TestSchema(), kNow);
  ASSERT_TRUE(g.ok()) << Problems(g.status());
  EXPECT_EQ(g->grantee_orgnr, testing::kConsumer);
  EXPECT_EQ(g->valid_from, kNow);
  EXPECT_FALSE(g->valid_to);
  EXPECT_FALSE(g->columns);
  EXPECT_FALSE(g->client_id);
  EXPECT_EQ(g->row_filter, "");
  EXPECT_EQ(g->personal_data, "hidden");
}

TEST(ParseGrant, FullBodyIsNormalised) {
  auto g = ParseGrant(Body({{"client_id", "abc-123"},
                            {"valid_from", "2026-04-01"},
                            {"valid_to", "2027-04-01T02:00:00+02:00"},
                            {"columns", {"BYDEL", "antall", "fnr"}},
                            {"row_filter", "bydel=eq.Frogner&year=gte.2020"},
                            {"personal_data", "pseudonymised"}}),
                      testing::TestSchema(), kNow);
  ASSERT_TRUE(g.ok()) << Problems(g.status());
  EXPECT_EQ(g->client_id, "abc-123");
  EXPECT_EQ(g->valid_from, "2026-04-01T00:00:00Z");
  EXPECT_EQ(g->valid_to, "2027-04-01T00:00:00Z");
  EXPECT_EQ(g->columns, (std::vector<std::string>{"bydel", "antall", "fnr"})) << "schema spelling";
  EXPECT_EQ(g->row_filter, "bydel=eq.Frogner&year=gte.2020");
  EXPECT_EQ(g->personal_data, "pseudonymised");
}

TEST(ParseGrant, OrganisationNumberIsChecked) {
  json b = Body();
  b.erase("grantee_orgnr");
  EXPECT_TRUE(HasProblem(Parse(b), "grantee_orgnr", "required"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"grantee_orgnr", "958935421"}})), "grantee_orgnr", "invalid_checksum"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"grantee_orgnr", "95893542"}})), "grantee_orgnr", "invalid_format"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"grantee_orgnr", "958 935 420"}})), "grantee_orgnr", "invalid_format"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"grantee_orgnr", 958935420}})), "grantee_orgnr", "wrong_type"));
}

TEST(ParseGrant, PurposeAndLegalBasisAreRequired) {
  json b = Body();
  b.erase("purpose");
  b.erase("legal_basis");
  Status s = Parse(b);
  EXPECT_TRUE(HasProblem(s, "purpose", "required")) << Problems(s);
  EXPECT_TRUE(HasProblem(s, "legal_basis", "required"));
  s = Parse(Body({{"purpose", "  "}, {"legal_basis", {{"law", "L"}, {"url", "lovdata.no"}, {"note", "x"}}}}));
  EXPECT_TRUE(HasProblem(s, "purpose", "required")) << Problems(s);
  EXPECT_TRUE(HasProblem(s, "legal_basis.paragraph", "required"));
  EXPECT_TRUE(HasProblem(s, "legal_basis.url", "invalid_format"));
  EXPECT_TRUE(HasProblem(s, "legal_basis.note", "unknown_field"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"legal_basis", "GDPR 6e"}})), "legal_basis", "wrong_type"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"purpose", std::string(2001, 'x')}})), "purpose", "too_long"));
}

TEST(ParseGrant, DatesAreCheckedAndOrdered) {
  EXPECT_TRUE(HasProblem(Parse(Body({{"valid_from", "2026-02-30"}})), "valid_from", "invalid_format"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"valid_to", "soon"}})), "valid_to", "invalid_format"));
  EXPECT_TRUE(Parse(Body({{"valid_from", nullptr}})).ok()) << "null valid_from on create means now";
  EXPECT_TRUE(HasProblem(Parse(Body({{"valid_from", "2026-05-01"}, {"valid_to", "2026-04-01"}})), "valid_to",
                         "invalid_value"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"valid_from", "2026-01-01"}, {"valid_to", "2026-02-01"}})), "valid_to",
                         "invalid_value"))
      << "a grant that has already ended";
}

TEST(ParseGrant, ColumnsMustExistOnceAndPersonalColumnsNeedAMode) {
  Status s = Parse(Body({{"columns", {"bydel", "nope", "Bydel"}}}));
  EXPECT_TRUE(HasProblem(s, "columns[1]", "not_found")) << Problems(s);
  EXPECT_TRUE(HasProblem(s, "columns[2]", "conflict"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"columns", json::array()}})), "columns", "invalid_value"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"columns", "bydel"}})), "columns", "wrong_type"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"columns", {"bydel", 3}}})), "columns[1]", "wrong_type"));
  // Personal data is hidden by default: naming such a column needs an explicit mode.
  EXPECT_TRUE(HasProblem(Parse(Body({{"columns", json::array({"fnr"})}})), "columns[0]", "conflict"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"columns", json::array({"diagnose"})}})), "columns[0]", "conflict"));
  EXPECT_TRUE(Parse(Body({{"columns", json::array({"diagnose"})}, {"personal_data", "clear"}})).ok());
}

TEST(ParseGrant, EveryProblemAtOnceAlsoAgainstTheSchema) {
  // Problems of other members (and unknown members) do not hide those of the terms.
  Status s =
      Parse(Body({{"purpose", nullptr}, {"extra", 1}, {"columns", {"nope"}}, {"row_filter", "x=eq.1"}}));
  EXPECT_TRUE(HasProblem(s, "purpose", "required")) << Problems(s);
  EXPECT_TRUE(HasProblem(s, "extra", "unknown_field"));
  EXPECT_TRUE(HasProblem(s, "columns[0]", "not_found"));
  EXPECT_TRUE(HasProblem(s, "row_filter", "unknown_column"));
  // A term that does not parse is reported alone: the schema checks need well-formed terms.
  Status t = Parse(Body({{"columns", "bydel"}, {"row_filter", "x=eq.1"}}));
  EXPECT_TRUE(HasProblem(t, "columns", "wrong_type")) << Problems(t);
  EXPECT_FALSE(HasProblem(t, "row_filter", "unknown_column"));
}

TEST(ParseGrant, RowFilterIsParsedAgainstTheSchema) {
  EXPECT_TRUE(
      Parse(Body({{"row_filter", "bydel=in.(Frogner,Sagene)&year=gte.2020&antall=not.is.null"}})).ok());
  Status s = Parse(Body({{"row_filter", "kommune=eq.Oslo"}}));
  EXPECT_TRUE(HasProblem(s, "row_filter", "unknown_column")) << Problems(s);
  EXPECT_NE(s.details().at(0).message.find("kommune"), std::string::npos);
  EXPECT_TRUE(HasProblem(Parse(Body({{"row_filter", "year=gte.tjue"}})), "row_filter", "invalid_value"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"row_filter", "year=between.1"}})), "row_filter", "unknown_operator"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"row_filter", "bydel=eq.%ZZ"}})), "row_filter", "invalid_format"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"row_filter", 5}})), "row_filter", "wrong_type"));
}

TEST(ParseGrant, UnknownAndServerManagedMembersAreRejected) {
  Status s = Parse(Body({{"pseudonym_key", "00"}, {"id", "g-1"}, {"personal_data", "visible"}}));
  EXPECT_TRUE(HasProblem(s, "pseudonym_key", "unknown_field")) << Problems(s);
  EXPECT_TRUE(HasProblem(s, "id", "unknown_field"));
  EXPECT_TRUE(HasProblem(s, "personal_data", "invalid_value"));
  EXPECT_TRUE(HasProblem(Parse(Body({{"client_id", "has space"}})), "client_id", "invalid_format"));
  EXPECT_EQ(Parse(json::array()).code(), Code::kInvalidArgument);
}

TEST(ParseRequest, HasNoGranteeAndTheSameTerms) {
  json b = Body({{"columns", json::array({"bydel"})}, {"valid_to", "2026-12-31"}});
  b.erase("grantee_orgnr");
  auto r = ParseRequest(b, testing::TestSchema(), kNow);
  ASSERT_TRUE(r.ok()) << Problems(r.status());
  EXPECT_EQ(r->columns, std::vector<std::string>{"bydel"});
  EXPECT_EQ(r->valid_to, "2026-12-31T00:00:00Z");
  EXPECT_EQ(r->personal_data, "hidden");
  EXPECT_TRUE(HasProblem(ParseRequest(Body(), testing::TestSchema(), kNow).status(), "grantee_orgnr",
                         "unknown_field"));
}

TEST(GrantJson, NeverContainsThePseudonymKey) {
  store::GrantRow g = *ParseGrant(Body({{"personal_data", "pseudonymised"}}), testing::TestSchema(), kNow);
  g.id = "g-0123456789abcdef";
  g.product = "p";
  g.pseudonym_key = std::string(64, 'f');
  g.created = kNow;
  g.created_by = {testing::kOwner, "c"};
  g.version = 1;
  json j = GrantJson(g, kNow);
  EXPECT_FALSE(j.contains("pseudonym_key"));
  EXPECT_EQ(j.dump().find(g.pseudonym_key), std::string::npos);
  EXPECT_EQ(j["status"], "active");
  EXPECT_EQ(j["columns"], nullptr);
  EXPECT_EQ(j["revoked_by"], nullptr);
  EXPECT_EQ(j["created_by"]["orgnr"], testing::kOwner);
  EXPECT_EQ(j["legal_basis"]["paragraph"], "§ 2-1");
  EXPECT_EQ(GrantStatus(g, "2026-03-01T11:59:59Z"), "scheduled");
  g.valid_to = "2026-04-01T00:00:00Z";
  EXPECT_EQ(GrantStatus(g, "2026-04-01T00:00:00Z"), "expired");
  g.revoked_at = kNow;
  EXPECT_EQ(GrantStatus(g, kNow), "revoked");
}

}  // namespace
}  // namespace kilde::access
