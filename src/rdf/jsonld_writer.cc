// JSON-LD (compact-ish, see writers.h) with nlohmann::json.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "rdf/graph.h"
#include "rdf/vocab.h"
#include "rdf/writers.h"

namespace kilde::rdf {
namespace {

using nlohmann::json;

std::string NodeId(const Term& t) { return t.is_blank() ? "_:" + t.value : t.value; }

Result<json> ValueObject(const Term& o, const std::map<std::string, std::string>& prefixes) {
  if (!o.is_literal()) return json{{"@id", NodeId(o)}};
  if (!o.language.empty()) {
    if (!IsValidLanguageTag(o.language))
      return Status::Invalid("malformed language tag \"" + o.language + "\"");
    return json{{"@value", o.value}, {"@language", o.language}};
  }
  if (!o.datatype.empty()) return json{{"@value", o.value}, {"@type", CompactIri(prefixes, o.datatype)}};
  return json(o.value);
}

}  // namespace

Result<std::string> ToJsonLd(const Graph& graph) {
  const std::map<std::string, std::string> prefixes = graph.UsedPrefixes();
  const std::string rdf_type = std::string(kRdf) + "type";

  json context = json::object();
  for (const auto& [name, iri] : prefixes) context[name] = iri;

  json nodes = json::array();
  const Term* current = nullptr;
  json node;
  // Properties of the current node in insertion (= Graph) order; objects of nlohmann
  // are key-sorted anyway, which keeps "@id"/"@type" first.
  std::map<std::string, std::vector<json>> props;
  auto flush = [&]() {
    if (current == nullptr) return;
    for (auto& [key, values] : props) {
      node[key] =
          (values.size() == 1 && key != "@type") ? std::move(values.front()) : json(std::move(values));
    }
    nodes.push_back(std::move(node));
    node = json::object();
    props.clear();
  };
  for (const Triple& t : graph.triples()) {
    if (current == nullptr || !(*current == t.subject)) {
      flush();
      current = &t.subject;
      node = json{{"@id", NodeId(t.subject)}};
    }
    if (t.predicate.value == rdf_type && t.object.is_iri()) {
      props["@type"].push_back(CompactIri(prefixes, t.object.value));
      continue;
    }
    KILDE_ASSIGN_OR_RETURN(json value, ValueObject(t.object, prefixes));
    props[CompactIri(prefixes, t.predicate.value)].push_back(std::move(value));
  }
  flush();

  json doc = json::object();
  doc["@context"] = std::move(context);
  doc["@graph"] = std::move(nodes);
  try {
    return doc.dump(2) + "\n";
  } catch (const json::exception& e) {  // invalid UTF-8 in a string
    return Status::Invalid(std::string("JSON-LD: ") + e.what());
  }
}

}  // namespace kilde::rdf
