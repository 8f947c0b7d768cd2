#include "products/value.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include "base/norwegian_ids.h"
#include "products/value_time.h"

namespace kilde::products {
namespace {

constexpr std::string_view kNbsp = "\xC2\xA0";            // U+00A0 NO-BREAK SPACE
constexpr std::string_view kNarrowNbsp = "\xE2\x80\xAF";  // U+202F NARROW NO-BREAK SPACE
constexpr std::string_view kMinusSign = "\xE2\x88\x92";   // U+2212 MINUS SIGN
constexpr std::size_t kMaxListedEnumValues = 10;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return !s.empty();
}

// Length of the digit-group separator (ASCII space, U+00A0, U+202F) at the start of `s`, or 0.
std::size_t SeparatorAt(std::string_view s) {
  if (s.starts_with(' ')) return 1;
  if (s.starts_with(kNbsp)) return kNbsp.size();
  if (s.starts_with(kNarrowNbsp)) return kNarrowNbsp.size();
  return 0;
}

// The digits of `s`, which is either plain digits or digits grouped in threes by one kind of
// separator ("1 234 567"); nullopt otherwise.
std::optional<std::string> Ungroup(std::string_view s) {
  if (AllDigits(s)) return std::string(s);
  std::string digits;
  std::string_view sep;
  bool first = true;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    std::size_t n = i - start;
    if (first ? (n < 1 || n > 3) : n != 3) return std::nullopt;
    digits.append(s.substr(start, n));
    if (i == s.size()) return digits;
    std::size_t m = SeparatorAt(s.substr(i));
    if (m == 0) return std::nullopt;
    if (sep.empty())
      sep = s.substr(i, m);
    else if (s.substr(i, m) != sep)
      return std::nullopt;
    i += m;
    first = false;
  }
}

// Removes a leading sign from `s`; returns true if it was a minus.
bool TakeSign(std::string_view& s) {
  if (s.starts_with('+')) {
    s.remove_prefix(1);
  } else if (s.starts_with('-')) {
    s.remove_prefix(1);
    return true;
  } else if (s.starts_with(kMinusSign)) {
    s.remove_prefix(kMinusSign.size());
    return true;
  }
  return false;
}

// Plain "[-]digits" (at most 18 digits: cannot overflow) without allocating; false if `s` has
// another form (then the general path decides).
bool FastInteger(std::string_view s, Value& v) {
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  int64_t n = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    n = n * 10 + (c - '0');
  }
  v.kind = Value::Kind::kInt;
  v.i = neg ? -n : n;
  v.text.clear();
  return true;
}

std::string ParseInteger(std::string_view s, Value& v) {
  if (FastInteger(s, v)) return "";
  bool neg = TakeSign(s);
  std::optional<std::string> digits = Ungroup(s);
  if (!digits) return "not an integer";
  std::string text = (neg ? "-" : "") + *digits;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v.i);
  if (ec == std::errc::result_out_of_range) return "integer out of range (more than 64 bits)";
  if (ec != std::errc() || ptr != text.data() + text.size()) return "not an integer";
  v.kind = Value::Kind::kInt;
  return "";
}

// Plain "[-]digits[<mark>digits]" into v.text (reusing its capacity); false if `s` has another
// form (sign '+' or U+2212, grouping, exponent, a stray mark): then the general path decides.
bool FastDecimal(std::string_view s, char mark, Value& v) {
  std::size_t i = s.starts_with('-') ? 1 : 0;
  const std::size_t int_start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == int_start) return false;
  const std::size_t int_end = i;
  if (i < s.size()) {
    if (s[i] != mark) return false;
    const std::size_t frac_start = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == frac_start || i != s.size()) return false;
  }
  v.text.assign(s);
  if (int_end < s.size()) v.text[int_end] = '.';  // the canonical mark
  const char* end = v.text.data() + v.text.size();
  auto [ptr, ec] = std::from_chars(v.text.data(), end, v.d);
  if (ec != std::errc() || ptr != end || !std::isfinite(v.d)) return false;  // e.g. out of range
  v.kind = Value::Kind::kReal;
  return true;
}

std::string ParseDecimal(std::string_view s, bool decimal_comma, Value& v) {
  const char mark = decimal_comma ? ',' : '.';
  if (FastDecimal(s, mark, v)) return "";
  const char other = decimal_comma ? '.' : ',';
  const std::string bad = std::string("not a decimal number (the decimal mark is '") + mark + "')";
  bool neg = TakeSign(s);
  std::string_view mantissa = s, exponent;
  bool has_exponent = false;
  if (std::size_t e = s.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = s.substr(0, e);
    exponent = s.substr(e + 1);
    has_exponent = true;
  }
  if (mantissa.find(other) != std::string_view::npos) return bad;
  std::string_view int_part = mantissa, frac;
  bool has_mark = false;
  if (std::size_t m = mantissa.find(mark); m != std::string_view::npos) {
    int_part = mantissa.substr(0, m);
    frac = mantissa.substr(m + 1);
    has_mark = true;
  }
  std::optional<std::string> digits = Ungroup(int_part);
  if (!digits || (has_mark && !AllDigits(frac))) return bad;
  std::string text = (neg ? "-" : "") + *digits;
  if (has_mark) text += "." + std::string(frac);
  if (has_exponent) {
    bool exp_neg = TakeSign(exponent);
    if (!AllDigits(exponent)) return bad;
    text += std::string("e") + (exp_neg ? "-" : "") + std::string(exponent);
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v.d);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && !std::isfinite(v.d)))
    return "decimal number out of range";
  if (ec != std::errc() || ptr != text.data() + text.size()) return bad;
  v.kind = Value::Kind::kReal;
  v.text = std::move(text);
  return "";
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

