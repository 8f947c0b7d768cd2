#include "api/rdf_render.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "rdf/catalog_export.h"
#include "rdf/writers.h"

namespace kilde::api {

std::optional<RdfDocument> RdfDocumentFromName(std::string_view name) {
  if (name == "datasets" || name == "catalog") return RdfDocument::kCatalog;
  if (name == "concepts") return RdfDocument::kConcepts;
  if (name == "public-services") return RdfDocument::kPublicServices;
  return std::nullopt;
}

std::optional<rdf::Format> NegotiateRdf(std::string_view accept) {
  if (accept.empty()) return rdf::Format::kTurtle;
  struct Choice {
    double q;
    int order;
    rdf::Format f;
  };
  std::vector<Choice> choices;
  std::stringstream ss{std::string(accept)};
  std::string item;
  int order = 0;
  while (std::getline(ss, item, ',')) {
    std::string type = item.substr(0, item.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
               type.end());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    double q = 1.0;
    if (auto qp = item.find("q="); qp != std::string::npos) q = std::atof(item.c_str() + qp + 2);
    if (q <= 0) continue;
    ++order;
    if (type == "text/turtle" || type == "application/x-turtle")
      choices.push_back({q, order, rdf::Format::kTurtle});
    else if (type == "application/ld+json" || type == "application/json")
      choices.push_back({q, order, rdf::Format::kJsonLd});
    else if (type == "application/n-triples")
      choices.push_back({q, order, rdf::Format::kNTriples});
    else if (type == "application/rdf+xml")
      choices.push_back({q, order, rdf::Format::kRdfXml});
    else if (type == "*/*" || type == "text/*")
      choices.push_back({q - 1e-6, order, rdf::Format::kTurtle});
    else if (type == "application/*")
      choices.push_back({q - 1e-6, order, rdf::Format::kJsonLd});
  }
  if (choices.empty()) return std::nullopt;
  std::stable_sort(choices.begin(), choices.end(),
                   [](const Choice& a, const Choice& b) { return a.q > b.q; });
  return choices.front().f;
}

Result<std::string> RenderRdf(catalog::CatalogService& catalog, products::ProductService* products,
                              const config::Config& cfg, RdfDocument doc, rdf::Format format) {
  using catalog::Kind;
  rdf::ExportInput in;
  in.base_url = cfg.PublicUrl();
  in.catalog = {{"title", {{"nb", cfg.catalog_title_nb}, {"en", cfg.catalog_title_en}}},
                {"description", {{"nb", cfg.catalog_description_nb}}},
                {"publisher", cfg.catalog_publisher}};
  KILDE_ASSIGN_OR_RETURN(in.organizations, catalog.All(Kind::kOrganization));
  KILDE_ASSIGN_OR_RETURN(in.datasets, catalog.All(Kind::kDataset));
  KILDE_ASSIGN_OR_RETURN(in.distributions, catalog.All(Kind::kDistribution));
  KILDE_ASSIGN_OR_RETURN(in.data_services, catalog.All(Kind::kDataService));
  KILDE_ASSIGN_OR_RETURN(in.concepts, catalog.All(Kind::kConcept));
  KILDE_ASSIGN_OR_RETURN(in.public_services, catalog.All(Kind::kPublicService));
  if (products != nullptr && doc == RdfDocument::kCatalog) {
    KILDE_ASSIGN_OR_RETURN(in.access_request_urls, products->AccessRequestUrls(in.base_url));
  }
  rdf::Graph g = doc == RdfDocument::kCatalog    ? rdf::BuildDcatCatalog(in)
                 : doc == RdfDocument::kConcepts ? rdf::BuildConceptCollection(in)
                                                 : rdf::BuildPublicServiceCatalog(in);
  return rdf::Serialize(g, format);
}

}  // namespace kilde::api
