#include "access/service.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/norwegian_ids.h"
#include "base/time.h"

namespace kilde::access {
namespace {

using nlohmann::json;

constexpr const char* kStates[] = {"pending", "approved", "denied", "withdrawn", "expired"};
constexpr size_t kMaxReason = 2000;

Result<std::string> AfterId(const std::string& cursor) {
  if (cursor.empty()) return std::string();
  auto d = Base64UrlDecode(cursor);
  if (!d || d->rfind("id:", 0) != 0)
    return Status::Invalid("invalid cursor",
                           {{"cursor", "invalid_format", "use next_cursor from a previous page"}});
  return d->substr(3);
}

template <typename Row, typename Render>
Page MakePage(const std::vector<Row>& rows, int limit, const Render& render) {
  Page page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(render(rows[i]));
  if (static_cast<int>(rows.size()) > limit) page.next_cursor = Base64UrlEncode("id:" + rows[limit - 1].id);
  return page;
}

// The optional (or, with `required`, required) "reason" of a decision body.
Result<std::string> ReadReason(const json& body, bool required) {
  std::vector<FieldProblem> problems;
  std::string reason;
  if (body.is_null() && !required) return reason;
  if (!body.is_object())
    return Status::Invalid("the request body must be a JSON object", {{"", "wrong_type", ""}});
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "reason") problems.push_back({it.key(), "unknown_field", "the body has only reason"});
  if (!body.contains("reason") || body["reason"].is_null()) {
    if (required) problems.push_back({"reason", "required", "why the request is denied"});
  } else if (!body["reason"].is_string()) {
    problems.push_back({"reason", "wrong_type", "expected a string"});
  } else {
    reason = body["reason"].get<std::string>();
    if (required && reason.find_first_not_of(" \t\r\n") == std::string::npos)
      problems.push_back({"reason", "required", "must not be empty"});
    if (reason.size() > kMaxReason) problems.push_back({"reason", "too_long", "at most 2000 characters"});
  }
  if (!problems.empty()) return Status::Invalid("the decision is not valid", std::move(problems));
  return reason;
}

Status VersionOk(const store::GrantRow& g, std::optional<int64_t> if_match) {
  if (if_match && *if_match != g.version)
    return Status(Code::kFailedPrecondition,
                  "version mismatch: access grant '" + g.id + "' is at version " + std::to_string(g.version));
  return Status::Ok();
}

}  // namespace

AccessService::AccessService(store::Store* store, Clock clock)
    : store_(store), products_(store), clock_(clock ? std::move(clock) : Clock(NowRfc3339)) {}

Result<store::GrantRow> AccessService::LoadGrant(const std::string& product, const std::string& id) {
  auto g = store_->access().GetGrant(id);
  if (!g.ok()) return g.status();
  if (g->product != product)
    return Status::NotFound("access grant '" + id + "' not found for data product '" + product + "'");
  return g;
}

Result<store::AccessRequestRow> AccessService::LoadRequest(const std::string& product,
                                                           const std::string& id) {
  auto r = store_->access().GetRequest(id);
  if (!r.ok()) return r.status();
  if (r->product != product)
    return Status::NotFound("access request '" + id + "' not found for data product '" + product + "'");
  return r;
}

Result<json> AccessService::WithEvents(const store::AccessRequestRow& r) {
  KILDE_ASSIGN_OR_RETURN(auto events, store_->access().RequestEvents(r.id));
  return RequestJson(r, &events);
}

Result<json> AccessService::CreateGrant(const std::string& product, const json& body, const Caller& by) {
  KILDE_ASSIGN_OR_RETURN(auto cur, products_.Load(product));
  const std::string now = clock_();
  KILDE_ASSIGN_OR_RETURN(store::GrantRow g, ParseGrant(body, cur.schema, now));
  g.id = "g-" + RandomHex(8);
  g.product = product;
  g.pseudonym_key = RandomHex(32);
  g.created = now;
  g.created_by = by.actor();
  g.version = 1;
  KILDE_RETURN_IF_ERROR(store_->access().InsertGrant(g));
  ++grant_generation_;
  return GrantJson(g, now);
}

Result<json> AccessService::GetGrant(const std::string& product, const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(auto g, LoadGrant(product, id));
  return GrantJson(g, clock_());
}

