// Access requests over HTTP (docs/access-model.md, "HTTP API"):
//   /api/v1/products/{id}/access-requests                      POST (file) GET (list)
//   /api/v1/products/{id}/access-requests/{request}            GET (with its history)
//   /api/v1/products/{id}/access-requests/{request}/approve    POST (owner; optional narrower terms)
//   /api/v1/products/{id}/access-requests/{request}/deny       POST (owner; {"reason"} required)
//   /api/v1/products/{id}/access-requests/{request}/withdraw   POST (the requester)
//   /api/v1/access-requests?role=owner|requester&state=        GET: across products for the caller
//
// A request is visible to the product's owner (kilde:owner of the publishing organisation, or
// kilde:admin) and to the requesting organisation (kilde:read); to anyone else it does not exist
// (404, never 403, so that other organisations' requests are not revealed). Self-authorised routes
// (App::self_authorized_). Every response carries links: href, and grant_href once approved.
#include <algorithm>
#include <map>

#include "api/access_http.h"
#include "api/app.h"
#include "api/json_body.h"
#include "base/encoding.h"
#include "catalog/kind.h"
#include "http/error_response.h"
#include "log/log.h"

namespace kilde::api {
namespace {

using nlohmann::json;

constexpr std::string_view kOwnerScopes = "kilde:owner kilde:admin";
constexpr std::string_view kReadScopes = "kilde:read kilde:admin";

// Adds the request's links (absolute, under `base`).
void AddLinks(json& r, const std::string& base) {
  const std::string product = base + "/api/v1/products/" + r.value("product", "");
  r["href"] = product + "/access-requests/" + r.value("id", "");
  r["grant_href"] = r.contains("grant_id") && r["grant_id"].is_string()
                        ? json(product + "/grants/" + r["grant_id"].get<std::string>())
                        : json(nullptr);
}

Status NotVisible(const std::string& product, const std::string& id) {
  return Status::NotFound("access request '" + id + "' not found for data product '" + product + "'");
}

// The optional body of an approval or withdrawal: null when empty, else a JSON document.
Result<json> OptionalBody(const http::Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return json(nullptr);
  return ParseJsonBody(req);
}

// The ids of the data products owned by organisation number `orgnr`: products of datasets
// published by catalog organisations with that number. Sorted.
Result<std::vector<std::string>> ProductsOwnedBy(store::Store& store, const std::string& orgnr) {
  std::vector<std::string> out;
  KILDE_ASSIGN_OR_RETURN(auto orgs,
                         store.catalog().All(std::string(catalog::StoreName(catalog::Kind::kOrganization))));
  for (const auto& org : orgs) {
    json doc = json::parse(org.doc, nullptr, false);
    if (!doc.is_object() || doc.value("organization_number", "") != orgnr) continue;
    store::ListQuery q;
    q.kind = std::string(catalog::StoreName(catalog::Kind::kDataset));
    q.publisher = org.id;
    q.limit = 500;
    for (;;) {
      KILDE_ASSIGN_OR_RETURN(auto datasets, store.catalog().List(q));
      for (const auto& ds : datasets) {
        std::string after;
        for (;;) {
          KILDE_ASSIGN_OR_RETURN(auto products, store.products().List(after, 500, ds.id));
          for (const auto& p : products) out.push_back(p.id);
          if (products.size() < 500) break;
          after = products.back().id;
        }
      }
      if (datasets.size() < static_cast<size_t>(q.limit)) break;
      q.after_id = datasets.back().id;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void App::AddAccessRequestRoutes() {
  const std::string requests = "/api/v1/products/{id}/access-requests";
  const std::string one = requests + "/{request}";
  for (const std::string& p : {requests, one + "/approve", one + "/deny", one + "/withdraw"})
    self_authorized_.insert(p);

  router_.Add("POST", requests, [this](http::Request& req) {
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kReadScopes);
    if (!role->reader) return AccessDenied(role->reader_denied, kReadScopes);
    auto body = ParseJsonBody(req);
    if (!body.ok()) return http::FromStatus(body.status());
    auto r = access_.FileRequest(product, *body, role->caller);
    if (!r.ok()) return http::FromStatus(r.status());
    AddLinks(*r, cfg_.PublicUrl());
    log::Info("access request filed",
              {{"product", product}, {"request", (*r)["id"]}, {"by", role->caller.orgnr}});
    http::Response resp = VersionedDocResponse(*r, 201);
    resp.headers.emplace_back("Location", (*r)["href"].get<std::string>());
    return resp;
  });

  router_.Add("GET", requests, [this](http::Request& req) {
    auto params = ReadListParams(req, {"state"});
    if (!params.ok()) return http::FromStatus(params.status());
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kReadScopes);
    if (!role->owner && !role->reader) return AccessDenied(role->reader_denied, kReadScopes);
    access::RequestFilter filter;
    filter.product = product;
    if (!role->owner) filter.requester_orgnr = role->caller.orgnr;  // others see only their own
    if (params->Has("state")) filter.state = params->values["state"];
    auto page = access_.ListRequests(filter, params->cursor, params->limit);
    if (!page.ok()) return http::FromStatus(page.status());
    const std::string base = cfg_.PublicUrl();
    return PageResponse(req, base, std::move(*page), [&](json& r) { AddLinks(r, base); });
  });

  router_.Add("GET", one, [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    const std::string product = req.PathParam("id"), id = req.PathParam("request");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kReadScopes);
    if (!role->owner && !role->reader) return AccessDenied(role->reader_denied, kReadScopes);
    auto r = access_.GetRequest(product, id);
    if (!r.ok()) return http::FromStatus(r.status());
    if (!role->owner && (*r)["requester_orgnr"] != role->caller.orgnr)
      return http::FromStatus(NotVisible(product, id));
    AddLinks(*r, cfg_.PublicUrl());
    return VersionedDocResponse(*r);
  });

  router_.Add("POST", one + "/approve", [this](http::Request& req) {
    const std::string product = req.PathParam("id"), id = req.PathParam("request");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kOwnerScopes);
    if (!role->owner) return AccessDenied(role->owner_denied, kOwnerScopes);
    auto terms = OptionalBody(req);
    if (!terms.ok()) return http::FromStatus(terms.status());
    auto approval = access_.Approve(product, id, *terms, role->caller);
    if (!approval.ok()) return http::FromStatus(approval.status());
    json r = std::move(approval->request);
    AddLinks(r, cfg_.PublicUrl());
    r["grant"] = std::move(approval->grant);
    log::Info("access request approved",
              {{"product", product}, {"request", id}, {"grant", r["grant_id"]}, {"by", role->caller.orgnr}});
    return VersionedDocResponse(r);
  });

