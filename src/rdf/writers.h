// Serialisers from rdf::Graph to the RDF syntaxes the national catalogue harvests.
//
// All output is deterministic: the same graph gives byte-identical text (subjects,
// predicates and objects in Graph order, rdf:type first, blank nodes labelled in
// creation order). Only the prefixes actually used are declared. Output is UTF-8.
// Errors (a malformed language tag, a serd failure) come back as a Status, never as
// an exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "rdf/graph.h"

namespace kilde::rdf {

enum class Format { kTurtle, kNTriples, kJsonLd, kRdfXml };

// Turtle via serd, abbreviated and CURIE'd: "@prefix" lines, one block per subject,
// blank nodes used exactly once as an object written inline as [ ... ].
Result<std::string> ToTurtle(const Graph& graph);

// N-Triples via serd, one triple per line in Graph order.
Result<std::string> ToNTriples(const Graph& graph);

// JSON-LD: {"@context": {prefix: namespace, ...}, "@graph": [node, ...]} with one node
// object per subject (sorted by subject). Keys are CURIEs where a prefix applies, else
// full IRIs; rdf:type is "@type" (always an array); IRIs and blank nodes are {"@id": ...} (full IRIs,
// "_:bN"); language-tagged literals {"@value", "@language"}; typed literals
// {"@value", "@type"}; plain literals JSON strings. A property with one value holds it
// directly, with several an array. Pretty-printed with two-space indentation.
Result<std::string> ToJsonLd(const Graph& graph);

// RDF/XML: one flat rdf:Description per subject (rdf:about / rdf:nodeID; rdf:type first), properties as
// child elements with rdf:resource / rdf:nodeID / xml:lang / rdf:datatype. Predicates
// whose IRI cannot be split into namespace + XML name are an error (kInternal).
Result<std::string> ToRdfXml(const Graph& graph);

// Dispatches on `format`.
Result<std::string> Serialize(const Graph& graph, Format format);

// "turtle"/"ttl", "ntriples"/"nt", "jsonld"/"json-ld", "rdfxml"/"xml"/"rdf" (case-insensitive).
std::optional<Format> FormatFromName(std::string_view name);
// A media type: "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"
// (parameters such as ";charset=utf-8" and case are ignored).
std::optional<Format> FormatFromMediaType(std::string_view media_type);
// The canonical media type, e.g. "text/turtle".
std::string_view MediaType(Format format);
// The usual file extension without the dot: "ttl", "nt", "jsonld", "rdf".
std::string_view FileExtension(Format format);

}  // namespace kilde::rdf
