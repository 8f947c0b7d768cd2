// Turning the terms of an access grant into the QueryScope (query/filter.h) that the query layer
// enforces for rows, aggregates, downloads and diffs. Pure functions of (schema, terms): thread
// safe, no I/O. A scope is computed per schema version, because column positions and personal-data
// classes may change between versions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "products/schema.h"
#include "query/filter.h"

namespace kilde::access {

// What a grant allows on one data product.
struct GrantTerms {
  // The columns granted, by name (case-insensitive); nullopt = all columns (but never a
  // special-category column, see below). Names this schema version lacks grant nothing.
  std::optional<std::vector<std::string>> columns;
  // Rows granted, in the filter language of /rows, e.g. "bydel=eq.Frogner&year=gte.2020"
  // (percent-encoded like a query string; the filters are ANDed; "" = all rows).
  std::string row_filter;
  // How personal-data columns (Column::personal_data != kNone) are shown:
  //   kHidden         not at all (the default)
  //   kPseudonymised  as HMAC pseudonyms under pseudonym_key (may be selected, not compared)
  //   kClear          as they are
  // Special-category columns are shown (pseudonymised or clear, per mode) only when mode is not
  // kHidden AND `columns` names them explicitly.
  enum class PersonalMode { kHidden, kPseudonymised, kClear };
  PersonalMode mode = PersonalMode::kHidden;
  // Raw key bytes, secret and per grant (so two consumers' pseudonyms cannot be linked); required
  // (non-empty) for kPseudonymised.
  std::string pseudonym_key;
};

// The scope of `terms` on `schema` (subject_column = schema.PersonIdColumn()). Fails closed:
// kFailedPrecondition when the row filter names a column this schema version does not have ("the
// grant's row filter names column X which this edition does not have"), when a row filter value
// is not valid for its column here, or when kPseudonymised comes without a key.
Result<query::QueryScope> ScopeFromGrant(const products::Schema& schema, const GrantTerms& terms);

// Without a grant, on a public or restricted product: every column without personal data, all
// rows, in clear.
query::QueryScope PublicScope(const products::Schema& schema);

// The product's owner: everything, in clear.
query::QueryScope OwnerScope(const products::Schema& schema);

}  // namespace kilde::access
