#include "rdf/vocab.h"

#include <string>

#include "rdf/graph.h"

namespace kilde::rdf {

void AddStandardPrefixes(Graph& graph) {
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"rdf", kRdf},       {"rdfs", kRdfs},           {"xsd", kXsd},       {"dcat", kDcat}, {"dct", kDct},
      {"foaf", kFoaf},     {"vcard", kVcard},         {"skos", kSkos},     {"org", kOrg},   {"euvoc", kEuvoc},
      {"skosno", kSkosno}, {"cpsv", kCpsv},           {"cpsvno", kCpsvno}, {"cv", kCv},     {"eli", kEli},
      {"dcatno", kDcatno}, {"dcatnoold", kDcatnoOld},
  };
  for (const auto& [name, iri] : kPrefixes) graph.SetPrefix(std::string(name), std::string(iri));
}

}  // namespace kilde::rdf
