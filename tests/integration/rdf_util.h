// Parsing RDF responses (Turtle, N-Triples) with serd, to check that exports are
// well-formed and contain (or lack) particular triples.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kilde::it {

inline constexpr char kRdfType[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
inline constexpr char kDcat[] = "http://www.w3.org/ns/dcat#";
inline constexpr char kDct[] = "http://purl.org/dc/terms/";
inline constexpr char kSkos[] = "http://www.w3.org/2004/02/skos/core#";
inline constexpr char kCpsv[] = "http://purl.org/vocab/cpsv#";

// One statement. IRIs are absolute (prefixed names expanded), blank nodes
// "_:label", literals their lexical form.
struct Triple {
  std::string s, p, o;
};

// Parses `text` as Turtle (or N-Triples). nullopt and *error on a syntax error.
std::optional<std::vector<Triple>> ParseRdf(const std::string& text, bool ntriples, std::string* error);

bool HasTriple(const std::vector<Triple>& g, const std::string& s, const std::string& p,
               const std::string& o);
// Every subject (and object) that appears in `g`.
std::set<std::string> Nodes(const std::vector<Triple>& g);
// Subjects with rdf:type `type`.
std::set<std::string> OfType(const std::vector<Triple>& g, const std::string& type);

}  // namespace kilde::it
