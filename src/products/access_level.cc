#include "products/access_level.h"

#include <cassert>
#include <string>

namespace kilde::products {

std::string_view AccessLevelName(AccessLevel level) {
  switch (level) {
    case AccessLevel::kPublic:
      return "public";
    case AccessLevel::kRestricted:
      return "restricted";
    case AccessLevel::kNonPublic:
      return "non_public";
  }
  assert(false && "unknown AccessLevel");
  return "non_public";
}

std::optional<AccessLevel> AccessLevelFromName(std::string_view name) {
  for (AccessLevel l : {AccessLevel::kPublic, AccessLevel::kRestricted, AccessLevel::kNonPublic})
    if (AccessLevelName(l) == name) return l;
  return std::nullopt;
}

AccessLevel AccessLevelOfDoc(const nlohmann::json& doc) {
  if (!doc.is_object()) return kDefaultAccessLevel;
  auto it = doc.find("access_level");
  if (it == doc.end() || !it->is_string()) return kDefaultAccessLevel;
  return AccessLevelFromName(it->get_ref<const std::string&>()).value_or(kDefaultAccessLevel);
}

AccessLevel AccessLevelOfRow(const store::ProductRow& row) {
  return AccessLevelOfDoc(nlohmann::json::parse(row.doc, nullptr, /*allow_exceptions=*/false));
}

}  // namespace kilde::products
