// Rendering the published catalog as RDF (DCAT-AP-NO, SKOS-AP-NO-Begrep, CPSV-AP-NO),
// shared by GET /catalog, /concepts, /public-services and `kilde catalog export`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "catalog/service.h"
#include "config/config.h"
#include "products/service.h"
#include "rdf/writers.h"

namespace kilde::api {

enum class RdfDocument { kCatalog, kConcepts, kPublicServices };

// "datasets"/"catalog", "concepts", "public-services".
std::optional<RdfDocument> RdfDocumentFromName(std::string_view name);
// The format best matching an HTTP Accept header (with q-values; */* and an empty
// header give Turtle); nullopt if none is acceptable.
std::optional<rdf::Format> NegotiateRdf(std::string_view accept);

// The published resources of `doc` as one RDF document. `products` (not owned; may be null) gives
// the datasets' dcatno:accessRequestURL (ProductService::AccessRequestUrls).
Result<std::string> RenderRdf(catalog::CatalogService& catalog, products::ProductService* products,
                              const config::Config& cfg, RdfDocument doc, rdf::Format format);

}  // namespace kilde::api
