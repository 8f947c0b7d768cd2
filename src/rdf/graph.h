// A small in-memory RDF graph: terms, triples and a prefix map.
//
// The graph is a set (adding a triple twice keeps one) and iterates in a total,
// deterministic order, so every writer built on it produces byte-identical output
// for the same content. No I/O and no exceptions here; the writers (writers.h)
// turn a Graph into Turtle, N-Triples, JSON-LD or RDF/XML.
#pragma once

#include <compare>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kilde::rdf {

// Order matters: it is the sort order of subjects (IRIs first, then blank nodes).
enum class TermKind { kIri = 0, kBlank = 1, kLiteral = 2 };

// One RDF term. Build terms with the factory functions below, not by hand.
struct Term {
  TermKind kind = TermKind::kIri;
  std::string value;     // IRI, blank-node label (without "_:"), or literal lexical form
  std::string language;  // literal only: lower-case language tag, e.g. "nb"; empty if none
  std::string datatype;  // literal only: datatype IRI; empty for a plain (xsd:string) literal

  bool is_iri() const { return kind == TermKind::kIri; }
  bool is_blank() const { return kind == TermKind::kBlank; }
  bool is_literal() const { return kind == TermKind::kLiteral; }
  auto operator<=>(const Term&) const = default;
};

// An IRI. Characters that may not appear in an IRI (space, controls, <>"{}|\^`) are
// percent-encoded, so writers never have to emit a broken IRIREF. The IRI is not
// otherwise checked or normalised; callers pass absolute IRIs.
Term Iri(std::string_view iri);
// A blank node with the given label (letters, digits, '_', '-'; no "_:").
Term Blank(std::string_view label);
// A plain literal (datatype xsd:string).
Term Literal(std::string_view lexical);
// A language-tagged literal; the tag is lower-cased ("NB" -> "nb"). Writers reject
// tags that are not BCP 47-shaped (see IsValidLanguageTag).
Term LangLiteral(std::string_view lexical, std::string_view language);
// A typed literal; `datatype` is a full IRI (see vocab.h, e.g. kXsd + "date").
Term TypedLiteral(std::string_view lexical, std::string_view datatype);

// True for tags of the form [a-z]{1,8}(-[a-z0-9]{1,8})* (case-insensitive).
bool IsValidLanguageTag(std::string_view tag);

// Percent-encodes the characters that may not appear in an IRI (see Iri()).
std::string EscapeIri(std::string_view iri);

// "dct:title" for <http://purl.org/dc/terms/title> when `prefixes` binds the namespace
// and the rest is a simple local name ([A-Za-z0-9_.-], not starting with '.' or '-',
// not ending with '.'); otherwise the IRI unchanged. The longest namespace wins.
std::string CompactIri(const std::map<std::string, std::string>& prefixes, std::string_view iri);

struct Triple {
  Term subject;
  Term predicate;
  Term object;
  auto operator<=>(const Triple&) const = default;
};

class Graph {
 public:
  // Starts with no prefixes; see vocab.h AddStandardPrefixes().
  Graph() = default;

  // Declares `prefix:` for `iri` (replacing an earlier binding of the same prefix).
  void SetPrefix(std::string prefix, std::string iri);
  const std::map<std::string, std::string>& prefixes() const { return prefixes_; }

  // Expands "dct:title" with the prefix map; a string containing "://" or starting
  // with "mailto:"/"tel:"/"urn:" is taken as a full IRI. An unknown prefix is a
  // programmer error (assert) and yields the input unchanged.
  std::string Expand(std::string_view curie_or_iri) const;
  // Iri(Expand(curie_or_iri)).
  Term Named(std::string_view curie_or_iri) const { return Iri(Expand(curie_or_iri)); }

  // Adds a triple. Subjects must be IRIs or blank nodes, predicates IRIs (asserted).
  void Add(Term subject, Term predicate, Term object);
  // Same, with the predicate given as a CURIE or IRI ("dct:title").
  void Add(const Term& subject, std::string_view predicate, Term object);
  // rdf:type shorthand: Add(subject, rdf:type, Named(class_curie)).
  void AddType(const Term& subject, std::string_view class_curie);

  // A fresh blank node, labelled b0, b1, ... in creation order (deterministic).
  Term NewBlank();

  bool Contains(const Term& s, const Term& p, const Term& o) const;
  // Objects of (subject, predicate, *), in order.
  std::vector<Term> Objects(const Term& subject, std::string_view predicate) const;
  // Subjects that have rdf:type `class_curie`, in order.
  std::vector<Term> SubjectsOfType(std::string_view class_curie) const;

  // All triples, ordered by subject, predicate, object (Term order).
  const std::set<Triple>& triples() const { return triples_; }
  std::size_t size() const { return triples_.size(); }
  bool empty() const { return triples_.empty(); }

  // The prefixes (name -> IRI) that abbreviate at least one IRI used in the graph,
  // including datatype IRIs. Writers declare only these.
  std::map<std::string, std::string> UsedPrefixes() const;

 private:
  std::set<Triple> triples_;
  std::map<std::string, std::string> prefixes_;
  int next_blank_ = 0;
};

}  // namespace kilde::rdf
