// Harvestable RDF over HTTP: /catalog (DCAT-AP-NO), /concepts, /public-services,
// content negotiation and ?format=, and only published resources.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "rdf_util.h"

namespace kilde::it {
namespace {

class RdfHttpTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() {
    StartShared({});
    if (!shared_) return;
    HttpClient c(shared_->port());
    Json org = OrgDoc("rdf-org");
    org_number_ = org["organization_number"].get<std::string>();
    const std::vector<std::pair<std::string, Json>> docs = {
        {"/api/v1/organizations", org},
        {"/api/v1/datasets", DatasetDoc("rdf-pub", "rdf-org", "published")},
        {"/api/v1/datasets", DatasetDoc("rdf-draft", "rdf-org", "draft")},
        {"/api/v1/datasets/rdf-pub/distributions", DistributionDoc("rdf-pub-csv")},
        {"/api/v1/concepts", ConceptDoc("rdf-term-pub", "rdf-org", "published")},
        {"/api/v1/concepts", ConceptDoc("rdf-term-draft", "rdf-org", "draft")},
        {"/api/v1/public-services", PublicServiceDoc("rdf-svc-pub", "rdf-org", "published")},
        {"/api/v1/public-services", PublicServiceDoc("rdf-svc-draft", "rdf-org", "draft")},
    };
    for (const auto& [path, doc] : docs) {
      HttpResponse r = c.Post(path, doc);
      if (r.status != 201) setup_error_ += path + " " + doc.dump() + " -> " + r.Describe() + "\n";
    }
  }
  static void TearDownTestSuite() { StopShared(); }
  void SetUp() override {
    SharedServerTest::SetUp();
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  std::string Iri(const std::string& path) { return server().base_url() + path; }

  // GETs `target` as Turtle and parses it (failing the test on syntax errors).
  std::vector<Triple> GetTurtle(const std::string& target) {
    HttpResponse r = client().Get(target, {{"Accept", "text/turtle"}});
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(r.Header("Content-Type").rfind("text/turtle", 0), 0u) << r.Header("Content-Type");
    std::string error;
    auto g = ParseRdf(r.body, false, &error);
    EXPECT_TRUE(g.has_value()) << "invalid Turtle from " << target << ": " << error << "\n" << r.body;
    return g.value_or(std::vector<Triple>{});
  }

  static std::string org_number_;
  static std::string setup_error_;
};

std::string RdfHttpTest::org_number_;
std::string RdfHttpTest::setup_error_;

TEST_F(RdfHttpTest, CatalogAsTurtleHasOnlyPublishedDatasets) {
  auto g = GetTurtle("/catalog");
  const std::string pub = Iri("/datasets/rdf-pub");
  EXPECT_TRUE(HasTriple(g, pub, kRdfType, std::string(kDcat) + "Dataset"));
  EXPECT_TRUE(
      HasTriple(g, pub, std::string(kDct) + "publisher",
                "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/" + org_number_));
  EXPECT_TRUE(HasTriple(g, pub, std::string(kDcat) + "theme",
                        "http://publications.europa.eu/resource/authority/data-theme/GOVE"));
  EXPECT_TRUE(HasTriple(g, pub, std::string(kDcat) + "distribution",
                        Iri("/datasets/rdf-pub/distributions/rdf-pub-csv")));
  auto catalogs = OfType(g, std::string(kDcat) + "Catalog");
  ASSERT_EQ(catalogs.size(), 1u);
  EXPECT_TRUE(HasTriple(g, *catalogs.begin(), std::string(kDcat) + "dataset", pub));
  EXPECT_EQ(Nodes(g).count(Iri("/datasets/rdf-draft")), 0u) << "a draft dataset was exported";
  // No Accept header means Turtle too.
  HttpResponse plain = client().Get("/catalog");
  EXPECT_EQ(plain.Header("Content-Type").rfind("text/turtle", 0), 0u);
  EXPECT_NE(plain.Header("Vary").find("Accept"), std::string::npos);
}

TEST_F(RdfHttpTest, CatalogAsJsonLd) {
  HttpResponse r = client().Get("/catalog", {{"Accept", "application/ld+json"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type").rfind("application/ld+json", 0), 0u) << r.Header("Content-Type");
  Json j = r.Json();
  ASSERT_FALSE(j.is_discarded()) << "not JSON: " << r.body.substr(0, 500);
  ASSERT_TRUE(j.contains("@context")) << r.body.substr(0, 500);
  ASSERT_TRUE(j.contains("@graph") && j["@graph"].is_array()) << r.body.substr(0, 500);
  bool found = false;
  for (const auto& node : j["@graph"]) found |= node.value("@id", "") == Iri("/datasets/rdf-pub");
  EXPECT_TRUE(found) << r.body;
  EXPECT_EQ(r.body.find(Iri("/datasets/rdf-draft")), std::string::npos) << "a draft dataset was exported";
}

TEST_F(RdfHttpTest, CatalogAsNTriples) {
  HttpResponse r = client().Get("/catalog", {{"Accept", "application/n-triples"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type").rfind("application/n-triples", 0), 0u) << r.Header("Content-Type");
  std::string error;
  auto g = ParseRdf(r.body, true, &error);
  ASSERT_TRUE(g.has_value()) << error;
  EXPECT_TRUE(HasTriple(*g, Iri("/datasets/rdf-pub"), kRdfType, std::string(kDcat) + "Dataset"));
  EXPECT_EQ(Nodes(*g).count(Iri("/datasets/rdf-draft")), 0u);
  // One triple per line.
  size_t lines = 0;
  for (size_t pos = 0, nl; (nl = r.body.find('\n', pos)) != std::string::npos; pos = nl + 1)
    if (nl > pos) ++lines;
  EXPECT_EQ(lines, g->size());
}

TEST_F(RdfHttpTest, FormatParameterOverridesAccept) {
  HttpClient& c = client();
  EXPECT_EQ(c.Get("/catalog?format=ntriples", {{"Accept", "text/turtle"}})
                .Header("Content-Type")
                .rfind("application/n-triples", 0),
            0u);
  HttpResponse j = c.Get("/catalog?format=jsonld", {{"Accept", "text/turtle"}});
  EXPECT_EQ(j.Header("Content-Type").rfind("application/ld+json", 0), 0u);
  EXPECT_FALSE(j.Json().is_discarded());
  EXPECT_EQ(c.Get("/catalog?format=turtle", {{"Accept", "image/png"}}).status, 200);
  HttpResponse x = c.Get("/catalog?format=rdfxml");
  EXPECT_EQ(x.Header("Content-Type").rfind("application/rdf+xml", 0), 0u) << x.Header("Content-Type");
  EXPECT_EQ(x.body.rfind("<?xml", 0), 0u) << x.body.substr(0, 200);
  EXPECT_TRUE(IsError(c.Get("/catalog?format=pdf"), 400, "bad_request"));
}

TEST_F(RdfHttpTest, NegotiationHonoursQualityAndRefusesTheUnavailable) {
  HttpClient& c = client();
  HttpResponse png = c.Get("/catalog", {{"Accept", "image/png"}});
  EXPECT_TRUE(IsError(png, 406, "not_acceptable"));
  EXPECT_TRUE(IsError(c.Get("/concepts", {{"Accept", "image/png"}}), 406, "not_acceptable"));
  HttpResponse q = c.Get("/catalog", {{"Accept", "text/turtle;q=0.4, application/ld+json;q=0.9"}});
  EXPECT_EQ(q.Header("Content-Type").rfind("application/ld+json", 0), 0u) << q.Header("Content-Type");
  HttpResponse any = c.Get("/catalog", {{"Accept", "image/png, */*;q=0.1"}});
  EXPECT_EQ(any.status, 200);
  EXPECT_EQ(any.Header("Content-Type").rfind("text/turtle", 0), 0u);
}

TEST_F(RdfHttpTest, ConceptsOnlyPublished) {
  auto g = GetTurtle("/concepts");
  auto concepts = OfType(g, std::string(kSkos) + "Concept");
  EXPECT_EQ(concepts.count(Iri("/concepts/rdf-term-pub")), 1u) << "published concept missing";
  EXPECT_EQ(Nodes(g).count(Iri("/concepts/rdf-term-draft")), 0u) << "a draft concept was exported";
  HttpResponse j = client().Get("/concepts", {{"Accept", "application/ld+json"}});
  EXPECT_TRUE(j.Json().contains("@graph")) << j.body.substr(0, 300);
}

TEST_F(RdfHttpTest, PublicServicesOnlyPublished) {
  auto g = GetTurtle("/public-services");
  auto services = OfType(g, std::string(kCpsv) + "PublicService");
  EXPECT_EQ(services.count(Iri("/public-services/rdf-svc-pub")), 1u) << "published service missing";
  EXPECT_EQ(Nodes(g).count(Iri("/public-services/rdf-svc-draft")), 0u) << "a draft service was exported";
  HttpResponse nt = client().Get("/public-services?format=ntriples");
  std::string error;
  EXPECT_TRUE(ParseRdf(nt.body, true, &error).has_value()) << error;
}

TEST_F(RdfHttpTest, PublishingAndUnpublishingChangesTheExport) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/datasets", DatasetDoc("rdf-toggle", "rdf-org", "draft"));
  const std::string iri = Iri("/datasets/rdf-toggle");
  EXPECT_EQ(Nodes(GetTurtle("/catalog")).count(iri), 0u);
  ASSERT_EQ(c.Patch("/api/v1/datasets/rdf-toggle", {{"status", "published"}}).status, 200);
  EXPECT_EQ(OfType(GetTurtle("/catalog"), std::string(kDcat) + "Dataset").count(iri), 1u);
  ASSERT_EQ(c.Patch("/api/v1/datasets/rdf-toggle", {{"status", "draft"}}).status, 200);
  EXPECT_EQ(Nodes(GetTurtle("/catalog")).count(iri), 0u);
}

TEST_F(RdfHttpTest, HarvestersCanSkipAnUnchangedCatalog) {
  HttpClient& c = client();
  HttpResponse first = c.Get("/catalog");
  const std::string etag = first.Header("ETag");
  ASSERT_FALSE(etag.empty()) << "no ETag on /catalog";
  EXPECT_EQ(c.Get("/catalog").Header("ETag"), etag) << "the same catalog got another ETag";
  HttpResponse same = c.Get("/catalog", {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304) << same.Describe();
  EXPECT_TRUE(same.body.empty());
  // Each format is its own representation.
  EXPECT_NE(c.Get("/catalog?format=ntriples").Header("ETag"), etag);
  // Publishing a dataset changes the catalog.
  MustCreate(c, "/api/v1/datasets", DatasetDoc("rdf-etag", "rdf-org", "published"));
  HttpResponse changed = c.Get("/catalog", {{"If-None-Match", etag}});
  EXPECT_EQ(changed.status, 200) << "a changed catalog was reported unchanged";
  EXPECT_NE(changed.Header("ETag"), etag);
  ASSERT_EQ(c.Delete("/api/v1/datasets/rdf-etag").status, 204);
}

}  // namespace
}  // namespace kilde::it
