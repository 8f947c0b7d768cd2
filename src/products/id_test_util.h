// Test helpers: valid Norwegian identifiers built by computing check digits (standards.md).
#pragma once

#include <string>

namespace kilde::products::testing {

// `first9` (DDMMYYIII) completed with K1 and K2, or "" if no valid check digits exist for it.
inline std::string WithFnrCheckDigits(const std::string& first9) {
  static const int kW1[] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
  static const int kW2[] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
  int s1 = 0;
  for (int i = 0; i < 9; ++i) s1 += (first9[i] - '0') * kW1[i];
  int k1 = 11 - s1 % 11;
  if (k1 == 11) k1 = 0;
  if (k1 == 10) return "";
  std::string ten = first9 + static_cast<char>('0' + k1);
  int s2 = 0;
  for (int i = 0; i < 10; ++i) s2 += (ten[i] - '0') * kW2[i];
  int k2 = 11 - s2 % 11;
  if (k2 == 11) k2 = 0;
  if (k2 == 10) return "";
  return ten + static_cast<char>('0' + k2);
}

// The `n`-th (0-based) valid number for birth date `ddmmyy`, trying individual numbers
// `first_individual`, `first_individual + 1`, ... Use ddmmyy with day + 40 for a D-number.
inline std::string ValidFnr(const std::string& ddmmyy, int n = 0, int first_individual = 100) {
  for (int ind = first_individual; ind < 1000; ++ind) {
    std::string ind3 = std::to_string(ind);
    ind3.insert(0, 3 - ind3.size(), '0');
    std::string f = WithFnrCheckDigits(ddmmyy + ind3);
    if (!f.empty() && n-- == 0) return f;
  }
  return "";
}

// `valid` with its last check digit changed, so that K2 no longer matches.
inline std::string BreakCheckDigit(std::string valid) {
  valid.back() = valid.back() == '9' ? '0' : static_cast<char>(valid.back() + 1);
  return valid;
}

}  // namespace kilde::products::testing
