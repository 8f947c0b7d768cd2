// Data products: /api/v1/products, schema versions, editions (ingest, list, get,
// delete, quality report).

#include "api/app.h"
#include "api/json_body.h"
#include "http/error_response.h"
#include "http/etag.h"
#include "ingest/charset.h"
#include "products/access_level.h"
#include "products/ingest_job.h"

namespace kilde::api {
namespace {

using nlohmann::json;

// Reads the ingest options from the Content-Type and the query string.
Result<products::IngestOptions> IngestOptionsFor(const http::Request& req) {
  products::IngestOptions o;
  std::vector<FieldProblem> problems;
  const std::string ct = req.Header("content-type");
  const std::string media = MediaType(ct);
  if (media == "text/csv")
    o.format = products::InputFormat::kCsv;
  else if (media == "application/json")
    o.format = products::InputFormat::kJson;
  else if (media == "application/x-ndjson" || media == "application/ndjson")
    o.format = products::InputFormat::kNdjson;
  else
    return Status(Code::kUnsupported,
                  "Content-Type must be text/csv, application/json or application/x-ndjson" +
                      (ct.empty() ? std::string(" (none was sent)") : ", not " + ct));
  std::string charset = MediaTypeParam(ct, "charset");
  if (auto q = req.Query("charset")) charset = *q;
  if (!charset.empty()) {
    auto cs = ingest::CharsetFromName(charset);
    if (!cs)
      problems.push_back({"charset", "invalid_value", "use utf-8, windows-1252 or iso-8859-1"});
    else
      o.charset = *cs;
  }
  bool markers_given = false;
  for (const auto& [k, v] : req.query) {
    if (k == "charset") continue;
    if (k == "on_error") {
      if (v == "quarantine")
        o.quarantine = true;
      else if (v != "reject")
        problems.push_back({k, "invalid_value", "use reject (default) or quarantine"});
    } else if (k == "delimiter") {
      if (v == "," || v == ";")
        o.delimiter = v[0];
      else if (v == "tab" || v == "\t")
        o.delimiter = '\t';
      else
        problems.push_back({k, "invalid_value", "use , ; or tab"});
    } else if (k == "decimal_comma") {
      if (v == "true" || v == "1")
        o.decimal_comma = true;
      else if (v != "false" && v != "0")
        problems.push_back({k, "invalid_value", "use true or false"});
    } else if (k == "null") {
      if (!markers_given) o.null_markers.clear();
      markers_given = true;
      o.null_markers.push_back(v);
    } else if (k == "source_name") {
      o.source_name = v;
    } else {
      problems.push_back({k, "unknown_field",
                          "ingest accepts charset, on_error, delimiter, decimal_comma, null, "
                          "source_name"});
    }
  }
  if (o.source_name.empty()) o.source_name = req.Header("x-source-name");
  if (!problems.empty()) return Status::Invalid("invalid ingest parameters", std::move(problems));
  return o;
}

// Feeds an upload to an ingest job as it arrives.
class IngestSink final : public http::BodySink {
 public:
  IngestSink(std::unique_ptr<products::IngestJob> job, std::string location)
      : job_(std::move(job)), location_(std::move(location)) {}
  Status Write(std::string_view chunk) override { return job_->Feed(chunk); }
  http::Response Finish() override {
    auto edition = job_->Finish();
    if (!edition.ok()) return http::FromStatus(edition.status());
    http::Response r = http::JsonResponse(Dump(*edition), 201);
    r.headers.emplace_back("Location", location_ + edition->value("id", ""));
    return r;
  }

