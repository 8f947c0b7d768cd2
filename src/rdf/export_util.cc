#include "rdf/export_util.h"

#include <array>
#include <cctype>
#include <utility>

#include "rdf/vocab.h"

namespace kilde::rdf::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Matches `pattern` where 'D' stands for a digit and any other char for itself.
bool MatchesShape(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (pattern[i] == 'D' ? !IsDigit(s[i]) : s[i] != pattern[i]) return false;
  }
  return true;
}

bool IsPublished(const json& doc) {
  const std::string* status = GetString(doc, "status");
  return status != nullptr && *status == "published";
}

void IndexById(const std::vector<json>& docs, bool published_only, std::map<std::string, const json*>& out) {
  for (const json& d : docs) {
    const std::string* id = GetString(d, "id");
    if (id == nullptr || (published_only && !IsPublished(d))) continue;
    out.emplace(*id, &d);
  }
}

}  // namespace

const std::string* GetString(const json& doc, std::string_view key) {
  if (!doc.is_object()) return nullptr;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return nullptr;
  const std::string& s = it->get_ref<const std::string&>();
  return s.empty() ? nullptr : &s;
}

const json* GetObject(const json& doc, std::string_view key) {
  if (!doc.is_object()) return nullptr;
  auto it = doc.find(key);
  return (it != doc.end() && it->is_object()) ? &*it : nullptr;
}

const json* GetArray(const json& doc, std::string_view key) {
  if (!doc.is_object()) return nullptr;
  auto it = doc.find(key);
  return (it != doc.end() && it->is_array()) ? &*it : nullptr;
}

