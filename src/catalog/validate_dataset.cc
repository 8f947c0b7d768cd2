// Datasets (docs/catalog-model.md, "datasets").
#include "catalog/field_checks.h"
#include "catalog/validate_kinds.h"

namespace kilde::catalog::internal {
namespace {

using checks::Field;
using checks::Json;
using checks::Sink;

constexpr std::string_view kThemes[] = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL",
                                        "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"};
constexpr std::string_view kFrequencies[] = {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL",
                                             "IRREG", "CONT",   "NEVER",   "UNKNOWN"};
constexpr std::string_view kLosPrefix = "https://psi.norge.no/los/";

// legal_basis: {restriction, processing, access}, each an array of LawRef.
void CheckLegalBasis(const Json& v, const std::string& path, Sink& sink) {
  static const Field kFields[] = {
      {"restriction", false, checks::ArrayOf(checks::LawRef())},
      {"processing", false, checks::ArrayOf(checks::LawRef())},
      {"access", false, checks::ArrayOf(checks::LawRef())},
  };
  checks::CheckObject(v, path, kFields, sink);
}

// temporal: {start, end}, at least one, start <= end.
void CheckTemporal(const Json& v, const std::string& path, Sink& sink) {
  static const Field kFields[] = {
      {"start", false, checks::Date()},
      {"end", false, checks::Date()},
  };
  if (!checks::CheckObject(v, path, kFields, sink)) return;
  const Json* start = checks::Member(v, "start");
  const Json* end = checks::Member(v, "end");
  if (!start && !end) {
    sink.Problem(path, checks::kRequired, "needs start or end (or both)");
    return;
  }
  std::string s = checks::StringMember(v, "start");
  std::string e = checks::StringMember(v, "end");
  // YYYY-MM-DD strings order like the dates they denote.
  if (checks::IsValidDate(s) && checks::IsValidDate(e) && e < s)
    sink.Problem(checks::Child(path, "end"), checks::kInvalidValue, "must not be before temporal.start");
}

// A RESTRICTED / NON_PUBLIC dataset needs at least one legal basis for the restriction.
void CheckRestrictionBasis(const Json& doc, Sink& sink) {
  std::string access = checks::StringMember(doc, "access_rights");
  if (access != "RESTRICTED" && access != "NON_PUBLIC") return;
  const Json* legal = checks::Member(doc, "legal_basis");
  if (legal && !legal->is_object()) return;  // already reported as wrong_type
  const Json* restriction = legal ? checks::Member(*legal, "restriction") : nullptr;
  if (restriction && !restriction->is_array()) return;  // already reported as wrong_type
  if (restriction && !restriction->empty()) return;
  sink.Problem("legal_basis.restriction", checks::kRequired,
               "a " + access + " dataset needs at least one legal basis for the restriction");
}

}  // namespace

void ValidateDataset(const Json& doc, Sink& sink) {
  static const Field kFields[] = {
      {"id", false, checks::Slug()},
      {"title", true, checks::LangText({"nb"}, checks::kMaxShortText)},
      {"description", true, checks::LangText({"nb"}, checks::kMaxLongText)},
      {"publisher", true, checks::Ref(Kind::kOrganization)},
      {"contact_point", true, checks::ContactPoint()},
      {"themes", true, checks::ArrayOf(checks::Enum(kThemes), 1, "needs at least one EU data theme"),
       "needs at least one EU data theme"},
      {"los_themes", false, checks::ArrayOf(checks::Url(kLosPrefix))},
      {"keywords", false, checks::LangList(checks::kMaxKeyword)},
      {"access_rights", true, checks::Enum(checks::kAccessRights)},
      {"legal_basis", false, CheckLegalBasis},
      {"spatial", false, checks::ArrayOf(checks::Url())},
      {"temporal", false, CheckTemporal},
      {"frequency", false, checks::Enum(kFrequencies)},
      {"license", false, checks::Enum(checks::kLicenses)},
      {"concepts", false, checks::ArrayOf(checks::Ref(Kind::kConcept))},
      {"landing_page", false, checks::Url()},
      {"language", false, checks::ArrayOf(checks::Enum(checks::kLanguages))},
      {"status", false, checks::Enum(checks::kStatuses)},
  };
  checks::CheckObject(doc, "", kFields, sink, kServerManaged);
  CheckRestrictionBasis(doc, sink);
}

}  // namespace kilde::catalog::internal
