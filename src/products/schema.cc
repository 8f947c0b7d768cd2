#include "products/schema.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace kilde::products {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kRequired = "required";
constexpr std::string_view kUnknownField = "unknown_field";
constexpr std::string_view kWrongType = "wrong_type";
constexpr std::string_view kInvalidValue = "invalid_value";
constexpr std::string_view kInvalidFormat = "invalid_format";
constexpr std::string_view kConflict = "conflict";
constexpr std::string_view kTooLong = "too_long";

constexpr std::array<std::string_view, 9> kTypeNames = {
    "string", "integer", "decimal", "boolean", "date", "datetime", "fodselsnummer", "organisasjonsnummer",
    "enum"};
constexpr std::array<std::string_view, 3> kPersonalNames = {"none", "personal", "special_category"};
constexpr std::array<std::string_view, 9> kColumnMembers = {
    "name", "type", "values", "required", "key", "indexed", "description", "concept", "personal_data"};

// Collects the problems of one document.
class Problems {
 public:
  void Add(std::string field, std::string_view code, std::string message) {
    list_.push_back(FieldProblem{std::move(field), std::string(code), std::move(message)});
  }
  bool empty() const { return list_.empty(); }
  std::vector<FieldProblem> Take() { return std::move(list_); }

 private:
  std::vector<FieldProblem> list_;
};

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Length in bytes of the Norwegian letter (æ ø å Æ Ø Å, UTF-8) at the start of `s`, or 0.
std::size_t NorwegianLetterAt(std::string_view s) {
  if (s.size() < 2 || static_cast<unsigned char>(s[0]) != 0xC3) return 0;
  switch (static_cast<unsigned char>(s[1])) {
    case 0x86:
    case 0x98:
    case 0x85:  // Æ Ø Å
    case 0xA6:
    case 0xB8:
    case 0xA5:  // æ ø å
      return 2;
    default:
      return 0;
  }
}

// A catalog slug: ^[a-z0-9][a-z0-9-]{0,63}$.
bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64 || s[0] == '-') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || IsAsciiDigit(c) || c == '-'; });
}

bool HasSurroundingSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  return !s.empty() && (space(s.front()) || space(s.back()));
}

std::string Path(std::size_t i, std::string_view member) {
  return "columns[" + std::to_string(i) + "]" + (member.empty() ? "" : "." + std::string(member));
}

// Reads an optional boolean member; reports wrong_type. Returns nullopt if absent/null/wrong.
std::optional<bool> OptionalBool(const Json& obj, const char* key, const std::string& path, Problems& p) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    p.Add(path, kWrongType, "must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

// Reads an optional string member; reports wrong_type. nullptr if absent/null/wrong.
const std::string* OptionalString(const Json& obj, const char* key, const std::string& path, Problems& p) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  if (!it->is_string()) {
    p.Add(path, kWrongType, "must be a string");
    return nullptr;
  }
  return it->get_ptr<const std::string*>();
}

void ParseEnumValues(const Json& values, std::size_t i, Column& col, Problems& p) {
  std::string path = Path(i, "values");
  if (!values.is_array()) {
    p.Add(path, kWrongType, "must be an array of strings");
    return;
  }
  if (values.empty()) p.Add(path, kRequired, "an enum column needs at least one value");
  if (values.size() > kMaxEnumValues)
    p.Add(path, kTooLong, "at most " + std::to_string(kMaxEnumValues) + " values");
  std::set<std::string_view> seen;
  for (std::size_t k = 0; k < values.size(); ++k) {
    std::string item = path + "[" + std::to_string(k) + "]";
    if (!values[k].is_string()) {
      p.Add(item, kWrongType, "must be a string");
      continue;
    }
    const std::string& v = values[k].get_ref<const std::string&>();
    if (v.empty()) {
      p.Add(item, kRequired, "must not be empty");
    } else if (HasSurroundingSpace(v)) {
      p.Add(item, kInvalidFormat, "must not start or end with whitespace");
    } else if (CodePoints(v) > kMaxEnumValueLength) {
      p.Add(item, kTooLong, "at most " + std::to_string(kMaxEnumValueLength) + " characters");
    } else if (!seen.insert(v).second) {
      p.Add(item, kConflict, "duplicate value");
    }
    col.enum_values.push_back(v);
  }
}

