// Who a request speaks for: the principal of a verified bearer token (Maskinporten token shape, see
// ../shared/standards.md), and the scopes kilde knows. A plain value type; thread safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kilde::auth {

inline constexpr std::string_view kScopeRead = "kilde:read";
inline constexpr std::string_view kScopeWrite = "kilde:write";
inline constexpr std::string_view kScopeOwner = "kilde:owner";
inline constexpr std::string_view kScopeAdmin = "kilde:admin";  // implies every scope (HasScope)

// Who a verified token speaks for.
struct Principal {
  std::string issuer;
  // The organisation that is authorised: the 9 digits of `consumer.ID` "0192:<orgnr>" (check digit
  // valid). Empty only for a citizen token (pid set) that carries no consumer.
  std::string consumer_orgnr;
  std::string client_id;                      // recorded, never used for authorisation
  std::optional<std::string> supplier_orgnr;  // `supplier.ID`, same format, when present
  std::vector<std::string> scopes;            // the space-separated `scope` claim, in order
  std::optional<std::string> pid;             // fødselsnummer/D-nummer of a citizen (ID-porten style)
  std::string jti;                            // "" when absent
  int64_t expires_at = 0;                     // `exp`, Unix seconds

  bool is_citizen() const { return pid.has_value(); }
};

// Whether `p` holds `scope`; kilde:admin implies every scope.
bool HasScope(const Principal& p, std::string_view scope);

}  // namespace kilde::auth
