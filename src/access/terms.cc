#include "access/terms.h"

#include <algorithm>
#include <cassert>
#include <set>

#include "base/time.h"
#include "http/query.h"

namespace kilde::access {
namespace {

using nlohmann::json;
using products::FoldColumnName;

constexpr size_t kMaxClientId = 200;
constexpr size_t kMaxRowFilter = 4000;

bool IsClientId(std::string_view s) {
  if (s.empty() || s.size() > kMaxClientId) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

// "row_filter" problems for the pairs of `row_filter` against `schema`; the filters go to `out`.
void ParseRowFilter(const products::Schema& schema, std::string_view row_filter,
                    std::vector<query::Filter>& out, std::vector<FieldProblem>& problems) {
  auto pairs = SplitRowFilter(row_filter);
  if (!pairs) {
    problems.push_back({"row_filter", "invalid_format", "a bad %-escape"});
    return;
  }
  std::vector<FieldProblem> local;
  for (const auto& [name, value] : *pairs)
    ParseFilterParam(schema, query::QueryScope{}, name, value, out, local);
  for (const FieldProblem& p : local)
    problems.push_back({"row_filter", p.problem, "'" + p.field + "': " + p.message});
}

// The row filter's terms as (folded column, value) for comparisons; nullopt on a bad escape.
std::optional<std::set<std::pair<std::string, std::string>>> FilterTerms(std::string_view row_filter) {
  auto pairs = SplitRowFilter(row_filter);
  if (!pairs) return std::nullopt;
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : *pairs) out.emplace(FoldColumnName(name), value);
  return out;
}

// "valid_to" for "valid_from": the two are checked together.
std::string RootField(const std::string& field) {
  std::string root = field.substr(0, field.find_first_of(".["));
  return root == "valid_from" ? "valid_to" : root;
}

}  // namespace

std::string_view PersonalDataModeName(PersonalDataMode m) {
  switch (m) {
    case PersonalDataMode::kHidden:
      return "hidden";
    case PersonalDataMode::kPseudonymised:
      return "pseudonymised";
    case PersonalDataMode::kClear:
      return "clear";
  }
  assert(false && "unknown PersonalDataMode");
  return "hidden";
}

std::optional<PersonalDataMode> PersonalDataModeFromName(std::string_view name) {
  for (auto m : {PersonalDataMode::kHidden, PersonalDataMode::kPseudonymised, PersonalDataMode::kClear})
    if (PersonalDataModeName(m) == name) return m;
  return std::nullopt;
}

Terms TermsOf(const store::GrantRow& g) {
  return {g.client_id,  g.valid_from,
          g.valid_to,   g.columns,
          g.row_filter, PersonalDataModeFromName(g.personal_data).value_or(PersonalDataMode::kHidden)};
}

Terms TermsOf(const store::AccessRequestRow& r) {
  return {r.client_id,  r.valid_from,
          r.valid_to,   r.columns,
          r.row_filter, PersonalDataModeFromName(r.personal_data).value_or(PersonalDataMode::kHidden)};
}

void SetTerms(const Terms& t, store::GrantRow& g) {
  g.client_id = t.client_id;
  g.valid_from = t.valid_from;
  g.valid_to = t.valid_to;
  g.columns = t.columns;
  g.row_filter = t.row_filter;
  g.personal_data = std::string(PersonalDataModeName(t.personal_data));
}

void SetTerms(const Terms& t, store::AccessRequestRow& r) {
  r.client_id = t.client_id;
  r.valid_from = t.valid_from;
  r.valid_to = t.valid_to;
  r.columns = t.columns;
  r.row_filter = t.row_filter;
  r.personal_data = std::string(PersonalDataModeName(t.personal_data));
}

bool IsTermField(std::string_view name) {
  return std::find(std::begin(kTermFields), std::end(kTermFields), name) != std::end(kTermFields);
}

void ReadTerm(const std::string& key, const json& v, Terms& t, std::vector<FieldProblem>& problems) {
  assert(IsTermField(key));
  auto wrong_type = [&](const std::string& field, const char* what) {
    problems.push_back({field, "wrong_type", std::string("expected ") + what});
  };
  if (key == "client_id") {
    if (v.is_null())
      t.client_id.reset();
    else if (!v.is_string())
      wrong_type(key, "a string or null");
    else if (!IsClientId(v.get<std::string>()))
      problems.push_back({key, "invalid_format", "1 to 200 characters of A-Z a-z 0-9 - _ . :"});
    else
      t.client_id = v.get<std::string>();
  } else if (key == "valid_from" || key == "valid_to") {
    std::optional<std::string> when;
    if (v.is_null()) {
      if (key == "valid_from") problems.push_back({key, "required", "when the access begins"});
    } else if (!v.is_string()) {
      wrong_type(key, "a date-time string");
    } else if (!(when = NormalizeTimestamp(v.get<std::string>()))) {
      problems.push_back({key, "invalid_format", "RFC 3339 date-time (2026-01-31T12:00:00Z) or YYYY-MM-DD"});
    }
    if (key == "valid_from" && when) t.valid_from = *when;
    if (key == "valid_to" && (when || v.is_null())) t.valid_to = when;
  } else if (key == "columns") {
    if (v.is_null()) {
      t.columns.reset();
    } else if (!v.is_array()) {
      wrong_type(key, "an array of column names, or null for all columns");
    } else if (v.empty()) {
      problems.push_back({key, "invalid_value", "name at least one column (null means all columns)"});
    } else {
      std::vector<std::string> names;
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string())
          names.push_back(v[i].get<std::string>());
        else
          wrong_type("columns[" + std::to_string(i) + "]", "a column name");
      }
      t.columns = std::move(names);
    }
  } else if (key == "row_filter") {
    if (v.is_null())
      t.row_filter.clear();
    else if (!v.is_string())
      wrong_type(key, "filter parameters as in a query string, e.g. \"bydel=eq.Frogner\"");
    else if (v.get<std::string>().size() > kMaxRowFilter)
      problems.push_back({key, "too_long", "at most 4000 characters"});
    else
      t.row_filter = v.get<std::string>();
  } else {  // personal_data
    std::optional<PersonalDataMode> m =
        v.is_null() ? PersonalDataMode::kHidden
                    : (v.is_string() ? PersonalDataModeFromName(v.get<std::string>()) : std::nullopt);
    if (!v.is_null() && !v.is_string())
      wrong_type(key, "a string");
    else if (!m)
      problems.push_back({key, "invalid_value", "must be one of hidden, pseudonymised, clear"});
    else
      t.personal_data = *m;
  }
}

