#include "rdf/graph.h"

#include <gtest/gtest.h>

#include "rdf/vocab.h"

namespace kilde::rdf {
namespace {

TEST(RdfTermTest, IriPercentEncodesCharactersIrisCannotHold) {
  EXPECT_EQ(Iri("http://x.test/a b").value, "http://x.test/a%20b");
  EXPECT_EQ(Iri("http://x.test/<\"{}|\\^`>").value, "http://x.test/%3C%22%7B%7D%7C%5C%5E%60%3E");
  EXPECT_EQ(Iri("http://x.test/\n\t").value, "http://x.test/%0A%09");
  // Non-ASCII characters are legal in IRIs and kept as UTF-8.
  EXPECT_EQ(Iri("https://lovdata.no/lov/1967-02-10/§18").value, "https://lovdata.no/lov/1967-02-10/§18");
  EXPECT_EQ(Iri("http://x.test/a?b=c#d").value, "http://x.test/a?b=c#d");
}

TEST(RdfTermTest, LanguageTagsAreLowerCasedAndChecked) {
  EXPECT_EQ(LangLiteral("hei", "NB").language, "nb");
  EXPECT_EQ(LangLiteral("hi", "en-GB").language, "en-gb");
  EXPECT_TRUE(IsValidLanguageTag("nb"));
  EXPECT_TRUE(IsValidLanguageTag("en-gb"));
  EXPECT_TRUE(IsValidLanguageTag("zh-Hant-TW"));
  EXPECT_FALSE(IsValidLanguageTag(""));
  EXPECT_FALSE(IsValidLanguageTag("nb_NO"));
  EXPECT_FALSE(IsValidLanguageTag("nb-"));
  EXPECT_FALSE(IsValidLanguageTag("toolonglanguage"));
  EXPECT_FALSE(IsValidLanguageTag("n b"));
}

TEST(RdfTermTest, XsdStringIsAPlainLiteral) {
  EXPECT_EQ(TypedLiteral("x", std::string(kXsd) + "string"), Literal("x"));
  EXPECT_NE(TypedLiteral("1", std::string(kXsd) + "integer"), Literal("1"));
}

TEST(RdfGraphTest, IsASetInDeterministicOrder) {
  Graph a;
  AddStandardPrefixes(a);
  a.Add(Iri("http://x.test/b"), "dct:title", Literal("B"));
  a.Add(Iri("http://x.test/a"), "dct:title", Literal("A"));
  a.Add(Iri("http://x.test/a"), "dct:title", Literal("A"));  // duplicate
  Graph b;
  AddStandardPrefixes(b);
  b.Add(Iri("http://x.test/a"), "dct:title", Literal("A"));
  b.Add(Iri("http://x.test/b"), "dct:title", Literal("B"));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.triples(), b.triples());
  EXPECT_EQ(a.triples().begin()->subject.value, "http://x.test/a");
}

TEST(RdfGraphTest, ExpandsCuriesAndLeavesIrisAlone) {
  Graph g;
  AddStandardPrefixes(g);
  EXPECT_EQ(g.Expand("dct:title"), "http://purl.org/dc/terms/title");
  EXPECT_EQ(g.Expand("skos:prefLabel"), "http://www.w3.org/2004/02/skos/core#prefLabel");
  EXPECT_EQ(g.Expand("http://example.org/p"), "http://example.org/p");
  EXPECT_EQ(g.Expand("mailto:a@b.test"), "mailto:a@b.test");
}

TEST(RdfGraphTest, BlankNodesAreNumberedInCreationOrder) {
  Graph g;
  EXPECT_EQ(g.NewBlank(), Blank("b0"));
  EXPECT_EQ(g.NewBlank(), Blank("b1"));
}

TEST(RdfGraphTest, QueriesObjectsAndTypedSubjects) {
  Graph g;
  AddStandardPrefixes(g);
  Term s = Iri("http://x.test/ds");
  g.AddType(s, "dcat:Dataset");
  g.Add(s, "dct:title", LangLiteral("Tittel", "nb"));
  g.Add(s, "dct:title", LangLiteral("Title", "en"));
  EXPECT_EQ(g.Objects(s, "dct:title").size(), 2u);
  EXPECT_TRUE(g.Objects(s, "dct:description").empty());
  ASSERT_EQ(g.SubjectsOfType("dcat:Dataset").size(), 1u);
  EXPECT_EQ(g.SubjectsOfType("dcat:Dataset")[0], s);
  EXPECT_TRUE(g.Contains(s, g.Named("dct:title"), LangLiteral("Title", "en")));
}

TEST(RdfGraphTest, CompactsOnlyWithSafeLocalNames) {
  std::map<std::string, std::string> p = {{"dct", std::string(kDct)}, {"ex", "http://example.org/"}};
  EXPECT_EQ(CompactIri(p, "http://purl.org/dc/terms/title"), "dct:title");
  EXPECT_EQ(CompactIri(p, "http://example.org/a/b"), "http://example.org/a/b");
  EXPECT_EQ(CompactIri(p, "http://example.org/a."), "http://example.org/a.");
  EXPECT_EQ(CompactIri(p, "http://example.org/"), "http://example.org/");
  EXPECT_EQ(CompactIri(p, "http://other.test/x"), "http://other.test/x");
}

TEST(RdfGraphTest, UsedPrefixesIncludeDatatypesButNotUnusedBindings) {
  Graph g;
  AddStandardPrefixes(g);
  g.Add(Iri("http://x.test/a"), "dcat:startDate", TypedLiteral("2020-01-01", std::string(kXsd) + "date"));
  auto used = g.UsedPrefixes();
  EXPECT_EQ(used.size(), 2u);
  EXPECT_TRUE(used.count("dcat"));
  EXPECT_TRUE(used.count("xsd"));
}

}  // namespace
}  // namespace kilde::rdf
