// Data services, public services and concepts.
#include <gtest/gtest.h>

#include "catalog/validate.h"
#include "catalog/validate_test_util.h"

namespace kilde::catalog {
namespace {

using nlohmann::json;
using testing::HasRef;
using testing::MessageOf;

json DataService() {
  return json::parse(R"({
    "id": "kilde-rad-api",
    "title": {"nb": "Kilde rad-API", "en": "Kilde row API"},
    "description": {"nb": "Rader fra dataprodukter over HTTP."},
    "publisher": "digitaliseringsetaten",
    "contact_point": {"email": "kilde@example.oslo.kommune.no"},
    "endpoint_url": "https://kilde.example.oslo.kommune.no/api/v1/",
    "endpoint_description": "https://kilde.example.oslo.kommune.no/api/v1/openapi.json",
    "serves_datasets": ["eiendomsskatt-boliger-bydel", "valgdeltakelse-2023"],
    "formats": ["JSON", "CSV"],
    "access_rights": "PUBLIC",
    "keywords": {"nb": ["API"]},
    "status": "published"
  })");
}

json PublicService() {
  return json::parse(R"({
    "id": "soknad-om-barnehageplass",
    "title": {"nb": "Søknad om barnehageplass"},
    "description": {"nb": "Søk om plass i kommunal eller privat barnehage i Oslo."},
    "competent_authority": "utdanningsetaten",
    "outputs": [{"id": "tilbud-om-plass", "title": {"nb": "Tilbud om barnehageplass"},
                 "description": {"nb": "Vedtak om plass."}},
                {"id": "avslag", "title": {"nb": "Avslag"}}],
    "contact_point": {"phone": "21 80 21 80"},
    "related_datasets": ["barnehageopptak-soknader"],
    "keywords": {"nb": ["barnehage"]},
    "homepage": "https://www.oslo.kommune.no/barnehage/",
    "legal_basis": [{"label": {"nb": "Barnehageloven"}, "url": "https://lovdata.no/lov/2005-06-17-64"}],
    "status": "draft"
  })");
}

json Concept() {
  return json::parse(R"({
    "id": "vedtak",
    "pref_label": {"nb": "vedtak", "nn": "vedtak", "en": "administrative decision"},
    "alt_labels": {"nb": ["enkeltvedtak"]},
    "definition": {
      "text": {"nb": "En avgjørelse som treffes under utøving av offentlig myndighet."},
      "source": {"label": {"nb": "Forvaltningsloven § 2"}, "url": "https://lovdata.no/lov/1967-02-10/§2"},
      "source_relation": "quoted",
      "audience": "public"
    },
    "scope_note": {"nb": "Brukes om enkeltvedtak."},
    "subject_area": {"nb": "Forvaltning"},
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
    "publisher": "oslo-kommune",
    "contact_point": {"email": "begrep@example.oslo.kommune.no"},
    "status": "published"
  })");
}

TEST(DataService, ValidPasses) {
  Validation v = Validate(Kind::kDataService, DataService());
  EXPECT_VALID(v);
  EXPECT_TRUE(HasRef(v, Kind::kOrganization, "digitaliseringsetaten", "publisher"));
  EXPECT_TRUE(HasRef(v, Kind::kDataset, "eiendomsskatt-boliger-bydel", "serves_datasets[0]"));
  EXPECT_TRUE(HasRef(v, Kind::kDataset, "valgdeltakelse-2023", "serves_datasets[1]"));
  EXPECT_EQ(v.references.size(), 3u);
}

