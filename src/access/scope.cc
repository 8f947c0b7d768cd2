#include "access/scope.h"

#include <algorithm>

#include "http/query.h"

namespace kilde::access {
namespace {

// A scope that allows every column says so with nullopt, so that it fingerprints (and caches, and
// ETags) like the unrestricted scope it is equal to.
void AllColumnsAsUnrestricted(const products::Schema& schema, query::QueryScope& scope) {
  if (scope.allowed_columns && scope.allowed_columns->size() == schema.columns.size())
    scope.allowed_columns.reset();
}

}  // namespace
namespace {

using products::PersonalData;
using Mode = GrantTerms::PersonalMode;

Status BadGrant(std::string msg) { return Status(Code::kFailedPrecondition, std::move(msg)); }

// The grant's row filter parsed against `schema` (positions of this schema version).
Result<std::vector<query::Filter>> RowFilters(const products::Schema& schema, const std::string& text) {
  std::vector<query::Filter> filters;
  if (text.empty()) return filters;
  auto params = http::ParseQuery(text);
  if (!params) return BadGrant("the grant's row filter is not a valid query string");
  for (const auto& [name, value] : *params) {
    if (!schema.Find(name))
      return BadGrant("the grant's row filter names column " + name + " which this edition does not have");
    std::vector<FieldProblem> problems;
    query::ParseFilterParam(schema, query::QueryScope{}, name, value, filters, problems);
    if (!problems.empty())
      return BadGrant("the grant's row filter is not valid for this edition: " + problems[0].message);
  }
  return filters;
}

}  // namespace

Result<query::QueryScope> ScopeFromGrant(const products::Schema& schema, const GrantTerms& terms) {
  if (terms.mode == Mode::kPseudonymised && terms.pseudonym_key.empty())
    return BadGrant("the grant pseudonymises personal data but has no pseudonym key");
  // Explicitly named columns (positions in this schema version).
  std::vector<size_t> named;
  if (terms.columns)
    for (const std::string& name : *terms.columns)
      if (auto pos = schema.Find(name)) named.push_back(*pos);
  auto is_named = [&](size_t c) { return std::find(named.begin(), named.end(), c) != named.end(); };

  query::QueryScope scope;
  scope.allowed_columns.emplace();
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (terms.columns && !is_named(c)) continue;
    switch (schema.columns[c].personal_data) {
      case PersonalData::kNone:
        break;
      case PersonalData::kPersonal:
        if (terms.mode == Mode::kHidden) continue;
        break;
      case PersonalData::kSpecialCategory:
        // Never by default ("all columns"), never in hidden mode.
        if (terms.mode == Mode::kHidden || !is_named(c)) continue;
        break;
    }
    scope.allowed_columns->push_back(c);
    if (schema.columns[c].personal_data != PersonalData::kNone && terms.mode == Mode::kPseudonymised)
      scope.pseudonymised_columns.push_back(c);
  }
  if (!scope.pseudonymised_columns.empty()) scope.pseudonym_key = terms.pseudonym_key;
  KILDE_ASSIGN_OR_RETURN(scope.row_filters, RowFilters(schema, terms.row_filter));
  scope.subject_column = schema.PersonIdColumn();
  AllColumnsAsUnrestricted(schema, scope);
  return scope;
}

query::QueryScope PublicScope(const products::Schema& schema) {
  query::QueryScope scope;
  scope.allowed_columns.emplace();
  for (size_t c = 0; c < schema.columns.size(); ++c)
    if (schema.columns[c].personal_data == PersonalData::kNone) scope.allowed_columns->push_back(c);
  scope.subject_column = schema.PersonIdColumn();
  AllColumnsAsUnrestricted(schema, scope);
  return scope;
}

query::QueryScope OwnerScope(const products::Schema& schema) {
  query::QueryScope scope;
  scope.subject_column = schema.PersonIdColumn();
  return scope;
}

}  // namespace kilde::access
