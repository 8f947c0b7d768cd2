#include "catalog/validate.h"

#include "base/norwegian_ids.h"
#include "catalog/field_checks.h"
#include "catalog/validate_kinds.h"

namespace kilde::catalog {

using checks::Field;
using checks::Json;
using checks::Sink;

bool IsValidSlug(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) return false;
  }
  return true;
}

Validation Validate(Kind kind, const nlohmann::json& doc) {
  Validation out;
  Sink sink(out);
  if (!doc.is_object()) {
    sink.Problem("", checks::kWrongType,
                 "must be a JSON object (" + std::string(PathName(kind)) + " resource)");
    return out;
  }
  switch (kind) {
    case Kind::kOrganization:
      internal::ValidateOrganization(doc, sink);
      break;
    case Kind::kDataset:
      internal::ValidateDataset(doc, sink);
      break;
    case Kind::kDistribution:
      internal::ValidateDistribution(doc, sink);
      break;
    case Kind::kDataService:
      internal::ValidateDataService(doc, sink);
      break;
    case Kind::kConcept:
      internal::ValidateConcept(doc, sink);
      break;
    case Kind::kPublicService:
      internal::ValidatePublicService(doc, sink);
      break;
  }
  return out;
}

Status ToStatus(const Validation& v) {
  if (v.ok()) return Status::Ok();
  return Status::Invalid("validation failed", v.problems);
}

namespace internal {
namespace {

constexpr std::string_view kOrganizationKinds[] = {"municipality", "agency",  "district",
                                                   "department",   "company", "other"};

// organization_number: 9 digits with a valid mod-11 check digit (base/norwegian_ids.h).
void CheckOrganizationNumber(const Json& v, const std::string& path, Sink& sink) {
  if (!v.is_string()) {
    sink.Problem(path, checks::kWrongType, "must be a string of 9 digits");
    return;
  }
  auto problem = OrganizationNumberProblem(v.get<std::string>());
  if (!problem) return;
  if (problem->defect == IdDefect::kFormat)
    sink.Problem(path, checks::kInvalidFormat, "must be 9 digits");
  else
    sink.Problem(path, checks::kInvalidChecksum, "check digit mismatch: not a valid organisation number");
}

}  // namespace

void ValidateOrganization(const Json& doc, Sink& sink) {
  static const Field kFields[] = {
      {"id", false, checks::Slug()},
      {"organization_number", true, CheckOrganizationNumber},
      {"name", true, checks::LangText({"nb"}, checks::kMaxShortText)},
      {"parent", false, checks::Ref(Kind::kOrganization)},
      {"kind", false, checks::Enum(kOrganizationKinds)},
      {"homepage", false, checks::Url()},
      {"example_identifier", false, checks::Bool()},
  };
  checks::CheckObject(doc, "", kFields, sink, kServerManaged);
}

void ValidateDistribution(const Json& doc, Sink& sink) {
  static const Field kFields[] = {
      {"id", false, checks::Slug()},
      {"dataset", true, checks::Ref(Kind::kDataset)},
      {"title", false, checks::LangText({}, checks::kMaxShortText)},
      {"description", false, checks::LangText({}, checks::kMaxLongText)},
      {"access_url", true, checks::Url()},
      {"download_url", false, checks::Url()},
      {"format", false, checks::Enum(checks::kFileTypes)},
      {"media_type", false, checks::MediaType()},
      {"license", false, checks::Enum(checks::kLicenses)},
      {"access_service", false, checks::Ref(Kind::kDataService)},
  };
  checks::CheckObject(doc, "", kFields, sink, kServerManaged);
}

}  // namespace internal
}  // namespace kilde::catalog
