// SKOS-AP-NO-Begrep v2 export: concepts and the collection that holds them.
//
// Not exported: definition.source_relation (skosno:relationshipWithSource) and
// definition.audience (dct:audience). The v2 shapes require their values to be
// instances of skos:Concept, and at the same time apply the full Begrep shape
// (prefLabel nb+nn, definition, publisher, contact point, ...) to every skos:Concept
// in the data, which the code-list concepts of data.norge.no cannot satisfy: either
// way the export would fail validation. Both properties are optional in the profile.
#include <string>

#include "rdf/catalog_export.h"
#include "rdf/export_util.h"
#include "rdf/vocab.h"

namespace kilde::rdf {
namespace {

using namespace internal;  // NOLINT: the helpers are this file's vocabulary

Term XsdDate(const std::string& date) { return TypedLiteral(date, std::string(kXsd) + "date"); }

// One euvoc:XlNote per language of the definition text (rdf:value is 1..1 per note),
// each with the definition's source (dct:source: the URL and/or the label texts).
void AddDefinition(Graph& g, const Term& concept_iri, const json& definition) {
  const json* text = GetObject(definition, "text");
  if (text == nullptr) return;
  const json* source = GetObject(definition, "source");
  for (const auto& [lang, value] : text->items()) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty() || !IsValidLanguageTag(lang))
      continue;
    Term note = g.NewBlank();
    g.AddType(note, "euvoc:XlNote");
    g.Add(note, "rdf:value", LangLiteral(value.get<std::string>(), lang));
    if (source != nullptr) {
      if (const std::string* url = GetString(*source, "url")) g.Add(note, "dct:source", Iri(*url));
      AddLangText(g, note, "dct:source", GetObject(*source, "label"));
    }
    g.Add(concept_iri, "euvoc:xlDefinition", note);
  }
}

void AddConcept(Graph& g, const Context& ctx, const std::string& id, const json& doc) {
  Term c = ctx.ConceptIri(id);
  g.AddType(c, "skos:Concept");
  g.Add(c, "dct:identifier", AnyUri(c.value));
  AddLangText(g, c, "skos:prefLabel", GetObject(doc, "pref_label"));
  AddLangList(g, c, "skos:altLabel", GetObject(doc, "alt_labels"));
  if (const json* definition = GetObject(doc, "definition")) AddDefinition(g, c, *definition);
  AddLangText(g, c, "skos:scopeNote", GetObject(doc, "scope_note"));
  AddLangText(g, c, "dct:subject", GetObject(doc, "subject_area"));
  if (auto from = GetDate(doc, "valid_from")) g.Add(c, "euvoc:startDate", XsdDate(*from));
  if (auto to = GetDate(doc, "valid_to")) g.Add(c, "euvoc:endDate", XsdDate(*to));
  // SKOS-AP-NO wants xsd:date here; the API's timestamps are cut to their date.
  if (auto created = GetTimestamp(doc, "created")) g.Add(c, "dct:created", XsdDate(created->substr(0, 10)));
  if (auto modified = GetTimestamp(doc, "modified"))
    g.Add(c, "dct:modified", XsdDate(modified->substr(0, 10)));
  if (const std::string* publisher = GetString(doc, "publisher")) {
    if (auto org = AddOrganization(g, ctx, *publisher, Profile::kSkos)) g.Add(c, "dct:publisher", *org);
  }
  if (const json* cp = GetObject(doc, "contact_point"))
    g.Add(c, "dcat:contactPoint", AddVcardContact(g, *cp));
}

}  // namespace

Graph BuildConceptCollection(const ExportInput& input) {
  Context ctx(input);
  Graph g = NewGraph();
  for (const auto& [id, doc] : ctx.concepts) AddConcept(g, ctx, id, *doc);
  if (ctx.concepts.empty()) return g;  // a collection needs at least one skos:member

  Term collection = Iri(ctx.base + "/concepts");
  g.AddType(collection, "skos:Collection");
  g.Add(collection, "dct:identifier", AnyUri(collection.value));
  AddLangText(g, collection, "dct:title", GetObject(input.catalog, "title"));
  AddLangText(g, collection, "dct:description", GetObject(input.catalog, "description"));
  if (const std::string* publisher = GetString(input.catalog, "publisher")) {
    if (auto org = AddOrganization(g, ctx, *publisher, Profile::kSkos))
      g.Add(collection, "dct:publisher", *org);
  }
  g.Add(collection, "dcat:contactPoint", AddVcardContact(g, CatalogContactPoint(ctx)));
  for (const auto& [id, doc] : ctx.concepts) g.Add(collection, "skos:member", ctx.ConceptIri(id));
  return g;
}

}  // namespace kilde::rdf