Column ParseColumn(const Json& j, std::size_t i, Problems& p) {
  Column col;
  if (!j.is_object()) {
    p.Add(Path(i, ""), kWrongType, "must be an object");
    return col;
  }
  for (const auto& [k, v] : j.items())
    if (std::find(kColumnMembers.begin(), kColumnMembers.end(), k) == kColumnMembers.end())
      p.Add(Path(i, k), kUnknownField, "unknown member");

  auto name_it = j.find("name");
  if (name_it == j.end() || name_it->is_null()) {
    p.Add(Path(i, "name"), kRequired, "is required");
  } else if (const std::string* name = OptionalString(j, "name", Path(i, "name"), p)) {
    col.name = *name;
    if (CodePoints(*name) > kMaxColumnNameLength)
      p.Add(Path(i, "name"), kTooLong, "at most 63 characters");
    else if (!IsValidColumnName(*name))
      p.Add(Path(i, "name"), kInvalidFormat,
            "must start with a letter or '_' and contain only letters, digits, '_', '.' and '-'");
  }

  bool type_ok = false;
  auto type_it = j.find("type");
  if (type_it == j.end() || type_it->is_null()) {
    p.Add(Path(i, "type"), kRequired, "is required");
  } else if (const std::string* type = OptionalString(j, "type", Path(i, "type"), p)) {
    if (auto t = TypeFromName(*type)) {
      col.type = *t;
      type_ok = true;
    } else {
      p.Add(Path(i, "type"), kInvalidValue,
            "must be one of string, integer, decimal, boolean, date, datetime, fodselsnummer, "
            "organisasjonsnummer, enum");
    }
  }

  auto values_it = j.find("values");
  bool has_values = values_it != j.end() && !values_it->is_null();
  if (type_ok && col.type == ColumnType::kEnum) {
    if (!has_values)
      p.Add(Path(i, "values"), kRequired, "an enum column needs its allowed values");
    else
      ParseEnumValues(*values_it, i, col, p);
  } else if (type_ok && has_values) {
    p.Add(Path(i, "values"), kConflict, "only enum columns have values");
  }

  std::optional<bool> required = OptionalBool(j, "required", Path(i, "required"), p);
  std::optional<bool> key = OptionalBool(j, "key", Path(i, "key"), p);
  std::optional<bool> indexed = OptionalBool(j, "indexed", Path(i, "indexed"), p);
  col.key = key.value_or(false);
  col.required = required.value_or(false) || col.key;
  col.indexed = indexed.value_or(false) || col.key;
  if (col.key) {
    if (required == false) p.Add(Path(i, "required"), kConflict, "a key column is always required");
    if (indexed == false) p.Add(Path(i, "indexed"), kConflict, "a key column is always indexed");
    if (type_ok && (col.type == ColumnType::kBoolean || col.type == ColumnType::kDecimal))
      p.Add(Path(i, "key"), kConflict, "a boolean or decimal column cannot be a key");
  }

  if (const std::string* d = OptionalString(j, "description", Path(i, "description"), p)) {
    col.description = *d;
    if (CodePoints(*d) > kMaxDescriptionLength)
      p.Add(Path(i, "description"), kTooLong, "at most 2000 characters");
  }
  if (const std::string* c = OptionalString(j, "concept", Path(i, "concept"), p)) {
    col.concept_id = *c;
    if (!IsSlug(*c)) p.Add(Path(i, "concept"), kInvalidFormat, "must be a concept id (a slug)");
  }

  std::optional<PersonalData> pd;
  if (const std::string* s = OptionalString(j, "personal_data", Path(i, "personal_data"), p)) {
    pd = PersonalDataFromName(*s);
    if (!pd)
      p.Add(Path(i, "personal_data"), kInvalidValue, "must be one of none, personal, special_category");
  }
  if (type_ok && col.type == ColumnType::kFodselsnummer) {
    if (pd == PersonalData::kNone)
      p.Add(Path(i, "personal_data"), kConflict, "a fodselsnummer column always holds personal data");
    col.personal_data = pd.value_or(PersonalData::kPersonal);
  } else {
    col.personal_data = pd.value_or(PersonalData::kNone);
  }
  return col;
}

}  // namespace

