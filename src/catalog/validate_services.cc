// Data services and public services (docs/catalog-model.md, "data-services", "public-services").
#include <set>

#include "catalog/field_checks.h"
#include "catalog/validate_kinds.h"

namespace kilde::catalog::internal {
namespace {

using checks::Field;
using checks::Json;
using checks::Sink;

// outputs[i]: {id: slug (required), title: LangText needing nb (required), description}.
void CheckOutput(const Json& v, const std::string& path, Sink& sink) {
  static const Field kFields[] = {
      {"id", true, checks::Slug()},
      {"title", true, checks::LangText({"nb"}, checks::kMaxShortText)},
      {"description", false, checks::LangText({}, checks::kMaxLongText)},
  };
  checks::CheckObject(v, path, kFields, sink);
}

// Output ids must be unique within one public service.
void CheckOutputIdsUnique(const Json& doc, Sink& sink) {
  const Json* outputs = checks::Member(doc, "outputs");
  if (!outputs || !outputs->is_array()) return;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < outputs->size(); ++i) {
    std::string id = checks::StringMember((*outputs)[i], "id");
    if (id.empty()) continue;
    if (!seen.insert(id).second)
      sink.Problem(checks::Child(checks::Item("outputs", i), "id"), checks::kConflict,
                   "duplicates the id of an earlier output");
  }
}

}  // namespace

void ValidateDataService(const Json& doc, Sink& sink) {
  static const Field kFields[] = {
      {"id", false, checks::Slug()},
      {"title", true, checks::LangText({"nb"}, checks::kMaxShortText)},
      {"description", false, checks::LangText({}, checks::kMaxLongText)},
      {"publisher", true, checks::Ref(Kind::kOrganization)},
      {"contact_point", true, checks::ContactPoint()},
      {"endpoint_url", true, checks::Url()},
      {"endpoint_description", false, checks::Url()},
      {"serves_datasets", false, checks::ArrayOf(checks::Ref(Kind::kDataset))},
      {"formats", false, checks::ArrayOf(checks::Enum(checks::kFileTypes))},
      {"access_rights", false, checks::Enum(checks::kAccessRights)},
      {"keywords", false, checks::LangList(checks::kMaxKeyword)},
      {"status", false, checks::Enum(checks::kStatuses)},
  };
  checks::CheckObject(doc, "", kFields, sink, kServerManaged);
}

void ValidatePublicService(const Json& doc, Sink& sink) {
  static const Field kFields[] = {
      {"id", false, checks::Slug()},
      {"title", true, checks::LangText({"nb"}, checks::kMaxShortText)},
      {"description", true, checks::LangText({"nb"}, checks::kMaxLongText)},
      {"competent_authority", true, checks::Ref(Kind::kOrganization)},
      {"outputs", true, checks::ArrayOf(CheckOutput, 1, "needs at least one output"),
       "needs at least one output"},
      {"contact_point", true, checks::ContactPoint()},
      {"related_datasets", false, checks::ArrayOf(checks::Ref(Kind::kDataset))},
      {"keywords", false, checks::LangList(checks::kMaxKeyword)},
      {"homepage", false, checks::Url()},
      {"legal_basis", false, checks::ArrayOf(checks::LawRef())},
      {"status", false, checks::Enum(checks::kStatuses)},
  };
  checks::CheckObject(doc, "", kFields, sink, kServerManaged);
  CheckOutputIdsUnique(doc, sink);
}

}  // namespace kilde::catalog::internal