void CheckTerms(const products::Schema& schema, const std::optional<std::string>& now, Terms& t,
                std::vector<FieldProblem>& problems) {
  if (t.columns) {
    std::set<std::string> seen;
    for (size_t i = 0; i < t.columns->size(); ++i) {
      std::string& name = (*t.columns)[i];
      const std::string field = "columns[" + std::to_string(i) + "]";
      auto pos = schema.Find(name);
      if (!pos) {
        problems.push_back({field, "not_found", "'" + name + "' is not a column of this data product"});
        continue;
      }
      const products::Column& col = schema.columns[*pos];
      name = col.name;
      if (!seen.insert(FoldColumnName(name)).second)
        problems.push_back({field, "conflict", "'" + name + "' is listed twice"});
      if (col.personal_data != products::PersonalData::kNone && t.personal_data == PersonalDataMode::kHidden)
        problems.push_back({field, "conflict",
                            "'" + name + "' holds " + std::string(PersonalDataName(col.personal_data)) +
                                " data: set personal_data to pseudonymised or clear to include it"});
    }
  }
  std::vector<query::Filter> filters;
  ParseRowFilter(schema, t.row_filter, filters, problems);
  if (t.valid_to && *t.valid_to <= t.valid_from)
    problems.push_back({"valid_to", "invalid_value", "must be after valid_from (" + t.valid_from + ")"});
  else if (t.valid_to && now && *t.valid_to <= *now)
    problems.push_back({"valid_to", "invalid_value", "must be in the future"});
}

