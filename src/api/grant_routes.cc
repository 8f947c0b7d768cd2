// Access grants of data products over HTTP (docs/access-model.md, "HTTP API"):
//   /api/v1/products/{id}/grants            GET (list) POST (create)
//   /api/v1/products/{id}/grants/{grant}    GET, PATCH (narrow), DELETE (revoke)
//   /api/v1/grants                          GET: the caller organisation's grants on every product
//
// Who may do what: the product's owner (the organisation publishing its dataset, with kilde:owner)
// or kilde:admin manages grants; a grantee with kilde:read sees its own grants, and another
// organisation's grant is 404 to it (its existence is not revealed). These routes are
// self-authorised (App::self_authorized_): the write guard does not apply, the checks below do.
// A revocation or narrowing is in force from the next request: the read path asks the store for
// active grants on every request (AccessService::ActiveGrantsFor).
#include "api/access_http.h"
#include "api/app.h"
#include "api/json_body.h"
#include "catalog/kind.h"
#include "http/error_response.h"
#include "log/log.h"

namespace kilde::api {
namespace {

using nlohmann::json;

constexpr std::string_view kOwnerScopes = "kilde:owner kilde:admin";
constexpr std::string_view kReadScopes = "kilde:read kilde:admin";

http::Response Created(const json& doc, const std::string& location) {
  http::Response r = VersionedDocResponse(doc, 201);
  r.headers.emplace_back("Location", location);
  return r;
}

}  // namespace

Result<App::ProductRole> App::ProductRoleOf(const http::Request& req, const std::string& product) {
  if (!req.principal)
    return Status(Code::kUnauthenticated,
                  "grants and access requests need a bearer token (Authorization: Bearer <JWT>)");
  KILDE_ASSIGN_OR_RETURN(store::ProductRow row, store_->products().Get(product));
  const auth::Principal& p = *req.principal;
  ProductRole role;
  role.caller = {p.consumer_orgnr, p.client_id, auth::HasScope(p, auth::kScopeAdmin)};
  if (p.consumer_orgnr.empty())
    role.reader_denied =
        Status(Code::kPermissionDenied, "grants and access requests need an organisation's token (consumer)");
  else if (!auth::HasScope(p, auth::kScopeRead))
    role.reader_denied = Status(Code::kPermissionDenied, "this request needs the scope kilde:read");
  role.reader = role.reader_denied.ok();
  if (role.caller.is_admin) {
    role.owner = true;
    return role;
  }
  KILDE_ASSIGN_OR_RETURN(
      store::ResourceRow ds,
      store_->catalog().Get(std::string(catalog::StoreName(catalog::Kind::kDataset)), row.dataset));
  std::string owner_orgnr;
  if (!ds.publisher.empty()) {
    auto n = OrgNumberOf(ds.publisher);
    if (!n.ok() && n.status().code() != Code::kNotFound) return n.status();
    if (n.ok()) owner_orgnr = *n;
  }
  const bool same_org = !p.consumer_orgnr.empty() && p.consumer_orgnr == owner_orgnr;
  if (same_org && auth::HasScope(p, auth::kScopeOwner)) {
    role.owner = true;
  } else if (same_org) {
    role.owner_denied = Status(Code::kPermissionDenied, "managing access to data product '" + product +
                                                            "' needs the scope kilde:owner or kilde:admin");
  } else {
    role.owner_denied = Status(
        Code::kPermissionDenied,
        "access to data product '" + product + "' is managed by its owner organisation '" + ds.publisher +
            "'" + (p.consumer_orgnr.empty() ? "" : "; your token is for organisation " + p.consumer_orgnr));
  }
  return role;
}

void App::AddGrantRoutes() {
  const std::string grants = "/api/v1/products/{id}/grants", grant = "/api/v1/products/{id}/grants/{grant}";
  self_authorized_.insert(grants);
  self_authorized_.insert(grant);

  router_.Add("GET", grants, [this](http::Request& req) {
    auto params = ReadListParams(req, {"include_revoked"});
    if (!params.ok()) return http::FromStatus(params.status());
    bool include_revoked = false;
    if (params->Has("include_revoked")) {
      auto b = ReadBool("include_revoked", params->values["include_revoked"]);
      if (!b.ok()) return http::FromStatus(b.status());
      include_revoked = *b;
    }
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kReadScopes);
    if (!role->owner && !role->reader) return AccessDenied(role->reader_denied, kReadScopes);
    // The owner sees every grant; a grantee only its own.
    auto page = access_.ListGrants(product, include_revoked, params->cursor, params->limit,
                                   role->owner ? std::nullopt : std::optional(role->caller.orgnr));
    if (!page.ok()) return http::FromStatus(page.status());
    return PageResponse(req, cfg_.PublicUrl(), std::move(*page));
  });

