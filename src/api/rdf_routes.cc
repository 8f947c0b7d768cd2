// Harvestable RDF: GET /catalog (DCAT-AP-NO), /concepts (SKOS-AP-NO-Begrep),
// /public-services (CPSV-AP-NO), with content negotiation or ?format=.
#include "api/app.h"
#include "api/rdf_render.h"
#include "base/sha256.h"
#include "http/error_response.h"
#include "http/etag.h"

namespace kilde::api {

void App::AddRdfRoutes() {
  const std::pair<const char*, RdfDocument> kDocs[] = {{"/catalog", RdfDocument::kCatalog},
                                                       {"/concepts", RdfDocument::kConcepts},
                                                       {"/public-services", RdfDocument::kPublicServices}};
  for (const auto& [path, doc] : kDocs) {
    router_.Add("GET", path, [this, doc = doc](http::Request& req) {
      std::optional<rdf::Format> format;
      if (auto f = req.Query("format")) {
        format = rdf::FormatFromName(*f);
        if (!format)
          return http::ErrorResponse(
              400, "bad_request", "unknown format '" + *f + "'",
              {{"format", "invalid_value", "must be turtle, jsonld, ntriples or rdfxml"}});
      } else {
        format = NegotiateRdf(req.Header("accept"));
        if (!format)
          return http::ErrorResponse(406, "not_acceptable",
                                     "cannot produce " + req.Header("accept") +
                                         "; available: text/turtle, application/ld+json, "
                                         "application/n-triples, application/rdf+xml");
      }
      auto body = RenderRdf(catalog_, &products_, cfg_, doc, *format);
      if (!body.ok()) return http::FromStatus(body.status());
      // Harvesters detect change by checksum: a strong ETag of the body lets them skip unchanged data.
      const std::string etag = "\"" + Sha256Hex(*body).substr(0, 32) + "\"";
      http::Response r;
      r.headers.emplace_back("ETag", etag);
      if (http::IfNoneMatchHits(req.Header("if-none-match"), etag)) {
        r.status = 304;
        r.headers.emplace_back("Vary", "Accept");
        return r;
      }
      r.content_type = std::string(rdf::MediaType(*format));
      if (*format == rdf::Format::kTurtle) r.content_type += "; charset=utf-8";
      r.headers.emplace_back("Vary", "Accept");
      r.body = std::move(*body);
      return r;
    });
  }
}

}  // namespace kilde::api
