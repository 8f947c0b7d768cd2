#include "rdf/writers.h"

#include <cctype>
#include <string>

namespace kilde::rdf {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> Serialize(const Graph& graph, Format format) {
  switch (format) {
    case Format::kTurtle:
      return ToTurtle(graph);
    case Format::kNTriples:
      return ToNTriples(graph);
    case Format::kJsonLd:
      return ToJsonLd(graph);
    case Format::kRdfXml:
      return ToRdfXml(graph);
  }
  return Status::Internal("unknown RDF format");
}

std::optional<Format> FormatFromName(std::string_view name) {
  const std::string n = Lower(name);
  if (n == "turtle" || n == "ttl") return Format::kTurtle;
  if (n == "ntriples" || n == "n-triples" || n == "nt") return Format::kNTriples;
  if (n == "jsonld" || n == "json-ld") return Format::kJsonLd;
  if (n == "rdfxml" || n == "rdf/xml" || n == "rdf-xml" || n == "xml" || n == "rdf") return Format::kRdfXml;
  return std::nullopt;
}

std::optional<Format> FormatFromMediaType(std::string_view media_type) {
  std::string_view mt = media_type.substr(0, media_type.find(';'));
  const std::string m = Lower(Trim(mt));
  if (m == "text/turtle" || m == "application/x-turtle") return Format::kTurtle;
  if (m == "application/n-triples") return Format::kNTriples;
  if (m == "application/ld+json") return Format::kJsonLd;
  if (m == "application/rdf+xml") return Format::kRdfXml;
  return std::nullopt;
}

std::string_view MediaType(Format format) {
  switch (format) {
    case Format::kTurtle:
      return "text/turtle";
    case Format::kNTriples:
      return "application/n-triples";
    case Format::kJsonLd:
      return "application/ld+json";
    case Format::kRdfXml:
      return "application/rdf+xml";
  }
  return "application/octet-stream";
}

std::string_view FileExtension(Format format) {
  switch (format) {
    case Format::kTurtle:
      return "ttl";
    case Format::kNTriples:
      return "nt";
    case Format::kJsonLd:
      return "jsonld";
    case Format::kRdfXml:
      return "rdf";
  }
  return "";
}

}  // namespace kilde::rdf