std::string ParseBoolean(std::string_view s, Value& v) {
  for (std::string_view t : {"true", "1", "ja", "yes"})
    if (EqualsNoCase(s, t)) {
      v.kind = Value::Kind::kInt;
      v.i = 1;
      return "";
    }
  for (std::string_view f : {"false", "0", "nei", "no"})
    if (EqualsNoCase(s, f)) {
      v.kind = Value::Kind::kInt;
      v.i = 0;
      return "";
    }
  return "not a boolean (expected true/false, ja/nei, yes/no or 1/0)";
}

std::string ParseFodselsnummer(std::string_view s, Value& v) {
  std::string digits(s);
  if (digits.size() == 12 && digits[6] == ' ') digits.erase(6, 1);
  if (std::optional<IdProblem> p = FodselsnummerProblem(digits)) {
    switch (p->defect) {
      case IdDefect::kFormat:
        return "not a fødselsnummer or D-number (expected 11 digits)";
      case IdDefect::kDate:
        return "not a valid fødselsnummer or D-number: the date part is not a real date";
      case IdDefect::kChecksum:
        return "check digit mismatch: not a valid fødselsnummer or D-number";
    }
  }
  v.kind = Value::Kind::kText;
  v.text = std::move(digits);
  return "";
}

std::string ParseOrganisasjonsnummer(std::string_view s, Value& v) {
  std::string digits;
  for (std::size_t i = 0; i < s.size();) {
    if (std::size_t n = SeparatorAt(s.substr(i))) {
      i += n;
    } else {
      digits += s[i++];
    }
  }
  if (std::optional<IdProblem> p = OrganizationNumberProblem(digits)) {
    if (p->defect == IdDefect::kFormat) return "not an organisasjonsnummer (expected 9 digits)";
    return "check digit mismatch: not a valid organisasjonsnummer";
  }
  v.kind = Value::Kind::kText;
  v.text = std::move(digits);
  return "";
}

std::string ParseEnum(const Column& c, std::string_view s, Value& v) {
  for (const std::string& allowed : c.enum_values)
    if (allowed == s) {
      v.kind = Value::Kind::kText;
      v.text = allowed;
      return "";
    }
  std::string msg = "not one of ";
  for (std::size_t k = 0; k < c.enum_values.size() && k < kMaxListedEnumValues; ++k)
    msg += (k > 0 ? ", " : "") + c.enum_values[k];
  if (c.enum_values.size() > kMaxListedEnumValues)
    msg += ", ... (" + std::to_string(c.enum_values.size()) + " values)";
  return msg;
}

}  // namespace

Value::Kind StorageKind(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean:
      return Value::Kind::kInt;
    case ColumnType::kDecimal:
      return Value::Kind::kReal;
    default:
      return Value::Kind::kText;
  }
}

std::string_view TrimCell(std::string_view s) {
  while (true) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
      s.remove_prefix(1);
    else if (s.starts_with(kNbsp))
      s.remove_prefix(kNbsp.size());
    else
      break;
  }
  while (true) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
      s.remove_suffix(1);
    else if (s.ends_with(kNbsp))
      s.remove_suffix(kNbsp.size());
    else
      break;
  }
  return s;
}

bool IsNullMarker(std::string_view s, const std::vector<std::string>& markers) {
  std::string_view t = TrimCell(s);
  for (const std::string& m : markers)
    if (TrimCell(m) == t) return true;
  return false;
}

bool IsValidUtf8(std::string_view s, std::size_t* bad_offset) {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII runs eight bytes at a time.
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i == s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07;
    } else {
      break;
    }
    if (i + n > s.size()) break;
    bool ok = true;
    for (std::size_t k = 1; k < n && ok; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      break;
    i += n;
  }
  if (i == s.size()) return true;
  if (bad_offset) *bad_offset = i;
  return false;
}

bool ParseCellInto(const Column& c, std::string_view raw, const ParseOptions& opt, Value& v,
                   std::string* error) {
  error->clear();
  v.kind = Value::Kind::kNull;
  if (IsNullMarker(raw, opt.null_markers)) {
    if (c.required || c.key) *error = "required value is missing";
    return error->empty();
  }
  std::string_view s = c.type == ColumnType::kString ? raw : TrimCell(raw);
  switch (c.type) {
    case ColumnType::kString: {
      std::size_t bad = 0;
      if (!IsValidUtf8(s, &bad)) {
        *error = "not valid UTF-8 (at byte " + std::to_string(bad) + ")";
      } else {
        v.kind = Value::Kind::kText;
        v.text.assign(s);
      }
      break;
    }
    case ColumnType::kInteger:
      *error = ParseInteger(s, v);
      break;
    case ColumnType::kDecimal:
      *error = ParseDecimal(s, opt.decimal_comma, v);
      break;
    case ColumnType::kBoolean:
      *error = ParseBoolean(s, v);
      break;
    case ColumnType::kDate:
      *error = ParseDateText(s, v);
      break;
    case ColumnType::kDateTime:
      *error = ParseDateTimeText(s, v);
      break;
    case ColumnType::kFodselsnummer:
      *error = ParseFodselsnummer(s, v);
      break;
    case ColumnType::kOrganisasjonsnummer:
      *error = ParseOrganisasjonsnummer(s, v);
      break;
    case ColumnType::kEnum:
      *error = ParseEnum(c, s, v);
      break;
  }
  if (!error->empty()) {
    v.kind = Value::Kind::kNull;
    return false;
  }
  if (v.kind == Value::Kind::kInt) v.text.clear();
  return true;
}

CellResult ParseCell(const Column& c, std::string_view raw, const ParseOptions& opt) {
  CellResult r;
  if (!ParseCellInto(c, raw, opt, r.value, &r.error)) r.value = Value{};
  return r;
}

}  // namespace kilde::products