Result<Page> AccessService::ListGrants(const std::string& product, bool include_revoked,
                                       const std::string& cursor, int limit,
                                       const std::optional<std::string>& grantee_orgnr) {
  KILDE_ASSIGN_OR_RETURN(std::string after, AfterId(cursor));
  KILDE_RETURN_IF_ERROR(store_->products().Get(product).status());
  KILDE_ASSIGN_OR_RETURN(
      auto rows, store_->access().ListGrants({product, grantee_orgnr, include_revoked, after, limit + 1}));
  const std::string now = clock_();
  return MakePage(rows, limit, [&](const store::GrantRow& g) { return GrantJson(g, now); });
}

Result<Page> AccessService::ListGrantsOf(const std::string& grantee_orgnr, bool include_revoked,
                                         const std::string& cursor, int limit,
                                         const std::optional<std::string>& product) {
  KILDE_ASSIGN_OR_RETURN(std::string after, AfterId(cursor));
  if (product) KILDE_RETURN_IF_ERROR(store_->products().Get(*product).status());
  KILDE_ASSIGN_OR_RETURN(
      auto rows, store_->access().ListGrants({product, grantee_orgnr, include_revoked, after, limit + 1}));
  const std::string now = clock_();
  return MakePage(rows, limit, [&](const store::GrantRow& g) { return GrantJson(g, now); });
}

Result<json> AccessService::NarrowGrant(const std::string& product, const std::string& id, const json& patch,
                                        std::optional<int64_t> if_match, const Caller& by) {
  (void)by;  // a narrowing is recorded by its version; the HTTP layer logs who made it
  KILDE_ASSIGN_OR_RETURN(auto g, LoadGrant(product, id));
  const std::string now = clock_();
  if (g.revoked_at)
    return Status(Code::kFailedPrecondition, "access grant '" + id + "' was revoked at " + *g.revoked_at);
  KILDE_RETURN_IF_ERROR(VersionOk(g, if_match));
  KILDE_ASSIGN_OR_RETURN(auto cur, products_.Load(product));
  const Terms before = TermsOf(g);
  KILDE_ASSIGN_OR_RETURN(Terms after, ParseNarrowing(before, patch, GrantFixedMembers(g, now), cur.schema));
  if (after == before) return GrantJson(g, now);  // nothing changed: no new version
  const int64_t expected = g.version;
  SetTerms(after, g);
  g.version = expected + 1;
  KILDE_RETURN_IF_ERROR(store_->access().UpdateGrant(g, expected));
  ++grant_generation_;
  return GrantJson(g, now);
}

Result<json> AccessService::RevokeGrant(const std::string& product, const std::string& id,
                                        std::optional<int64_t> if_match, const Caller& by) {
  KILDE_ASSIGN_OR_RETURN(auto g, LoadGrant(product, id));
  KILDE_RETURN_IF_ERROR(VersionOk(g, if_match));
  const std::string now = clock_();
  KILDE_RETURN_IF_ERROR(store_->access().RevokeGrant(id, now, by.actor(), g.version));
  ++grant_generation_;
  KILDE_ASSIGN_OR_RETURN(g, store_->access().GetGrant(id));
  return GrantJson(g, now);
}

Result<json> AccessService::FileRequest(const std::string& product, const json& body, const Caller& by) {
  if (!IsValidOrganizationNumber(by.orgnr))
    return Status(Code::kPermissionDenied, "an access request is filed by an organisation (no valid orgnr)");
  KILDE_ASSIGN_OR_RETURN(auto cur, products_.Load(product));
  const std::string now = clock_();
  KILDE_ASSIGN_OR_RETURN(store::AccessRequestRow r, ParseRequest(body, cur.schema, now));
  r.id = "ar-" + RandomHex(8);
  r.product = product;
  r.requester_orgnr = by.orgnr;
  r.state = "pending";
  r.created = r.updated = now;
  r.version = 1;
  KILDE_RETURN_IF_ERROR(store_->access().InsertRequest(r, by.actor()));
  return WithEvents(r);
}

Result<json> AccessService::GetRequest(const std::string& product, const std::string& id) {
  KILDE_RETURN_IF_ERROR(store_->access().ExpirePending(clock_()).status());
  KILDE_ASSIGN_OR_RETURN(auto r, LoadRequest(product, id));
  return WithEvents(r);
}

Result<Page> AccessService::ListRequests(const RequestFilter& filter, const std::string& cursor, int limit) {
  if (filter.state && std::find(std::begin(kStates), std::end(kStates), *filter.state) == std::end(kStates))
    return Status::Invalid("invalid state", {{"state", "invalid_value",
                                              "one of pending, approved, denied, withdrawn, expired"}});
  KILDE_ASSIGN_OR_RETURN(std::string after, AfterId(cursor));
  KILDE_RETURN_IF_ERROR(store_->access().ExpirePending(clock_()).status());
  KILDE_ASSIGN_OR_RETURN(auto rows, store_->access().ListRequests({filter.product, filter.requester_orgnr,
                                                                   filter.state, after, limit + 1}));
  return MakePage(rows, limit, [](const store::AccessRequestRow& r) { return RequestJson(r); });
}

