// The terms of access shared by grants and access requests — client, validity, columns, rows and
// personal-data mode — with their validation against a product's schema, the narrowing rule, and
// what a grant lets its holder see (GrantView). See docs/access-model.md. All functions are pure
// and thread safe.
#pragma once

#include "access/scope.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "products/schema.h"
#include "query/filter.h"
#include "store/access_store.h"

namespace kilde::access {

// How columns holding personal data (Column::personal_data != kNone) are shown, from the most to
// the least protective. The numeric order is the narrowing order: a smaller mode is stricter.
enum class PersonalDataMode {
  kHidden = 0,         // "hidden" (default): personal-data columns are left out
  kPseudonymised = 1,  // "pseudonymised": values replaced by a keyed HMAC (key per grant)
  kClear = 2,          // "clear": values as stored
};
std::string_view PersonalDataModeName(PersonalDataMode m);
std::optional<PersonalDataMode> PersonalDataModeFromName(std::string_view name);

struct Terms {
  std::optional<std::string> client_id;             // nullopt: every client of the organisation
  std::string valid_from;                           // RFC 3339 UTC, inclusive
  std::optional<std::string> valid_to;              // exclusive; nullopt: open-ended
  std::optional<std::vector<std::string>> columns;  // schema spelling; nullopt: all columns
  std::string row_filter;                           // "bydel=eq.Frogner&year=gte.2020"; "" = all rows
  PersonalDataMode personal_data = PersonalDataMode::kHidden;
  bool operator==(const Terms&) const = default;
};

Terms TermsOf(const store::GrantRow& g);
Terms TermsOf(const store::AccessRequestRow& r);
void SetTerms(const Terms& t, store::GrantRow& g);
void SetTerms(const Terms& t, store::AccessRequestRow& r);

// The names of the JSON members that are terms.
inline constexpr std::string_view kTermFields[] = {"client_id",     "columns",    "row_filter",
                                                   "personal_data", "valid_from", "valid_to"};
bool IsTermField(std::string_view name);

// Reads term member `key` of a JSON object into `t` (a null value: the member's default — none,
// all columns, all rows, hidden; for valid_from "required"). Checks types and formats only;
// problems name the member. `key` must satisfy IsTermField.
void ReadTerm(const std::string& key, const nlohmann::json& value, Terms& t,
              std::vector<FieldProblem>& problems);

// Checks `t` against `schema` and puts column names in the schema's spelling: every column exists
// (columns[i] not_found) and appears once (conflict); a listed column holding personal data needs
// personal_data pseudonymised or clear (columns[i] conflict); row_filter parses in the filter
// language (row_filter invalid_value naming the column); valid_to after valid_from; with
// `now`, valid_to after now.
void CheckTerms(const products::Schema& schema, const std::optional<std::string>& now, Terms& t,
                std::vector<FieldProblem>& problems);

// Problems (problem "widens", naming the field) where `narrower` grants more than `wider`. Narrower
// means: columns a subset (all columns only if `wider` has all); every row_filter term of `wider`
// still present (terms may be added); valid_from not earlier, valid_to not later (open-ended only
// if `wider` is); personal_data not less protective; a client binding kept (one may be added).
std::vector<FieldProblem> WideningProblems(const Terms& wider, const Terms& narrower);

// Applies a JSON merge patch of term members to `current` and validates the result against
// `schema` and the narrowing rule. Members of `fixed` (an object) may be repeated with their
// current value, otherwise they are read_only; any other member is unknown_field. kInvalidArgument
// with every problem.
Result<Terms> ParseNarrowing(const Terms& current, const nlohmann::json& patch, const nlohmann::json& fixed,
                             const products::Schema& schema);

// The row filter split into (column, "op.value") pairs, percent-decoded like a query string.
// nullopt on a bad escape.
std::optional<std::vector<std::pair<std::string, std::string>>> SplitRowFilter(std::string_view row_filter);

// The enforcement terms of a stored grant (access/scope.h): turn them into a QueryScope with
// ScopeFromGrant(schema, EnforcementTerms(g)), which fails closed when the row filter no longer applies.
GrantTerms EnforcementTerms(const store::GrantRow& g);

}  // namespace kilde::access
