#include "base/norwegian_ids.h"

#include <array>
#include <cstddef>

namespace kilde {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int Digit(std::string_view s, std::size_t i) { return s[i] - '0'; }

// 11 - (weighted sum mod 11), with 11 -> 0; returns 10 when no check digit exists.
template <std::size_t N>
int Mod11(std::string_view digits, const std::array<int, N>& weights) {
  int sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += Digit(digits, i) * weights[i];
  int check = 11 - sum % 11;
  return check == 11 ? 0 : check;
}

constexpr std::array<int, 8> kOrgWeights = {3, 2, 7, 6, 5, 4, 3, 2};
constexpr std::array<int, 9> kK1Weights = {3, 7, 6, 1, 8, 9, 4, 5, 2};
constexpr std::array<int, 10> kK2Weights = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

// Whether the two-digit year `yy` is a leap year, given the individual number that fixes the
// century: 000-499 are born 1900-1999 (so "00" is 1900, not a leap year); every other range
// that can hold "00" is 2000-2039. Ranges 1854-1899 and 1940-1999 follow the plain 4-year rule.
bool IsLeap(int yy, int individual) { return yy % 4 == 0 && !(yy == 0 && individual <= 499); }

int DaysInMonth(int month, bool leap) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap ? 29 : kDays[month - 1];
}

struct DecodedDate {
  bool d_number = false;
  bool synthetic = false;
  bool valid = false;
};

DecodedDate DecodeDate(std::string_view s) {
  DecodedDate out;
  int day = Digit(s, 0) * 10 + Digit(s, 1);
  int month = Digit(s, 2) * 10 + Digit(s, 3);
  int yy = Digit(s, 4) * 10 + Digit(s, 5);
  int individual = Digit(s, 6) * 100 + Digit(s, 7) * 10 + Digit(s, 8);
  if (day > 40) {
    day -= 40;
    out.d_number = true;
  }
  if (month > 80) {
    month -= 80;
    out.synthetic = true;
  } else if (month > 40) {
    month -= 40;
    out.synthetic = true;
  }
  out.valid = month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(month, IsLeap(yy, individual));
  return out;
}

}  // namespace

std::optional<int> OrganizationNumberCheckDigit(std::string_view first8) {
  if (first8.size() != 8 || !AllDigits(first8)) return std::nullopt;
  int check = Mod11(first8, kOrgWeights);
  if (check == 10) return std::nullopt;
  return check;
}

std::optional<IdProblem> OrganizationNumberProblem(std::string_view s) {
  if (s.size() != 9 || !AllDigits(s)) return IdProblem{IdDefect::kFormat, "must be 9 digits"};
  std::optional<int> check = OrganizationNumberCheckDigit(s.substr(0, 8));
  if (!check) return IdProblem{IdDefect::kChecksum, "check digit mismatch (no valid check digit exists)"};
  if (*check != Digit(s, 8)) return IdProblem{IdDefect::kChecksum, "check digit mismatch"};
  return std::nullopt;
}

bool IsValidOrganizationNumber(std::string_view s) { return !OrganizationNumberProblem(s).has_value(); }

std::optional<IdProblem> FodselsnummerProblem(std::string_view s) {
  if (s.size() != 11 || !AllDigits(s)) return IdProblem{IdDefect::kFormat, "must be 11 digits"};
  if (!DecodeDate(s).valid)
    return IdProblem{IdDefect::kDate, "the first six digits are not a real date (DDMMYY)"};
  int k1 = Mod11(s, kK1Weights);
  if (k1 == 10 || k1 != Digit(s, 9)) return IdProblem{IdDefect::kChecksum, "check digit mismatch (K1)"};
  int k2 = Mod11(s, kK2Weights);
  if (k2 == 10 || k2 != Digit(s, 10)) return IdProblem{IdDefect::kChecksum, "check digit mismatch (K2)"};
  return std::nullopt;
}

bool IsValidFodselsnummer(std::string_view s) { return !FodselsnummerProblem(s).has_value(); }

std::optional<PersonIdKind> ClassifyFodselsnummer(std::string_view s) {
  if (!IsValidFodselsnummer(s)) return std::nullopt;
  DecodedDate d = DecodeDate(s);
  if (d.synthetic) return PersonIdKind::kSynthetic;
  if (d.d_number) return PersonIdKind::kDNumber;
  return PersonIdKind::kFodselsnummer;
}

}  // namespace kilde
