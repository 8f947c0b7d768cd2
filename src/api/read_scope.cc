// App::ReadScope: the access decision for reads of editions (rows, aggregates, downloads, diffs).
//
// Placeholder until access grants decide: every caller sees everything in clear. The subject
// column is set already, so the routes collect the data subjects of every response for the audit
// log. To be replaced by the grant decision (access/scope.h: ScopeFromGrant, PublicScope,
// OwnerScope).
#include "api/app.h"

namespace kilde::api {

Result<query::QueryScope> App::ReadScope(const http::Request& /*req*/, const store::ProductRow& /*product*/,
                                         const products::Schema& schema) {
  query::QueryScope scope;
  scope.subject_column = schema.PersonIdColumn();
  return scope;
}

}  // namespace kilde::api
