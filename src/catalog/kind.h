// The kinds of catalog resource and their names in URLs, store rows and import files.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace kilde::catalog {

enum class Kind { kOrganization, kDataset, kDistribution, kDataService, kConcept, kPublicService };

inline constexpr std::array<Kind, 6> kAllKinds = {Kind::kOrganization, Kind::kDataset, Kind::kDistribution,
                                                  Kind::kDataService,  Kind::kConcept, Kind::kPublicService};

// Path segment under /api/v1/ ("organizations", "data-services", ...).
constexpr std::string_view PathName(Kind k) {
  switch (k) {
    case Kind::kOrganization:
      return "organizations";
    case Kind::kDataset:
      return "datasets";
    case Kind::kDistribution:
      return "distributions";
    case Kind::kDataService:
      return "data-services";
    case Kind::kConcept:
      return "concepts";
    case Kind::kPublicService:
      return "public-services";
  }
  return "";
}

// Key in import/demo files and the store's `kind` column ("data_services", ...).
constexpr std::string_view StoreName(Kind k) {
  switch (k) {
    case Kind::kOrganization:
      return "organizations";
    case Kind::kDataset:
      return "datasets";
    case Kind::kDistribution:
      return "distributions";
    case Kind::kDataService:
      return "data_services";
    case Kind::kConcept:
      return "concepts";
    case Kind::kPublicService:
      return "public_services";
  }
  return "";
}

// Singular English noun for messages ("data service").
constexpr std::string_view Noun(Kind k) {
  switch (k) {
    case Kind::kOrganization:
      return "organization";
    case Kind::kDataset:
      return "dataset";
    case Kind::kDistribution:
      return "distribution";
    case Kind::kDataService:
      return "data service";
    case Kind::kConcept:
      return "concept";
    case Kind::kPublicService:
      return "public service";
  }
  return "";
}

inline std::optional<Kind> KindFromPathName(std::string_view s) {
  for (Kind k : kAllKinds)
    if (PathName(k) == s) return k;
  return std::nullopt;
}
inline std::optional<Kind> KindFromStoreName(std::string_view s) {
  for (Kind k : kAllKinds)
    if (StoreName(k) == s) return k;
  return std::nullopt;
}

}  // namespace kilde::catalog