int Schema::KeyCount() const {
  return static_cast<int>(
      std::count_if(columns.begin(), columns.end(), [](const Column& c) { return c.key; }));
}

std::optional<std::size_t> Schema::Find(std::string_view name) const {
  std::string folded = FoldColumnName(name);
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (FoldColumnName(columns[i].name) == folded) return i;
  return std::nullopt;
}

std::optional<std::size_t> Schema::PersonIdColumn() const {
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].type != ColumnType::kFodselsnummer) continue;
    if (columns[i].key) return i;
    if (!first) first = i;
  }
  return first;
}

std::string_view TypeName(ColumnType t) { return kTypeNames[static_cast<std::size_t>(t)]; }

std::optional<ColumnType> TypeFromName(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i)
    if (kTypeNames[i] == name) return static_cast<ColumnType>(i);
  return std::nullopt;
}

std::string_view PersonalDataName(PersonalData p) { return kPersonalNames[static_cast<std::size_t>(p)]; }

std::optional<PersonalData> PersonalDataFromName(std::string_view name) {
  for (std::size_t i = 0; i < kPersonalNames.size(); ++i)
    if (kPersonalNames[i] == name) return static_cast<PersonalData>(i);
  return std::nullopt;
}

bool IsValidColumnName(std::string_view name) {
  if (name.empty() || CodePoints(name) > kMaxColumnNameLength) return false;
  bool first = true;
  for (std::size_t i = 0; i < name.size();) {
    char c = name[i];
    if (std::size_t n = NorwegianLetterAt(name.substr(i))) {
      i += n;
    } else if (IsAsciiLetter(c) || c == '_' || (!first && (IsAsciiDigit(c) || c == '.' || c == '-'))) {
      ++i;
    } else {
      return false;
    }
    first = false;
  }
  return true;
}

std::string FoldColumnName(std::string_view name) {
  std::string out(name);
  for (std::size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < out.size()) {
      unsigned char d = static_cast<unsigned char>(out[i + 1]);
      if (d == 0x86 || d == 0x98 || d == 0x85) out[i + 1] = static_cast<char>(d + 0x20);  // Æ Ø Å -> æ ø å
      ++i;
    }
  }
  return out;
}

Result<Schema> ParseSchema(const Json& j) {
  Problems p;
  Schema s;
  if (!j.is_object())
    return Status::Invalid("invalid schema", {{"", std::string(kWrongType), "must be an object"}});
  for (const auto& [k, v] : j.items())
    if (k != "columns") p.Add(k, kUnknownField, "unknown member");
  auto cols = j.find("columns");
  if (cols == j.end() || cols->is_null()) {
    p.Add("columns", kRequired, "is required");
  } else if (!cols->is_array()) {
    p.Add("columns", kWrongType, "must be an array of columns");
  } else {
    if (cols->empty()) p.Add("columns", kRequired, "a schema needs at least one column");
    if (cols->size() > kMaxColumns)
      p.Add("columns", kTooLong, "at most " + std::to_string(kMaxColumns) + " columns");
    std::set<std::string> names;
    for (std::size_t i = 0; i < cols->size(); ++i) {
      s.columns.push_back(ParseColumn((*cols)[i], i, p));
      const std::string& name = s.columns.back().name;
      if (!name.empty() && !names.insert(FoldColumnName(name)).second)
        p.Add(Path(i, "name"), kConflict, "another column has this name (names are case-insensitive)");
    }
  }
  if (!p.empty()) return Status::Invalid("invalid schema", p.Take());
  return s;
}

Json SchemaToJson(const Schema& s) {
  Json cols = Json::array();
  for (const Column& c : s.columns) {
    Json o = {{"name", c.name},         {"type", TypeName(c.type)},
              {"required", c.required}, {"key", c.key},
              {"indexed", c.indexed},   {"personal_data", PersonalDataName(c.personal_data)}};
    if (c.type == ColumnType::kEnum) o["values"] = c.enum_values;
    if (!c.description.empty()) o["description"] = c.description;
    if (!c.concept_id.empty()) o["concept"] = c.concept_id;
    cols.push_back(std::move(o));
  }
  return Json{{"columns", std::move(cols)}};
}

}  // namespace kilde::products
