// Check-digit validation of Norwegian identifiers (see ../shared/standards.md):
// organisasjonsnummer (Enhetsregisteret) and fødselsnummer / D-nummer (Folkeregisteret).
//
// All functions are pure and take the identifier exactly as given: no whitespace trimming,
// no separators ("958 935 420" is not accepted).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kilde {

// Why an identifier is not valid.
enum class IdDefect {
  kFormat,    // wrong length or not all ASCII digits
  kDate,      // (fødselsnummer) the date part is not a real calendar date
  kChecksum,  // a check digit does not match (or the number cannot have a valid check digit)
};

struct IdProblem {
  IdDefect defect;
  std::string reason;  // short English phrase, e.g. "must be 9 digits", "check digit mismatch"
};

// Organisasjonsnummer: 9 ASCII digits; weights 3,2,7,6,5,4,3,2 over digits 1-8;
// check digit = 11 - (sum mod 11), remainder 0 -> 0, remainder 1 -> no valid number.
bool IsValidOrganizationNumber(std::string_view s);
// nullopt if `s` is valid, otherwise what is wrong with it.
std::optional<IdProblem> OrganizationNumberProblem(std::string_view s);
// The check digit (0-9) that completes the 8 ASCII digits `first8`, or nullopt if `first8`
// is not 8 digits or no check digit exists (remainder 1).
std::optional<int> OrganizationNumberCheckDigit(std::string_view first8);

// What sort of person number a valid 11-digit number is.
enum class PersonIdKind {
  kFodselsnummer,  // ordinary birth number
  kDNumber,        // D-nummer: day + 40
  kSynthetic,      // synthetic test number: month + 40 (NAV/Dolly) or month + 80 (Skatteetaten/Tenor);
                   // may also carry the D-number day offset
};

// Fødselsnummer / D-nummer / synthetic test number: 11 ASCII digits DDMMYYIIIK1K2.
// The date part (after removing the D-number and test offsets) must be a real date; the
// century (for 29 February) is derived from the individual number. K1 weights 3,7,6,1,8,9,4,5,2
// over digits 1-9, K2 weights 5,4,3,2,7,6,5,4,3,2 over digits 1-10; each = 11 - (sum mod 11),
// 11 -> 0, 10 -> invalid.
bool IsValidFodselsnummer(std::string_view s);
// nullopt if `s` is valid, otherwise what is wrong with it.
std::optional<IdProblem> FodselsnummerProblem(std::string_view s);
// The kind of a valid number; nullopt if `s` is not valid.
std::optional<PersonIdKind> ClassifyFodselsnummer(std::string_view s);

}  // namespace kilde
