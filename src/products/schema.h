// The schema of a data product: its columns, their types and rules, and their JSON form.
//
// A Schema returned by ParseSchema is valid: every invariant below holds. Code that builds a
// Schema by hand (e.g. InferSchema) must keep them too; round-trip through SchemaToJson /
// ParseSchema to check. All functions are pure and thread safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace kilde::products {

enum class ColumnType {
  kString,
  kInteger,
  kDecimal,
  kBoolean,
  kDate,
  kDateTime,
  kFodselsnummer,        // fødselsnummer or D-number (also synthetic test numbers), check digits verified
  kOrganisasjonsnummer,  // 9 digits, mod-11 check digit verified
  kEnum,                 // one of Column::enum_values
};

// GDPR class of what a column holds.
enum class PersonalData {
  kNone,
  kPersonal,         // personal data (art. 4)
  kSpecialCategory,  // special category (art. 9), e.g. health
};

// Limits (ours; SQLite allows 2000 columns, we keep well below).
inline constexpr std::size_t kMaxColumns = 500;
inline constexpr std::size_t kMaxColumnNameLength = 63;     // code points
inline constexpr std::size_t kMaxDescriptionLength = 2000;  // code points
inline constexpr std::size_t kMaxEnumValues = 1000;
inline constexpr std::size_t kMaxEnumValueLength = 200;  // code points

struct Column {
  // 1..63 code points: the first a letter (A-Z a-z æ ø å Æ Ø Å) or '_', the rest letters, ASCII
  // digits, '_', '.' or '-' (see IsValidColumnName). Unique within a schema, compared
  // case-insensitively (FoldColumnName). Used as-is in API query parameters.
  std::string name;
  ColumnType type = ColumnType::kString;
  bool required = false;    // a null cell is an error; always true for key columns
  bool key = false;         // values unique within an edition; not for boolean / decimal columns
  bool indexed = false;     // build an index for filtering; always true for key columns
  std::string description;  // optional, <= 2000 code points
  std::string
      concept_id;  // JSON "concept": optional catalog concept id (a slug); existence is checked elsewhere
  // kPersonal or kSpecialCategory for fødselsnummer columns (ParseSchema defaults them to kPersonal
  // and rejects "none").
  PersonalData personal_data = PersonalData::kNone;
  // kEnum only: 1..1000 distinct non-empty values without surrounding whitespace; empty otherwise.
  std::vector<std::string> enum_values;
};

struct Schema {
  std::vector<Column> columns;  // 1..kMaxColumns, in file / storage order

  // Number of key columns (each key column is unique on its own; there is no composite key).
  int KeyCount() const;
  // Position of the column named `name` (case-insensitive, see FoldColumnName).
  std::optional<std::size_t> Find(std::string_view name) const;
  // Position of the fødselsnummer column that identifies the data subject of a row: the first
  // fødselsnummer column that is a key, otherwise the first fødselsnummer column, otherwise none.
  std::optional<std::size_t> PersonIdColumn() const;
};

// Parses and validates the JSON form
//   {"columns":[{"name":"bydel","type":"enum","values":["Frogner",...],"required":true,
//                "key":false,"indexed":true,"description":"...","concept":"bydel",
//                "personal_data":"none"}]}
// "name" and "type" are required; the rest are optional (defaults as in Column). "values" is
// required for enum columns and rejected for others. Unknown members are rejected.
// On failure returns kInvalidArgument with every problem as FieldProblems (field paths like
// "columns[2].type"; problem codes of docs/catalog-model.md: required, unknown_field, wrong_type,
// invalid_value, invalid_format, conflict, too_long). Never throws.
Result<Schema> ParseSchema(const nlohmann::json& j);

// The JSON form of `s` (all members written; "values" only for enum columns; "description" and
// "concept" only when non-empty). ParseSchema(SchemaToJson(s)) reproduces a valid `s`.
nlohmann::json SchemaToJson(const Schema& s);

// "string", "integer", "decimal", "boolean", "date", "datetime", "fodselsnummer",
// "organisasjonsnummer", "enum".
std::string_view TypeName(ColumnType t);
// Inverse of TypeName (exact, lower case); nullopt for anything else.
std::optional<ColumnType> TypeFromName(std::string_view name);
// "none", "personal", "special_category" and the inverse.
std::string_view PersonalDataName(PersonalData p);
std::optional<PersonalData> PersonalDataFromName(std::string_view name);

// Whether `name` is a valid column name (see Column::name).
bool IsValidColumnName(std::string_view name);
// `name` with A-Z and Æ Ø Å lowered: the key for case-insensitive comparison of column names.
std::string FoldColumnName(std::string_view name);

}  // namespace kilde::products
