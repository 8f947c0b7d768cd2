// The JSON form of access grants and access requests (docs/access-model.md): parsing request
// bodies with full validation into store rows, and rendering rows. A grant's pseudonym_key is
// never rendered. All functions are pure and thread safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/terms.h"
#include "base/status.h"
#include "products/schema.h"
#include "store/access_store.h"

namespace kilde::access {

// The body of "create a grant":
//   {"grantee_orgnr": "958935420", "client_id": "...", "purpose": "...",
//    "legal_basis": {"law": "...", "paragraph": "...", "url": "https://lovdata.no/..."},
//    "valid_from": "2026-01-01", "valid_to": "2027-01-01T00:00:00Z", "columns": ["bydel", "antall"],
//    "row_filter": "bydel=eq.Frogner", "personal_data": "hidden"}
// grantee_orgnr, purpose and legal_basis are required; valid_from defaults to `now`; the other
// terms default to none / all columns / all rows / hidden. Checked against `schema` (CheckTerms,
// with valid_to in the future). Fills grantee_orgnr, purpose, legal_basis and the terms only.
// kInvalidArgument with every problem.
Result<store::GrantRow> ParseGrant(const nlohmann::json& body, const products::Schema& schema,
                                   const std::string& now);

// The body of "file an access request": like a grant without grantee_orgnr (the requester is the
// caller). Fills purpose, legal_basis and the terms only.
Result<store::AccessRequestRow> ParseRequest(const nlohmann::json& body, const products::Schema& schema,
                                             const std::string& now);

// "revoked", "expired" (valid_to <= now), "scheduled" (now < valid_from) or "active".
std::string GrantStatus(const store::GrantRow& g, const std::string& now);

// The grant as the API shows it: every field but pseudonym_key, plus "status" at `now`.
nlohmann::json GrantJson(const store::GrantRow& g, const std::string& now);
// The members of GrantJson that a narrowing patch may repeat but not change (all but the terms).
nlohmann::json GrantFixedMembers(const store::GrantRow& g, const std::string& now);

// The request as the API shows it; with `events`, its history as "events".
nlohmann::json RequestJson(const store::AccessRequestRow& r,
                           const std::vector<store::AccessRequestEvent>* events = nullptr);

}  // namespace kilde::access
