// Storage of access grants and access requests (with their event history) for non-public data
// products. Part of the storage layer (see store.h); implementations are thread safe. Validation
// (organisation numbers, columns, filters, narrowing) is the domain's (access/grant.h); the store
// keeps what it is given, checks versions and states atomically, and keeps grants, requests and
// request events for good (grants are revoked, never deleted; events are append-only).
//
// Times are RFC 3339 UTC with second precision ("2026-11-23T18:00:00Z", as base/time.h writes
// them), so that they compare as strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kilde::store {

struct LegalBasis {
  std::string law;        // e.g. "Lov om behandling av personopplysninger"
  std::string paragraph;  // e.g. "§ 6 første ledd bokstav e"
  std::string url;        // e.g. "https://lovdata.no/..."
  bool operator==(const LegalBasis&) const = default;
};

// Who did something: the organisation number of the caller's organisation and its client id
// (Maskinporten client, "" when not known).
struct Actor {
  std::string orgnr;
  std::string client_id;
  bool operator==(const Actor&) const = default;
};

// The right of one organisation (optionally one of its clients) to read one product, within a
// validity window, limited to columns and rows, with a personal-data mode.
struct GrantRow {
  std::string id;                        // "g-" + 16 hex, random
  std::string product;                   // must exist (a product with grants cannot be deleted)
  std::string grantee_orgnr;             // 9 digits
  std::optional<std::string> client_id;  // nullopt: every client of the grantee
  std::string purpose;
  LegalBasis legal_basis;
  std::string valid_from;                           // inclusive
  std::optional<std::string> valid_to;              // exclusive; nullopt: open-ended
  std::optional<std::vector<std::string>> columns;  // column names; nullopt: all columns
  std::string row_filter;                           // filter parameters "a=eq.x&b=gte.2"; "" = all rows
  std::string personal_data;                        // "hidden" | "pseudonymised" | "clear"
  std::string pseudonym_key;                        // 64 hex (32 random bytes); never leaves the server
  std::string created;
  Actor created_by;
  std::optional<std::string> revoked_at;
  Actor revoked_by;                       // empty while not revoked
  std::optional<std::string> request_id;  // the access request it was approved from
  int64_t version = 0;                    // 1 on insert, +1 on each narrowing and on revocation
};

// A consumer's application for a grant. States: pending → approved | denied | withdrawn | expired.
struct AccessRequestRow {
  std::string id;  // "ar-" + 16 hex, random
  std::string product;
  std::string requester_orgnr;
  std::optional<std::string> client_id;  // the client the access is wanted for; nullopt: any
  std::string purpose;
  LegalBasis legal_basis;
  std::optional<std::vector<std::string>> columns;  // wanted; nullopt: all columns
  std::string row_filter;                           // wanted rows; "" = all
  std::string personal_data;                        // wanted mode
  std::string valid_from;                           // wanted period
  std::optional<std::string> valid_to;
  std::string state;                    // "pending" | "approved" | "denied" | "withdrawn" | "expired"
  std::string reason;                   // why denied / withdrawn / expired; "" otherwise
  std::optional<std::string> grant_id;  // set when approved
  std::string created;
  std::string updated;
  int64_t version = 0;  // 1 on insert, +1 on each transition
};

// One step in a request's history. `from_state` is "" for the filing.
struct AccessRequestEvent {
  int64_t seq = 0;  // assigned by the store, ascending over all requests
  std::string request_id;
  std::string from_state;
  std::string to_state;
  Actor actor;  // empty for transitions made by the server itself (expiry)
  std::string time;
  std::string reason;
};

struct GrantQuery {
  std::optional<std::string> product;
  std::optional<std::string> grantee_orgnr;
  bool include_revoked = true;
  std::string after_id;  // keyset paging, ordered by id
  int limit = 100;
};

struct RequestQuery {
  std::optional<std::string> product;
  std::optional<std::string> requester_orgnr;
  std::optional<std::string> state;
  std::string after_id;  // keyset paging, ordered by id
  int limit = 100;
};

// One state change of a request, made only if the request is still in `from_state`.
struct RequestTransition {
  std::string request_id;
  std::string from_state;
  std::string to_state;
  Actor actor;
  std::string time;
  std::string reason;
  // For approvals: the grant to create in the same transaction (its request_id must be
  // `request_id`); the request's grant_id is set to its id.
  std::optional<GrantRow> grant;
};

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // --- grants ---
  // kAlreadyExists if the id is taken; kNotFound if the product does not exist.
  virtual Status InsertGrant(const GrantRow& g) = 0;
  // kNotFound if absent.
  virtual Result<GrantRow> GetGrant(const std::string& id) = 0;
  virtual Result<std::vector<GrantRow>> ListGrants(const GrantQuery& q) = 0;
  // The grants of `grantee_orgnr` on `product` in force at `now`: not revoked, valid_from <= now,
  // and now < valid_to (or no valid_to); a grant bound to a client only when `client_id` is that
  // client (an empty `client_id` matches only grants for every client). Filtered in SQL, so a
  // revocation or narrowing is visible to the next call. Ordered by id.
  virtual Result<std::vector<GrantRow>> ActiveGrants(const std::string& product,
                                                     const std::string& grantee_orgnr,
                                                     const std::string& client_id,
                                                     const std::string& now) = 0;
  // Replaces the mutable terms (client_id, valid_from, valid_to, columns, row_filter,
  // personal_data) of the grant whose version is `expected_version`; g.version must be
  // expected_version + 1. kNotFound; kFailedPrecondition if the version moved on or the grant is
  // revoked. Identity, purpose, legal basis, key and provenance are never changed.
  virtual Status UpdateGrant(const GrantRow& g, int64_t expected_version) = 0;
  // Marks the grant revoked at `time` by `by` (version + 1). kNotFound; kFailedPrecondition if it
  // is already revoked or (with `expected_version`) its version moved on.
  virtual Status RevokeGrant(const std::string& id, const std::string& time, const Actor& by,
                             std::optional<int64_t> expected_version) = 0;

  // --- requests ---
  // Inserts a request (state "pending", version 1) and its filing event in one transaction.
  // kAlreadyExists / kNotFound (product).
  virtual Status InsertRequest(const AccessRequestRow& r, const Actor& filed_by) = 0;
  virtual Result<AccessRequestRow> GetRequest(const std::string& id) = 0;
  virtual Result<std::vector<AccessRequestRow>> ListRequests(const RequestQuery& q) = 0;
  // The request's history, oldest first.
  virtual Result<std::vector<AccessRequestEvent>> RequestEvents(const std::string& request_id) = 0;
  // In one transaction: moves the request from t.from_state to t.to_state (reason, updated = t.time,
  // version + 1), appends the event and, with t.grant, inserts the grant. kNotFound if the request
  // does not exist; kFailedPrecondition (nothing written) if it is no longer in t.from_state — e.g.
  // the second of two concurrent approvals. Returns the updated request.
  virtual Result<AccessRequestRow> TransitionRequest(const RequestTransition& t) = 0;
  // Moves every pending request whose wanted period ended (valid_to <= now) to "expired", with an
  // event by the server (empty actor). Cheap when there is none (a read without the writer lock).
  // Returns how many were expired.
  virtual Result<int64_t> ExpirePending(const std::string& now) = 0;
};

}  // namespace kilde::store