TEST(DataService, EachFieldRule) {
  json doc = DataService();
  doc.erase("endpoint_url");
  doc.erase("publisher");
  doc.erase("contact_point");
  doc["title"] = {{"nn", "Kjelde"}};
  doc["description"] = {{"nb", 1}};
  doc["endpoint_description"] = "/api/v1/openapi.json";
  doc["serves_datasets"] = {"ok", "Ikke OK"};
  doc["formats"] = {"JSON", "PARQUET"};
  doc["access_rights"] = "OPEN";
  doc["keywords"] = {"API"};
  doc["status"] = "Published";
  doc["version"] = 9;
  Validation v = Validate(Kind::kDataService, doc);
  EXPECT_PROBLEM(v, "endpoint_url", "required");
  EXPECT_PROBLEM(v, "publisher", "required");
  EXPECT_PROBLEM(v, "contact_point", "required");
  EXPECT_PROBLEM(v, "title.nb", "required");
  EXPECT_PROBLEM(v, "description.nb", "wrong_type");
  EXPECT_PROBLEM(v, "endpoint_description", "invalid_format");
  EXPECT_PROBLEM(v, "serves_datasets[1]", "invalid_format");
  EXPECT_PROBLEM(v, "formats[1]", "invalid_value");
  EXPECT_PROBLEM(v, "access_rights", "invalid_value");
  EXPECT_PROBLEM(v, "keywords", "wrong_type");
  EXPECT_PROBLEM(v, "status", "invalid_value");
  EXPECT_EQ(MessageOf(v, "status"), "must be one of draft, published");
  EXPECT_EQ(v.problems.size(), 11u) << testing::Dump(v);
  EXPECT_TRUE(HasRef(v, Kind::kDataset, "ok", "serves_datasets[0]"));
}

TEST(PublicService, ValidPasses) {
  Validation v = Validate(Kind::kPublicService, PublicService());
  EXPECT_VALID(v);
  EXPECT_TRUE(HasRef(v, Kind::kOrganization, "utdanningsetaten", "competent_authority"));
  EXPECT_TRUE(HasRef(v, Kind::kDataset, "barnehageopptak-soknader", "related_datasets[0]"));
  EXPECT_EQ(v.references.size(), 2u);
}

TEST(PublicService, OutputRules) {
  json doc = PublicService();
  doc["outputs"] = json::array();
  Validation v = Validate(Kind::kPublicService, doc);
  EXPECT_PROBLEM(v, "outputs", "required");
  EXPECT_EQ(MessageOf(v, "outputs"), "needs at least one output");

  doc.erase("outputs");
  EXPECT_PROBLEM(Validate(Kind::kPublicService, doc), "outputs", "required");

  doc["outputs"] = json::parse(R"([
    {"id": "vedtak", "title": {"nb": "Vedtak"}},
    {"title": {"en": "Decision"}, "kind": "x"},
    {"id": "vedtak", "title": {"nb": "Vedtak igjen"}},
    "vedtak"
  ])");
  v = Validate(Kind::kPublicService, doc);
  EXPECT_PROBLEM(v, "outputs[1].id", "required");
  EXPECT_PROBLEM(v, "outputs[1].title.nb", "required");
  EXPECT_PROBLEM(v, "outputs[1].kind", "unknown_field");
  EXPECT_PROBLEM(v, "outputs[2].id", "conflict");
  EXPECT_PROBLEM(v, "outputs[3]", "wrong_type");
  EXPECT_EQ(v.problems.size(), 5u) << testing::Dump(v);
}

TEST(PublicService, EachFieldRule) {
  json doc = PublicService();
  doc.erase("competent_authority");
  doc.erase("description");
  doc["contact_point"] = json::object();
  doc["related_datasets"] = "barnehageopptak-soknader";
  doc["homepage"] = "oslo.kommune.no/barnehage";
  doc["legal_basis"] = {{{"label", {{"nb", "Barnehageloven"}}}}};
  doc["cost"] = 0;
  Validation v = Validate(Kind::kPublicService, doc);
  EXPECT_PROBLEM(v, "competent_authority", "required");
  EXPECT_PROBLEM(v, "description", "required");
  EXPECT_PROBLEM(v, "contact_point", "required");
  EXPECT_PROBLEM(v, "related_datasets", "wrong_type");
  EXPECT_PROBLEM(v, "homepage", "invalid_format");
  EXPECT_PROBLEM(v, "legal_basis[0].url", "required");
  EXPECT_PROBLEM(v, "cost", "unknown_field");
  EXPECT_EQ(v.problems.size(), 7u) << testing::Dump(v);
}

