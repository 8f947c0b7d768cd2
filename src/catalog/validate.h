// Validation of catalog resources against docs/catalog-model.md (the contract).
//
// Pure: no I/O, no store look-ups. Rules that need the store (references exist, uniqueness of
// organisation numbers and distribution ids, parent cycles, immutability of `id`) are left to
// the catalog service; references are handed back to it as `Validation::references`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/kind.h"

namespace kilde::catalog {

// A reference from the validated document to another resource, which the service must check
// exists (problem "not_found" on `field` if it does not).
struct Reference {
  Kind kind;
  std::string id;
  std::string field;  // where it was found, e.g. "publisher", "concepts[1]"
};

struct Validation {
  std::vector<FieldProblem> problems;  // empty means valid
  std::vector<Reference> references;   // only well-formed ids (slugs), in document order
  bool ok() const { return problems.empty(); }
};

// Checks `doc` (an API-shape document, after the server has set id/created/modified/version
// and, for distributions, `dataset`) against docs/catalog-model.md. Returns every problem at
// once, in a stable order: unknown fields first, then the contract's fields in its order, then
// cross-field rules.
//
// - A non-object `doc` gives the single problem {field: "", problem: "wrong_type"}.
// - `created`, `modified`, `version` are accepted and not checked; any other key not in the
//   contract is "unknown_field".
// - `id` is optional here (the service derives one on create) but must be a slug if present.
// - A JSON `null` member counts as absent (so a required one is "required").
// - Codes: required, unknown_field, wrong_type, invalid_format, invalid_value, invalid_checksum,
//   too_long, conflict (duplicate ids inside one document). `field` is a dotted path with
//   [i] indices; `message` is a short English sentence naming what was expected.
Validation Validate(Kind kind, const nlohmann::json& doc);

// Whether `s` is a resource id: ^[a-z0-9][a-z0-9-]{0,63}$.
bool IsValidSlug(std::string_view s);

// Converts the problems of `v` into the error model's Status (kInvalidArgument,
// "validation failed", details = problems); OK if there are none.
Status ToStatus(const Validation& v);

}  // namespace kilde::catalog
