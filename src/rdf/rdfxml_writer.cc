// RDF/XML: flat rdf:Description per subject (see writers.h).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rdf/graph.h"
#include "rdf/vocab.h"
#include "rdf/writers.h"

namespace kilde::rdf {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// Escapes text for an XML attribute value (in_attribute) or element content. Fails on
// characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR).
Result<std::string> XmlEscape(std::string_view s, bool in_attribute) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += in_attribute ? "&quot;" : "\"";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += in_attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += in_attribute ? "&#9;" : "\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          return Status::Invalid("RDF/XML cannot represent control character U+" + std::to_string(int(c)));
        }
        out += c;
    }
  }
  return out;
}

// Splits a predicate IRI into (namespace, local name) with an NCName local part.
std::optional<std::pair<std::string, std::string>> SplitPredicate(const std::string& iri) {
  std::size_t i = iri.size();
  while (i > 0 && IsNameChar(iri[i - 1])) --i;
  while (i < iri.size() && !IsNameStart(iri[i])) ++i;  // local name must start with a letter or '_'
  if (i == 0 || i >= iri.size()) return std::nullopt;
  return std::make_pair(iri.substr(0, i), iri.substr(i));
}

}  // namespace

Result<std::string> ToRdfXml(const Graph& graph) {
  const std::string rdf_ns(kRdf);
  // namespace IRI -> prefix name, starting from the graph's prefixes.
  std::map<std::string, std::string> ns_to_prefix;
  std::set<std::string> taken;
  for (const auto& [name, iri] : graph.prefixes()) {
    if (!ns_to_prefix.count(iri)) ns_to_prefix[iri] = name;
    taken.insert(name);
  }
  std::map<std::string, std::string> declared;  // prefix -> namespace, for the root element
  declared["rdf"] = rdf_ns;
  ns_to_prefix[rdf_ns] = "rdf";
  int generated = 0;

  // Graph order, except that each subject's rdf:type triples come first.
  const std::string rdf_type = rdf_ns + "type";
  std::vector<const Triple*> ordered;
  ordered.reserve(graph.size());
  for (auto it = graph.triples().begin(); it != graph.triples().end();) {
    auto end = it;
    while (end != graph.triples().end() && end->subject == it->subject) ++end;
    for (auto j = it; j != end; ++j) {
      if (j->predicate.value == rdf_type) ordered.push_back(&*j);
    }
    for (auto j = it; j != end; ++j) {
      if (j->predicate.value != rdf_type) ordered.push_back(&*j);
    }
    it = end;
  }

  std::string body;
  const Term* current = nullptr;
  for (const Triple* tp : ordered) {
    const Triple& t = *tp;
    if (current == nullptr || !(*current == t.subject)) {
      if (current != nullptr) body += "  </rdf:Description>\n";
      current = &t.subject;
      if (t.subject.is_blank()) {
        body += "  <rdf:Description rdf:nodeID=\"" + t.subject.value + "\">\n";
      } else {
        KILDE_ASSIGN_OR_RETURN(std::string about, XmlEscape(t.subject.value, true));
        body += "  <rdf:Description rdf:about=\"" + about + "\">\n";
      }
    }
    auto split = SplitPredicate(t.predicate.value);
    if (!split) return Status::Internal("RDF/XML cannot name predicate <" + t.predicate.value + ">");
    auto& [ns, local] = *split;
    auto it = ns_to_prefix.find(ns);
    if (it == ns_to_prefix.end()) {
      std::string name;
      do name = "ns" + std::to_string(generated++);
      while (taken.count(name));
      taken.insert(name);
      it = ns_to_prefix.emplace(ns, name).first;
    }
    declared[it->second] = ns;
    const std::string qname = it->second + ":" + local;

    const Term& o = t.object;
    if (o.is_iri()) {
      KILDE_ASSIGN_OR_RETURN(std::string res, XmlEscape(o.value, true));
      body += "    <" + qname + " rdf:resource=\"" + res + "\"/>\n";
    } else if (o.is_blank()) {
      body += "    <" + qname + " rdf:nodeID=\"" + o.value + "\"/>\n";
    } else {
      std::string attrs;
      if (!o.language.empty()) {
        if (!IsValidLanguageTag(o.language))
          return Status::Invalid("malformed language tag \"" + o.language + "\"");
        attrs = " xml:lang=\"" + o.language + "\"";
      } else if (!o.datatype.empty()) {
        KILDE_ASSIGN_OR_RETURN(std::string dt, XmlEscape(o.datatype, true));
        attrs = " rdf:datatype=\"" + dt + "\"";
      }
      KILDE_ASSIGN_OR_RETURN(std::string text, XmlEscape(o.value, false));
      body += "    <" + qname + attrs + ">" + text + "</" + qname + ">\n";
    }
  }
  if (current != nullptr) body += "  </rdf:Description>\n";

  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF";
  for (const auto& [name, ns] : declared) {
    KILDE_ASSIGN_OR_RETURN(std::string esc, XmlEscape(ns, true));
    out += "\n    xmlns:" + name + "=\"" + esc + "\"";
  }
  out += ">\n" + body + "</rdf:RDF>\n";
  return out;
}

}  // namespace kilde::rdf
