#include "rdf/graph.h"

#include <cassert>
#include <cctype>
#include <utility>

#include "rdf/vocab.h"

namespace kilde::rdf {
namespace {

bool MustPercentEncode(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;
  switch (c) {
    case '<':
    case '>':
    case '"':
    case '{':
    case '}':
    case '|':
    case '\\':
    case '^':
    case '`':
      return true;
    default:
      return false;
  }
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// A conservative local name that is valid in Turtle (PN_LOCAL), RDF/XML element
// names (when it starts with a letter or '_') and JSON-LD compact IRIs.
bool IsSimpleLocalName(std::string_view s) {
  if (s.empty() || s.back() == '.' || s.front() == '.' || s.front() == '-') return false;
  for (char c : s) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string EscapeIri(std::string_view iri) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(iri.size());
  for (char ch : iri) {
    auto c = static_cast<unsigned char>(ch);
    if (MustPercentEncode(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

Term Iri(std::string_view iri) { return Term{TermKind::kIri, EscapeIri(iri), "", ""}; }

Term Blank(std::string_view label) {
  assert(!label.empty());
  return Term{TermKind::kBlank, std::string(label), "", ""};
}

Term Literal(std::string_view lexical) { return Term{TermKind::kLiteral, std::string(lexical), "", ""}; }

Term LangLiteral(std::string_view lexical, std::string_view language) {
  std::string tag(language);
  for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Term{TermKind::kLiteral, std::string(lexical), std::move(tag), ""};
}

Term TypedLiteral(std::string_view lexical, std::string_view datatype) {
  std::string dt(datatype);
  // xsd:string is the default datatype: store it as a plain literal so that
  // "x" and "x"^^xsd:string are the same term.
  if (dt == std::string(kXsd) + "string") dt.clear();
  return Term{TermKind::kLiteral, std::string(lexical), "", EscapeIri(dt)};
}

bool IsValidLanguageTag(std::string_view tag) {
  std::size_t i = 0;
  std::size_t n = 0;
  while (i < tag.size() && IsAsciiAlpha(tag[i])) ++i, ++n;
  if (n < 1 || n > 8) return false;
  while (i < tag.size()) {
    if (tag[i] != '-') return false;
    ++i;
    n = 0;
    while (i < tag.size() && (IsAsciiAlpha(tag[i]) || IsAsciiDigit(tag[i]))) ++i, ++n;
    if (n < 1 || n > 8) return false;
  }
  return true;
}

void Graph::SetPrefix(std::string prefix, std::string iri) { prefixes_[std::move(prefix)] = std::move(iri); }

std::string Graph::Expand(std::string_view curie_or_iri) const {
  if (curie_or_iri.find("://") != std::string_view::npos || curie_or_iri.starts_with("mailto:") ||
      curie_or_iri.starts_with("tel:") || curie_or_iri.starts_with("urn:")) {
    return std::string(curie_or_iri);
  }
  auto colon = curie_or_iri.find(':');
  if (colon != std::string_view::npos) {
    auto it = prefixes_.find(std::string(curie_or_iri.substr(0, colon)));
    if (it != prefixes_.end()) return it->second + std::string(curie_or_iri.substr(colon + 1));
  }
  assert(false && "Graph::Expand: unknown prefix");
  return std::string(curie_or_iri);
}

void Graph::Add(Term subject, Term predicate, Term object) {
  assert(!subject.is_literal() && "literal subject");
  assert(predicate.is_iri() && "predicate must be an IRI");
  triples_.insert(Triple{std::move(subject), std::move(predicate), std::move(object)});
}

void Graph::Add(const Term& subject, std::string_view predicate, Term object) {
  Add(subject, Named(predicate), std::move(object));
}

void Graph::AddType(const Term& subject, std::string_view class_curie) {
  Add(subject, Iri(std::string(kRdf) + "type"), Named(class_curie));
}

Term Graph::NewBlank() { return Blank("b" + std::to_string(next_blank_++)); }

bool Graph::Contains(const Term& s, const Term& p, const Term& o) const {
  return triples_.count(Triple{s, p, o}) > 0;
}

std::vector<Term> Graph::Objects(const Term& subject, std::string_view predicate) const {
  Term p = Named(predicate);
  std::vector<Term> out;
  for (auto it = triples_.lower_bound(Triple{subject, p, Term{TermKind::kIri, "", "", ""}});
       it != triples_.end() && it->subject == subject && it->predicate == p; ++it) {
    out.push_back(it->object);
  }
  return out;
}

std::vector<Term> Graph::SubjectsOfType(std::string_view class_curie) const {
  Term type = Iri(std::string(kRdf) + "type");
  Term cls = Named(class_curie);
  std::vector<Term> out;
  for (const Triple& t : triples_) {
    if (t.predicate == type && t.object == cls) out.push_back(t.subject);
  }
  return out;
}

std::string CompactIri(const std::map<std::string, std::string>& prefixes, std::string_view iri) {
  const std::string* best_name = nullptr;
  std::size_t best_len = 0;
  for (const auto& [name, ns] : prefixes) {
    if (ns.size() > best_len && iri.size() > ns.size() && iri.starts_with(ns) &&
        IsSimpleLocalName(iri.substr(ns.size()))) {
      best_name = &name;
      best_len = ns.size();
    }
  }
  if (best_name == nullptr) return std::string(iri);
  return *best_name + ":" + std::string(iri.substr(best_len));
}

std::map<std::string, std::string> Graph::UsedPrefixes() const {
  std::map<std::string, std::string> used;
  auto note = [&](std::string_view iri) {
    std::string c = CompactIri(prefixes_, iri);
    if (c == iri) return;
    std::string name = c.substr(0, c.find(':'));
    used[name] = prefixes_.at(name);
  };
  for (const Triple& t : triples_) {
    for (const Term* term : {&t.subject, &t.predicate, &t.object}) {
      if (term->is_iri()) note(term->value);
      if (term->is_literal() && !term->datatype.empty()) note(term->datatype);
    }
  }
  return used;
}

}  // namespace kilde::rdf
