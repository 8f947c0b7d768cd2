// CPSV-AP-NO v1 export: public services and the catalogue that lists them.
#include <string>

#include "rdf/catalog_export.h"
#include "rdf/export_util.h"
#include "rdf/vocab.h"

namespace kilde::rdf {
namespace {

using namespace internal;  // NOLINT: the helpers are this file's vocabulary

// <service>/outputs/<id>, a cpsvno:PossibleOutput. CPSV-AP-NO requires a description;
// an output without one is described by its title.
void AddOutput(Graph& g, const Term& service, const json& output) {
  const std::string* id = GetString(output, "id");
  if (id == nullptr) return;
  Term o = Iri(service.value + "/outputs/" + *id);
  g.AddType(o, "cpsvno:PossibleOutput");
  g.Add(o, "dct:identifier", AnyUri(o.value));
  const json* title = GetObject(output, "title");
  AddLangText(g, o, "dct:title", title);
  if (AddLangText(g, o, "dct:description", GetObject(output, "description")) == 0) {
    AddLangText(g, o, "dct:description", title);
  }
  g.Add(service, "cpsvno:hasPossibleOutput", o);
}

// legal_basis[i] -> cpsv:follows <service>/rules/<i+1>, a cpsv:Rule named (and, lacking
// a separate description, described) by the law reference's label, implementing the
// law (the URL, an eli:LegalResource).
void AddRules(Graph& g, const Term& service, const json& doc) {
  const json* refs = GetArray(doc, "legal_basis");
  if (refs == nullptr) return;
  int n = 0;
  for (const json& ref : *refs) {
    const std::string* url = GetString(ref, "url");
    if (url == nullptr) continue;
    const json* label = GetObject(ref, "label");
    Term rule = Iri(service.value + "/rules/" + std::to_string(++n));
    g.AddType(rule, "cpsv:Rule");
    g.Add(rule, "dct:identifier", AnyUri(rule.value));
    AddLangText(g, rule, "dct:title", label);
    AddLangText(g, rule, "dct:description", label);
    Term law = Iri(*url);
    g.AddType(law, "eli:LegalResource");
    AddLangText(g, law, "dct:title", label);
    g.Add(rule, "cpsv:implements", law);
    g.Add(service, "cpsv:follows", rule);
  }
}

void AddPublicService(Graph& g, const Context& ctx, const std::string& id, const json& doc) {
  Term s = ctx.PublicServiceIri(id);
  g.AddType(s, "cpsv:PublicService");
  g.Add(s, "dct:identifier", AnyUri(s.value));
  AddLangText(g, s, "dct:title", GetObject(doc, "title"));
  AddLangText(g, s, "dct:description", GetObject(doc, "description"));
  if (const std::string* authority = GetString(doc, "competent_authority")) {
    if (auto org = AddOrganization(g, ctx, *authority, Profile::kCpsv, /*competent_authority=*/true)) {
      g.Add(s, "cv:hasCompetentAuthority", *org);
    }
  }
  if (const json* outputs = GetArray(doc, "outputs")) {
    for (const json& output : *outputs) AddOutput(g, s, output);
  }
  if (const json* cp = GetObject(doc, "contact_point")) g.Add(s, "cv:contactPoint", AddCvContact(g, *cp));
  for (const std::string& ds : GetStrings(doc, "related_datasets")) {
    if (!ctx.datasets.count(ds)) continue;
    Term dataset = ctx.DatasetIri(ds);
    g.AddType(dataset, "dcat:Dataset");  // cv:isDescribedAt needs an instance of dcat:Dataset
    g.Add(s, "cv:isDescribedAt", dataset);
  }
  AddLangList(g, s, "dcat:keyword", GetObject(doc, "keywords"));
  if (const std::string* homepage = GetString(doc, "homepage")) g.Add(s, "foaf:homepage", Iri(*homepage));
  AddRules(g, s, doc);
}

}  // namespace

Graph BuildPublicServiceCatalog(const ExportInput& input) {
  Context ctx(input);
  Graph g = NewGraph();
  for (const auto& [id, doc] : ctx.public_services) AddPublicService(g, ctx, id, *doc);
  if (ctx.public_services.empty()) return g;  // the catalogue needs >= 1 dcatno:containsService

  Term catalog = Iri(ctx.base + "/public-services");
  g.AddType(catalog, "dcat:Catalog");
  g.Add(catalog, "dct:identifier", AnyUri(catalog.value));
  AddLangText(g, catalog, "dct:title", GetObject(input.catalog, "title"));
  AddLangText(g, catalog, "dct:description", GetObject(input.catalog, "description"));
  if (const std::string* publisher = GetString(input.catalog, "publisher")) {
    if (auto org = AddOrganization(g, ctx, *publisher, Profile::kCpsv)) g.Add(catalog, "dct:publisher", *org);
  }
  g.Add(catalog, "cv:contactPoint", AddCvContact(g, CatalogContactPoint(ctx)));
  for (const auto& [id, doc] : ctx.public_services)
    g.Add(catalog, "dcatno:containsService", ctx.PublicServiceIri(id));
  return g;
}

}  // namespace kilde::rdf
