#include "products/infer.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>

#include "base/norwegian_ids.h"

namespace kilde::products {
namespace {

constexpr std::size_t kMaxEnumDistinct = 20;
constexpr std::size_t kMinEnumSample = 20;
constexpr std::size_t kMaxInferredEnumValueLength = 100;
constexpr double kFodselsnummerShare = 0.9;
constexpr std::size_t kMinOrgnrSample = 3;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// ASCII (or æ/ø/å) spelling of Latin-1 letter U+00C0..U+00FF, lower case; "" if not a letter.
std::string_view FoldLatin1(unsigned cp) {
  static constexpr std::string_view kFold[64] = {
      "a", "a", "a", "a", "a", "å", "æ", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C0-CF
      "d", "n", "o", "o", "o", "o", "o", "",  "ø", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
      "a", "a", "a", "a", "a", "å", "æ", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0-EF
      "d", "n", "o", "o", "o", "o", "o", "",  "ø", "u", "u", "u", "u", "y", "th", "y",   // F0-FF
  };
  return cp >= 0xC0 && cp <= 0xFF ? kFold[cp - 0xC0] : "";
}

// Name tokens (split at '_', '.', '-') of a folded column name.
std::vector<std::string_view> Tokens(std::string_view name) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '_' || name[i] == '.' || name[i] == '-') {
      if (i > start) out.push_back(name.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

bool HintsFodselsnummer(std::string_view name) {
  for (std::string_view t : Tokens(name))
    for (std::string_view h : {"fnr", "dnr", "pnr", "fodselsnr", "fødselsnr", "personnr", "dnummer"})
      if (t == h) return true;
  return Contains(name, "fødselsnummer") || Contains(name, "fodselsnummer") || Contains(name, "personnummer");
}

bool HintsOrgnr(std::string_view name) {
  for (std::string_view t : Tokens(name))
    if (t == "orgnr" || t == "orgnummer" || t == "organisasjonsnummer" || t == "organisasjonsnr" ||
        t == "org")
      return true;
  return Contains(name, "organisasjonsnummer") || Contains(name, "orgnr");
}

bool HintsCategory(std::string_view name) {
  for (std::string_view h :
       {"bydel", "kjønn", "kjonn", "kjoenn", "kategori", "status", "gruppe", "fylke", "kommune", "type"})
    if (Contains(name, h)) return true;
  return false;
}

bool HintsIdentifier(std::string_view name) {
  for (std::string_view t : Tokens(name)) {
    if (t == "id" || t == "code" || t == "key") return true;
    for (std::string_view suffix : {"nr", "nummer", "kode", "ident"})
      if (t.ends_with(suffix)) return true;
  }
  return false;
}

bool HintsSpecialCategory(std::string_view name) {
  for (std::string_view h : {"helse", "health", "diagnos", "sykdom"})
    if (Contains(name, h)) return true;
  return false;
}

// Whether a number's integer part starts with a zero followed by another digit ("05", "-030").
bool HasLeadingZero(std::string_view v) {
  if (v.starts_with('+') || v.starts_with('-')) v.remove_prefix(1);
  return v.size() >= 2 && v[0] == '0' && IsDigit(v[1]);
}

bool AllParse(ColumnType type, const std::vector<std::string_view>& values, const ParseOptions& opt) {
  Column c;
  c.type = type;
  return std::all_of(values.begin(), values.end(),
                     [&](std::string_view v) { return ParseCell(c, v, opt).ok(); });
}

// Counts the values (which all have the form) that pass ParseCell as `type`.
std::size_t CountValid(ColumnType type, const std::vector<std::string_view>& values,
                       const ParseOptions& opt) {
  Column c;
  c.type = type;
  return static_cast<std::size_t>(std::count_if(
      values.begin(), values.end(), [&](std::string_view v) { return ParseCell(c, v, opt).ok(); }));
}

bool LooksLikeFodselsnummer(std::string_view v) {
  if (v.size() == 12 && v[6] == ' ')
    return std::all_of(v.begin(), v.begin() + 6, IsDigit) && std::all_of(v.begin() + 7, v.end(), IsDigit);
  return v.size() == 11 && std::all_of(v.begin(), v.end(), IsDigit);
}

// The type of a column with non-null (trimmed) `values`, per the rules in infer.h; fills
// `enum_values` for kEnum.
ColumnType InferType(std::string_view name, const std::vector<std::string_view>& values,
                     const ParseOptions& opt, std::vector<std::string>& enum_values) {
  if (values.empty()) return ColumnType::kString;
  const std::size_t n = values.size();
  if (std::all_of(values.begin(), values.end(), LooksLikeFodselsnummer) &&
      (HintsFodselsnummer(name) ||
       static_cast<double>(CountValid(ColumnType::kFodselsnummer, values, opt)) >= kFodselsnummerShare * n))
    return ColumnType::kFodselsnummer;
  if ((HintsOrgnr(name) || n >= kMinOrgnrSample) && AllParse(ColumnType::kOrganisasjonsnummer, values, opt))
    return ColumnType::kOrganisasjonsnummer;
  if (AllParse(ColumnType::kBoolean, values, opt) &&
      std::any_of(values.begin(), values.end(), [](std::string_view v) { return v != "0" && v != "1"; }))
    return ColumnType::kBoolean;
  if (std::none_of(values.begin(), values.end(), HasLeadingZero)) {
    if (AllParse(ColumnType::kInteger, values, opt)) return ColumnType::kInteger;
    if (AllParse(ColumnType::kDecimal, values, opt)) return ColumnType::kDecimal;
  }
  if (AllParse(ColumnType::kDate, values, opt)) return ColumnType::kDate;
  if (AllParse(ColumnType::kDateTime, values, opt)) return ColumnType::kDateTime;

  std::vector<std::string> distinct;
  std::set<std::string_view> seen;
  for (std::string_view v : values) {
    if (CodePoints(v) > kMaxInferredEnumValueLength) return ColumnType::kString;
    if (seen.insert(v).second) {
      if (seen.size() > kMaxEnumDistinct) return ColumnType::kString;
      distinct.emplace_back(v);
    }
  }
  if (distinct.size() < n && (n >= kMinEnumSample || HintsCategory(name))) {
    enum_values = std::move(distinct);
    return ColumnType::kEnum;
  }
  return ColumnType::kString;
}

// `base` cut to at most `max` code points (never inside a UTF-8 sequence).
std::string CutCodePoints(std::string base, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    if ((static_cast<unsigned char>(base[i]) & 0xC0) != 0x80 && ++count > max) {
      base.resize(i);
      break;
    }
  }
  return base;
}

}  // namespace

std::string ColumnNameFromHeader(std::string_view header) {
  if (header.starts_with("\xEF\xBB\xBF")) header.remove_prefix(3);
  std::string out;
  for (std::size_t i = 0; i < header.size();) {
    unsigned char c = static_cast<unsigned char>(header[i]);
    if (c < 0x80) {
      char a = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      bool keep = (a >= 'a' && a <= 'z') || IsDigit(a) || a == '_' || a == '.' || a == '-';
      out += keep ? a : '_';
      ++i;
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < header.size() &&
               (static_cast<unsigned char>(header[i + 1]) & 0xC0) == 0x80) {
      unsigned cp = ((c & 0x1F) << 6) | (static_cast<unsigned char>(header[i + 1]) & 0x3F);
      std::string_view folded = FoldLatin1(cp);
      out += folded.empty() ? std::string_view("_") : folded;
      i += 2;
    } else {
      out += '_';  // any other character, or an invalid byte
      ++i;
      while (i < header.size() && (static_cast<unsigned char>(header[i]) & 0xC0) == 0x80) ++i;
    }
  }
  std::string collapsed;
  for (char ch : out)
    if (!(ch == '_' && (collapsed.empty() || collapsed.back() == '_'))) collapsed += ch;
  while (!collapsed.empty() && collapsed.back() == '_') collapsed.pop_back();
  if (collapsed.empty()) return "";
  if (IsDigit(collapsed[0]) || collapsed[0] == '.' || collapsed[0] == '-') collapsed.insert(0, "_");
  collapsed = CutCodePoints(std::move(collapsed), kMaxColumnNameLength);
  return IsValidColumnName(collapsed) ? collapsed : "";
}

Schema InferSchema(const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& sample_rows, const ParseOptions& opt) {
  Schema s;
  std::set<std::string> used;
  std::vector<bool> key_candidate;
  for (std::size_t i = 0; i < header.size(); ++i) {
    Column col;
    std::string base = ColumnNameFromHeader(header[i]);
    if (base.empty()) base = "column_" + std::to_string(i + 1);
    col.name = base;
    for (int k = 2; used.count(FoldColumnName(col.name)); ++k) {
      std::string suffix = "_" + std::to_string(k);
      col.name = CutCodePoints(base, kMaxColumnNameLength - suffix.size()) + suffix;
    }
    used.insert(FoldColumnName(col.name));
    if (col.name != header[i]) col.description = "Source column: " + header[i];
    if (CodePoints(col.description) > kMaxDescriptionLength)
      col.description = CutCodePoints(std::move(col.description), kMaxDescriptionLength);

    std::vector<std::string_view> values;
    std::size_t nulls = 0;
    for (const auto& row : sample_rows) {
      if (i >= row.size() || IsNullMarker(row[i], opt.null_markers))
        ++nulls;
      else
        values.push_back(TrimCell(row[i]));
    }
    const std::string folded = FoldColumnName(col.name);
    col.type = InferType(folded, values, opt, col.enum_values);
    col.required = !sample_rows.empty() && nulls == 0;
    col.indexed = col.type == ColumnType::kEnum || col.type == ColumnType::kFodselsnummer ||
                  col.type == ColumnType::kOrganisasjonsnummer;
    if (col.type == ColumnType::kFodselsnummer || HintsFodselsnummer(folded))
      col.personal_data = PersonalData::kPersonal;
    if (HintsSpecialCategory(folded)) col.personal_data = PersonalData::kSpecialCategory;

    bool eligible = col.type == ColumnType::kInteger || col.type == ColumnType::kString ||
                    col.type == ColumnType::kFodselsnummer || col.type == ColumnType::kOrganisasjonsnummer;
    bool distinct = std::set<std::string_view>(values.begin(), values.end()).size() == values.size();
    key_candidate.push_back(eligible && col.required && sample_rows.size() >= 2 && distinct);
    s.columns.push_back(std::move(col));
  }

  std::optional<std::size_t> key;
  for (std::size_t i = 0; i < s.columns.size() && !key; ++i)
    if (key_candidate[i] && HintsIdentifier(FoldColumnName(s.columns[i].name))) key = i;
  if (!key && std::count(key_candidate.begin(), key_candidate.end(), true) == 1)
    key = static_cast<std::size_t>(std::find(key_candidate.begin(), key_candidate.end(), true) -
                                   key_candidate.begin());
  if (key) {
    Column& k = s.columns[*key];
    k.key = k.required = k.indexed = true;
  }
  return s;
}

}  // namespace kilde::products
