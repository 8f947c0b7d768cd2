// Catalog resources (API-shape JSON, docs/catalog-model.md) -> RDF graphs for the
// national catalogue: DCAT-AP-NO (datasets, distributions, data services),
// SKOS-AP-NO-Begrep v2 (concepts) and CPSV-AP-NO v1 (public services).
//
// Contract shared by the three builders:
//  - Only documents with "status": "published" are exported (organisations and
//    distributions have no status: an organisation is exported when a published
//    resource refers to it, a distribution when its dataset is published).
//  - A reference to a resource that is absent or not published is omitted (e.g. a
//    published dataset's draft concept, a distribution's draft access service).
//  - A distribution without a licence of its own carries its dataset's licence.
//  - Malformed or unknown field values (wrong JSON type, unknown code) are skipped,
//    never fatal: the input is expected to have passed catalog validation.
//  - A dataset with an entry in access_request_urls links it as dcatno:accessRequestURL.
//  - IRIs: <base_url>/datasets/<id>, <base_url>/datasets/<dataset>/distributions/<id>,
//    <base_url>/data-services/<id>, <base_url>/concepts/<id>,
//    <base_url>/public-services/<id>; organisations
//    https://organization-catalog.fellesdatakatalog.digdir.no/organizations/<orgnr>.
//  - Controlled-vocabulary terms that are used (EU data themes, access rights,
//    frequencies, licences, file types, languages) are described in the export with
//    their class and skos:inScheme, so the export validates on its own (a validator
//    that "expands" remote IRIs does not fetch IRIs the data already describes).
//  - The result is deterministic: the same input gives the same graph (and so
//    byte-identical serialisations), whatever the order of the input vectors.
//  - No exceptions escape; nothing here fails (an empty input gives a small graph).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "rdf/graph.h"
#include "rdf/vocab.h"

namespace kilde::rdf {

struct ExportInput {
  // Public base URL of this kilde, absolute, e.g. "http://127.0.0.1:8080" (a trailing
  // slash is tolerated and dropped). All exported resource IRIs start with it.
  std::string base_url;
  // The catalogue itself: {"title": LangText, "description": LangText,
  // "publisher": "<organization id>"}, optionally "contact_point": ContactPoint (used
  // for the concept collection and the public-service catalogue, which must have one;
  // without it a contact point naming the publisher, with its homepage, is used).
  nlohmann::json catalog;
  // API-shape documents of every status; the builders filter status == "published".
  std::vector<nlohmann::json> organizations, datasets, distributions, data_services, concepts,
      public_services;
  // Coverage (dct:spatial, a dct:Location IRI) of the organisations that act as
  // competent authority of a public service: CPSV-AP-NO requires one and the
  // organisation model has no field for it. Default: Oslo municipality (Geonorge).
  std::vector<std::string> authority_spatial = {std::string(kOsloMunicipality)};
  // Where a consumer asks for access to a dataset's non-public data, by dataset id (absolute URLs;
  // see products::ProductService::AccessRequestUrls): the dataset's dcatno:accessRequestURL.
  // Datasets without an entry get none.
  std::map<std::string, std::string> access_request_urls;
};

// GET /catalog: dcat:Catalog <base>/catalog with the published datasets (and their
// distributions) and published data services; publishers as foaf:Agent. Validates
// against DCAT-AP-NO 2.0 (DCAT-AP-NO-shacl_shapes_2.00.ttl).
Graph BuildDcatCatalog(const ExportInput& input);

// GET /concepts: the published concepts as SKOS-AP-NO-Begrep v2 skos:Concept, plus a
// skos:Collection <base>/concepts holding them (only when there is at least one).
// Validates against SKOS-AP-NO-Begrep-shape_shape_v2.ttl.
Graph BuildConceptCollection(const ExportInput& input);

// GET /public-services: the published public services as CPSV-AP-NO cpsv:PublicService,
// plus a dcat:Catalog <base>/public-services listing them (dcatno:containsService; only
// when there is at least one). Validates against CPSV-AP-NO_shacl_shapes_v1.ttl.
Graph BuildPublicServiceCatalog(const ExportInput& input);

}  // namespace kilde::rdf
