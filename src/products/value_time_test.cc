// ParseCell for dates, date-times, Norwegian identifiers and enums.
#include <gtest/gtest.h>

#include <string>

#include "products/id_test_util.h"
#include "products/value.h"
#include "products/value_time.h"

namespace kilde::products {
namespace {

using testing::BreakCheckDigit;
using testing::ValidFnr;

CellResult Parse(ColumnType t, std::string_view raw) {
  Column c;
  c.name = "c";
  c.type = t;
  return ParseCell(c, raw, ParseOptions{});
}

// The canonical text of `raw` parsed as `t`, or "error: <reason>".
std::string Text(ColumnType t, std::string_view raw) {
  CellResult r = Parse(t, raw);
  if (!r.ok()) return "error: " + r.error;
  EXPECT_EQ(r.value.kind, Value::Kind::kText);
  return r.value.text;
}

TEST(CellDate, IsoAndNorwegianForms) {
  EXPECT_EQ(Text(ColumnType::kDate, "2024-02-29"), "2024-02-29");
  EXPECT_EQ(Text(ColumnType::kDate, " 2025-12-31 "), "2025-12-31");
  EXPECT_EQ(Text(ColumnType::kDate, "31.12.2024"), "2024-12-31");
  EXPECT_EQ(Text(ColumnType::kDate, "1.2.2024"), "2024-02-01");
  EXPECT_EQ(Text(ColumnType::kDate, "01.02.2024"), "2024-02-01");
}

TEST(CellDate, Invalid) {
  const std::string form = "error: not a date (expected YYYY-MM-DD or DD.MM.YYYY)";
  for (std::string_view raw : {"2024/01/01", "2024-1-01", "20240101", "01.02.24", "1.2", "001.02.2024",
                               "a.b.cdef", "2024-0a-01", "2024-01-15T10:00:00Z", "1. 2.2024"})
    EXPECT_EQ(Text(ColumnType::kDate, raw), form) << raw;
  for (std::string_view raw :
       {"2023-02-29", "2024-13-01", "2024-00-10", "32.01.2024", "29.02.2023", "0.1.2024"})
    EXPECT_EQ(Text(ColumnType::kDate, raw), "error: not a real calendar date") << raw;
}

TEST(CellDateTime, WithOffsetToUtc) {
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15T10:00:00Z"), "2024-01-15T10:00:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15t10:00:00z"), "2024-01-15T10:00:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15T10:00:00+01:00"), "2024-01-15T09:00:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15 10:00:00-0230"), "2024-01-15T12:30:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15T00:30+02"), "2024-01-14T22:30:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15T10:00:00.123456Z"), "2024-01-15T10:00:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-12-31T23:59:59-01:00"), "2025-01-01T00:59:59Z");
}

TEST(CellDateTime, WithoutOffsetIsOsloTime) {
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-01-15 10:00:00"), "2024-01-15T09:00:00Z");  // CET
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-07-01T12:00"), "2024-07-01T10:00:00Z");     // CEST
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-07-01 12:00:00,5"), "2024-07-01T10:00:00Z");
  // Summer time 2024 began 31 March 01:00 UTC (02:00 -> 03:00 local).
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-03-31 01:59:59"), "2024-03-31T00:59:59Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-03-31 02:30:00"),
            "error: not a valid Oslo local time (skipped when summer time begins)");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-03-31 03:00:00"), "2024-03-31T01:00:00Z");
  // It ended 27 October 01:00 UTC (03:00 -> 02:00 local): the repeated hour reads as summer time.
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-10-27 01:59:00"), "2024-10-26T23:59:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-10-27 02:30:00"), "2024-10-27T00:30:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "2024-10-27 03:00:00"), "2024-10-27T02:00:00Z");
  // 1981-1995: summer time ended on the last Sunday of September (30 September 1990).
  EXPECT_EQ(Text(ColumnType::kDateTime, "1990-08-01 12:00"), "1990-08-01T10:00:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "1990-10-15 12:00"), "1990-10-15T11:00:00Z");
  EXPECT_EQ(Text(ColumnType::kDateTime, "1975-07-01 12:00"), "1975-07-01T11:00:00Z");
}

TEST(CellDateTime, OsloOffsetAroundKnownChanges) {
  // Last Sundays: 2025-03-30 / 2025-10-26; 1995 ended 09-24; 1996 (first EU year) ended 10-27.
  EXPECT_EQ(OsloUtcOffsetHours(2025, 3, 30, 1, 59, 59), 1);
  EXPECT_EQ(OsloUtcOffsetHours(2025, 3, 30, 2, 0, 0), std::nullopt);
  EXPECT_EQ(OsloUtcOffsetHours(2025, 3, 30, 3, 0, 0), 2);
  EXPECT_EQ(OsloUtcOffsetHours(2025, 3, 23, 12, 0, 0), 1);
  EXPECT_EQ(OsloUtcOffsetHours(2025, 10, 26, 2, 59, 59), 2);
  EXPECT_EQ(OsloUtcOffsetHours(2025, 10, 26, 3, 0, 0), 1);
  EXPECT_EQ(OsloUtcOffsetHours(1995, 9, 24, 12, 0, 0), 1);
  EXPECT_EQ(OsloUtcOffsetHours(1995, 9, 23, 12, 0, 0), 2);
  EXPECT_EQ(OsloUtcOffsetHours(1996, 10, 1, 12, 0, 0), 2);
  EXPECT_EQ(OsloUtcOffsetHours(1996, 10, 27, 12, 0, 0), 1);
  EXPECT_EQ(OsloUtcOffsetHours(2100, 7, 1, 0, 0, 0), 2);
  EXPECT_EQ(OsloUtcOffsetHours(1, 7, 1, 0, 0, 0), 1);
}