std::vector<FieldProblem> WideningProblems(const Terms& wider, const Terms& narrower) {
  std::vector<FieldProblem> out;
  if (wider.client_id && narrower.client_id != wider.client_id)
    out.push_back({"client_id", "widens", "the grant is bound to client '" + *wider.client_id + "'"});
  if (narrower.valid_from < wider.valid_from)
    out.push_back({"valid_from", "widens", "cannot start before " + wider.valid_from});
  if (wider.valid_to && (!narrower.valid_to || *narrower.valid_to > *wider.valid_to))
    out.push_back({"valid_to", "widens", "cannot end after " + *wider.valid_to});
  if (wider.columns) {
    if (!narrower.columns) {
      out.push_back({"columns", "widens", "cannot become all columns"});
    } else {
      std::set<std::string> allowed;
      for (const auto& c : *wider.columns) allowed.insert(FoldColumnName(c));
      for (size_t i = 0; i < narrower.columns->size(); ++i)
        if (!allowed.count(FoldColumnName((*narrower.columns)[i])))
          out.push_back({"columns[" + std::to_string(i) + "]", "widens",
                         "'" + (*narrower.columns)[i] + "' is not among the columns granted or asked for"});
    }
  }
  auto before = FilterTerms(wider.row_filter), after = FilterTerms(narrower.row_filter);
  if (!before || !after) {
    out.push_back({"row_filter", "widens", "the row filter cannot be compared"});
  } else {
    for (const auto& term : *before)
      if (!after->count(term))
        out.push_back(
            {"row_filter", "widens", "the term '" + term.first + "=" + term.second + "' cannot be removed"});
  }
  if (narrower.personal_data > wider.personal_data)
    out.push_back(
        {"personal_data", "widens",
         "cannot be less protective than " + std::string(PersonalDataModeName(wider.personal_data))});
  return out;
}

Result<Terms> ParseNarrowing(const Terms& current, const json& patch, const json& fixed,
                             const products::Schema& schema) {
  if (!patch.is_object())
    return Status::Invalid("a merge patch must be a JSON object", {{"", "wrong_type", ""}});
  Terms t = current;
  std::vector<FieldProblem> problems;
  std::set<std::string> touched;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (IsTermField(it.key())) {
      ReadTerm(it.key(), it.value(), t, problems);
      touched.insert(RootField(it.key()));
    } else if (fixed.is_object() && fixed.contains(it.key())) {
      if (fixed[it.key()] != it.value()) problems.push_back({it.key(), "read_only", "cannot be changed"});
    } else {
      problems.push_back({it.key(), "unknown_field",
                          "only client_id, columns, row_filter, personal_data, "
                          "valid_from and valid_to can be changed"});
    }
  }
  if (!problems.empty()) return Status::Invalid("the change is not valid", std::move(problems));
  // Only what the patch touches is checked against the current schema: a column removed from the
  // schema since does not block narrowing something else.
  std::vector<FieldProblem> checked;
  CheckTerms(schema, std::nullopt, t, checked);
  for (auto& p : checked)
    if (touched.count(RootField(p.field)) ||
        (p.field.starts_with("columns") && touched.count("personal_data")))
      problems.push_back(std::move(p));
  if (problems.empty()) problems = WideningProblems(current, t);
  if (!problems.empty())
    return Status::Invalid("the change would not narrow the access", std::move(problems));
  return t;
}

std::optional<std::vector<std::pair<std::string, std::string>>> SplitRowFilter(std::string_view row_filter) {
  auto params = http::ParseQuery(row_filter);
  if (!params) return std::nullopt;
  return std::vector<std::pair<std::string, std::string>>(params->begin(), params->end());
}

GrantTerms EnforcementTerms(const store::GrantRow& g) {
  GrantTerms t;
  t.columns = g.columns;
  t.row_filter = g.row_filter;
  switch (PersonalDataModeFromName(g.personal_data).value_or(PersonalDataMode::kHidden)) {
    case PersonalDataMode::kHidden:
      t.mode = GrantTerms::PersonalMode::kHidden;
      break;
    case PersonalDataMode::kPseudonymised:
      t.mode = GrantTerms::PersonalMode::kPseudonymised;
      break;
    case PersonalDataMode::kClear:
      t.mode = GrantTerms::PersonalMode::kClear;
      break;
  }
  t.pseudonym_key = g.pseudonym_key;  // the hex text is the key: secret, random and per grant
  return t;
}

}  // namespace kilde::access
