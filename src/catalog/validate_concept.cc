// Concepts, SKOS-AP-NO-Begrep (docs/catalog-model.md, "concepts").
#include <algorithm>

#include "catalog/field_checks.h"
#include "catalog/validate_kinds.h"

namespace kilde::catalog::internal {
namespace {

using checks::Field;
using checks::Json;
using checks::Sink;

constexpr std::string_view kSourceRelations[] = {"own", "quoted", "based_on"};
constexpr std::string_view kAudiences[] = {"public", "specialist"};

// definition.source: {label: LangText, url: URL}, at least one of them.
void CheckSource(const Json& v, const std::string& path, Sink& sink) {
  static const Field kFields[] = {
      {"label", false, checks::LangText({}, checks::kMaxShortText)},
      {"url", false, checks::Url()},
  };
  if (!checks::CheckObject(v, path, kFields, sink)) return;
  if (!checks::Member(v, "label") && !checks::Member(v, "url"))
    sink.Problem(path, checks::kRequired, "needs a label or a url");
}

// definition: {text, source, source_relation, audience}; source is required unless
// source_relation is "own" (not checked when source_relation is itself invalid).
void CheckDefinition(const Json& v, const std::string& path, Sink& sink) {
  static const Field kFields[] = {
      {"text", true, checks::LangText({"nb"}, checks::kMaxLongText)},
      {"source", false, CheckSource},
      {"source_relation", false, checks::Enum(kSourceRelations)},
      {"audience", false, checks::Enum(kAudiences)},
  };
  if (!checks::CheckObject(v, path, kFields, sink)) return;
  const Json* relation = checks::Member(v, "source_relation");
  std::string rel = checks::StringMember(v, "source_relation");
  if (relation &&
      std::find(std::begin(kSourceRelations), std::end(kSourceRelations), rel) == std::end(kSourceRelations))
    return;
  if (rel != "own" && !checks::Member(v, "source"))
    sink.Problem(checks::Child(path, "source"), checks::kRequired,
                 "is required unless source_relation is \"own\"");
}

}  // namespace

void ValidateConcept(const Json& doc, Sink& sink) {
  static const Field kFields[] = {
      {"id", false, checks::Slug()},
      {"pref_label", true, checks::LangText({"nb", "nn"}, checks::kMaxShortText)},
      {"alt_labels", false, checks::LangList(checks::kMaxKeyword)},
      {"definition", true, CheckDefinition},
      {"scope_note", false, checks::LangText({}, checks::kMaxLongText)},
      {"subject_area", false, checks::LangText({}, checks::kMaxShortText)},
      {"valid_from", false, checks::Date()},
      {"valid_to", false, checks::Date()},
      {"publisher", true, checks::Ref(Kind::kOrganization)},
      {"contact_point", true, checks::ContactPoint()},
      {"status", false, checks::Enum(checks::kStatuses)},
  };
  checks::CheckObject(doc, "", kFields, sink, kServerManaged);
  std::string from = checks::StringMember(doc, "valid_from");
  std::string to = checks::StringMember(doc, "valid_to");
  if (checks::IsValidDate(from) && checks::IsValidDate(to) && to < from)
    sink.Problem("valid_to", checks::kInvalidValue, "must not be before valid_from");
}

}  // namespace kilde::catalog::internal