TEST(CellDateTime, Invalid) {
  const std::string bad =
      "error: not a date-time (expected YYYY-MM-DDTHH:MM:SS with Z or a UTC offset, or Oslo local time "
      "without one)";
  for (std::string_view raw :
       {"2024-01-15", "2024-01-15T25:00:00Z", "2024-01-15T10:60", "2024-01-15T10:00:00X",
        "2024-01-15T10:00:00+1", "2024-01-15T10:00:00+01:0", "2024-01-15T10:00:00.Z", "2024-02-30T10:00:00Z",
        "15.01.2024 10:00", "2024-01-15_10:00", "2024-01-15T1000", "2024-01-15T10:00:00 +01:00",
        "2024-01-15T10:00:0"})
    EXPECT_EQ(Text(ColumnType::kDateTime, raw), bad) << raw;
}

TEST(CellFodselsnummer, AcceptsValidNumbers) {
  std::string fnr = ValidFnr("010190");          // 1 January 1990
  std::string dnr = ValidFnr("410190");          // D-number: day + 40
  std::string old = ValidFnr("290200", 0, 500);  // 29 February 2000 (individual 500-999: 2000s)
  for (const std::string& n : {fnr, dnr, old}) {
    ASSERT_EQ(n.size(), 11u);
    EXPECT_EQ(Text(ColumnType::kFodselsnummer, n), n);
    EXPECT_EQ(Text(ColumnType::kFodselsnummer, " " + n + " "), n);
  }
  EXPECT_EQ(Text(ColumnType::kFodselsnummer, fnr.substr(0, 6) + " " + fnr.substr(6)), fnr);
}

TEST(CellFodselsnummer, RejectsWithoutEchoingTheNumber) {
  std::string fnr = ValidFnr("010190");
  std::string broken = BreakCheckDigit(fnr);
  CellResult r = Parse(ColumnType::kFodselsnummer, broken);
  EXPECT_EQ(r.error, "check digit mismatch: not a valid fødselsnummer or D-number");
  EXPECT_EQ(r.error.find(broken), std::string::npos);
  EXPECT_EQ(r.value.kind, Value::Kind::kNull);
  EXPECT_EQ(Text(ColumnType::kFodselsnummer, "3201901234" + std::string("5")),
            "error: not a valid fødselsnummer or D-number: the date part is not a real date");
  for (std::string_view bad : {"0101901234", "010190123456", "01019O12345", "0101 9012345", "01-01-90-12345"})
    EXPECT_EQ(Text(ColumnType::kFodselsnummer, bad),
              "error: not a fødselsnummer or D-number (expected 11 digits)")
        << bad;
}

TEST(CellOrganisasjonsnummer, ValidAndInvalid) {
  EXPECT_EQ(Text(ColumnType::kOrganisasjonsnummer, "958935420"), "958935420");  // Oslo kommune
  EXPECT_EQ(Text(ColumnType::kOrganisasjonsnummer, "958 935 420"), "958935420");
  EXPECT_EQ(Text(ColumnType::kOrganisasjonsnummer,
                 "958\xC2\xA0"
                 "935\xC2\xA0"
                 "420"),
            "958935420");
  EXPECT_EQ(Text(ColumnType::kOrganisasjonsnummer, " 123456785 "), "123456785");
  EXPECT_EQ(Text(ColumnType::kOrganisasjonsnummer, "958935421"),
            "error: check digit mismatch: not a valid organisasjonsnummer");
  for (std::string_view bad : {"95893542", "9589354200", "958-935-420", "NO958935420", "abcdefghi"})
    EXPECT_EQ(Text(ColumnType::kOrganisasjonsnummer, bad),
              "error: not an organisasjonsnummer (expected 9 digits)")
        << bad;
}

TEST(CellEnum, ExactValuesOnly) {
  Column c;
  c.name = "bydel";
  c.type = ColumnType::kEnum;
  c.enum_values = {"Frogner", "Grünerløkka", "St. Hanshaugen"};
  CellResult r = ParseCell(c, " Grünerløkka ", ParseOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.text, "Grünerløkka");
  EXPECT_EQ(ParseCell(c, "frogner", ParseOptions{}).error, "not one of Frogner, Grünerløkka, St. Hanshaugen");
}

TEST(CellEnum, LongListsAreTruncated) {
  Column c;
  c.name = "bydel";
  c.type = ColumnType::kEnum;
  for (int i = 1; i <= 15; ++i) c.enum_values.push_back("B" + std::to_string(i));
  EXPECT_EQ(ParseCell(c, "B16", ParseOptions{}).error,
            "not one of B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, ... (15 values)");
}

}  // namespace
}  // namespace kilde::products
