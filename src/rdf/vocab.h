// Namespace IRIs and controlled-vocabulary bases used by kilde's RDF exports.
#pragma once

#include <string_view>

namespace kilde::rdf {

class Graph;

inline constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr std::string_view kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
inline constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
inline constexpr std::string_view kDcat = "http://www.w3.org/ns/dcat#";
inline constexpr std::string_view kDct = "http://purl.org/dc/terms/";
inline constexpr std::string_view kFoaf = "http://xmlns.com/foaf/0.1/";
inline constexpr std::string_view kVcard = "http://www.w3.org/2006/vcard/ns#";
inline constexpr std::string_view kSkos = "http://www.w3.org/2004/02/skos/core#";
inline constexpr std::string_view kOrg = "http://www.w3.org/ns/org#";
inline constexpr std::string_view kEuvoc = "http://publications.europa.eu/ontology/euvoc#";
inline constexpr std::string_view kSkosno = "https://data.norge.no/vocabulary/skosno#";
inline constexpr std::string_view kCpsv = "http://purl.org/vocab/cpsv#";
inline constexpr std::string_view kCpsvno = "https://data.norge.no/vocabulary/cpsvno#";
inline constexpr std::string_view kCv = "http://data.europa.eu/m8g/";
inline constexpr std::string_view kEli = "http://data.europa.eu/eli/ontology#";
// The current DCAT-AP-NO namespace (dcatno:containsService, ...).
inline constexpr std::string_view kDcatno = "https://data.norge.no/vocabulary/dcatno#";
// The old namespace the national catalogue still reads for legal bases
// (dcatnoold:legalBasisForRestriction, ...); see docs/catalog-model.md.
inline constexpr std::string_view kDcatnoOld = "http://difi.no/dcatno#";

// EU Publications Office authority tables (concept IRIs are <base><CODE>; the
// concept scheme IRI is the base without the trailing slash).
inline constexpr std::string_view kEuAuthority = "http://publications.europa.eu/resource/authority/";
inline constexpr std::string_view kDataThemeScheme =
    "http://publications.europa.eu/resource/authority/data-theme";
inline constexpr std::string_view kAccessRightScheme =
    "http://publications.europa.eu/resource/authority/access-right";
inline constexpr std::string_view kFrequencyScheme =
    "http://publications.europa.eu/resource/authority/frequency";
inline constexpr std::string_view kLanguageScheme =
    "http://publications.europa.eu/resource/authority/language";
inline constexpr std::string_view kLicenceScheme = "http://publications.europa.eu/resource/authority/licence";
inline constexpr std::string_view kFileTypeScheme =
    "http://publications.europa.eu/resource/authority/file-type";
inline constexpr std::string_view kIanaMediaTypes = "https://www.iana.org/assignments/media-types/";
inline constexpr std::string_view kAdmsPublisherType = "http://purl.org/adms/publishertype/";

// Organisation IRIs of the national organisation catalogue: <base><orgnr>.
inline constexpr std::string_view kOrganizationCatalog =
    "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/";
// Geonorge IRI of Oslo municipality (kommune 0301), the default coverage of
// kilde's public organisations.
inline constexpr std::string_view kOsloMunicipality =
    "https://data.geonorge.no/administrativeEnheter/kommune/id/173018";

// Binds the prefixes above (rdf, rdfs, xsd, dcat, dct, foaf, vcard, skos, org, euvoc,
// skosno, cpsv, cpsvno, cv, eli, dcatno, dcatnoold) in `graph`.
void AddStandardPrefixes(Graph& graph);

}  // namespace kilde::rdf
