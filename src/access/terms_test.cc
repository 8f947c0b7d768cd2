// The narrowing rule and what a grant shows (GrantView).
#include "access/terms.h"

#include <gtest/gtest.h>

#include "access/access_test_util.h"

namespace kilde::access {
namespace {

using nlohmann::json;
using testing::HasProblem;
using testing::Problems;

Terms Base() {
  Terms t;
  t.client_id = std::nullopt;
  t.valid_from = "2026-01-01T00:00:00Z";
  t.valid_to = "2027-01-01T00:00:00Z";
  t.columns = std::vector<std::string>{"bydel", "year", "antall", "fnr"};
  t.row_filter = "bydel=eq.Frogner";
  t.personal_data = PersonalDataMode::kPseudonymised;
  return t;
}

Result<Terms> Narrow(const json& patch, const Terms& from = Base()) {
  return ParseNarrowing(from, patch, json{{"id", "g-1"}, {"purpose", "Statistikk"}}, testing::TestSchema());
}

TEST(Narrowing, RemovingColumnsAddingFiltersShorteningAndStricterModeAreAllowed) {
  auto t = Narrow({{"columns", {"bydel", "antall"}},
                   {"row_filter", "year=gte.2020&bydel=eq.Frogner"},
                   {"valid_from", "2026-02-01"},
                   {"valid_to", "2026-06-01"},
                   {"personal_data", "hidden"},
                   {"client_id", "only-this-client"}});
  ASSERT_TRUE(t.ok()) << Problems(t.status());
  EXPECT_EQ(t->columns, (std::vector<std::string>{"bydel", "antall"}));
  EXPECT_EQ(t->row_filter, "year=gte.2020&bydel=eq.Frogner");
  EXPECT_EQ(t->valid_from, "2026-02-01T00:00:00Z");
  EXPECT_EQ(t->valid_to, "2026-06-01T00:00:00Z");
  EXPECT_EQ(t->personal_data, PersonalDataMode::kHidden);
  EXPECT_EQ(t->client_id, "only-this-client");
  // Unchanged and repeated read-only members are fine.
  auto same = Narrow({{"id", "g-1"}, {"columns", {"bydel", "year", "antall", "fnr"}}});
  ASSERT_TRUE(same.ok()) << Problems(same.status());
  EXPECT_EQ(*same, Base());
}

TEST(Narrowing, EveryWideningNamesItsField) {
  EXPECT_TRUE(HasProblem(Narrow({{"columns", {"bydel", "diagnose"}}}).status(), "columns[1]", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"columns", nullptr}}).status(), "columns", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"row_filter", ""}}).status(), "row_filter", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"row_filter", "bydel=eq.Sagene"}}).status(), "row_filter", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"valid_from", "2025-12-31"}}).status(), "valid_from", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"valid_to", "2027-01-02"}}).status(), "valid_to", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"valid_to", nullptr}}).status(), "valid_to", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"personal_data", "clear"}}).status(), "personal_data", "widens"));
  Terms bound = Base();
  bound.client_id = "a";
  EXPECT_TRUE(HasProblem(Narrow({{"client_id", nullptr}}, bound).status(), "client_id", "widens"));
  EXPECT_TRUE(HasProblem(Narrow({{"client_id", "b"}}, bound).status(), "client_id", "widens"));
  Status s = Narrow({{"columns", nullptr}}).status();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
}

TEST(Narrowing, FilterTermsCompareByColumnCaseAndDecodedValue) {
  auto t = Narrow({{"row_filter", "BYDEL=eq.Frogner&antall=gt.0"}});
  EXPECT_TRUE(t.ok()) << Problems(t.status());
  auto encoded = Narrow({{"row_filter", "bydel=eq.%46rogner"}});
  EXPECT_TRUE(encoded.ok()) << Problems(encoded.status());
}

