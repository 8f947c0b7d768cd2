// Write authorisation: every route that changes something needs a bearer token of the organisation
// that owns what it changes — the publishing organisation of a catalog resource (for
// organisations: the parent; for public services: the competent authority; for distributions: the
// dataset's publisher; for data products: their dataset's publisher) — with kilde:write or
// kilde:owner, or any token with kilde:admin. Deny by default: a write route this file does not know
// is admin-only unless its handler authorises itself (self_authorized_).
//
// The guard only decides who may attempt the write; a request it lets through is still validated by
// its handler (a malformed body is the handler's 400, a missing resource its 404).
#include <cassert>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "catalog/kind.h"
#include "catalog/service.h"
#include "http/error_response.h"

namespace kilde::api {
namespace {

using nlohmann::json;

// The body as a JSON object, or nullopt (the handler reports the parse error).
std::optional<json> BodyObject(const http::Request& req) {
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// A 401/403 as an HTTP response with the RFC 6750 challenge. `s` is not OK.
http::Response Denied(const Status& s) {
  assert(!s.ok());
  http::Response r = http::FromStatus(s);
  if (s.code() == Code::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kilde\"");
  else if (s.code() == Code::kPermissionDenied && s.message().find("scope") != std::string::npos)
    r.headers.emplace_back("WWW-Authenticate",
                           "Bearer realm=\"kilde\", error=\"insufficient_scope\", "
                           "scope=\"kilde:write kilde:owner kilde:admin\"");
  return r;
}

// The path segment after `prefix` ("datasets" of "/api/v1/datasets/{id}"), or "".
std::string_view FirstSegment(std::string_view pattern, std::string_view prefix) {
  if (pattern.rfind(prefix, 0) != 0) return {};
  pattern.remove_prefix(prefix.size());
  return pattern.substr(0, pattern.find('/'));
}

}  // namespace

Result<std::string> App::OrgNumberOf(const std::string& org_id) {
  auto row = store_->catalog().Get(std::string(catalog::StoreName(catalog::Kind::kOrganization)), org_id);
  if (!row.ok()) return row.status();
  json doc = json::parse(row->doc, nullptr, false);
  if (!doc.is_object() || !doc.contains("organization_number") || !doc["organization_number"].is_string())
    return std::string();
  return doc["organization_number"].get<std::string>();
}

Status App::RequireOrgWriter(const http::Request& req, const std::string& org_id, std::string_view what) {
  if (!req.principal)
    return Status(Code::kUnauthenticated,
                  std::string(what) +
                      " needs a bearer token (Authorization: Bearer <JWT>) with kilde:write, "
                      "kilde:owner or kilde:admin");
  const auth::Principal& p = *req.principal;
  if (auth::HasScope(p, auth::kScopeAdmin)) return Status::Ok();
  if (!auth::HasScope(p, auth::kScopeWrite) && !auth::HasScope(p, auth::kScopeOwner))
    return Status(Code::kPermissionDenied,
                  std::string(what) + " needs the scope kilde:write, kilde:owner or kilde:admin");
  if (p.consumer_orgnr.empty())
    return Status(Code::kPermissionDenied, std::string(what) + " needs an organisation's token (consumer)");
  if (org_id.empty())
    return Status(Code::kPermissionDenied, std::string(what) + " is reserved to kilde:admin");
  auto orgnr = OrgNumberOf(org_id);
  if (!orgnr.ok() && orgnr.status().code() != Code::kNotFound) return orgnr.status();
  if (!orgnr.ok() || orgnr->empty() || *orgnr != p.consumer_orgnr)
    return Status(Code::kPermissionDenied, std::string(what) + " belongs to organisation '" + org_id +
                                               "'; your token is for organisation " + p.consumer_orgnr);
  return Status::Ok();
}

std::optional<http::Response> App::GuardWrite(const std::string& method, const std::string& pattern,
                                              http::Request& req) {
  if (method == "GET" || method == "HEAD" || self_authorized_.count(pattern)) return std::nullopt;
  // Every check below needs a token; ask for one before looking at anything else.
  if (!req.principal) return Denied(RequireOrgWriter(req, "", "this request"));
  if (auth::HasScope(*req.principal, auth::kScopeAdmin)) return std::nullopt;

  // The organisations that own the target: all of them must be the caller's.
  std::vector<std::pair<std::string, std::string>> owners;  // (org id, what)
  auto own = [&](std::string org, std::string what) { owners.emplace_back(std::move(org), std::move(what)); };
  const auto body =
      (method == "POST" || method == "PUT" || method == "PATCH") ? BodyObject(req) : std::nullopt;
  const std::string prefix = "/api/v1/";

  if (pattern == "/api/v1/datasets/{dataset}/distributions" ||
      pattern == "/api/v1/datasets/{dataset}/distributions/{id}") {
    auto ds = store_->catalog().Get("datasets", req.PathParam("dataset"));
    if (!ds.ok()) return std::nullopt;  // the handler answers 404
    own(ds->publisher, "dataset '" + ds->id + "'");
  } else if (pattern == "/api/v1/products" || pattern.rfind("/api/v1/products/{id}", 0) == 0) {
    std::string dataset;
    if (pattern == "/api/v1/products") {
      if (!body || !body->contains("dataset") || !(*body)["dataset"].is_string()) return std::nullopt;
      dataset = (*body)["dataset"].get<std::string>();
    } else {
      auto product = store_->products().Get(req.PathParam("id"));
      if (!product.ok()) return std::nullopt;
      dataset = product->dataset;
      if (body && body->contains("dataset") && (*body)["dataset"].is_string() &&
          (*body)["dataset"].get<std::string>() != dataset) {
        auto moved = store_->catalog().Get("datasets", (*body)["dataset"].get<std::string>());
        if (moved.ok()) own(moved->publisher, "dataset '" + moved->id + "'");
      }
    }
    auto ds = store_->catalog().Get("datasets", dataset);
    if (!ds.ok()) return std::nullopt;
    own(ds->publisher, "dataset '" + dataset + "'");
  } else if (auto kind = catalog::KindFromPathName(FirstSegment(pattern, prefix));
             kind && *kind != catalog::Kind::kDistribution) {
    const std::string store_name(catalog::StoreName(*kind));
    const bool item = pattern.size() > prefix.size() + catalog::PathName(*kind).size();
    if (item) {
      auto existing = store_->catalog().Get(store_name, req.PathParam("id"));
      if (existing.ok()) own(existing->publisher, std::string(catalog::PathName(*kind)) + "/" + existing->id);
    }
    if (body) {
      // PATCH carries only changed members: a publisher it does not mention stays as it is.
      store::ResourceRow row = catalog::RowFor(*kind, *body);
      const char* member = *kind == catalog::Kind::kOrganization    ? "parent"
                           : *kind == catalog::Kind::kPublicService ? "competent_authority"
                                                                    : "publisher";
      if (method != "PATCH" || body->contains(member)) own(row.publisher, "the new " + std::string(member));
    } else if (!item) {
      return std::nullopt;  // unreadable body: the handler's 400
    }
  } else {
    own("", "this request");  // unknown write route: admin only
  }
  for (const auto& [org, what] : owners) {
    Status s = RequireOrgWriter(req, org, what);
    if (!s.ok()) return Denied(s);
  }
  // Nothing to own (e.g. the target does not exist): only an admin may go on to the handler's 404.
  if (owners.empty()) return Denied(RequireOrgWriter(req, "", "this request"));
  return std::nullopt;
}

}  // namespace kilde::api
