// Checking and converting one cell of a data file to a typed value of its column.
//
// Rules (all types):
// - A cell is null if its text, with surrounding whitespace (ASCII space, tab, CR, LF, U+00A0)
//   trimmed, equals one of ParseOptions::null_markers (also trimmed). This holds for string
//   columns too: with the default markers {""} an empty or blank string cell is null. Norwegian
//   statistics mark suppressed values with "-", "." or ":"; pass those as markers.
// - Null in a required (or key) column is an error ("required value is missing").
// - Non-string values are trimmed before parsing; string values are kept exactly as given.
// - Error messages are fixed English phrases that never repeat the cell's text, so quality
//   reports can be shown without leaking personal data.
//
// Per type (canonical form in brackets):
// - string: any valid UTF-8 [unchanged].
// - integer: optional sign (+, -, U+2212), ASCII digits, within int64 [int64]. Digits may be
//   grouped in threes by one kind of separator: ASCII space, U+00A0 or U+202F ("1 234 567");
//   any other use of a separator is an error.
// - decimal: integer part as above (grouping allowed), then optionally the decimal mark and
//   digits, then optionally an exponent (e/E, optional sign, digits); finite. The decimal mark is
//   '.' or, with ParseOptions::decimal_comma, ',' — only that one (with decimal_comma "1.5" is an
//   error, so "1.234" can never be misread). Digits are required on both sides of the mark.
//   [double, plus text: '-' if negative, digits without separators, '.', the fraction as given,
//   "e" and the exponent without '+'; e.g. "1 234,50" -> "1234.50"].
//   The text is how the value was written; the content hash and distinct counts use the double
//   (quality.h CanonicalText), so "1234.50" and "1234.5" are one value there.
// - boolean: true/false, 1/0, ja/nei, yes/no, case-insensitive [int64 1 or 0].
// - date: YYYY-MM-DD or D.M.YYYY / DD.MM.YYYY (Norwegian), a real calendar date [YYYY-MM-DD].
// - datetime: "YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]" followed by Z or an offset (+HH:MM, +HHMM,
//   +HH) is converted to UTC. WITHOUT an offset it is read as Oslo local time (CET/CEST, EU
//   summer-time rule; 1981-1995 summer time ended on the last Sunday of September; before 1981
//   always +01:00). In the autumn's repeated hour the earlier (summer-time) instant is taken;
//   a time in the spring gap is an error. Fractions are dropped. A date alone is an error.
//   [RFC 3339 UTC, "YYYY-MM-DDTHH:MM:SSZ", via kilde::NormalizeTimestamp].
// - fodselsnummer: 11 digits, optionally written "DDMMYY IIIKK" with one space; date and both
//   check digits verified (D-numbers and synthetic test numbers accepted) [11 digits].
// - organisasjonsnummer: 9 digits; spaces (ASCII, U+00A0, U+202F) anywhere are removed
//   ("958 935 420"); mod-11 check digit verified [9 digits].
// - enum: exactly (case-sensitive) one of the column's values [that value].
//
// All functions are pure and thread safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "products/schema.h"

namespace kilde::products {

struct ParseOptions {
  bool decimal_comma = false;                    // ',' instead of '.' as the decimal mark
  std::vector<std::string> null_markers = {""};  // cell texts that mean "no value"
};

// A typed value ready for storage.
struct Value {
  enum class Kind { kNull, kInt, kReal, kText };
  Kind kind = Kind::kNull;
  int64_t i = 0;     // kInt: integers, booleans (0/1)
  double d = 0;      // kReal: decimals
  std::string text;  // kText: canonical text; kReal: canonical decimal text (see above)
};

// How values of type `t` are stored when not null: kInt (integer, boolean), kReal (decimal)
// or kText (everything else).
Value::Kind StorageKind(ColumnType t);

// The result of ParseCell: a value, or a reason in plain English when `error` is not empty
// (then `value` is null).
struct CellResult {
  Value value;
  std::string error;
  bool ok() const { return error.empty(); }
};

// Checks `raw` against column `c` and converts it (see the rules above).
CellResult ParseCell(const Column& c, std::string_view raw, const ParseOptions& opt);

// ParseCell into storage the caller reuses from cell to cell (for ingest: no allocation per cell
// once `out.text` has grown). On success sets `out` (kind, and `text` as ParseCell would; `text` is
// cleared for integers and booleans) and returns true; otherwise sets `*error` to the reason, makes
// `out` null and returns false. Same results as ParseCell.
bool ParseCellInto(const Column& c, std::string_view raw, const ParseOptions& opt, Value& out,
                   std::string* error);

// True if `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF). Otherwise, if `bad_offset` is not null, stores the byte offset of the first bad
// sequence there.
bool IsValidUtf8(std::string_view s, std::size_t* bad_offset = nullptr);

// `s` without surrounding whitespace (ASCII space, tab, CR, LF, U+00A0), as ParseCell trims.
std::string_view TrimCell(std::string_view s);

// Whether `s` (trimmed) equals one of `markers` (trimmed): the null test of ParseCell.
bool IsNullMarker(std::string_view s, const std::vector<std::string>& markers);

}  // namespace kilde::products