TEST(Narrowing, ReadOnlyUnknownAndInvalidMembers) {
  Status s = Narrow({{"purpose", "Noe annet"}, {"grantee", "x"}, {"columns", {"bydel", "nope"}}}).status();
  EXPECT_TRUE(HasProblem(s, "purpose", "read_only")) << Problems(s);
  EXPECT_TRUE(HasProblem(s, "grantee", "unknown_field"));
  EXPECT_TRUE(HasProblem(Narrow({{"columns", {"bydel", "nope"}}}).status(), "columns[1]", "not_found"));
  EXPECT_TRUE(HasProblem(Narrow({{"row_filter", "bydel=eq.Frogner&year=eq.x"}}).status(), "row_filter",
                         "invalid_value"));
  EXPECT_TRUE(HasProblem(Narrow({{"valid_to", "2026-01-01"}}).status(), "valid_to", "invalid_value"));
  EXPECT_TRUE(HasProblem(Narrow({{"valid_from", nullptr}}).status(), "valid_from", "required"));
  // Going to hidden while personal columns stay listed is contradictory: remove them too.
  EXPECT_TRUE(HasProblem(Narrow({{"personal_data", "hidden"}}).status(), "columns[3]", "conflict"));
  EXPECT_EQ(Narrow(json::array()).status().code(), Code::kInvalidArgument);
}

TEST(Narrowing, ColumnsGoneFromTheSchemaDoNotBlockOtherChanges) {
  Terms old = Base();
  old.columns->push_back("removed_since");
  auto t = Narrow({{"valid_to", "2026-06-01"}}, old);
  ASSERT_TRUE(t.ok()) << Problems(t.status());
  EXPECT_EQ(t->valid_to, "2026-06-01T00:00:00Z");
}

store::GrantRow GrantWith(std::optional<std::vector<std::string>> columns, const std::string& mode,
                          std::string row_filter = "") {
  store::GrantRow g;
  g.id = "g-1";
  g.columns = std::move(columns);
  g.personal_data = mode;
  g.row_filter = std::move(row_filter);
  return g;
}

// Column positions of TestSchema: bydel 0, year 1, antall 2, fnr 3 (personal), diagnose 4 (special).
Result<query::QueryScope> ScopeOf(const store::GrantRow& g) {
  store::GrantRow with_key = g;
  with_key.pseudonym_key = std::string(64, 'a');
  return ScopeFromGrant(testing::TestSchema(), EnforcementTerms(with_key));
}

TEST(EnforcementTerms, HiddenModeLeavesOutPersonalData) {
  auto v = ScopeOf(GrantWith(std::nullopt, "hidden"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->allowed_columns, (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(v->pseudonymised_columns.empty());
  EXPECT_TRUE(v->row_filters.empty());
}

TEST(EnforcementTerms, SpecialCategoryOnlyWhenNamedExplicitly) {
  auto all = ScopeOf(GrantWith(std::nullopt, "clear"));
  EXPECT_EQ(all->allowed_columns, (std::vector<size_t>{0, 1, 2, 3})) << "never by default";
  auto named = ScopeOf(GrantWith(std::vector<std::string>{"diagnose", "bydel"}, "pseudonymised"));
  EXPECT_EQ(named->allowed_columns, (std::vector<size_t>{0, 4}));
  EXPECT_EQ(named->pseudonymised_columns, (std::vector<size_t>{4}));
  auto pseudo = ScopeOf(GrantWith(std::nullopt, "pseudonymised"));
  EXPECT_EQ(pseudo->pseudonymised_columns, (std::vector<size_t>{3}));
  EXPECT_EQ(pseudo->pseudonym_key, std::string(64, 'a'));
}

TEST(EnforcementTerms, RowFilterBecomesScopeFiltersAndFailsClosed) {
  auto v = ScopeOf(GrantWith(std::nullopt, "hidden", "bydel=eq.Frogner&year=gte.2020"));
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->row_filters.size(), 2u);
  EXPECT_EQ(v->row_filters[0].column, 0u);
  EXPECT_EQ(v->row_filters[1].op, query::Op::kGte);
  auto gone = ScopeOf(GrantWith(std::nullopt, "hidden", "kommune=eq.Oslo"));
  EXPECT_EQ(gone.status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace kilde::access
