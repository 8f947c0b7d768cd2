// Internal helpers shared by the catalog exporters (dcat_export.cc, concept_export.cc,
// service_export.cc). Not part of the module's public API: include catalog_export.h.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "rdf/catalog_export.h"
#include "rdf/graph.h"

namespace kilde::rdf::internal {

using nlohmann::json;

// --- JSON access that never throws -------------------------------------------------
// The non-empty string at doc[key], or nullptr.
const std::string* GetString(const json& doc, std::string_view key);
// doc[key] if it is an object / array, else nullptr.
const json* GetObject(const json& doc, std::string_view key);
const json* GetArray(const json& doc, std::string_view key);
// The non-empty strings of doc[key] (an array), in order; others skipped.
std::vector<std::string> GetStrings(const json& doc, std::string_view key);
// doc[key] when it is a YYYY-MM-DD date.
std::optional<std::string> GetDate(const json& doc, std::string_view key);
// doc[key] when it is an RFC 3339 timestamp (e.g. 2026-11-23T18:00:00Z).
std::optional<std::string> GetTimestamp(const json& doc, std::string_view key);

// --- The input, indexed ------------------------------------------------------------
struct Context {
  explicit Context(const ExportInput& input);

  const ExportInput& input;
  std::string base;  // base_url without trailing '/'
  // By id (first document wins on duplicates). Organisations: all; the others:
  // published only. Distributions: all, by dataset id then distribution id.
  std::map<std::string, const json*> organizations, datasets, data_services, concepts, public_services;
  std::map<std::string, std::map<std::string, const json*>> distributions;

  Term DatasetIri(std::string_view id) const;
  Term DistributionIri(std::string_view dataset, std::string_view id) const;
  Term DataServiceIri(std::string_view id) const;
  Term ConceptIri(std::string_view id) const;
  Term PublicServiceIri(std::string_view id) const;
  // The organisation IRI for an organisation id, if the organisation is known and has
  // an organisation number.
  std::optional<Term> OrganizationIri(std::string_view org_id) const;
};

// A new graph with the standard prefixes bound.
Graph NewGraph();

// --- Literals -------------------------------------------------------------------------
// One language-tagged literal per non-empty entry of a LangText {"nb": "..", ...};
// returns how many were added. `lang_text` may be null.
int AddLangText(Graph& g, const Term& s, std::string_view predicate, const json* lang_text);
// One language-tagged literal per string of a LangList {"nb": ["a", "b"], ...}.
int AddLangList(Graph& g, const Term& s, std::string_view predicate, const json* lang_list);
// `iri` as an xsd:anyURI literal (dct:identifier in SKOS-AP-NO / CPSV-AP-NO).
Term AnyUri(std::string_view iri);

// --- Contact points ---------------------------------------------------------------------
// A blank vcard:Organization (DCAT-AP-NO, SKOS-AP-NO): vcard:fn, vcard:hasEmail
// <mailto:..>, vcard:hasTelephone <tel:..>, vcard:hasURL.
Term AddVcardContact(Graph& g, const json& contact_point);
// A blank cv:ContactPoint (CPSV-AP-NO): cv:email, cv:telephone, cv:contactPage.
Term AddCvContact(Graph& g, const json& contact_point);
// The catalogue's contact point: input.catalog.contact_point, or one naming the
// catalogue publisher (name, homepage).
json CatalogContactPoint(const Context& ctx);

// --- Controlled vocabularies -------------------------------------------------------
// <scheme>/<code> typed with `classes` (CURIEs) and skos:inScheme <scheme>.
Term AddSchemeTerm(Graph& g, std::string_view scheme, std::string_view code,
                   std::initializer_list<std::string_view> classes);
// Language code "nb"/"nn"/"en" -> EU language term (NOB/NNO/ENG), typed; nullopt otherwise.
std::optional<Term> AddLanguage(Graph& g, std::string_view code);
// Licence code (NLOD_2_0, CC_BY_4_0, CC0, CC_BYSA_4_0) -> EU licence term, typed.
std::optional<Term> AddLicence(Graph& g, std::string_view code);
// File-type code (CSV, JSON, ...) -> EU file-type term, typed dct:MediaTypeOrExtent.
std::optional<Term> AddFileType(Graph& g, std::string_view code);
// Access-right code (PUBLIC, RESTRICTED, NON_PUBLIC) -> EU access-right term, typed.
std::optional<Term> AddAccessRight(Graph& g, std::string_view code);

// --- Organisations -----------------------------------------------------------------
enum class Profile { kDcat, kSkos, kCpsv };
// Describes organisation `org_id` (foaf:Agent, foaf:Organization, org:Organization,
// dct:identifier = organisation number, foaf:name, foaf:homepage, dct:type (ADMS
// publisher type from `kind`; not for SKOS, see export_util.cc);
// CPSV adds dct:title and skos:prefLabel, and with `competent_authority`
// cv:PublicOrganisation + dct:spatial). Returns its IRI, or nullopt if unknown.
std::optional<Term> AddOrganization(Graph& g, const Context& ctx, std::string_view org_id, Profile profile,
                                    bool competent_authority = false);

}  // namespace kilde::rdf::internal
