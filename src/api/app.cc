#include "api/app.h"

namespace kilde::api {

App::App(config::Config cfg, std::unique_ptr<store::Store> store)
    : cfg_(std::move(cfg)), store_(std::move(store)), catalog_(&store_->catalog()) {
  AddOpsRoutes();
  AddCatalogRoutes();
  AddRdfRoutes();
}

}  // namespace kilde::api
