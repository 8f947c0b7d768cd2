// The catalog's JSON API: /api/v1/{organizations,datasets,data-services,concepts,public-services}
// and /api/v1/datasets/{dataset}/distributions.
#include <set>

#include "api/app.h"
#include "api/json_body.h"
#include "base/sha256.h"
#include "http/error_response.h"
#include "http/etag.h"
#include "http/query.h"

namespace kilde::api {
namespace {

using catalog::Kind;

// Query parameters each list accepts besides limit and cursor.
std::set<std::string> Filters(Kind k) {
  switch (k) {
    case Kind::kOrganization:
      return {"parent", "modified_since"};
    case Kind::kDataset:
      return {"publisher", "theme", "access_rights", "status", "modified_since"};
    case Kind::kDataService:
      return {"publisher", "access_rights", "status", "modified_since"};
    case Kind::kConcept:
      return {"publisher", "status", "modified_since"};
    case Kind::kPublicService:
      return {"competent_authority", "publisher", "status", "modified_since"};
    case Kind::kDistribution:
      return {"modified_since"};
  }
  return {};
}

Result<catalog::ListRequest> ParseList(Kind kind, const http::Request& req) {
  catalog::ListRequest lr;
  lr.kind = kind;
  std::vector<FieldProblem> problems;
  const auto allowed = Filters(kind);
  for (const auto& [k, v] : req.query) {
    if (k == "limit") {
      if (auto n = ParseIntIn(v, 1, 500))
        lr.limit = *n;
      else
        problems.push_back({"limit", "invalid_value", "must be an integer from 1 to 500"});
    } else if (k == "cursor") {
      lr.cursor = v;
    } else if (!allowed.count(k)) {
      std::string names = "limit, cursor";
      for (const auto& a : allowed) names += ", " + a;
      problems.push_back({k, "unknown_field", "unknown query parameter; this list accepts " + names});
    } else if (k == "status" && v != "draft" && v != "published") {
      problems.push_back({k, "invalid_value", "must be draft or published"});
    } else if (k == "access_rights" && v != "PUBLIC" && v != "RESTRICTED" && v != "NON_PUBLIC") {
      problems.push_back({k, "invalid_value", "must be PUBLIC, RESTRICTED or NON_PUBLIC"});
    } else if (k == "publisher" || k == "competent_authority") {
      lr.publisher = v;
    } else if (k == "theme") {
      lr.theme = v;
    } else if (k == "parent") {
      lr.parent = v;
    } else if (k == "modified_since") {
      lr.modified_since = v;
    }
    if (k == "status") lr.status = v;
    if (k == "access_rights") lr.access_rights = v;
  }
  if (!problems.empty()) return Status::Invalid("invalid query parameters", std::move(problems));
  return lr;
}

}  // namespace

void App::AddCatalogRoutes() {
  for (Kind kind : catalog::kAllKinds) {
    const bool nested = kind == Kind::kDistribution;
    const std::string collection = nested ? "/api/v1/datasets/{dataset}/distributions"
                                          : "/api/v1/" + std::string(catalog::PathName(kind));
    const std::string item = collection + "/{id}";
    router_.Add("GET", collection, [this, kind](http::Request& req) {
      auto lr = ParseList(kind, req);
      if (!lr.ok()) return http::FromStatus(lr.status());
      lr->dataset = req.PathParam("dataset");
      if (kind == Kind::kDistribution) {
        auto ds = catalog_.Get(Kind::kDataset, lr->dataset);
        if (!ds.ok()) return http::FromStatus(ds.status());
      }
      auto page = catalog_.List(*lr);
      if (!page.ok()) return http::FromStatus(page.status());
      nlohmann::json body = {{"items", page->items}, {"next_cursor", nullptr}};
      http::Response r;
      if (page->next_cursor) {
        body["next_cursor"] = *page->next_cursor;
        r.headers.emplace_back("Link", NextPageLink(req, cfg_.PublicUrl(), *page->next_cursor));
      }
      r.body = Dump(body);
      return r;
    });
    router_.Add("POST", collection, [this, kind](http::Request& req) {
      auto body = ParseJsonBody(req);
      if (!body.ok()) return http::FromStatus(body.status());
      auto doc = catalog_.Create(kind, std::move(*body), req.PathParam("dataset"));
      if (!doc.ok()) return http::FromStatus(doc.status());
      const std::string id = doc->value("id", "");
      http::Response r = CatalogDocResponse(kind, std::move(*doc), 201, "");
      std::string loc = kind == Kind::kDistribution
                            ? "/api/v1/datasets/" + req.PathParam("dataset") + "/distributions/"
                            : "/api/v1/" + std::string(catalog::PathName(kind)) + "/";
      r.headers.emplace_back("Location", cfg_.PublicUrl() + loc + id);
      return r;
    });
    router_.Add("GET", item, [this, kind](http::Request& req) {
      auto doc = catalog_.Get(kind, req.PathParam("id"), req.PathParam("dataset"));
      if (!doc.ok()) return http::FromStatus(doc.status());
      return CatalogDocResponse(kind, std::move(*doc), 200, req.Header("if-none-match"));
    });
    router_.Add("PUT", item, [this, kind](http::Request& req) {
      auto if_match = IfMatchVersion(req);
      if (!if_match.ok()) return http::FromStatus(if_match.status());
      auto body = ParseJsonBody(req);
      if (!body.ok()) return http::FromStatus(body.status());
      auto doc =
          catalog_.Replace(kind, req.PathParam("id"), std::move(*body), *if_match, req.PathParam("dataset"));
      if (!doc.ok()) return http::FromStatus(doc.status());
      return CatalogDocResponse(kind, std::move(*doc), 200, "");
    });
    router_.Add("PATCH", item, [this, kind](http::Request& req) {
      auto if_match = IfMatchVersion(req);
      if (!if_match.ok()) return http::FromStatus(if_match.status());
      auto body = ParseJsonBody(req, "application/merge-patch+json");
      if (!body.ok()) return http::FromStatus(body.status());
      auto doc = catalog_.Patch(kind, req.PathParam("id"), *body, *if_match, req.PathParam("dataset"));
      if (!doc.ok()) return http::FromStatus(doc.status());
      return CatalogDocResponse(kind, std::move(*doc), 200, "");
    });
    router_.Add("DELETE", item, [this, kind](http::Request& req) {
      auto if_match = IfMatchVersion(req);
      if (!if_match.ok()) return http::FromStatus(if_match.status());
      Status s = catalog_.Delete(kind, req.PathParam("id"), *if_match, req.PathParam("dataset"));
      if (!s.ok()) return http::FromStatus(s);
      http::Response r;
      r.status = 204;
      return r;
    });
  }
}

http::Response App::CatalogDocResponse(catalog::Kind kind, nlohmann::json doc, int status,
                                       const std::string& if_none_match) {
  std::string etag = VersionETag(doc);
  if (kind == Kind::kDataset) {
    // The dataset's data products and their latest editions change without the dataset's
    // version: the ETag then also covers them ("3.<hash>"; If-Match still uses the 3).
    auto products = products_.DatasetProducts(doc.value("id", ""), cfg_.PublicUrl());
    if (!products.ok()) return http::FromStatus(products.status());
    if (!products->empty())
      etag = "\"" + std::to_string(doc.value("version", 0)) + "." + Sha256Hex(Dump(*products)).substr(0, 16) +
             "\"";
    doc["data_products"] = std::move(*products);
  }
  http::Response r;
  if (http::IfNoneMatchHits(if_none_match, etag)) {
    r.status = 304;
  } else {
    r = http::JsonResponse(Dump(doc), status);
  }
  r.headers.emplace_back("ETag", etag);
  return r;
}

}  // namespace kilde::api