TEST(Concept, ValidPasses) {
  Validation v = Validate(Kind::kConcept, Concept());
  EXPECT_VALID(v);
  EXPECT_TRUE(HasRef(v, Kind::kOrganization, "oslo-kommune", "publisher"));
  EXPECT_EQ(v.references.size(), 1u);
}

TEST(Concept, PrefLabelNeedsNbAndNn) {
  json doc = Concept();
  doc["pref_label"] = {{"en", "decision"}};
  Validation v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "pref_label.nb", "required");
  EXPECT_PROBLEM(v, "pref_label.nn", "required");
  EXPECT_EQ(MessageOf(v, "pref_label.nn"), "needs a text in Norwegian nynorsk (nn)");
  EXPECT_EQ(v.problems.size(), 2u) << testing::Dump(v);
}

TEST(Concept, SourceRequiredUnlessOwn) {
  json doc = Concept();
  doc["definition"].erase("source");
  Validation v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "definition.source", "required");
  EXPECT_EQ(v.problems.size(), 1u);

  doc["definition"].erase("source_relation");  // absent relation still needs a source
  EXPECT_PROBLEM(Validate(Kind::kConcept, doc), "definition.source", "required");

  doc["definition"]["source_relation"] = "own";
  EXPECT_VALID(Validate(Kind::kConcept, doc));

  doc["definition"]["source_relation"] = "borrowed";  // only the bad value is reported
  v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "definition.source_relation", "invalid_value");
  EXPECT_EQ(v.problems.size(), 1u) << testing::Dump(v);
}

TEST(Concept, DefinitionShape) {
  json doc = Concept();
  doc["definition"] = json::parse(R"({
    "text": {"nn": "Berre nynorsk"}, "source": {}, "audience": "everyone", "note": "x"
  })");
  Validation v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "definition.text.nb", "required");
  EXPECT_PROBLEM(v, "definition.source", "required");
  EXPECT_EQ(MessageOf(v, "definition.source"), "needs a label or a url");
  EXPECT_PROBLEM(v, "definition.audience", "invalid_value");
  EXPECT_PROBLEM(v, "definition.note", "unknown_field");
  EXPECT_EQ(v.problems.size(), 4u) << testing::Dump(v);

  doc["definition"] = "En avgjørelse";
  EXPECT_PROBLEM(Validate(Kind::kConcept, doc), "definition", "wrong_type");
  doc.erase("definition");
  EXPECT_PROBLEM(Validate(Kind::kConcept, doc), "definition", "required");
}

TEST(Concept, ValidityPeriod) {
  json doc = Concept();
  doc["valid_from"] = "2027-01-01";
  Validation v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "valid_to", "invalid_value");
  EXPECT_EQ(MessageOf(v, "valid_to"), "must not be before valid_from");
  doc["valid_from"] = "2027-13-01";
  v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "valid_from", "invalid_format");
  EXPECT_EQ(v.problems.size(), 1u) << testing::Dump(v);
}

TEST(Concept, OtherFields) {
  json doc = Concept();
  doc.erase("publisher");
  doc["contact_point"] = {{"email", "begrep"}};
  doc["alt_labels"] = {{"nb", "enkeltvedtak"}};
  doc["scope_note"] = {{"nb", ""}};
  doc["broader"] = "forvaltning";
  Validation v = Validate(Kind::kConcept, doc);
  EXPECT_PROBLEM(v, "publisher", "required");
  EXPECT_PROBLEM(v, "contact_point.email", "invalid_format");
  EXPECT_PROBLEM(v, "alt_labels.nb", "wrong_type");
  EXPECT_PROBLEM(v, "scope_note.nb", "required");
  EXPECT_PROBLEM(v, "broader", "unknown_field");
  EXPECT_EQ(v.problems.size(), 5u) << testing::Dump(v);
}

}  // namespace
}  // namespace kilde::catalog
