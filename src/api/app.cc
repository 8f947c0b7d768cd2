#include "api/app.h"

namespace kilde::api {

App::App(config::Config cfg, std::unique_ptr<store::Store> store, std::unique_ptr<auth::Verifier> verifier,
         std::optional<auth::DevIssuer> dev)
    : cfg_(std::move(cfg)),
      store_(std::move(store)),
      verifier_(std::move(verifier)),
      dev_(std::move(dev)),
      catalog_(&store_->catalog()),
      products_(store_.get()),
      cache_(cfg_.query_cache_bytes) {
  AddOpsRoutes();
  AddCatalogRoutes();
  AddRdfRoutes();
  AddProductRoutes();
  AddRowRoutes();
  AddAggregateRoutes();
  AddDownloadRoutes();
  AddDiffRoutes();
  AddAuthRoutes();
  router_.SetGuard([this](const std::string& method, const std::string& pattern, http::Request& req) {
    return GuardWrite(method, pattern, req);
  });
}

http::Response App::Handle(http::Request& req) {
  if (auto denied = Authenticate(req)) return std::move(*denied);
  return router_.Dispatch(req);
}

http::Response App::CachedRead(const http::Request& req, const store::EditionRow& edition,
                               std::string_view kind, const std::function<http::Response()>& render) {
  // Everything a read's bytes depend on. Grants (issue 4) must add the caller's scope here.
  const size_t q = req.target.find('?');
  std::string key(kind);
  key += '\n';
  key += EditionKey(edition);
  key += '\n';
  if (q != std::string::npos) key += std::string_view(req.target).substr(q + 1);
  key += '\n';
  key += req.Header("accept");
  if (auto hit = cache_.Get(key)) {
    hit->headers.emplace_back("X-Cache", "hit");
    return std::move(*hit);
  }
  http::Response r = render();
  if (r.status == 200) cache_.Put(key, r);
  r.headers.emplace_back("X-Cache", "miss");
  return r;
}

}  // namespace kilde::api
