// Building blocks for the catalog validators (validate*.cc): a problem sink, JSON paths, and
// checks for the shared value types of docs/catalog-model.md (slug, URL, date, LangText,
// LangList, ContactPoint, LawRef, enums, arrays, references).
//
// Every check is called with a present, non-null value and its dotted path, reports all it
// finds to the Sink and never stops early. Internal to the catalog module.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/kind.h"
#include "catalog/validate.h"

namespace kilde::catalog::checks {

using Json = nlohmann::json;

// Problem codes (docs/catalog-model.md).
inline constexpr std::string_view kRequired = "required";
inline constexpr std::string_view kUnknownField = "unknown_field";
inline constexpr std::string_view kWrongType = "wrong_type";
inline constexpr std::string_view kInvalidFormat = "invalid_format";
inline constexpr std::string_view kInvalidValue = "invalid_value";
inline constexpr std::string_view kInvalidChecksum = "invalid_checksum";
inline constexpr std::string_view kTooLong = "too_long";
inline constexpr std::string_view kConflict = "conflict";

// Length limits, in Unicode code points (the contract sets none; these are ours).
inline constexpr std::size_t kMaxShortText = 500;   // titles, names, labels
inline constexpr std::size_t kMaxKeyword = 200;     // one keyword / alternative label
inline constexpr std::size_t kMaxLongText = 20000;  // descriptions, definitions, notes
inline constexpr std::size_t kMaxUrl = 2048;

// Controlled vocabularies shared by several kinds.
inline constexpr std::string_view kStatuses[] = {"draft", "published"};
inline constexpr std::string_view kAccessRights[] = {"PUBLIC", "RESTRICTED", "NON_PUBLIC"};
inline constexpr std::string_view kLicenses[] = {"NLOD_2_0", "CC_BY_4_0", "CC0", "CC_BYSA_4_0"};
inline constexpr std::string_view kFileTypes[] = {
    "CSV", "JSON", "XML", "RDF_TURTLE", "JSON_LD", "RDF_XML", "GEOJSON", "PDF", "XLSX", "ZIP", "HTML"};
inline constexpr std::string_view kLanguages[] = {"nb", "nn", "en"};

// Collects the problems and references of one document.
class Sink {
 public:
  explicit Sink(Validation& out) : out_(out) {}
  void Problem(std::string field, std::string_view code, std::string message);
  void Ref(Kind kind, std::string id, std::string field);

 private:
  Validation& out_;
};

// "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string Child(std::string_view path, std::string_view key);
// "a" + 2 -> "a[2]".
std::string Item(std::string_view path, std::size_t index);

// The member `key` of object `obj`, or nullptr if `obj` is not an object, or the member is
// absent or null.
const Json* Member(const Json& obj, std::string_view key);

// Number of Unicode code points in UTF-8 `s`.
std::size_t CodePoints(std::string_view s);

// A check of one present, non-null value found at `path`.
using Check = std::function<void(const Json& value, const std::string& path, Sink& sink)>;

// One member of an object: its name, whether it is required, how to check its value, and the
// message when a required member is missing.
struct Field {
  std::string_view name;
  bool required = false;
  Check check;
  std::string_view missing_message = "is required";
};

// Checks that `value` is an object whose members are `fields` (plus `ignored`, accepted
// unchecked): wrong_type if not an object, unknown_field per unexpected key, required per
// missing required field, then each present field's check, in the order of `fields`.
// Returns false (having reported wrong_type) if `value` is not an object.
bool CheckObject(const Json& value, const std::string& path, std::span<const Field> fields, Sink& sink,
                 std::span<const std::string_view> ignored = {});

// --- value checks (return a Check to put in a Field, or to call directly) ---

// Non-empty (not only whitespace), at most `max_len` code points.
Check Text(std::size_t max_len);
// A slug: ^[a-z0-9][a-z0-9-]{0,63}$.
Check Slug();
// An absolute http(s) URL without spaces; if `prefix` is non-empty it must also start with it.
Check Url(std::string_view prefix = {});
// A date YYYY-MM-DD that exists in the calendar.
Check Date();
// true or false.
Check Bool();
// One of `allowed` (case-sensitive); message "must be one of A, B, C".
Check Enum(std::span<const std::string_view> allowed);
// An e-mail address local@domain.tld.
Check Email();
// A phone number: digits, spaces, - ( ) ., optional leading +, 3 to 15 digits.
Check Phone();
// An IANA media type "type/subtype" (RFC 6838 restricted names, no parameters).
Check MediaType();
// LangText: an object keyed by nb / nn / en with non-empty string values of at most `max_len`
// code points; each language in `needed` must be present.
Check LangText(std::initializer_list<std::string_view> needed, std::size_t max_len);
// LangList: an object keyed by nb / nn / en, each an array of non-empty strings.
Check LangList(std::size_t max_len);
// ContactPoint: {name, email, phone, url}; at least one of email, phone, url.
Check ContactPoint();
// LawRef: {label: LangText needing nb, url: URL (required)}.
Check LawRef();
// An array whose items each pass `item`; fewer than `min_items` items -> required on the
// array with `min_message`.
Check ArrayOf(Check item, std::size_t min_items = 0, std::string_view min_message = {});
// The id of a resource of `kind`: a slug, recorded as a Reference when well-formed.
Check Ref(Kind kind);

// The string value of member `key` if it is a string, else empty.
std::string StringMember(const Json& obj, std::string_view key);

// Whether `s` is a real date YYYY-MM-DD.
bool IsValidDate(std::string_view s);

}  // namespace kilde::catalog::checks
