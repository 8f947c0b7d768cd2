// AccessService: grants and access requests of data products (docs/access-model.md).
//
// Who may do what is decided by the caller (the HTTP layer: "is this the owner organisation or an
// admin", "is this the requester"); the service takes the caller's identity as plain values to
// record it, and enforces the rules of the data: validation against the product's current schema,
// the narrowing rule, and the request state machine (pending → approved | denied | withdrawn |
// expired; nothing leaves a final state). The one identity rule it enforces itself: only the
// requesting organisation may withdraw a request (kPermissionDenied otherwise).
//
// Requests expire lazily: a pending request whose wanted period ended (valid_to <= now) is moved to
// "expired" (recorded with an empty actor) by the next GetRequest / ListRequests / decision.
//
// Thread safe (stateless over the store; concurrent decisions on one request: exactly one wins, the
// others get kFailedPrecondition).
#pragma once

#include <atomic>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/grant.h"
#include "base/status.h"
#include "products/service.h"
#include "store/store.h"

namespace kilde::access {

// Who is calling: the organisation number of the token's consumer, its client id, and whether the
// caller acts as a platform administrator.
struct Caller {
  std::string orgnr;
  std::string client_id;
  bool is_admin = false;
  store::Actor actor() const { return {orgnr, client_id}; }
};

struct Page {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next_cursor;  // opaque; pass back as `cursor`
};

struct RequestFilter {
  std::optional<std::string> product;
  std::optional<std::string> requester_orgnr;
  std::optional<std::string> state;  // one of the five states (kInvalidArgument otherwise)
};

struct Approval {
  nlohmann::json request;  // RequestJson with events
  nlohmann::json grant;    // GrantJson
};

class AccessService {
 public:
  // The current time as RFC 3339 UTC (tests pass a fixed clock).
  using Clock = std::function<std::string()>;
  explicit AccessService(store::Store* store, Clock clock = {});  // store not owned

  // --- grants (by the product's owner or an admin) ---
  // ParseGrant's body → the grant (GrantJson). kNotFound if the product does not exist.
  Result<nlohmann::json> CreateGrant(const std::string& product, const nlohmann::json& body,
                                     const Caller& by);
  // kNotFound unless grant `id` exists and belongs to `product`.
  Result<nlohmann::json> GetGrant(const std::string& product, const std::string& id);
  // With `grantee_orgnr`, only that organisation's grants (a grantee's view of one product).
  Result<Page> ListGrants(const std::string& product, bool include_revoked, const std::string& cursor,
                          int limit, const std::optional<std::string>& grantee_orgnr = std::nullopt);
  // The grants held by organisation `grantee_orgnr` on any product (for the consumer's own view);
  // with `product`, on that product only (kNotFound if it does not exist).
  Result<Page> ListGrantsOf(const std::string& grantee_orgnr, bool include_revoked, const std::string& cursor,
                            int limit, const std::optional<std::string>& product = std::nullopt);
  // A merge patch of the terms that may only narrow them (see terms.h ParseNarrowing; other members
  // of GrantJson may be repeated unchanged). kFailedPrecondition if revoked or `if_match` is not
  // the version.
  Result<nlohmann::json> NarrowGrant(const std::string& product, const std::string& id,
                                     const nlohmann::json& patch, std::optional<int64_t> if_match,
                                     const Caller& by);
  // Revokes the grant now; ActiveGrantsFor no longer returns it from the next call on.
  // kFailedPrecondition if already revoked or `if_match` is not the version.
  Result<nlohmann::json> RevokeGrant(const std::string& product, const std::string& id,
                                     std::optional<int64_t> if_match, const Caller& by);

  // --- requests ---
  // ParseRequest's body, filed by `by` (the requester). The request (RequestJson with events).
  Result<nlohmann::json> FileRequest(const std::string& product, const nlohmann::json& body,
                                     const Caller& by);
  // With its history. kNotFound unless it exists and belongs to `product`.
  Result<nlohmann::json> GetRequest(const std::string& product, const std::string& id);
  // Without histories, ordered by id.
  Result<Page> ListRequests(const RequestFilter& filter, const std::string& cursor, int limit);
  // Approves a pending request and creates its grant in one transaction. `terms` (null or an object
  // of term members) narrows what was asked for (ParseNarrowing over the request's terms);
  // valid_from becomes now if the asked start has passed. kFailedPrecondition if the request is no
  // longer pending (or expired now).
  Result<Approval> Approve(const std::string& product, const std::string& id, const nlohmann::json& terms,
                           const Caller& by);
  // {"reason": "..."} (required). kFailedPrecondition if not pending.
  Result<nlohmann::json> Deny(const std::string& product, const std::string& id, const nlohmann::json& body,
                              const Caller& by);
  // By the requesting organisation only (kPermissionDenied otherwise); body null or
  // {"reason": "..."}. kFailedPrecondition if not pending.
  Result<nlohmann::json> Withdraw(const std::string& product, const std::string& id,
                                  const nlohmann::json& body, const Caller& by);

  // The grants in force for `orgnr` (and its client `client_id`) on `product` at `now` (the clock
  // when empty), with their pseudonym keys: the input of query enforcement (see EnforcementTerms in terms.h).
  // Changes whenever this service creates, narrows or revokes a grant (approvals included): readers
  // that cache grants compare it to know their copy is stale. Thread safe.
  uint64_t grant_generation() const { return grant_generation_.load(); }

  Result<std::vector<store::GrantRow>> ActiveGrantsFor(const std::string& product, const std::string& orgnr,
                                                       const std::string& client_id,
                                                       const std::string& now = "");

 private:
  Result<store::GrantRow> LoadGrant(const std::string& product, const std::string& id);
  Result<store::AccessRequestRow> LoadRequest(const std::string& product, const std::string& id);
  // The pending request `id` of `product`, after expiring it if its period ended.
  Result<store::AccessRequestRow> PendingRequest(const std::string& product, const std::string& id,
                                                 const std::string& now);
  Result<nlohmann::json> Decide(const store::AccessRequestRow& r, const std::string& to_state,
                                const std::string& reason, const Caller& by, const std::string& now);
  Result<nlohmann::json> WithEvents(const store::AccessRequestRow& r);

  store::Store* store_;
  products::ProductService products_;
  Clock clock_;
  std::atomic<uint64_t> grant_generation_{0};
};

}  // namespace kilde::access
