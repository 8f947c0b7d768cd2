// The access level of a data product: who may read its editions at all (grants then narrow what a
// non-public reader sees; see docs/access-model.md). Deny by default: a product whose stored
// document has no (or an unknown) level is non_public. All functions are pure and thread safe.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/product_store.h"

namespace kilde::products {

enum class AccessLevel {
  kPublic,      // "public": anyone, no token
  kRestricted,  // "restricted": any token whose consumer is a municipal organisation in the catalog
  kNonPublic,   // "non_public": only consumers with an active grant
};

// The level of a product created without one.
inline constexpr AccessLevel kDefaultAccessLevel = AccessLevel::kNonPublic;

// "public", "restricted", "non_public".
std::string_view AccessLevelName(AccessLevel level);
// Inverse of AccessLevelName (exact, lower case); nullopt for anything else.
std::optional<AccessLevel> AccessLevelFromName(std::string_view name);

// The level recorded in a product document (member "access_level"); kDefaultAccessLevel when it is
// absent, not a string or not a known name (fail closed).
AccessLevel AccessLevelOfDoc(const nlohmann::json& doc);
// The level of a stored product (parses row.doc; a document that does not parse is non_public).
AccessLevel AccessLevelOfRow(const store::ProductRow& row);

}  // namespace kilde::products
