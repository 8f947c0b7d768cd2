#include "rdf/catalog_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "rdf/vocab.h"
#include "rdf/writers.h"

namespace kilde::rdf {
namespace {

using nlohmann::json;

const std::string kBase = "http://127.0.0.1:8080";
const std::string kOrg = std::string(kOrganizationCatalog) + "974760673";

ExportInput SmallInput() {
  ExportInput in;
  in.base_url = kBase + "/";  // the trailing slash is dropped
  in.catalog = {{"title", {{"nb", "Datakatalog"}}}, {"description", {{"nb", "Alt"}}}, {"publisher", "oslo"}};
  in.organizations = {{{"id", "oslo"},
                       {"organization_number", "974760673"},
                       {"name", {{"nb", "Oslo kommune"}, {"en", "City of Oslo"}}},
                       {"kind", "municipality"}}};
  json contact = {{"email", "post@oslo.test"}, {"phone", "+47 21 80 21 80"}};
  in.datasets = {
      {{"id", "a"},
       {"title", {{"nb", "Datasett A"}, {"en", "Dataset A"}}},
       {"description", {{"nb", "Beskrivelse"}}},
       {"publisher", "oslo"},
       {"contact_point", contact},
       {"themes", {"EDUC", "https://psi.norge.no/los/tema/skole", "NOPE"}},
       {"access_rights", "PUBLIC"},
       {"license", "NLOD_2_0"},
       {"concepts", {"published-concept", "draft-concept", "missing-concept"}},
       {"language", {"nb", "nn"}},
       {"temporal", {{"start", "2020-01-01"}}},
       {"modified", "2026-11-23T18:00:00Z"},
       {"status", "published"}},
      {{"id", "draft"},
       {"title", {{"nb", "Utkast"}}},
       {"publisher", "oslo"},
       {"themes", {"GOVE"}},
       {"status", "draft"}},
  };
  in.distributions = {
      {{"id", "csv"},
       {"dataset", "a"},
       {"access_url", "https://x.test/a.csv"},
       {"format", "CSV"},
       {"access_service", "draft-api"}},
      {{"id", "d1"}, {"dataset", "draft"}, {"access_url", "https://x.test/d.csv"}},
  };
  in.data_services = {
      {{"id", "api"},
       {"title", {{"nb", "API"}}},
       {"publisher", "oslo"},
       {"contact_point", contact},
       {"endpoint_url", "https://x.test/api"},
       {"serves_datasets", {"a", "draft"}},
       {"status", "published"}},
      {{"id", "draft-api"}, {"title", {{"nb", "Utkast"}}}, {"status", "draft"}},
  };
  in.concepts = {
      {{"id", "published-concept"},
       {"pref_label", {{"nb", "begrep"}, {"nn", "omgrep"}}},
       {"definition",
        {{"text", {{"nb", "en definisjon"}, {"nn", "ein definisjon"}}},
         {"source", {{"url", "https://x.test/kilde"}}},
         {"source_relation", "quoted"}}},
       {"valid_from", "2020-01-01"},
       {"created", "2026-01-02T03:04:05Z"},
       {"publisher", "oslo"},
       {"contact_point", contact},
       {"status", "published"}},
      {{"id", "draft-concept"}, {"pref_label", {{"nb", "utkast"}, {"nn", "utkast"}}}, {"status", "draft"}},
  };
  in.public_services = {
      {{"id", "permit"},
       {"title", {{"nb", "Tillatelse"}}},
       {"description", {{"nb", "Søk her"}}},
       {"competent_authority", "oslo"},
       {"outputs", {{{"id", "ok"}, {"title", {{"nb", "Vedtak"}}}}}},
       {"contact_point", contact},
       {"related_datasets", {"a", "draft"}},
       {"legal_basis", {{{"label", {{"nb", "Loven"}}}, {"url", "https://lovdata.no/lov/x"}}}},
       {"status", "published"}},
      {{"id", "draft-service"}, {"title", {{"nb", "Utkast"}}}, {"status", "draft"}},
  };
  return in;
}

bool Has(const Graph& g, const std::string& s, std::string_view p, const Term& o) {
  return g.Contains(Iri(s), g.Named(p), o);
}

bool Mentions(const Graph& g, std::string_view needle) {
  for (const Triple& t : g.triples()) {
    for (const Term* term : {&t.subject, &t.object}) {
      if (term->value.find(needle) != std::string::npos) return true;
    }
  }
  return false;
}

TEST(DcatExportTest, SmallInputGivesTheExpectedTriples) {
  Graph g = BuildDcatCatalog(SmallInput());
  const std::string cat = kBase + "/catalog";
  const std::string ds = kBase + "/datasets/a";
  EXPECT_TRUE(Has(g, cat, "rdf:type", g.Named("dcat:Catalog")));
  EXPECT_TRUE(Has(g, cat, "dct:identifier", Literal(cat)));
  EXPECT_TRUE(Has(g, cat, "dct:title", LangLiteral("Datakatalog", "nb")));
  EXPECT_TRUE(Has(g, cat, "dct:publisher", Iri(kOrg)));
  EXPECT_TRUE(Has(g, cat, "dcat:dataset", Iri(ds)));
  EXPECT_TRUE(Has(g, cat, "dcat:service", Iri(kBase + "/data-services/api")));

  EXPECT_TRUE(Has(g, ds, "rdf:type", g.Named("dcat:Dataset")));
  EXPECT_TRUE(Has(g, ds, "dct:identifier", Literal(ds)));
  EXPECT_TRUE(Has(g, ds, "dct:title", LangLiteral("Dataset A", "en")));
  EXPECT_TRUE(Has(g, ds, "dct:publisher", Iri(kOrg)));
  const std::string educ = std::string(kDataThemeScheme) + "/EDUC";
  EXPECT_TRUE(Has(g, ds, "dcat:theme", Iri(educ)));
  EXPECT_TRUE(Has(g, educ, "rdf:type", g.Named("skos:Concept")));
  EXPECT_TRUE(Has(g, educ, "skos:inScheme", Iri(kDataThemeScheme)));
  EXPECT_TRUE(Has(g, ds, "dcat:theme", Iri("https://psi.norge.no/los/tema/skole")));
  EXPECT_EQ(g.Objects(Iri(ds), "dcat:theme").size(), 2u) << "unknown theme code skipped";
  const std::string pub = std::string(kAccessRightScheme) + "/PUBLIC";
  EXPECT_TRUE(Has(g, ds, "dct:accessRights", Iri(pub)));
  EXPECT_TRUE(Has(g, pub, "rdf:type", g.Named("dct:RightsStatement")));
  const std::string nlod = std::string(kLicenceScheme) + "/NLOD_2_0";
  EXPECT_TRUE(Has(g, ds, "dct:license", Iri(nlod)));
  EXPECT_TRUE(Has(g, nlod, "rdf:type", g.Named("dct:LicenseDocument")));
  EXPECT_TRUE(Has(g, ds, "dct:language", Iri(std::string(kLanguageScheme) + "/NNO")));
  EXPECT_TRUE(
      Has(g, ds, "dct:modified", TypedLiteral("2026-11-23T18:00:00Z", std::string(kXsd) + "dateTime")));

  auto contact = g.Objects(Iri(ds), "dcat:contactPoint");
  ASSERT_EQ(contact.size(), 1u);
  EXPECT_TRUE(g.Contains(contact[0], g.Named("rdf:type"), g.Named("vcard:Organization")));
  EXPECT_TRUE(g.Contains(contact[0], g.Named("vcard:hasEmail"), Iri("mailto:post@oslo.test")));
  EXPECT_TRUE(g.Contains(contact[0], g.Named("vcard:hasTelephone"), Iri("tel:+4721802180")));

  auto temporal = g.Objects(Iri(ds), "dct:temporal");
  ASSERT_EQ(temporal.size(), 1u);
  EXPECT_TRUE(g.Contains(temporal[0], g.Named("dcat:startDate"),
                         TypedLiteral("2020-01-01", std::string(kXsd) + "date")));

  const std::string dist = ds + "/distributions/csv";
  EXPECT_TRUE(Has(g, ds, "dcat:distribution", Iri(dist)));
  EXPECT_TRUE(Has(g, dist, "dcat:accessURL", Iri("https://x.test/a.csv")));
  EXPECT_TRUE(Has(g, dist, "dct:format", Iri(std::string(kFileTypeScheme) + "/CSV")));
  EXPECT_TRUE(Has(g, dist, "dct:license", Iri(nlod))) << "inherits the dataset's licence";

  EXPECT_TRUE(Has(g, kOrg, "rdf:type", g.Named("foaf:Agent")));
  EXPECT_TRUE(Has(g, kOrg, "dct:identifier", Literal("974760673")));
  EXPECT_TRUE(Has(g, kOrg, "foaf:name", LangLiteral("Oslo kommune", "nb")));
}

TEST(DcatExportTest, DraftsAndReferencesToThemAreLeftOut) {
  Graph g = BuildDcatCatalog(SmallInput());
  EXPECT_FALSE(Mentions(g, "/datasets/draft"));
  EXPECT_FALSE(Mentions(g, "draft-api"));
  EXPECT_FALSE(Mentions(g, "draft-concept"));
  EXPECT_FALSE(Mentions(g, "missing-concept"));
  EXPECT_TRUE(Has(g, kBase + "/datasets/a", "dct:subject", Iri(kBase + "/concepts/published-concept")));
  EXPECT_EQ(g.Objects(Iri(kBase + "/data-services/api"), "dcat:servesDataset").size(), 1u);
  EXPECT_TRUE(g.Objects(Iri(kBase + "/datasets/a/distributions/csv"), "dcat:accessService").empty());
}

TEST(DcatExportTest, SameInputInAnyOrderGivesIdenticalOutput) {
  ExportInput a = SmallInput();
  ExportInput b = SmallInput();
  std::reverse(b.datasets.begin(), b.datasets.end());
  std::reverse(b.distributions.begin(), b.distributions.end());
  std::reverse(b.data_services.begin(), b.data_services.end());
  for (auto build : {&BuildDcatCatalog, &BuildConceptCollection, &BuildPublicServiceCatalog}) {
    auto ta = ToTurtle(build(a));
    auto tb = ToTurtle(build(b));
    ASSERT_TRUE(ta.ok() && tb.ok());
    EXPECT_EQ(*ta, *tb);
    EXPECT_EQ(*ToJsonLd(build(a)), *ToJsonLd(build(b)));
  }
}

TEST(DcatExportTest, EmptyInputGivesAnEmptyCatalogue) {
  ExportInput in;
  in.base_url = kBase;
  Graph g = BuildDcatCatalog(in);
  EXPECT_EQ(g.SubjectsOfType("dcat:Catalog").size(), 1u);
  EXPECT_TRUE(g.SubjectsOfType("dcat:Dataset").empty());
  EXPECT_TRUE(BuildConceptCollection(in).empty());
  EXPECT_TRUE(BuildPublicServiceCatalog(in).empty());
}

TEST(ConceptExportTest, PublishedConceptsInACollection) {
  Graph g = BuildConceptCollection(SmallInput());
  const std::string c = kBase + "/concepts/published-concept";
  const std::string coll = kBase + "/concepts";
  EXPECT_TRUE(Has(g, c, "rdf:type", g.Named("skos:Concept")));
  EXPECT_TRUE(Has(g, c, "dct:identifier", TypedLiteral(c, std::string(kXsd) + "anyURI")));
  EXPECT_TRUE(Has(g, c, "skos:prefLabel", LangLiteral("omgrep", "nn")));
  EXPECT_TRUE(Has(g, c, "dct:publisher", Iri(kOrg)));
  EXPECT_TRUE(Has(g, kOrg, "rdf:type", g.Named("org:Organization")));
  EXPECT_TRUE(g.Objects(Iri(kOrg), "dct:type").empty()) << "no ADMS publisher type in SKOS exports";
  EXPECT_TRUE(Has(g, c, "euvoc:startDate", TypedLiteral("2020-01-01", std::string(kXsd) + "date")));
  EXPECT_TRUE(Has(g, c, "dct:created", TypedLiteral("2026-01-02", std::string(kXsd) + "date")));
  auto notes = g.Objects(Iri(c), "euvoc:xlDefinition");
  ASSERT_EQ(notes.size(), 2u) << "one euvoc:XlNote per language";
  for (const Term& note : notes) {
    EXPECT_TRUE(g.Contains(note, g.Named("rdf:type"), g.Named("euvoc:XlNote")));
    EXPECT_EQ(g.Objects(note, "rdf:value").size(), 1u);
    EXPECT_TRUE(g.Contains(note, g.Named("dct:source"), Iri("https://x.test/kilde")));
  }
  EXPECT_TRUE(Has(g, coll, "rdf:type", g.Named("skos:Collection")));
  EXPECT_TRUE(Has(g, coll, "skos:member", Iri(c)));
  EXPECT_EQ(g.Objects(Iri(coll), "skos:member").size(), 1u);
  EXPECT_EQ(g.Objects(Iri(coll), "dcat:contactPoint").size(), 1u);
  EXPECT_FALSE(Mentions(g, "draft-concept"));
}

TEST(ServiceExportTest, PublishedServicesInACatalogue) {
  Graph g = BuildPublicServiceCatalog(SmallInput());
  const std::string s = kBase + "/public-services/permit";
  EXPECT_TRUE(Has(g, s, "rdf:type", g.Named("cpsv:PublicService")));
  EXPECT_TRUE(Has(g, s, "dct:identifier", TypedLiteral(s, std::string(kXsd) + "anyURI")));
  EXPECT_TRUE(Has(g, s, "cv:hasCompetentAuthority", Iri(kOrg)));
  EXPECT_TRUE(Has(g, kOrg, "rdf:type", g.Named("cv:PublicOrganisation")));
  EXPECT_TRUE(Has(g, kOrg, "dct:spatial", Iri(std::string(kOsloMunicipality))));
  EXPECT_TRUE(Has(g, kOrg, "skos:prefLabel", LangLiteral("Oslo kommune", "nb")));
  EXPECT_TRUE(Has(g, kOrg, "dct:title", LangLiteral("City of Oslo", "en")));
  const std::string out = s + "/outputs/ok";
  EXPECT_TRUE(Has(g, s, "cpsvno:hasPossibleOutput", Iri(out)));
  EXPECT_TRUE(Has(g, out, "rdf:type", g.Named("cpsvno:PossibleOutput")));
  EXPECT_TRUE(Has(g, out, "dct:description", LangLiteral("Vedtak", "nb"))) << "falls back to the title";
  EXPECT_TRUE(Has(g, s, "cv:isDescribedAt", Iri(kBase + "/datasets/a")));
  EXPECT_EQ(g.Objects(Iri(s), "cv:isDescribedAt").size(), 1u);
  const std::string rule = s + "/rules/1";
  EXPECT_TRUE(Has(g, s, "cpsv:follows", Iri(rule)));
  EXPECT_TRUE(Has(g, rule, "cpsv:implements", Iri("https://lovdata.no/lov/x")));
  auto contact = g.Objects(Iri(s), "cv:contactPoint");
  ASSERT_EQ(contact.size(), 1u);
  EXPECT_TRUE(g.Contains(contact[0], g.Named("cv:telephone"), Literal("tel:+4721802180")));
  const std::string cat = kBase + "/public-services";
  EXPECT_TRUE(Has(g, cat, "dcatno:containsService", Iri(s)));
  EXPECT_FALSE(Mentions(g, "draft"));
}

TEST(ServiceExportTest, CatalogueContactPointComesFromTheInputWhenGiven) {
  ExportInput in = SmallInput();
  in.catalog["contact_point"] = {{"email", "katalog@oslo.test"}};
  Graph g = BuildPublicServiceCatalog(in);
  auto cps = g.Objects(Iri(kBase + "/public-services"), "cv:contactPoint");
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_TRUE(g.Contains(cps[0], g.Named("cv:email"),
                         TypedLiteral("mailto:katalog@oslo.test", std::string(kXsd) + "anyURI")));
}

TEST(DcatExportTest, DatasetsWithNonPublicProductsLinkTheirAccessRequestUrl) {
  ExportInput in = SmallInput();
  const std::string url = kBase + "/api/v1/products/p/access-requests";
  in.access_request_urls = {{"a", url}, {"draft", kBase + "/api/v1/products/q/access-requests"}};
  Graph g = BuildDcatCatalog(in);
  const Term predicate = Iri(std::string(kDcatno) + "accessRequestURL");
  EXPECT_TRUE(g.Contains(Iri(kBase + "/datasets/a"), predicate, Iri(url)));
  EXPECT_FALSE(Mentions(g, "products/q"));  // the draft dataset is not exported
  auto turtle = ToTurtle(g);
  ASSERT_TRUE(turtle.ok());
  EXPECT_NE(turtle->find("dcatno:accessRequestURL <" + url + ">"), std::string::npos) << *turtle;
  // Without an entry, no link.
  EXPECT_TRUE(
      BuildDcatCatalog(SmallInput()).Objects(Iri(kBase + "/datasets/a"), "dcatno:accessRequestURL").empty());
}

TEST(ExportTest, WrongJsonTypesAreSkippedNotFatal) {
  ExportInput in = SmallInput();
  in.datasets[0]["title"] = "not an object";
  in.datasets[0]["themes"] = 42;
  in.datasets[0]["keywords"] = {{"nb", "not a list"}};
  in.organizations.push_back(json::array());
  Graph g = BuildDcatCatalog(in);
  EXPECT_TRUE(g.Objects(Iri(kBase + "/datasets/a"), "dct:title").empty());
  EXPECT_TRUE(ToTurtle(g).ok());
}

}  // namespace
}  // namespace kilde::rdf