  router_.Add("POST", grants, [this](http::Request& req) {
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kOwnerScopes);
    if (!role->owner) return AccessDenied(role->owner_denied, kOwnerScopes);
    auto body = ParseJsonBody(req);
    if (!body.ok()) return http::FromStatus(body.status());
    auto g = access_.CreateGrant(product, *body, role->caller);
    if (!g.ok()) return http::FromStatus(g.status());
    log::Info("access grant created", {{"product", product},
                                       {"grant", (*g)["id"]},
                                       {"grantee", (*g)["grantee_orgnr"]},
                                       {"by", role->caller.orgnr},
                                       {"client_id", role->caller.client_id}});
    return Created(
        *g, cfg_.PublicUrl() + "/api/v1/products/" + product + "/grants/" + (*g)["id"].get<std::string>());
  });

  router_.Add("GET", grant, [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kReadScopes);
    if (!role->owner && !role->reader) return AccessDenied(role->reader_denied, kReadScopes);
    auto g = access_.GetGrant(product, req.PathParam("grant"));
    if (!g.ok()) return http::FromStatus(g.status());
    // Another organisation's grant does not exist for this caller.
    if (!role->owner && (*g)["grantee_orgnr"] != role->caller.orgnr)
      return http::FromStatus(Status::NotFound("access grant '" + req.PathParam("grant") +
                                               "' not found for data product '" + product + "'"));
    return VersionedDocResponse(*g);
  });

  router_.Add("PATCH", grant, [this](http::Request& req) {
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kOwnerScopes);
    if (!role->owner) return AccessDenied(role->owner_denied, kOwnerScopes);
    auto if_match = IfMatchVersion(req);
    if (!if_match.ok()) return http::FromStatus(if_match.status());
    auto body = ParseJsonBody(req, "application/merge-patch+json");
    if (!body.ok()) return http::FromStatus(body.status());
    auto g = access_.NarrowGrant(product, req.PathParam("grant"), *body, *if_match, role->caller);
    if (!g.ok()) return http::FromStatus(g.status());
    log::Info("access grant narrowed", {{"product", product},
                                        {"grant", req.PathParam("grant")},
                                        {"version", (*g)["version"]},
                                        {"by", role->caller.orgnr},
                                        {"client_id", role->caller.client_id}});
    return VersionedDocResponse(*g);
  });

  router_.Add("DELETE", grant, [this](http::Request& req) {
    const std::string product = req.PathParam("id");
    auto role = ProductRoleOf(req, product);
    if (!role.ok()) return AccessDenied(role.status(), kOwnerScopes);
    if (!role->owner) return AccessDenied(role->owner_denied, kOwnerScopes);
    auto if_match = IfMatchVersion(req);
    if (!if_match.ok()) return http::FromStatus(if_match.status());
    auto g = access_.RevokeGrant(product, req.PathParam("grant"), *if_match, role->caller);
    if (!g.ok()) return http::FromStatus(g.status());
    log::Info("access grant revoked", {{"product", product},
                                       {"grant", req.PathParam("grant")},
                                       {"by", role->caller.orgnr},
                                       {"client_id", role->caller.client_id}});
    return VersionedDocResponse(*g);
  });

  // The caller organisation's own grants, on every product (or one, with ?product=).
  router_.Add("GET", "/api/v1/grants", [this](http::Request& req) {
    auto params = ReadListParams(req, {"include_revoked", "product"});
    if (!params.ok()) return http::FromStatus(params.status());
    bool include_revoked = false;
    if (params->Has("include_revoked")) {
      auto b = ReadBool("include_revoked", params->values["include_revoked"]);
      if (!b.ok()) return http::FromStatus(b.status());
      include_revoked = *b;
    }
    if (!req.principal)
      return AccessDenied(
          Status(Code::kUnauthenticated, "your grants are listed for a bearer token's organisation"),
          kReadScopes);
    const auth::Principal& p = *req.principal;
    if (p.consumer_orgnr.empty())
      return AccessDenied(
          Status(Code::kPermissionDenied, "grants are held by organisations; your token has none"),
          kReadScopes);
    if (!auth::HasScope(p, auth::kScopeRead))
      return AccessDenied(Status(Code::kPermissionDenied, "this request needs the scope kilde:read"),
                          kReadScopes);
    std::optional<std::string> product;
    if (params->Has("product")) product = params->values["product"];
    auto page =
        access_.ListGrantsOf(p.consumer_orgnr, include_revoked, params->cursor, params->limit, product);
    if (!page.ok()) return http::FromStatus(page.status());
    return PageResponse(req, cfg_.PublicUrl(), std::move(*page));
  });
}

}  // namespace kilde::api
