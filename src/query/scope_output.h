// What a QueryScope (filter.h) does to output: pseudonyms of values, the mask that applies them to
// output cells, the clear subject values of the rows read, and a canonical fingerprint of a scope
// (for cache keys and ETags). All functions are pure and thread safe; an OutputMask is immutable
// after construction and may be shared.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "products/schema.h"
#include "query/filter.h"
#include "store/product_store.h"

namespace kilde::query {

// The canonical text of a non-NULL cell of a column of type `type`: integers in decimal, booleans
// true/false, decimals in their shortest round-trip form, text as stored (as the CSV writer writes
// them). "" for NULL.
std::string CellText(const store::Cell& c, products::ColumnType type);

// The pseudonym of `canonical_text` under `key`: the first 32 lowercase hex characters of
// HMAC-SHA256(key, canonical_text). Deterministic per key; unlinkable across keys.
std::string Pseudonym(std::string_view key, std::string_view canonical_text);

// Replaces the pseudonymised columns' cells of an output row by their pseudonyms (text cells).
class OutputMask {
 public:
  OutputMask() = default;  // pseudonymises nothing
  // `columns`: the schema positions of the output cells, in output order.
  OutputMask(const products::Schema& schema, const QueryScope& scope, const std::vector<size_t>& columns);
  // Whether Apply changes nothing.
  bool empty() const { return types_.empty(); }
  // Pseudonymises cells [0, columns.size()) of `cells` in place (NULL stays NULL).
  void Apply(std::vector<store::Cell>& cells) const;

 private:
  // Per output position: the column type when pseudonymised (nullopt = clear). Empty when no
  // column is pseudonymised.
  std::vector<std::optional<products::ColumnType>> types_;
  std::string key_;
};

// Adds the clear value of a subject cell (fødselsnummer / D-number; NULL is no subject) to `out`.
void AddSubject(const store::Cell& c, std::set<std::string>& out);

// Whether `scope` hides, filters and pseudonymises nothing (subject_column aside): output bytes
// are those of the empty scope.
bool IsUnrestricted(const QueryScope& scope);

// A canonical description of everything in `scope` that a response depends on: allowed columns
// (sorted), row filters (column, operator, typed values), pseudonymised columns (sorted), the
// SHA-256 of the pseudonym key (never the key) and the subject column. Equal scopes give equal
// strings; different scopes give different strings.
std::string ScopeFingerprint(const QueryScope& scope);

}  // namespace kilde::query