Result<store::AccessRequestRow> AccessService::PendingRequest(const std::string& product,
                                                              const std::string& id, const std::string& now) {
  KILDE_RETURN_IF_ERROR(store_->access().ExpirePending(now).status());
  KILDE_ASSIGN_OR_RETURN(auto r, LoadRequest(product, id));
  if (r.state == "expired")
    return Status(Code::kFailedPrecondition,
                  "access request '" + id + "' expired: the requested period ended before a decision");
  if (r.state != "pending")
    return Status(Code::kFailedPrecondition,
                  "access request '" + id + "' is " + r.state + ", no longer pending");
  return r;
}

Result<json> AccessService::Decide(const store::AccessRequestRow& r, const std::string& to_state,
                                   const std::string& reason, const Caller& by, const std::string& now) {
  KILDE_ASSIGN_OR_RETURN(auto updated, store_->access().TransitionRequest(
                                           {r.id, "pending", to_state, by.actor(), now, reason, {}}));
  return WithEvents(updated);
}

Result<Approval> AccessService::Approve(const std::string& product, const std::string& id, const json& terms,
                                        const Caller& by) {
  const std::string now = clock_();
  KILDE_ASSIGN_OR_RETURN(auto r, PendingRequest(product, id, now));
  KILDE_ASSIGN_OR_RETURN(auto cur, products_.Load(product));
  Terms t = TermsOf(r);
  if (!terms.is_null()) {
    KILDE_ASSIGN_OR_RETURN(t, ParseNarrowing(t, terms, json::object(), cur.schema));
  }
  if (t.valid_from < now) t.valid_from = now;  // access begins at the approval at the earliest
  std::vector<FieldProblem> problems;
  CheckTerms(cur.schema, now, t, problems);  // the schema may have changed since the request was filed
  if (!problems.empty())
    return Status::Invalid("the requested terms no longer fit the data product; narrow them",
                           std::move(problems));
  store::GrantRow g;
  g.id = "g-" + RandomHex(8);
  g.product = product;
  g.grantee_orgnr = r.requester_orgnr;
  g.purpose = r.purpose;
  g.legal_basis = r.legal_basis;
  SetTerms(t, g);
  g.pseudonym_key = RandomHex(32);
  g.created = now;
  g.created_by = by.actor();
  g.request_id = r.id;
  g.version = 1;
  KILDE_ASSIGN_OR_RETURN(auto updated, store_->access().TransitionRequest(
                                           {r.id, "pending", "approved", by.actor(), now, "", g}));
  ++grant_generation_;
  KILDE_ASSIGN_OR_RETURN(json request, WithEvents(updated));
  return Approval{std::move(request), GrantJson(g, now)};
}

Result<json> AccessService::Deny(const std::string& product, const std::string& id, const json& body,
                                 const Caller& by) {
  KILDE_ASSIGN_OR_RETURN(std::string reason, ReadReason(body, true));
  const std::string now = clock_();
  KILDE_ASSIGN_OR_RETURN(auto r, PendingRequest(product, id, now));
  return Decide(r, "denied", reason, by, now);
}

Result<json> AccessService::Withdraw(const std::string& product, const std::string& id, const json& body,
                                     const Caller& by) {
  KILDE_ASSIGN_OR_RETURN(std::string reason, ReadReason(body, false));
  const std::string now = clock_();
  KILDE_ASSIGN_OR_RETURN(auto owned, LoadRequest(product, id));
  if (owned.requester_orgnr != by.orgnr)
    return Status(Code::kPermissionDenied,
                  "only the requesting organisation can withdraw access request '" + id + "'");
  KILDE_ASSIGN_OR_RETURN(auto r, PendingRequest(product, id, now));
  return Decide(r, "withdrawn", reason, by, now);
}

Result<std::vector<store::GrantRow>> AccessService::ActiveGrantsFor(const std::string& product,
                                                                    const std::string& orgnr,
                                                                    const std::string& client_id,
                                                                    const std::string& now) {
  if (orgnr.empty()) return std::vector<store::GrantRow>{};
  return store_->access().ActiveGrants(product, orgnr, client_id, now.empty() ? clock_() : now);
}

}  // namespace kilde::access
