#include "access/scope.h"

#include <gtest/gtest.h>

#include "query/scope_output.h"

namespace kilde::access {
namespace {

using products::ColumnType;
using products::PersonalData;
using Mode = GrantTerms::PersonalMode;

// 0 fnr (personal, the person id), 1 bydel (enum), 2 year, 3 diagnose (special category),
// 4 navn (personal string).
products::Schema GrantSchema() {
  products::Schema s;
  auto add = [&](std::string name, ColumnType t, PersonalData pd) {
    products::Column c;
    c.name = std::move(name);
    c.type = t;
    c.personal_data = pd;
    if (t == ColumnType::kEnum) c.enum_values = {"Alna", "Frogner"};
    s.columns.push_back(std::move(c));
  };
  add("fnr", ColumnType::kFodselsnummer, PersonalData::kPersonal);
  add("bydel", ColumnType::kEnum, PersonalData::kNone);
  add("year", ColumnType::kInteger, PersonalData::kNone);
  add("diagnose", ColumnType::kString, PersonalData::kSpecialCategory);
  add("navn", ColumnType::kString, PersonalData::kPersonal);
  return s;
}

std::vector<size_t> Allowed(const query::QueryScope& s) {
  return s.allowed_columns.value_or(std::vector<size_t>{99});
}

TEST(ScopeFromGrant, HiddenByDefaultShowsNoPersonalColumn) {
  auto s = ScopeFromGrant(GrantSchema(), GrantTerms{});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(Allowed(*s), (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(s->pseudonymised_columns.empty());
  EXPECT_TRUE(s->row_filters.empty());
  EXPECT_EQ(s->subject_column, std::optional<size_t>(0)) << "subjects are collected even when hidden";
  // Even when named: hidden mode hides personal data.
  GrantTerms t;
  t.columns = std::vector<std::string>{"FNR", "bydel", "diagnose"};
  s = ScopeFromGrant(GrantSchema(), t);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Allowed(*s), (std::vector<size_t>{1}));
}

TEST(ScopeFromGrant, SpecialCategoryOnlyWhenNamedAndNotHidden) {
  GrantTerms all_clear;
  all_clear.mode = Mode::kClear;
  auto s = ScopeFromGrant(GrantSchema(), all_clear);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Allowed(*s), (std::vector<size_t>{0, 1, 2, 4})) << "never special category via 'all'";
  GrantTerms named = all_clear;
  named.columns = std::vector<std::string>{"diagnose", "year"};
  s = ScopeFromGrant(GrantSchema(), named);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Allowed(*s), (std::vector<size_t>{2, 3}));
  EXPECT_TRUE(s->pseudonymised_columns.empty());
}

TEST(ScopeFromGrant, PseudonymisedModePseudonymisesEveryShownPersonalColumn) {
  GrantTerms t;
  t.mode = Mode::kPseudonymised;
  t.pseudonym_key = "k1";
  t.columns = std::vector<std::string>{"fnr", "bydel", "diagnose", "no-such-column"};
  auto s = ScopeFromGrant(GrantSchema(), t);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Allowed(*s), (std::vector<size_t>{0, 1, 3}));
  EXPECT_EQ(s->pseudonymised_columns, (std::vector<size_t>{0, 3}));
  EXPECT_EQ(s->pseudonym_key, "k1");
  EXPECT_TRUE(query::IsPseudonymised(*s, 0));
  EXPECT_FALSE(query::IsPseudonymised(*s, 1));

  t.pseudonym_key.clear();
  auto no_key = ScopeFromGrant(GrantSchema(), t);
  ASSERT_FALSE(no_key.ok());
  EXPECT_EQ(no_key.status().code(), Code::kFailedPrecondition);
}

TEST(ScopeFromGrant, RowFilterIsParsedAgainstTheSchemaAndFailsClosed) {
  GrantTerms t;
  t.row_filter = "bydel=eq.Frogner&year=gte.2020";
  auto s = ScopeFromGrant(GrantSchema(), t);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->row_filters.size(), 2u);
  EXPECT_EQ(s->row_filters[0].column, 1u);
  EXPECT_EQ(s->row_filters[0].op, query::Op::kEq);
  EXPECT_EQ(s->row_filters[0].values[0].text, "Frogner");
  EXPECT_EQ(s->row_filters[1].column, 2u);
  EXPECT_EQ(s->row_filters[1].values[0].i, 2020);

  t.row_filter = "kommune=eq.0301";
  auto missing = ScopeFromGrant(GrantSchema(), t);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(missing.status().message(),
            "the grant's row filter names column kommune which this edition does not have");
  t.row_filter = "year=gte.twenty";
  EXPECT_EQ(ScopeFromGrant(GrantSchema(), t).status().code(), Code::kFailedPrecondition);
  t.row_filter = "bydel=eq.Gr%FCnerl%C3";
  EXPECT_FALSE(ScopeFromGrant(GrantSchema(), t).ok());
  // A filter may use a column the grant does not show (it restricts rows only).
  t.row_filter = "navn=like.A*";
  s = ScopeFromGrant(GrantSchema(), t);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->row_filters[0].column, 4u);
  EXPECT_FALSE(query::IsVisible(*s, 4));
}

TEST(PublicAndOwnerScope, PublicHidesPersonalDataOwnerSeesAll) {
  const query::QueryScope pub = PublicScope(GrantSchema());
  EXPECT_EQ(Allowed(pub), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(pub.subject_column, std::optional<size_t>(0));
  const query::QueryScope owner = OwnerScope(GrantSchema());
  EXPECT_FALSE(owner.allowed_columns);
  EXPECT_TRUE(query::IsUnrestricted(owner));
  EXPECT_EQ(owner.subject_column, std::optional<size_t>(0));
}

TEST(ScopeFingerprint, DiffersWhenAnythingDiffers) {
  GrantTerms t;
  t.mode = Mode::kPseudonymised;
  t.pseudonym_key = "a";
  auto a = ScopeFromGrant(GrantSchema(), t);
  t.pseudonym_key = "b";
  auto b = ScopeFromGrant(GrantSchema(), t);
  t.row_filter = "bydel=eq.Alna";
  auto c = ScopeFromGrant(GrantSchema(), t);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const std::string fa = query::ScopeFingerprint(*a), fb = query::ScopeFingerprint(*b),
                    fc = query::ScopeFingerprint(*c);
  EXPECT_NE(fa, fb);
  EXPECT_NE(fb, fc);
  EXPECT_NE(fa, query::ScopeFingerprint(PublicScope(GrantSchema())));
  EXPECT_EQ(fa,
            query::ScopeFingerprint(*ScopeFromGrant(GrantSchema(), GrantTerms{t.columns, "", t.mode, "a"})));
  t.pseudonym_key = "secret-key-xyz";
  auto d = ScopeFromGrant(GrantSchema(), t);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(query::ScopeFingerprint(*d).find("secret-key-xyz"), std::string::npos) << "never the key itself";
}

TEST(Pseudonym, KeyedDeterministicAndShort) {
  const std::string p = query::Pseudonym("key-1", "01010112345");
  EXPECT_EQ(p.size(), 32u);
  EXPECT_EQ(p, query::Pseudonym("key-1", "01010112345"));
  EXPECT_NE(p, query::Pseudonym("key-2", "01010112345"));
  EXPECT_NE(p, query::Pseudonym("key-1", "01010112346"));
  // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
  EXPECT_EQ(query::Pseudonym("Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c7");
}

}  // namespace
}  // namespace kilde::access
