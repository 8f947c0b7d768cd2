// DCAT-AP-NO 2.x export: catalogue, datasets, distributions, data services.
#include <set>
#include <string>

#include "rdf/catalog_export.h"
#include "rdf/export_util.h"
#include "rdf/vocab.h"

namespace kilde::rdf {
namespace {

using namespace internal;  // NOLINT: the helpers are this file's vocabulary

constexpr std::string_view kEuThemes[] = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL",
                                          "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"};
constexpr std::string_view kFrequencies[] = {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL",
                                             "IRREG", "CONT",   "NEVER",   "UNKNOWN"};

template <typename Range>
bool Contains(const Range& range, std::string_view v) {
  for (std::string_view x : range) {
    if (x == v) return true;
  }
  return false;
}

void AddModified(Graph& g, const Term& s, const json& doc) {
  if (auto ts = GetTimestamp(doc, "modified"))
    g.Add(s, "dct:modified", TypedLiteral(*ts, std::string(kXsd) + "dateTime"));
}

// Legal bases in the national catalogue's (old dcatno) form: a blank node typed
// skos:Concept + dct:RightsStatement with dct:source (the law URL, as a literal) and
// skos:prefLabel.
void AddLegalBasis(Graph& g, const Term& dataset, const json& doc) {
  const json* legal = GetObject(doc, "legal_basis");
  if (legal == nullptr) return;
  static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
      {"restriction", "dcatnoold:legalBasisForRestriction"},
      {"processing", "dcatnoold:legalBasisForProcessing"},
      {"access", "dcatnoold:legalBasisForAccess"}};
  for (const auto& [key, predicate] : kKinds) {
    const json* refs = GetArray(*legal, key);
    if (refs == nullptr) continue;
    for (const json& ref : *refs) {
      const std::string* url = GetString(ref, "url");
      if (url == nullptr) continue;
      Term node = g.NewBlank();
      g.AddType(node, "skos:Concept");
      g.AddType(node, "dct:RightsStatement");
      g.Add(node, "dct:source", Literal(*url));
      AddLangText(g, node, "skos:prefLabel", GetObject(ref, "label"));
      g.Add(dataset, predicate, node);
    }
  }
}

void AddDistribution(Graph& g, const Context& ctx, const std::string& dataset_id, const std::string& id,
                     const json& doc, const std::string* dataset_license) {
  Term d = ctx.DistributionIri(dataset_id, id);
  g.AddType(d, "dcat:Distribution");
  AddLangText(g, d, "dct:title", GetObject(doc, "title"));
  AddLangText(g, d, "dct:description", GetObject(doc, "description"));
  if (const std::string* url = GetString(doc, "access_url")) g.Add(d, "dcat:accessURL", Iri(*url));
  if (const std::string* url = GetString(doc, "download_url")) g.Add(d, "dcat:downloadURL", Iri(*url));
  if (const std::string* format = GetString(doc, "format")) {
    if (auto t = AddFileType(g, *format)) g.Add(d, "dct:format", *t);
  }
  if (const std::string* media_type = GetString(doc, "media_type")) {
    Term mt = Iri(std::string(kIanaMediaTypes) + *media_type);
    g.AddType(mt, "dct:MediaType");
    g.Add(d, "dcat:mediaType", mt);
  }
  // A distribution without its own licence carries its dataset's.
  const std::string* license = GetString(doc, "license");
  if (license == nullptr) license = dataset_license;
  if (license != nullptr) {
    if (auto t = AddLicence(g, *license)) g.Add(d, "dct:license", *t);
  }
  if (const std::string* service = GetString(doc, "access_service")) {
    if (ctx.data_services.count(*service)) g.Add(d, "dcat:accessService", ctx.DataServiceIri(*service));
  }
}

