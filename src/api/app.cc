#include "api/app.h"

namespace kilde::api {

App::App(config::Config cfg, std::unique_ptr<store::Store> store)
    : cfg_(std::move(cfg)), store_(std::move(store)), catalog_(&store_->catalog()), products_(store_.get()) {
  AddOpsRoutes();
  AddCatalogRoutes();
  AddRdfRoutes();
  AddProductRoutes();
  AddRowRoutes();
  AddAggregateRoutes();
  AddDownloadRoutes();
  AddDiffRoutes();
}

}  // namespace kilde::api
