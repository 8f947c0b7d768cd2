// Operational routes: /healthz, /readyz, /metrics, the OpenAPI document and the API index.
#include <fmt/format.h>

#include "api/app.h"
#include "api/json_body.h"
#include "base/assets.h"
#include "http/error_response.h"

namespace kilde::api {

void App::AddOpsRoutes() {
  router_.Add("GET", "/healthz", [](http::Request&) { return http::JsonResponse(R"({"status":"ok"})"); });
  router_.Add("GET", "/readyz", [this](http::Request&) {
    Status s = store_->Ping();
    if (!s.ok()) return http::ErrorResponse(503, "not_ready", "the store is not reachable: " + s.message());
    return http::JsonResponse(
        Dump({{"status", "ready"}, {"store", {{"schema_version", store_->schema_version()}}}}));
  });
  router_.Add("GET", "/metrics", [this](http::Request&) {
    std::string extra = fmt::format(
        "# HELP kilde_store_errors_total Failed store operations.\n# TYPE kilde_store_errors_total counter\n"
        "kilde_store_errors_total {}\n"
        "# HELP kilde_build_info Build information.\n# TYPE kilde_build_info gauge\n"
        "kilde_build_info{{version=\"{}\"}} 1\n"
        "# HELP kilde_response_cache_hits_total Row and aggregate reads answered from the cache.\n"
        "# TYPE kilde_response_cache_hits_total counter\nkilde_response_cache_hits_total {}\n"
        "# HELP kilde_response_cache_misses_total Row and aggregate reads rendered.\n"
        "# TYPE kilde_response_cache_misses_total counter\nkilde_response_cache_misses_total {}\n"
        "# HELP kilde_response_cache_bytes Bytes held by the response cache.\n"
        "# TYPE kilde_response_cache_bytes gauge\nkilde_response_cache_bytes {}\n",
        store_->error_count(), KILDE_VERSION, cache_.hits(), cache_.misses(), cache_.bytes());
    if (recorder_)
      extra += fmt::format(
          "# HELP kilde_audit_entries_total Audit entries made durable.\n"
          "# TYPE kilde_audit_entries_total counter\nkilde_audit_entries_total {}\n"
          "# HELP kilde_audit_batches_total Audit log journal frames, i.e. syncs (group commits).\n"
          "# TYPE kilde_audit_batches_total counter\nkilde_audit_batches_total {}\n"
          "# HELP kilde_audit_failures_total Audit entries that could not be written (their reads got 503).\n"
          "# TYPE kilde_audit_failures_total counter\nkilde_audit_failures_total {}\n"
          "# HELP kilde_audit_copy_backlog Audit entries durable in the journal, not yet copied into "
          "audit.db.\n"
          "# TYPE kilde_audit_copy_backlog gauge\nkilde_audit_copy_backlog {}\n",
          recorder_->entries_recorded(), recorder_->batches(), recorder_->failures(),
          store_->audit().CopyBacklog());
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.Render(extra);
    return r;
  });
  router_.Add("GET", "/api/v1/openapi.json", [](http::Request&) {
    auto doc = assets::Find("openapi.json");
    if (!doc) return http::ErrorResponse(404, "not_found", "no OpenAPI document in this build");
    http::Response r = http::JsonResponse(std::string(*doc));
    r.content_type = "application/json";
    return r;
  });
  router_.Add("GET", "/api/v1", [this](http::Request&) {
    const std::string base = cfg_.PublicUrl();
    return http::JsonResponse(Dump({{"name", "kilde"},
                                    {"version", KILDE_VERSION},
                                    {"openapi", base + "/api/v1/openapi.json"},
                                    {"resources",
                                     {{"organizations", base + "/api/v1/organizations"},
                                      {"datasets", base + "/api/v1/datasets"},
                                      {"data_services", base + "/api/v1/data-services"},
                                      {"concepts", base + "/api/v1/concepts"},
                                      {"public_services", base + "/api/v1/public-services"}}},
                                    {"rdf",
                                     {{"catalog", base + "/catalog"},
                                      {"concepts", base + "/concepts"},
                                      {"public_services", base + "/public-services"}}}}));
  });
}

}  // namespace kilde::api
