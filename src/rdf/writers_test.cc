#include "rdf/writers.h"

#include <gtest/gtest.h>
#include <serd/serd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "rdf/vocab.h"

namespace kilde::rdf {
namespace {

// Parses Turtle / N-Triples back with serd's reader. Blank nodes get serd's labels,
// so triples are compared with blank-node labels replaced by "_".
struct Parsed {
  SerdEnv* env = serd_env_new(nullptr);
  std::multiset<Triple> triples;
  ~Parsed() { serd_env_free(env); }
};

Term FromSerd(SerdEnv* env, const SerdNode* n, const SerdNode* datatype = nullptr,
              const SerdNode* lang = nullptr) {
  auto str = [](const SerdNode* x) { return std::string(reinterpret_cast<const char*>(x->buf), x->n_bytes); };
  auto expand = [&](const SerdNode* x) {
    if (x->type != SERD_CURIE) return str(x);
    SerdNode full = serd_env_expand_node(env, x);
    std::string s = str(&full);
    serd_node_free(&full);
    return s;
  };
  switch (n->type) {
    case SERD_BLANK:
      return Blank("_");
    case SERD_LITERAL:
      if (lang != nullptr && lang->buf != nullptr) return LangLiteral(str(n), str(lang));
      if (datatype != nullptr && datatype->buf != nullptr) return TypedLiteral(str(n), expand(datatype));
      return Literal(str(n));
    default:
      return Iri(expand(n));
  }
}

SerdStatus OnPrefix(void* handle, const SerdNode* name, const SerdNode* uri) {
  return serd_env_set_prefix(static_cast<Parsed*>(handle)->env, name, uri);
}

SerdStatus OnStatement(void* handle, SerdStatementFlags, const SerdNode*, const SerdNode* s,
                       const SerdNode* p, const SerdNode* o, const SerdNode* datatype, const SerdNode* lang) {
  auto* parsed = static_cast<Parsed*>(handle);
  parsed->triples.insert(
      Triple{FromSerd(parsed->env, s), FromSerd(parsed->env, p), FromSerd(parsed->env, o, datatype, lang)});
  return SERD_SUCCESS;
}

std::multiset<Triple> ParseBack(const std::string& text, SerdSyntax syntax) {
  Parsed parsed;
  SerdReader* reader = serd_reader_new(syntax, &parsed, nullptr, nullptr, &OnPrefix, &OnStatement, nullptr);
  SerdStatus st = serd_reader_read_string(reader, reinterpret_cast<const uint8_t*>(text.c_str()));
  serd_reader_free(reader);
  EXPECT_EQ(st, SERD_SUCCESS) << text;
  return parsed.triples;
}

std::multiset<Triple> Anonymised(const Graph& g) {
  std::multiset<Triple> out;
  for (Triple t : g.triples()) {
    if (t.subject.is_blank()) t.subject = Blank("_");
    if (t.object.is_blank()) t.object = Blank("_");
    out.insert(t);
  }
  return out;
}

// A graph with awkward literals, a nested blank node and a typed literal.
Graph Sample(bool reversed = false) {
  Graph g;
  AddStandardPrefixes(g);
  Term ds = Iri("http://127.0.0.1:8080/datasets/a");
  std::vector<std::pair<std::string, Term>> adds = {
      {"dct:title", LangLiteral("Tittel med \"sitat\", \\ og\nny linje", "nb")},
      {"dct:title", LangLiteral("Title <b> & 'x'", "en")},
      {"dct:identifier", Literal("http://127.0.0.1:8080/datasets/a")},
      {"dcat:keyword", LangLiteral("ærlig øl på å", "nn")},
  };
  if (reversed) std::reverse(adds.begin(), adds.end());
  g.AddType(ds, "dcat:Dataset");
  for (auto& [p, o] : adds) g.Add(ds, p, o);
  Term period = g.NewBlank();
  g.AddType(period, "dct:PeriodOfTime");
  g.Add(period, "dcat:startDate", TypedLiteral("2020-01-01", std::string(kXsd) + "date"));
  g.Add(ds, "dct:temporal", period);
  g.Add(ds, "dct:spatial", Iri("https://data.geonorge.no/administrativeEnheter/kommune/id/173018"));
  return g;
}

TEST(TurtleTest, RoundTripsThroughSerdIncludingEscapes) {
  Graph g = Sample();
  auto ttl = ToTurtle(g);
  ASSERT_TRUE(ttl.ok()) << ttl.status().message();
  EXPECT_EQ(ParseBack(*ttl, SERD_TURTLE), Anonymised(g));
  EXPECT_NE(ttl->find("@prefix dct: <http://purl.org/dc/terms/> ."), std::string::npos);
  EXPECT_EQ(ttl->find("@prefix cpsv:"), std::string::npos) << "unused prefixes are not declared";
  EXPECT_NE(ttl->find("a dcat:Dataset"), std::string::npos);
  EXPECT_NE(ttl->find("dct:temporal ["), std::string::npos) << "single-use blank node written inline";
  EXPECT_NE(ttl->find("\"ærlig øl på å\"@nn"), std::string::npos) << "UTF-8 kept, not \\u-escaped";
}

TEST(TurtleTest, SharedBlankNodesAreNotInlined) {
  Graph g;
  AddStandardPrefixes(g);
  Term b = g.NewBlank();
  g.Add(Iri("http://x.test/a"), "dct:relation", b);
  g.Add(Iri("http://x.test/c"), "dct:relation", b);
  g.Add(b, "dct:title", Literal("shared"));
  auto ttl = ToTurtle(g);
  ASSERT_TRUE(ttl.ok());
  EXPECT_NE(ttl->find("_:b0"), std::string::npos);
  EXPECT_EQ(ParseBack(*ttl, SERD_TURTLE).size(), 3u);
}

TEST(TurtleTest, EscapedIriStaysParseable) {
  Graph g;
  AddStandardPrefixes(g);
  g.Add(Iri("http://x.test/a b>c"), "dct:title", Literal("x"));
  auto ttl = ToTurtle(g);
  ASSERT_TRUE(ttl.ok());
  EXPECT_NE(ttl->find("<http://x.test/a%20b%3Ec>"), std::string::npos);
  EXPECT_EQ(ParseBack(*ttl, SERD_TURTLE), Anonymised(g));
}

TEST(NTriplesTest, OneTriplePerLineAndRoundTrips) {
  Graph g = Sample();
  auto nt = ToNTriples(g);
  ASSERT_TRUE(nt.ok());
  EXPECT_EQ(static_cast<std::size_t>(std::count(nt->begin(), nt->end(), '\n')), g.size());
  EXPECT_NE(nt->find("<http://127.0.0.1:8080/datasets/a> <http://purl.org/dc/terms/title> "
                     "\"Tittel med \\\"sitat\\\", \\\\ og\\nny linje\"@nb .\n"),
            std::string::npos)
      << *nt;
  EXPECT_NE(nt->find("_:b0 <http://www.w3.org/ns/dcat#startDate> "
                     "\"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> .\n"),
            std::string::npos);
  EXPECT_EQ(ParseBack(*nt, SERD_NTRIPLES), Anonymised(g));
}

TEST(JsonLdTest, HasContextAndOneNodePerSubject) {
  auto out = ToJsonLd(Sample());
  ASSERT_TRUE(out.ok());
  auto doc = nlohmann::json::parse(*out);
  EXPECT_EQ(doc["@context"]["dct"], "http://purl.org/dc/terms/");
  EXPECT_EQ(doc["@context"]["xsd"], "http://www.w3.org/2001/XMLSchema#");
  ASSERT_EQ(doc["@graph"].size(), 2u);
  const auto& ds = doc["@graph"][0];
  EXPECT_EQ(ds["@id"], "http://127.0.0.1:8080/datasets/a");
  EXPECT_EQ(ds["@type"], nlohmann::json::array({"dcat:Dataset"}));
  EXPECT_EQ(ds["dct:identifier"], "http://127.0.0.1:8080/datasets/a");
  ASSERT_TRUE(ds["dct:title"].is_array());
  EXPECT_EQ(ds["dct:title"].size(), 2u);
  EXPECT_EQ(ds["dcat:keyword"], (nlohmann::json{{"@value", "ærlig øl på å"}, {"@language", "nn"}}));
  EXPECT_EQ(ds["dct:spatial"],
            (nlohmann::json{{"@id", "https://data.geonorge.no/administrativeEnheter/kommune/id/173018"}}));
  EXPECT_EQ(ds["dct:temporal"], (nlohmann::json{{"@id", "_:b0"}}));
  const auto& period = doc["@graph"][1];
  EXPECT_EQ(period["@id"], "_:b0");
  EXPECT_EQ(period["dcat:startDate"], (nlohmann::json{{"@value", "2020-01-01"}, {"@type", "xsd:date"}}));
}

TEST(RdfXmlTest, FlatDescriptionsWithEscapedText) {
  auto out = ToRdfXml(Sample());
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u);
  EXPECT_NE(out->find("<rdf:Description rdf:about=\"http://127.0.0.1:8080/datasets/a\">"), std::string::npos);
  EXPECT_NE(out->find("<rdf:type rdf:resource=\"http://www.w3.org/ns/dcat#Dataset\"/>"), std::string::npos);
  EXPECT_NE(out->find("<dct:title xml:lang=\"en\">Title &lt;b&gt; &amp; 'x'</dct:title>"), std::string::npos);
  EXPECT_NE(out->find("<dct:temporal rdf:nodeID=\"b0\"/>"), std::string::npos);
  EXPECT_NE(out->find("rdf:datatype=\"http://www.w3.org/2001/XMLSchema#date\">2020-01-01<"),
            std::string::npos);
  EXPECT_NE(out->find("xmlns:dct=\"http://purl.org/dc/terms/\""), std::string::npos);
}

TEST(RdfXmlTest, RejectsControlCharacters) {
  Graph g;
  AddStandardPrefixes(g);
  g.Add(Iri("http://x.test/a"), "dct:title", Literal(std::string("bell\x07", 5)));
  EXPECT_FALSE(ToRdfXml(g).ok());
}

TEST(WritersTest, OutputIsDeterministicWhateverTheInsertionOrder) {
  for (Format f : {Format::kTurtle, Format::kNTriples, Format::kJsonLd, Format::kRdfXml}) {
    auto a = Serialize(Sample(false), f);
    auto b = Serialize(Sample(true), f);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << MediaType(f);
  }
}

TEST(WritersTest, MalformedLanguageTagIsAnError) {
  Graph g;
  AddStandardPrefixes(g);
  g.Add(Iri("http://x.test/a"), "dct:title", LangLiteral("x", "nb_NO"));
  for (Format f : {Format::kTurtle, Format::kNTriples, Format::kJsonLd, Format::kRdfXml}) {
    auto r = Serialize(g, f);
    EXPECT_FALSE(r.ok()) << MediaType(f);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
}

TEST(WritersTest, EmptyGraphSerialises) {
  Graph g;
  for (Format f : {Format::kTurtle, Format::kNTriples, Format::kJsonLd, Format::kRdfXml}) {
    EXPECT_TRUE(Serialize(g, f).ok()) << MediaType(f);
  }
  EXPECT_EQ(nlohmann::json::parse(*ToJsonLd(g))["@graph"], nlohmann::json::array());
}

TEST(WritersTest, FormatNamesAndMediaTypes) {
  EXPECT_EQ(FormatFromName("turtle"), Format::kTurtle);
  EXPECT_EQ(FormatFromName("TTL"), Format::kTurtle);
  EXPECT_EQ(FormatFromName("jsonld"), Format::kJsonLd);
  EXPECT_EQ(FormatFromName("json-ld"), Format::kJsonLd);
  EXPECT_EQ(FormatFromName("nt"), Format::kNTriples);
  EXPECT_EQ(FormatFromName("rdfxml"), Format::kRdfXml);
  EXPECT_EQ(FormatFromName("csv"), std::nullopt);
  EXPECT_EQ(FormatFromMediaType("text/turtle; charset=utf-8"), Format::kTurtle);
  EXPECT_EQ(FormatFromMediaType("Application/LD+JSON"), Format::kJsonLd);
  EXPECT_EQ(FormatFromMediaType("text/html"), std::nullopt);
  EXPECT_EQ(MediaType(Format::kNTriples), "application/n-triples");
  EXPECT_EQ(FileExtension(Format::kJsonLd), "jsonld");
}

}  // namespace
}  // namespace kilde::rdf