std::vector<std::string> GetStrings(const json& doc, std::string_view key) {
  std::vector<std::string> out;
  if (const json* arr = GetArray(doc, key)) {
    for (const json& v : *arr) {
      if (v.is_string() && !v.get_ref<const std::string&>().empty()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::optional<std::string> GetDate(const json& doc, std::string_view key) {
  const std::string* s = GetString(doc, key);
  if (s == nullptr || !MatchesShape(*s, "DDDD-DD-DD")) return std::nullopt;
  return *s;
}

std::optional<std::string> GetTimestamp(const json& doc, std::string_view key) {
  const std::string* s = GetString(doc, key);
  if (s == nullptr || s->size() < 20 || !MatchesShape(s->substr(0, 19), "DDDD-DD-DDTDD:DD:DD"))
    return std::nullopt;
  std::string_view rest = std::string_view(*s).substr(19);
  if (!rest.empty() && rest.front() == '.') {  // fraction
    rest.remove_prefix(1);
    std::size_t n = 0;
    while (n < rest.size() && IsDigit(rest[n])) ++n;
    if (n == 0) return std::nullopt;
    rest.remove_prefix(n);
  }
  if (rest == "Z" || MatchesShape(rest, "+DD:DD") || MatchesShape(rest, "-DD:DD")) return *s;
  return std::nullopt;
}

Context::Context(const ExportInput& in) : input(in), base(in.base_url) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  IndexById(in.organizations, false, organizations);
  IndexById(in.datasets, true, datasets);
  IndexById(in.data_services, true, data_services);
  IndexById(in.concepts, true, concepts);
  IndexById(in.public_services, true, public_services);
  for (const json& d : in.distributions) {
    const std::string* id = GetString(d, "id");
    const std::string* dataset = GetString(d, "dataset");
    if (id != nullptr && dataset != nullptr) distributions[*dataset].emplace(*id, &d);
  }
}

Term Context::DatasetIri(std::string_view id) const { return Iri(base + "/datasets/" + std::string(id)); }
Term Context::DistributionIri(std::string_view dataset, std::string_view id) const {
  return Iri(base + "/datasets/" + std::string(dataset) + "/distributions/" + std::string(id));
}
Term Context::DataServiceIri(std::string_view id) const {
  return Iri(base + "/data-services/" + std::string(id));
}
Term Context::ConceptIri(std::string_view id) const { return Iri(base + "/concepts/" + std::string(id)); }
Term Context::PublicServiceIri(std::string_view id) const {
  return Iri(base + "/public-services/" + std::string(id));
}

std::optional<Term> Context::OrganizationIri(std::string_view org_id) const {
  auto it = organizations.find(std::string(org_id));
  if (it == organizations.end()) return std::nullopt;
  const std::string* orgnr = GetString(*it->second, "organization_number");
  if (orgnr == nullptr) return std::nullopt;
  return Iri(std::string(kOrganizationCatalog) + *orgnr);
}

Graph NewGraph() {
  Graph g;
  AddStandardPrefixes(g);
  return g;
}

int AddLangText(Graph& g, const Term& s, std::string_view predicate, const json* lang_text) {
  if (lang_text == nullptr || !lang_text->is_object()) return 0;
  int n = 0;
  for (const auto& [lang, text] : lang_text->items()) {
    if (!text.is_string() || text.get_ref<const std::string&>().empty() || !IsValidLanguageTag(lang))
      continue;
    g.Add(s, predicate, LangLiteral(text.get<std::string>(), lang));
    ++n;
  }
  return n;
}

int AddLangList(Graph& g, const Term& s, std::string_view predicate, const json* lang_list) {
  if (lang_list == nullptr || !lang_list->is_object()) return 0;
  int n = 0;
  for (const auto& [lang, words] : lang_list->items()) {
    if (!words.is_array() || !IsValidLanguageTag(lang)) continue;
    for (const json& w : words) {
      if (!w.is_string() || w.get_ref<const std::string&>().empty()) continue;
      g.Add(s, predicate, LangLiteral(w.get<std::string>(), lang));
      ++n;
    }
  }
  return n;
}

Term AnyUri(std::string_view iri) { return TypedLiteral(iri, std::string(kXsd) + "anyURI"); }

namespace {

// "tel:" + the phone number without spaces and punctuation other than '+' and '-'.
std::optional<std::string> TelUri(const std::string& phone) {
  std::string digits;
  for (char c : phone) {
    if (IsDigit(c) || (c == '+' && digits.empty())) digits += c;
  }
  if (digits.empty() || digits == "+") return std::nullopt;
  return "tel:" + digits;
}

}  // namespace

Term AddVcardContact(Graph& g, const json& cp) {
  Term node = g.NewBlank();
  g.AddType(node, "vcard:Organization");
  if (const std::string* name = GetString(cp, "name")) g.Add(node, "vcard:fn", Literal(*name));
  if (const std::string* email = GetString(cp, "email"))
    g.Add(node, "vcard:hasEmail", Iri("mailto:" + *email));
  if (const std::string* phone = GetString(cp, "phone")) {
    if (auto tel = TelUri(*phone)) g.Add(node, "vcard:hasTelephone", Iri(*tel));
  }
  if (const std::string* url = GetString(cp, "url")) g.Add(node, "vcard:hasURL", Iri(*url));
  return node;
}

Term AddCvContact(Graph& g, const json& cp) {
  Term node = g.NewBlank();
  g.AddType(node, "cv:ContactPoint");
  if (const std::string* email = GetString(cp, "email")) g.Add(node, "cv:email", AnyUri("mailto:" + *email));
  if (const std::string* phone = GetString(cp, "phone")) {
    if (auto tel = TelUri(*phone)) g.Add(node, "cv:telephone", Literal(*tel));
  }
  if (const std::string* url = GetString(cp, "url")) g.Add(node, "cv:contactPage", Iri(*url));
  return node;
}

json CatalogContactPoint(const Context& ctx) {
  if (const json* cp = GetObject(ctx.input.catalog, "contact_point")) return *cp;
  json cp = json::object();
  const std::string* publisher = GetString(ctx.input.catalog, "publisher");
  if (publisher == nullptr) return cp;
  auto it = ctx.organizations.find(*publisher);
  if (it == ctx.organizations.end()) return cp;
  if (const json* name = GetObject(*it->second, "name")) {
    if (const std::string* nb = GetString(*name, "nb")) cp["name"] = *nb;
  }
  if (const std::string* homepage = GetString(*it->second, "homepage")) cp["url"] = *homepage;
  return cp;
}

Term AddSchemeTerm(Graph& g, std::string_view scheme, std::string_view code,
                   std::initializer_list<std::string_view> classes) {
  Term term = Iri(std::string(scheme) + "/" + std::string(code));
  for (std::string_view c : classes) g.AddType(term, c);
  g.Add(term, "skos:inScheme", Iri(scheme));
  return term;
}

namespace {

bool OneOf(std::string_view code, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (a == code) return true;
  }
  return false;
}

}  // namespace

std::optional<Term> AddLanguage(Graph& g, std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kLanguages = {
      {{"nb", "NOB"}, {"nn", "NNO"}, {"en", "ENG"}}};
  for (const auto& [lang, eu] : kLanguages) {
    if (lang == code) return AddSchemeTerm(g, kLanguageScheme, eu, {"dct:LinguisticSystem", "skos:Concept"});
  }
  return std::nullopt;
}

std::optional<Term> AddLicence(Graph& g, std::string_view code) {
  if (!OneOf(code, {"NLOD_2_0", "CC_BY_4_0", "CC0", "CC_BYSA_4_0"})) return std::nullopt;
  // NLOD 2.0 is exported as the EU licence-table IRI: DCAT-AP-NO 2.0's shapes require
  // dct:license values from that table (skos:inScheme .../authority/licence), which
  // the Norwegian IRI http://data.norge.no/nlod/no/2.0 is not in. The Norwegian IRI
  // is kept as skos:exactMatch for consumers that look for it.
  Term term = AddSchemeTerm(g, kLicenceScheme, code, {"dct:LicenseDocument", "skos:Concept"});
  if (code == "NLOD_2_0") g.Add(term, "skos:exactMatch", Iri("http://data.norge.no/nlod/no/2.0"));
  return term;
}

std::optional<Term> AddFileType(Graph& g, std::string_view code) {
  if (!OneOf(code, {"CSV", "JSON", "XML", "RDF_TURTLE", "JSON_LD", "RDF_XML", "GEOJSON", "PDF", "XLSX", "ZIP",
                    "HTML"})) {
    return std::nullopt;
  }
  return AddSchemeTerm(g, kFileTypeScheme, code, {"dct:MediaTypeOrExtent", "skos:Concept"});
}

std::optional<Term> AddAccessRight(Graph& g, std::string_view code) {
  if (!OneOf(code, {"PUBLIC", "RESTRICTED", "NON_PUBLIC"})) return std::nullopt;
  return AddSchemeTerm(g, kAccessRightScheme, code, {"dct:RightsStatement", "skos:Concept"});
}

std::optional<Term> AddOrganization(Graph& g, const Context& ctx, std::string_view org_id, Profile profile,
                                    bool competent_authority) {
  std::optional<Term> iri = ctx.OrganizationIri(org_id);
  if (!iri) return std::nullopt;
  const json& org = *ctx.organizations.at(std::string(org_id));
  g.AddType(*iri, "foaf:Agent");
  g.AddType(*iri, "foaf:Organization");
  g.AddType(*iri, "org:Organization");
  g.Add(*iri, "dct:identifier", Literal(*GetString(org, "organization_number")));
  const json* name = GetObject(org, "name");
  AddLangText(g, *iri, "foaf:name", name);
  if (const std::string* homepage = GetString(org, "homepage")) g.Add(*iri, "foaf:homepage", Iri(*homepage));
  // The ADMS publisher type is left out of SKOS-AP-NO exports: its code-list IRI is a
  // skos:Concept, and the Begrep shapes would validate it as one of our concepts.
  const std::string* kind = profile == Profile::kSkos ? nullptr : GetString(org, "kind");
  if (kind != nullptr) {
    std::string_view type;
    if (OneOf(*kind, {"municipality", "agency", "district", "department"})) type = "LocalAuthority";
    if (*kind == "company") type = "Company";
    if (!type.empty()) g.Add(*iri, "dct:type", Iri(std::string(kAdmsPublisherType) + std::string(type)));
  }
  if (profile == Profile::kCpsv) {
    // CPSV-AP-NO: foaf:Agent needs dct:title, org:Organization skos:prefLabel.
    AddLangText(g, *iri, "dct:title", name);
    AddLangText(g, *iri, "skos:prefLabel", name);
    if (competent_authority) {
      g.AddType(*iri, "cv:PublicOrganisation");
      for (const std::string& spatial : ctx.input.authority_spatial) {
        Term location = Iri(spatial);
        g.AddType(location, "dct:Location");
        g.Add(*iri, "dct:spatial", location);
      }
    }
  }
  return iri;
}

}  // namespace kilde::rdf::internal