 private:
  std::unique_ptr<products::IngestJob> job_;
  std::string location_;
};

}  // namespace

std::optional<http::StreamRoute> App::StreamFor(http::Request& head) {
  // POST /api/v1/products/{id}/editions
  const std::string prefix = "/api/v1/products/", suffix = "/editions";
  const std::string& p = head.path;
  if (head.method != "POST" || p.size() <= prefix.size() + suffix.size() || p.rfind(prefix, 0) != 0 ||
      p.compare(p.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  const std::string id = p.substr(prefix.size(), p.size() - prefix.size() - suffix.size());
  if (id.find('/') != std::string::npos) return std::nullopt;
  http::StreamRoute route;
  route.route = "/api/v1/products/{id}/editions";
  auto fail = [&](const Status& s) {
    route.response = http::FromStatus(s);
    return std::optional<http::StreamRoute>(std::move(route));
  };
  // Streamed uploads bypass Handle and the router: authenticate and authorise here, before any byte
  // of the body is read.
  std::optional<http::Response> denied = Authenticate(head);
  if (!denied) {
    head.path_params = {{"id", id}};
    denied = GuardWrite("POST", route.route, head);
  }
  if (denied) {
    route.response = std::move(*denied);
    return route;
  }
  auto opts = IngestOptionsFor(head);
  if (!opts.ok()) return fail(opts.status());
  auto product = products_.Load(id);
  if (!product.ok()) return fail(product.status());
  opts->max_bytes = cfg_.max_ingest_bytes;
  auto job = products::IngestJob::Start(&store_->products(), *product, *opts);
  if (!job.ok()) return fail(job.status());
  route.sink = std::make_unique<IngestSink>(std::move(*job),
                                            cfg_.PublicUrl() + "/api/v1/products/" + id + "/editions/");
  return route;
}

void App::AddProductRoutes() {
  router_.Add("GET", "/api/v1/products", [this](http::Request& req) {
    int limit = 50;
    std::string cursor, dataset;
    std::vector<FieldProblem> problems;
    for (const auto& [k, v] : req.query) {
      if (k == "limit") {
        if (auto n = ParseIntIn(v, 1, 500))
          limit = *n;
        else
          problems.push_back({k, "invalid_value", "must be an integer from 1 to 500"});
      } else if (k == "cursor") {
        cursor = v;
      } else if (k == "dataset") {
        dataset = v;
      } else {
        problems.push_back({k, "unknown_field", "this list accepts limit, cursor, dataset"});
      }
    }
    if (!problems.empty())
      return http::FromStatus(Status::Invalid("invalid query parameters", std::move(problems)));
    auto page = products_.List(cursor, limit, dataset);
    if (!page.ok()) return http::FromStatus(page.status());
    http::Response r = http::JsonResponse(
        Dump({{"items", page->items},
              {"next_cursor", page->next_cursor ? json(*page->next_cursor) : json(nullptr)}}));
    if (page->next_cursor)
      r.headers.emplace_back("Link", NextPageLink(req, cfg_.PublicUrl(), *page->next_cursor));
    return r;
  });
  router_.Add("POST", "/api/v1/products", [this](http::Request& req) {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return http::FromStatus(body.status());
    auto doc = products_.Create(*body);
    if (!doc.ok()) return http::FromStatus(doc.status());
    http::Response r = VersionedDocResponse(*doc, 201);
    r.headers.emplace_back("Location", cfg_.PublicUrl() + "/api/v1/products/" + doc->value("id", ""));
    return r;
  });
  router_.Add("GET", "/api/v1/products/{id}", [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    auto doc = products_.Get(req.PathParam("id"));
    return doc.ok() ? VersionedDocResponse(*doc) : http::FromStatus(doc.status());
  });
  router_.Add("PATCH", "/api/v1/products/{id}", [this](http::Request& req) {
    auto if_match = IfMatchVersion(req);
    if (!if_match.ok()) return http::FromStatus(if_match.status());
    auto body = ParseJsonBody(req, "application/merge-patch+json");
    if (!body.ok()) return http::FromStatus(body.status());
    auto doc = products_.Patch(req.PathParam("id"), *body, *if_match);
    return doc.ok() ? VersionedDocResponse(*doc) : http::FromStatus(doc.status());
  });
  router_.Add("DELETE", "/api/v1/products/{id}", [this](http::Request& req) {
    auto if_match = IfMatchVersion(req);
    if (!if_match.ok()) return http::FromStatus(if_match.status());
    Status s = products_.Delete(req.PathParam("id"), *if_match);
    cache_.Clear();  // a product recreated under the same id must not see old responses
    if (!s.ok()) return http::FromStatus(s);
    http::Response r;
    r.status = 204;
    return r;
  });
  router_.Add("PUT", "/api/v1/products/{id}/schema", [this](http::Request& req) {
    auto if_match = IfMatchVersion(req);
    if (!if_match.ok()) return http::FromStatus(if_match.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return http::FromStatus(body.status());
    auto doc = products_.ReplaceSchema(req.PathParam("id"), *body, *if_match);
    return doc.ok() ? VersionedDocResponse(*doc) : http::FromStatus(doc.status());
  });
  router_.Add("GET", "/api/v1/products/{id}/schema-versions", [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    auto product = store_->products().Get(req.PathParam("id"));
    if (!product.ok()) return http::FromStatus(product.status());
    auto versions = store_->products().SchemaVersions(product->id);
    if (!versions.ok()) return http::FromStatus(versions.status());
    json items = json::array();
    for (const auto& v : *versions)
      items.push_back({{"version", v.version},
                       {"created", v.created},
                       {"schema", json::parse(v.schema, nullptr, false)}});
    return http::JsonResponse(Dump({{"items", items}}));
  });
  router_.Add("GET", "/api/v1/products/{id}/editions", [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    auto product = store_->products().Get(req.PathParam("id"));
    if (!product.ok()) return http::FromStatus(product.status());
    auto editions = store_->products().Editions(product->id);
    if (!editions.ok()) return http::FromStatus(editions.status());
    json items = json::array();
    for (const auto& e : *editions) items.push_back(products::EditionJson(e, false));
    return http::JsonResponse(Dump({{"items", items}}));
  });
  // Uploads normally stream through StreamFor(); this route serves callers that hand
  // App::Handle a complete body (and documents the route in the router).
  router_.Add("POST", "/api/v1/products/{id}/editions", [this](http::Request& req) {
    auto route = StreamFor(req);
    if (!route) return http::ErrorResponse(404, "not_found", "no resource at " + req.path);
    if (route->response) return std::move(*route->response);
    constexpr size_t kChunk = 1 << 16;
    for (size_t off = 0; off < req.body.size(); off += kChunk) {
      Status s = route->sink->Write(std::string_view(req.body).substr(off, kChunk));
      if (!s.ok()) return http::FromStatus(s);
    }
    return route->sink->Finish();
  });
  router_.Add("GET", "/api/v1/products/{id}/editions/{edition}", [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    auto e = store_->products().Edition(req.PathParam("id"), req.PathParam("edition"));
    if (!e.ok()) return http::FromStatus(e.status());
    http::Response r = http::JsonResponse(Dump(products::EditionJson(*e, true)));
    r.headers.emplace_back("ETag", "\"" + e->sha256 + "\"");
    return r;
  });
  router_.Add("GET", "/api/v1/products/{id}/editions/{edition}/quality", [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {}, "this route takes no query parameters"))
      return std::move(*bad);
    auto product = store_->products().Get(req.PathParam("id"));
    if (!product.ok()) return http::FromStatus(product.status());
    auto e = store_->products().Edition(product->id, req.PathParam("edition"));
    if (!e.ok()) return http::FromStatus(e.status());
    // The full report has per-column minimums and maximums: of a product that is not public, only
    // its owner (or an admin) sees it; everyone sees the summary in the edition's description.
    if (products::AccessLevelOfRow(*product) != products::AccessLevel::kPublic) {
      auto schema = products_.SchemaAt(product->id, e->schema_version);
      if (!schema.ok()) return http::FromStatus(schema.status());
      auto access = DecideRead(req, *product, *schema);
      if (!access.ok()) return http::FromStatus(access.status());
      if (!access->denied.ok()) return DeniedRead(req, *access, *product, e->id);
      if (access->basis != "owner" && access->basis != "admin") {
        ReadAccess denied = *access;
        denied.denied =
            Status(Code::kPermissionDenied,
                   "the full quality report of a product that is not public is for its owner; the "
                   "edition's quality_summary is open to all");
        return DeniedRead(req, denied, *product, e->id);
      }
      return Audited(req, *access, *product, e->id, ReadResult{http::JsonResponse(e->quality), {}});
    }
    return http::JsonResponse(e->quality);
  });
  router_.Add("DELETE", "/api/v1/products/{id}/editions/{edition}", [this](http::Request& req) {
    if (req.PathParam("edition") == "latest")
      return http::ErrorResponse(400, "bad_request", "name the edition to delete by its id, not 'latest'");
    Status s = store_->products().DeleteEdition(req.PathParam("id"), req.PathParam("edition"));
    cache_.Clear();  // rare; keeps no bytes of deleted data around
    if (!s.ok()) return http::FromStatus(s);
    http::Response r;
    r.status = 204;
    return r;
  });
}

}  // namespace kilde::api
