#include "api/app.h"

#include "query/scope_output.h"

namespace kilde::api {

App::App(config::Config cfg, std::unique_ptr<store::Store> store, std::unique_ptr<auth::Verifier> verifier,
         std::optional<auth::DevIssuer> dev)
    : cfg_(std::move(cfg)),
      store_(std::move(store)),
      verifier_(std::move(verifier)),
      dev_(std::move(dev)),
      catalog_(&store_->catalog()),
      products_(store_.get()),
      cache_(cfg_.query_cache_bytes),
      access_(store_.get()) {
  AddOpsRoutes();
  AddCatalogRoutes();
  AddRdfRoutes();
  AddProductRoutes();
  AddRowRoutes();
  AddAggregateRoutes();
  AddDownloadRoutes();
  AddDiffRoutes();
  AddAuthRoutes();
  AddGrantRoutes();
  AddAccessRequestRoutes();
  AddAuditRoutes();
  router_.SetGuard([this](const std::string& method, const std::string& pattern, http::Request& req) {
    return GuardWrite(method, pattern, req);
  });
}

http::Response App::Handle(http::Request& req) {
  if (auto denied = Authenticate(req)) return std::move(*denied);
  return router_.Dispatch(req);
}

ReadResult App::CachedRead(const http::Request& req, const store::EditionRow& edition, std::string_view kind,
                           const query::QueryScope& scope, const std::function<ReadResult()>& render) {
  // Everything a read's bytes and outcome depend on, the caller's scope included: two callers with
  // different scopes never share an entry.
  const size_t q = req.target.find('?');
  std::string key(kind);
  key += '\n';
  key += EditionKey(edition);
  key += '\n';
  if (q != std::string::npos) key += std::string_view(req.target).substr(q + 1);
  key += '\n';
  key += req.Header("accept");
  key += '\n';
  key += query::ScopeFingerprint(scope);
  if (auto hit = cache_.Get(key)) {
    hit->response.headers.emplace_back("X-Cache", "hit");
    return std::move(*hit);
  }
  ReadResult r = render();
  if (r.response.status == 200) cache_.Put(key, r.response, r.outcome);
  r.response.headers.emplace_back("X-Cache", "miss");
  return r;
}

}  // namespace kilde::api
