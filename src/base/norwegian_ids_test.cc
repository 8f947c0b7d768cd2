#include "base/norwegian_ids.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace kilde {
namespace {

TEST(OrganizationNumber, AcceptsKnownGoodNumbers) {
  EXPECT_TRUE(IsValidOrganizationNumber("958935420"));  // Oslo kommune
  EXPECT_TRUE(IsValidOrganizationNumber("123456785"));  // standards.md example: 12345678 -> 5
  EXPECT_FALSE(OrganizationNumberProblem("958935420").has_value());
}

TEST(OrganizationNumber, ComputesCheckDigit) {
  EXPECT_EQ(OrganizationNumberCheckDigit("12345678"), 5);
  EXPECT_EQ(OrganizationNumberCheckDigit("95893542"), 0);  // remainder 0 -> 0
  EXPECT_EQ(OrganizationNumberCheckDigit("1234567"), std::nullopt);
  EXPECT_EQ(OrganizationNumberCheckDigit("1234567x"), std::nullopt);
}

TEST(OrganizationNumber, RejectsWrongFormat) {
  for (const char* bad :
       {"", "95893542", "9589354200", "958 935 420", "95893542O", "-58935420", " 958935420"}) {
    auto p = OrganizationNumberProblem(bad);
    ASSERT_TRUE(p.has_value()) << bad;
    EXPECT_EQ(p->defect, IdDefect::kFormat) << bad;
    EXPECT_EQ(p->reason, "must be 9 digits");
    EXPECT_FALSE(IsValidOrganizationNumber(bad));
  }
}

TEST(OrganizationNumber, RejectsCheckDigitMismatch) {
  for (const char* bad : {"958935421", "958935429", "123456784", "123456786"}) {
    auto p = OrganizationNumberProblem(bad);
    ASSERT_TRUE(p.has_value()) << bad;
    EXPECT_EQ(p->defect, IdDefect::kChecksum) << bad;
    EXPECT_FALSE(IsValidOrganizationNumber(bad));
  }
}

TEST(OrganizationNumber, RemainderOneHasNoValidNumber) {
  // Find an 8-digit prefix whose weighted sum has remainder 1: none of its 10 completions is valid.
  bool found = false;
  for (int n = 10000000; n < 10000100 && !found; ++n) {
    std::string prefix = std::to_string(n);
    if (OrganizationNumberCheckDigit(prefix).has_value()) continue;
    found = true;
    for (char d = '0'; d <= '9'; ++d) {
      auto p = OrganizationNumberProblem(prefix + d);
      ASSERT_TRUE(p.has_value());
      EXPECT_EQ(p->defect, IdDefect::kChecksum);
    }
  }
  EXPECT_TRUE(found);
}

TEST(Fodselsnummer, AcceptsValidNumbers) {
  for (const char* good : {"01010012356", "15057412485", "31129912319",
                           "29029612410",     // 29 Feb 1996
                           "29020412354",     // 29 Feb 1904 (individual 123 -> 1900s)
                           "29020055640"}) {  // 29 Feb 2000 (individual 556 -> 2000s)
    EXPECT_TRUE(IsValidFodselsnummer(good)) << good << ": " << FodselsnummerProblem(good)->reason;
    EXPECT_EQ(ClassifyFodselsnummer(good), PersonIdKind::kFodselsnummer) << good;
  }
}

TEST(Fodselsnummer, AcceptsDNumbers) {
  EXPECT_TRUE(IsValidFodselsnummer("41017512321"));  // day 01 + 40
  EXPECT_EQ(ClassifyFodselsnummer("41017512321"), PersonIdKind::kDNumber);
}

TEST(Fodselsnummer, AcceptsSyntheticTestNumbers) {
  EXPECT_TRUE(IsValidFodselsnummer("01418012354"));  // month 01 + 40
  EXPECT_TRUE(IsValidFodselsnummer("01818012337"));  // month 01 + 80
  EXPECT_EQ(ClassifyFodselsnummer("01418012354"), PersonIdKind::kSynthetic);
  EXPECT_EQ(ClassifyFodselsnummer("01818012337"), PersonIdKind::kSynthetic);
}

TEST(Fodselsnummer, RejectsWrongFormat) {
  for (const char* bad : {"", "0101001235", "010100123566", "0101001235a", "010100 12356"}) {
    auto p = FodselsnummerProblem(bad);
    ASSERT_TRUE(p.has_value()) << bad;
    EXPECT_EQ(p->defect, IdDefect::kFormat) << bad;
    EXPECT_EQ(p->reason, "must be 11 digits");
  }
}

TEST(Fodselsnummer, RejectsImpossibleDates) {
  // Check digits computed to be right, so only the date is wrong.
  for (const char* bad : {"29020012380",  // 29 Feb 1900 (not a leap year)
                          "00010012345", "32010012345", "01130012345", "01000012345", "31040012345",
                          "72017512345",  // D-number with day 32
                          "01538012345",  // month 13 + 40
                          "01218012345"}) {
    auto p = FodselsnummerProblem(bad);
    ASSERT_TRUE(p.has_value()) << bad;
    EXPECT_EQ(p->defect, IdDefect::kDate) << bad;
  }
}

TEST(Fodselsnummer, RejectsCheckDigitMismatch) {
  for (const char* bad : {"01010012355", "01010012366", "15057412484", "41017512322", "01818012338"}) {
    auto p = FodselsnummerProblem(bad);
    ASSERT_TRUE(p.has_value()) << bad;
    EXPECT_EQ(p->defect, IdDefect::kChecksum) << bad;
    EXPECT_FALSE(IsValidFodselsnummer(bad));
    EXPECT_EQ(ClassifyFodselsnummer(bad), std::nullopt);
  }
}

TEST(Fodselsnummer, RejectsNumberWhoseK1WouldBeTen) {
  // For some DDMMYYIII no K1 exists; every completion is invalid.
  bool found = false;
  for (int ind = 0; ind < 1000 && !found; ++ind) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "010100%03d", ind);
    std::string base = buf;
    bool any_valid = false;
    for (int k = 0; k < 100; ++k) {
      std::snprintf(buf, sizeof buf, "%s%02d", base.c_str(), k);
      any_valid = any_valid || IsValidFodselsnummer(buf);
    }
    if (!any_valid) found = true;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace kilde
