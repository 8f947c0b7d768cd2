#include "auth/principal.h"

namespace kilde::auth {

bool HasScope(const Principal& p, std::string_view scope) {
  for (const std::string& s : p.scopes)
    if (s == scope || s == kScopeAdmin) return true;
  return false;
}

}  // namespace kilde::auth