  router_.Add("POST", one + "/deny", [this](http::Request& req) {
    const std::string product = req.PathParam("id"), id = req.PathParam("request");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kOwnerScopes);
    if (!role->owner) return AccessDenied(role->owner_denied, kOwnerScopes);
    auto body = OptionalBody(req);
    if (!body.ok()) return http::FromStatus(body.status());
    // No body: the reason is missing (400 naming it).
    auto r = access_.Deny(product, id, body->is_null() ? json::object() : *body, role->caller);
    if (!r.ok()) return http::FromStatus(r.status());
    AddLinks(*r, cfg_.PublicUrl());
    log::Info("access request denied", {{"product", product}, {"request", id}, {"by", role->caller.orgnr}});
    return VersionedDocResponse(*r);
  });

  router_.Add("POST", one + "/withdraw", [this](http::Request& req) {
    const std::string product = req.PathParam("id"), id = req.PathParam("request");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kReadScopes);
    if (!role->owner && !role->reader) return AccessDenied(role->reader_denied, kReadScopes);
    auto existing = access_.GetRequest(product, id);
    if (!existing.ok()) return http::FromStatus(existing.status());
    if (!role->owner && (*existing)["requester_orgnr"] != role->caller.orgnr)
      return http::FromStatus(NotVisible(product, id));
    auto body = OptionalBody(req);
    if (!body.ok()) return http::FromStatus(body.status());
    // Only the requester may withdraw: the service answers the owner with 403.
    auto r = access_.Withdraw(product, id, *body, role->caller);
    if (!r.ok()) return http::FromStatus(r.status());
    AddLinks(*r, cfg_.PublicUrl());
    log::Info("access request withdrawn",
              {{"product", product}, {"request", id}, {"by", role->caller.orgnr}});
    return VersionedDocResponse(*r);
  });

  // The caller's requests across products: as requester (filed by its organisation) and/or as
  // owner (on products its organisation owns; every request for kilde:admin). Without `role`, both
  // that its scopes allow. Ordered by id; one page merges the sources.
  router_.Add("GET", "/api/v1/access-requests", [this](http::Request& req) {
    auto params = ReadListParams(req, {"role", "state"});
    if (!params.ok()) return http::FromStatus(params.status());
    std::string want = params->Has("role") ? params->values["role"] : "";
    if (!want.empty() && want != "owner" && want != "requester")
      return http::FromStatus(
          Status::Invalid("invalid query parameters", {{"role", "invalid_value", "use owner or requester"}}));
    if (!req.principal)
      return AccessDenied(Status(Code::kUnauthenticated, "access requests are listed for a bearer token"),
                          kReadScopes);
    const auth::Principal& p = *req.principal;
    const bool admin = auth::HasScope(p, auth::kScopeAdmin);
    if (p.consumer_orgnr.empty() && !admin)
      return AccessDenied(
          Status(Code::kPermissionDenied, "access requests belong to organisations; your token has none"),
          kReadScopes);
    const bool as_requester = (want.empty() || want == "requester") && auth::HasScope(p, auth::kScopeRead) &&
                              !p.consumer_orgnr.empty();
    const bool as_owner = (want.empty() || want == "owner") && auth::HasScope(p, auth::kScopeOwner);
    if (want == "requester" && !as_requester)
      return AccessDenied(Status(Code::kPermissionDenied, "role=requester needs the scope kilde:read"),
                          kReadScopes);
    if (want == "owner" && !as_owner)
      return AccessDenied(Status(Code::kPermissionDenied, "role=owner needs the scope kilde:owner"),
                          kOwnerScopes);
    if (!as_requester && !as_owner)
      return AccessDenied(
          Status(Code::kPermissionDenied, "this request needs the scope kilde:read or kilde:owner"),
          kReadScopes);
    std::optional<std::string> state;
    if (params->Has("state")) state = params->values["state"];

    std::vector<access::RequestFilter> sources;
    if (as_requester) sources.push_back({std::nullopt, p.consumer_orgnr, state});
    if (as_owner && admin) {
      sources.push_back({std::nullopt, std::nullopt, state});
    } else if (as_owner) {
      auto owned = ProductsOwnedBy(*store_, p.consumer_orgnr);
      if (!owned.ok()) return http::FromStatus(owned.status());
      for (const auto& product : *owned) sources.push_back({product, std::nullopt, state});
    }
    // Each source is ordered by id: the first `limit` ids of their union are this page.
    std::map<std::string, json> merged;
    bool more = false;
    for (const auto& f : sources) {
      auto page = access_.ListRequests(f, params->cursor, params->limit);
      if (!page.ok()) return http::FromStatus(page.status());
      more = more || page->next_cursor.has_value();
      for (auto& item : page->items) {
        const std::string id = item.value("id", "");
        merged.emplace(id, std::move(item));
      }
    }
    access::Page out;
    for (auto& [id, item] : merged) {
      if (static_cast<int>(out.items.size()) == params->limit) {
        more = true;
        break;
      }
      out.items.push_back(std::move(item));
    }
    // The service's cursor format ("id:" + the last id, base64url), so that pages continue in every source.
    if (more && !out.items.empty())
      out.next_cursor = Base64UrlEncode("id:" + out.items.back().value("id", ""));
    const std::string base = cfg_.PublicUrl();
    return PageResponse(req, base, std::move(out), [&](json& r) { AddLinks(r, base); });
  });
}

}  // namespace kilde::api