void AddDataset(Graph& g, const Context& ctx, const std::string& id, const json& doc,
                std::set<std::string>& agents) {
  Term ds = ctx.DatasetIri(id);
  g.AddType(ds, "dcat:Dataset");
  g.Add(ds, "dct:identifier", Literal(ds.value));
  AddLangText(g, ds, "dct:title", GetObject(doc, "title"));
  AddLangText(g, ds, "dct:description", GetObject(doc, "description"));
  if (const std::string* publisher = GetString(doc, "publisher")) {
    if (auto org = ctx.OrganizationIri(*publisher)) {
      g.Add(ds, "dct:publisher", *org);
      agents.insert(*publisher);
    }
  }
  if (const json* cp = GetObject(doc, "contact_point"))
    g.Add(ds, "dcat:contactPoint", AddVcardContact(g, *cp));
  for (const std::string& theme : GetStrings(doc, "themes")) {
    if (Contains(kEuThemes, theme)) {
      g.Add(ds, "dcat:theme", AddSchemeTerm(g, kDataThemeScheme, theme, {"skos:Concept"}));
    } else if (theme.starts_with("https://psi.norge.no/los/")) {
      g.Add(ds, "dcat:theme", Iri(theme));
    }
  }
  for (const std::string& los : GetStrings(doc, "los_themes")) {
    if (los.starts_with("https://psi.norge.no/los/")) g.Add(ds, "dcat:theme", Iri(los));
  }
  AddLangList(g, ds, "dcat:keyword", GetObject(doc, "keywords"));
  if (const std::string* ar = GetString(doc, "access_rights")) {
    if (auto t = AddAccessRight(g, *ar)) g.Add(ds, "dct:accessRights", *t);
  }
  AddLegalBasis(g, ds, doc);
  for (const std::string& spatial : GetStrings(doc, "spatial")) g.Add(ds, "dct:spatial", Iri(spatial));
  if (const json* temporal = GetObject(doc, "temporal")) {
    auto start = GetDate(*temporal, "start");
    auto end = GetDate(*temporal, "end");
    if (start || end) {
      Term period = g.NewBlank();
      g.AddType(period, "dct:PeriodOfTime");
      if (start) g.Add(period, "dcat:startDate", TypedLiteral(*start, std::string(kXsd) + "date"));
      if (end) g.Add(period, "dcat:endDate", TypedLiteral(*end, std::string(kXsd) + "date"));
      g.Add(ds, "dct:temporal", period);
    }
  }
  if (const std::string* freq = GetString(doc, "frequency")) {
    if (Contains(kFrequencies, *freq)) {
      g.Add(ds, "dct:accrualPeriodicity",
            AddSchemeTerm(g, kFrequencyScheme, *freq, {"dct:Frequency", "skos:Concept"}));
    }
  }
  const std::string* license = GetString(doc, "license");
  if (license != nullptr) {
    if (auto t = AddLicence(g, *license)) g.Add(ds, "dct:license", *t);
  }
  for (const std::string& concept_id : GetStrings(doc, "concepts")) {
    if (ctx.concepts.count(concept_id)) g.Add(ds, "dct:subject", ctx.ConceptIri(concept_id));
  }
  if (const std::string* url = GetString(doc, "landing_page")) g.Add(ds, "dcat:landingPage", Iri(*url));
  // Where to ask for access to the dataset's non-public data products.
  if (auto it = ctx.input.access_request_urls.find(id); it != ctx.input.access_request_urls.end())
    g.Add(ds, "dcatno:accessRequestURL", Iri(it->second));
  for (const std::string& lang : GetStrings(doc, "language")) {
    if (auto t = AddLanguage(g, lang)) g.Add(ds, "dct:language", *t);
  }
  AddModified(g, ds, doc);
  auto dists = ctx.distributions.find(id);
  if (dists != ctx.distributions.end()) {
    for (const auto& [dist_id, dist] : dists->second) {
      g.Add(ds, "dcat:distribution", ctx.DistributionIri(id, dist_id));
      AddDistribution(g, ctx, id, dist_id, *dist, license);
    }
  }
}

void AddDataService(Graph& g, const Context& ctx, const std::string& id, const json& doc,
                    std::set<std::string>& agents) {
  Term s = ctx.DataServiceIri(id);
  g.AddType(s, "dcat:DataService");
  g.Add(s, "dct:identifier", Literal(s.value));
  AddLangText(g, s, "dct:title", GetObject(doc, "title"));
  AddLangText(g, s, "dct:description", GetObject(doc, "description"));
  if (const std::string* publisher = GetString(doc, "publisher")) {
    if (auto org = ctx.OrganizationIri(*publisher)) {
      g.Add(s, "dct:publisher", *org);
      agents.insert(*publisher);
    }
  }
  if (const json* cp = GetObject(doc, "contact_point"))
    g.Add(s, "dcat:contactPoint", AddVcardContact(g, *cp));
  if (const std::string* url = GetString(doc, "endpoint_url")) g.Add(s, "dcat:endpointURL", Iri(*url));
  if (const std::string* url = GetString(doc, "endpoint_description")) {
    g.Add(s, "dcat:endpointDescription", Iri(*url));
  }
  for (const std::string& ds : GetStrings(doc, "serves_datasets")) {
    if (ctx.datasets.count(ds)) g.Add(s, "dcat:servesDataset", ctx.DatasetIri(ds));
  }
  for (const std::string& format : GetStrings(doc, "formats")) {
    if (auto t = AddFileType(g, format)) g.Add(s, "dct:format", *t);
  }
  if (const std::string* ar = GetString(doc, "access_rights")) {
    if (auto t = AddAccessRight(g, *ar)) g.Add(s, "dct:accessRights", *t);
  }
  AddLangList(g, s, "dcat:keyword", GetObject(doc, "keywords"));
  AddModified(g, s, doc);
}

}  // namespace

Graph BuildDcatCatalog(const ExportInput& input) {
  Context ctx(input);
  Graph g = NewGraph();
  std::set<std::string> agents;  // organisation ids to describe

  Term catalog = Iri(ctx.base + "/catalog");
  g.AddType(catalog, "dcat:Catalog");
  g.Add(catalog, "dct:identifier", Literal(catalog.value));
  AddLangText(g, catalog, "dct:title", GetObject(input.catalog, "title"));
  AddLangText(g, catalog, "dct:description", GetObject(input.catalog, "description"));
  if (const std::string* publisher = GetString(input.catalog, "publisher")) {
    if (auto org = ctx.OrganizationIri(*publisher)) {
      g.Add(catalog, "dct:publisher", *org);
      agents.insert(*publisher);
    }
  }
  for (const auto& [id, doc] : ctx.datasets) {
    g.Add(catalog, "dcat:dataset", ctx.DatasetIri(id));
    AddDataset(g, ctx, id, *doc, agents);
  }
  for (const auto& [id, doc] : ctx.data_services) {
    g.Add(catalog, "dcat:service", ctx.DataServiceIri(id));
    AddDataService(g, ctx, id, *doc, agents);
  }
  for (const std::string& org_id : agents) AddOrganization(g, ctx, org_id, Profile::kDcat);
  return g;
}

}  // namespace kilde::rdf
