#include "products/value.h"

#include <gtest/gtest.h>

#include <string>

namespace kilde::products {
namespace {

Column Col(ColumnType t, bool required = false) {
  Column c;
  c.name = "c";
  c.type = t;
  c.required = required;
  return c;
}

CellResult Parse(ColumnType t, std::string_view raw, ParseOptions opt = {}) {
  return ParseCell(Col(t), raw, opt);
}

// The error of parsing `raw` as `t` ("" if it parsed).
std::string Err(ColumnType t, std::string_view raw, ParseOptions opt = {}) {
  return Parse(t, raw, opt).error;
}

TEST(CellNull, DefaultMarkerIsEmptyOrBlank) {
  for (std::string_view raw : {"", "  ", "\t", "\xC2\xA0"}) {
    for (ColumnType t : {ColumnType::kString, ColumnType::kInteger, ColumnType::kDate}) {
      CellResult r = Parse(t, raw);
      EXPECT_TRUE(r.ok()) << raw;
      EXPECT_EQ(r.value.kind, Value::Kind::kNull);
    }
  }
}

TEST(CellNull, SuppressionMarkers) {
  ParseOptions opt{.decimal_comma = false, .null_markers = {"", "-", ".", ":"}};
  for (std::string_view raw : {"-", ".", ":", " - ", ""}) {
    EXPECT_EQ(Parse(ColumnType::kInteger, raw, opt).value.kind, Value::Kind::kNull) << raw;
    EXPECT_EQ(Parse(ColumnType::kString, raw, opt).value.kind, Value::Kind::kNull) << raw;
  }
  // Without the markers "-" is an invalid integer but a fine string.
  EXPECT_EQ(Err(ColumnType::kInteger, "-"), "not an integer");
  CellResult s = Parse(ColumnType::kString, "-");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value.text, "-");
}

TEST(CellNull, NoMarkersMeansEmptyIsAValue) {
  ParseOptions opt{.decimal_comma = false, .null_markers = {}};
  CellResult s = Parse(ColumnType::kString, "", opt);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value.kind, Value::Kind::kText);
  EXPECT_EQ(Err(ColumnType::kInteger, "", opt), "not an integer");
}

TEST(CellNull, RequiredAndKeyColumnsRejectNull) {
  ParseOptions opt{.decimal_comma = false, .null_markers = {"", "-"}};
  EXPECT_EQ(ParseCell(Col(ColumnType::kInteger, true), "-", opt).error, "required value is missing");
  EXPECT_EQ(ParseCell(Col(ColumnType::kString, true), "", opt).error, "required value is missing");
  Column key = Col(ColumnType::kString);
  key.key = true;
  EXPECT_EQ(ParseCell(key, "", opt).error, "required value is missing");
}

TEST(CellString, KeptExactlyAndUtf8Checked) {
  CellResult r = Parse(ColumnType::kString, "  Grünerløkka ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.kind, Value::Kind::kText);
  EXPECT_EQ(r.value.text, "  Grünerløkka ");
  EXPECT_EQ(Err(ColumnType::kString, "Gr\xFCnerl\xF8kka"), "not valid UTF-8 (at byte 2)");  // Latin-1 bytes
}

TEST(CellInteger, Valid) {
  struct Case {
    std::string_view raw;
    int64_t want;
  } cases[] = {{"42", 42},
               {"-7", -7},
               {"+7", 7},
               {" 12 ", 12},
               {"0", 0},
               {"007", 7},
               {"1 234", 1234},
               {"1 234 567", 1234567},
               {"1\xC2\xA0"
                "234",
                1234},
               {"12\xE2\x80\xAF"
                "345\xE2\x80\xAF"
                "678",
                12345678},
               {"\xE2\x88\x92"
                "5",
                -5},  // U+2212 MINUS SIGN
               {"9223372036854775807", INT64_MAX},
               {"-9223372036854775808", INT64_MIN}};
  for (const auto& c : cases) {
    CellResult r = Parse(ColumnType::kInteger, c.raw);
    ASSERT_TRUE(r.ok()) << c.raw << ": " << r.error;
    EXPECT_EQ(r.value.kind, Value::Kind::kInt);
    EXPECT_EQ(r.value.i, c.want) << c.raw;
  }
}

TEST(CellInteger, Invalid) {
  for (std::string_view raw : {"12a", "1.5", "1,234", "12 34", "1 2345", "1234 567", "1  234",
                               "1 234\xC2\xA0"
                               "567",
                               "--1", "+", "0x10", "1e3", "½"}) {
    CellResult r = Parse(ColumnType::kInteger, raw);
    EXPECT_EQ(r.error, "not an integer") << raw;
    EXPECT_EQ(r.value.kind, Value::Kind::kNull);
  }
  EXPECT_EQ(Err(ColumnType::kInteger, "9223372036854775808"), "integer out of range (more than 64 bits)");
}

TEST(CellDecimal, ValidWithCanonicalText) {
  struct Case {
    std::string_view raw;
    double want;
    std::string_view text;
  } cases[] = {{"59.2", 59.2, "59.2"},
               {"-0.5", -0.5, "-0.5"},
               {"+3", 3, "3"},
               {"60.0", 60.0, "60.0"},
               {"1e3", 1000, "1e3"},
               {"1.5E-2", 0.015, "1.5e-2"},
               {"2E+2", 200, "2e2"},
               {"1 234.50", 1234.5, "1234.50"},
               {" 7.25 ", 7.25, "7.25"},
               {"\xE2\x88\x92"
                "1.5",
                -1.5, "-1.5"}};
  for (const auto& c : cases) {
    CellResult r = Parse(ColumnType::kDecimal, c.raw);
    ASSERT_TRUE(r.ok()) << c.raw << ": " << r.error;
    EXPECT_EQ(r.value.kind, Value::Kind::kReal);
    EXPECT_DOUBLE_EQ(r.value.d, c.want) << c.raw;
    EXPECT_EQ(r.value.text, c.text) << c.raw;
  }
}

TEST(CellDecimal, DecimalComma) {
  ParseOptions comma{.decimal_comma = true, .null_markers = {""}};
  CellResult r = Parse(ColumnType::kDecimal, "59,2", comma);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_DOUBLE_EQ(r.value.d, 59.2);
  EXPECT_EQ(r.value.text, "59.2");
  r = Parse(ColumnType::kDecimal, "1 234 567,89", comma);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value.text, "1234567.89");
  EXPECT_TRUE(Parse(ColumnType::kDecimal, "12", comma).ok());
  // Only the configured mark: "1.234" must never be silently read as 1.234 or 1234.
  EXPECT_EQ(Err(ColumnType::kDecimal, "1.234", comma), "not a decimal number (the decimal mark is ',')");
  EXPECT_EQ(Err(ColumnType::kDecimal, "1,5"), "not a decimal number (the decimal mark is '.')");
}

TEST(CellDecimal, Invalid) {
  for (std::string_view raw :
       {".5", "5.", "1e", "1e+", "inf", "nan", "NaN", "1.2.3", "12 34.5", "1.5 e3", "abc", "--1", "0x1p3",
        "1.5\xC2\xA0"
        "000"}) {
    EXPECT_EQ(Err(ColumnType::kDecimal, raw), "not a decimal number (the decimal mark is '.')") << raw;
  }
  EXPECT_EQ(Err(ColumnType::kDecimal, "1e400"), "decimal number out of range");
  EXPECT_EQ(Err(ColumnType::kDecimal, "-1e400"), "decimal number out of range");
}

TEST(CellBoolean, WordsAndDigits) {
  for (std::string_view t : {"true", "TRUE", "True", "1", "ja", "Ja", "JA", "yes", " yes "}) {
    CellResult r = Parse(ColumnType::kBoolean, t);
    ASSERT_TRUE(r.ok()) << t;
    EXPECT_EQ(r.value.kind, Value::Kind::kInt);
    EXPECT_EQ(r.value.i, 1) << t;
  }
  for (std::string_view f : {"false", "FALSE", "0", "nei", "Nei", "no", "NO"}) {
    CellResult r = Parse(ColumnType::kBoolean, f);
    ASSERT_TRUE(r.ok()) << f;
    EXPECT_EQ(r.value.i, 0) << f;
  }
  for (std::string_view bad : {"2", "j", "n", "sant", "yes!", "00", "t"})
    EXPECT_EQ(Err(ColumnType::kBoolean, bad), "not a boolean (expected true/false, ja/nei, yes/no or 1/0)")
        << bad;
}

TEST(CellUtf8, Validation) {
  std::size_t bad = 99;
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("æøå ÆØÅ Grünerløkka € \xF0\x9F\x9A\xB2"));  // incl. a 4-byte sequence
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));                        // U+10FFFF
  struct Case {
    std::string_view s;
    std::size_t at;
  } cases[] = {{"ab\xC0\x80", 2},        // overlong NUL
               {"\xE0\x80\xAF", 0},      // overlong '/'
               {"x\xED\xA0\x80", 1},     // surrogate
               {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
               {"ab\xC3", 2},            // truncated
               {"\x80", 0},              // stray continuation byte
               {"ok\xE2\x82", 2},        // truncated 3-byte
               {"\xC3\x28", 0},          // bad continuation
               {"\xF8\x88\x80\x80\x80", 0}};
  for (const auto& c : cases) {
    EXPECT_FALSE(IsValidUtf8(c.s, &bad));
    EXPECT_EQ(bad, c.at);
  }
  EXPECT_FALSE(IsValidUtf8("\xFF", nullptr));
}

TEST(CellStorage, KindPerType) {
  EXPECT_EQ(StorageKind(ColumnType::kInteger), Value::Kind::kInt);
  EXPECT_EQ(StorageKind(ColumnType::kBoolean), Value::Kind::kInt);
  EXPECT_EQ(StorageKind(ColumnType::kDecimal), Value::Kind::kReal);
  for (ColumnType t : {ColumnType::kString, ColumnType::kDate, ColumnType::kDateTime,
                       ColumnType::kFodselsnummer, ColumnType::kOrganisasjonsnummer, ColumnType::kEnum})
    EXPECT_EQ(StorageKind(t), Value::Kind::kText);
}

TEST(CellTrim, TrimsAsciiWhitespaceAndNbsp) {
  EXPECT_EQ(TrimCell(" \t\xC2\xA0x y\r\n"), "x y");
  EXPECT_EQ(TrimCell(""), "");
  EXPECT_TRUE(IsNullMarker(" . ", {"."}));
  EXPECT_TRUE(IsNullMarker(":", {" : "}));
  EXPECT_FALSE(IsNullMarker("..", {"."}));
}

}  // namespace
}  // namespace kilde::products

namespace kilde::products {
namespace {

// ParseCellInto takes fast paths for plain numbers; the results must equal the general rules.
TEST(CellInto, PlainNumbersAtTheEdgesOfTheFastPath) {
  Value v;
  std::string err;
  const Column integer = Col(ColumnType::kInteger), decimal = Col(ColumnType::kDecimal);
  ASSERT_TRUE(ParseCellInto(integer, "999999999999999999", {}, v, &err));  // 18 digits
  EXPECT_EQ(v.i, 999999999999999999);
  ASSERT_TRUE(ParseCellInto(integer, "-9223372036854775808", {}, v, &err));  // 19 digits: general path
  EXPECT_EQ(v.i, INT64_MIN);
  EXPECT_FALSE(ParseCellInto(integer, "9223372036854775808", {}, v, &err));
  EXPECT_EQ(err, "integer out of range (more than 64 bits)");
  EXPECT_EQ(v.kind, Value::Kind::kNull);
  ASSERT_TRUE(ParseCellInto(integer, "-007", {}, v, &err));
  EXPECT_EQ(v.i, -7);
  ASSERT_TRUE(ParseCellInto(integer, "-0", {}, v, &err));
  EXPECT_EQ(v.i, 0);
  EXPECT_FALSE(ParseCellInto(integer, "--1", {}, v, &err));
  EXPECT_EQ(err, "not an integer");

  ASSERT_TRUE(ParseCellInto(decimal, "-0012.500", {}, v, &err));
  EXPECT_EQ(v.text, "-0012.500");
  EXPECT_EQ(v.d, -12.5);
  ParseOptions comma{.decimal_comma = true, .null_markers = {""}};
  ASSERT_TRUE(ParseCellInto(decimal, "3,25", comma, v, &err));
  EXPECT_EQ(v.text, "3.25");
  EXPECT_FALSE(ParseCellInto(decimal, "3.25", comma, v, &err));
  EXPECT_EQ(err, "not a decimal number (the decimal mark is ',')");
  for (std::string_view bad : {"1.", ".5", "-", "1.2.3", "1..2", "1.5x"}) {
    EXPECT_FALSE(ParseCellInto(decimal, bad, {}, v, &err)) << bad;
    EXPECT_EQ(err, "not a decimal number (the decimal mark is '.')") << bad;
  }
  EXPECT_FALSE(ParseCellInto(decimal, "1" + std::string(400, '0'), {}, v, &err));  // too big for a double
  EXPECT_EQ(err, "decimal number out of range");
  ASSERT_TRUE(ParseCellInto(decimal, "+1.50", {}, v, &err));  // general path: sign dropped
  EXPECT_EQ(v.text, "1.50");
}

// One Value reused across cells of different types carries nothing over.
TEST(CellInto, ReusedValue) {
  Value v;
  std::string err;
  ASSERT_TRUE(
      ParseCellInto(Col(ColumnType::kString), "a long text, longer than the small buffer", {}, v, &err));
  EXPECT_EQ(v.kind, Value::Kind::kText);
  ASSERT_TRUE(ParseCellInto(Col(ColumnType::kInteger), "12", {}, v, &err));
  EXPECT_EQ(v.kind, Value::Kind::kInt);
  EXPECT_EQ(v.text, "");
  ASSERT_TRUE(ParseCellInto(Col(ColumnType::kBoolean), "ja", {}, v, &err));
  EXPECT_EQ(v.i, 1);
  EXPECT_EQ(v.text, "");
  ASSERT_TRUE(ParseCellInto(Col(ColumnType::kDecimal), "2", {}, v, &err));
  EXPECT_EQ(v.text, "2");
  ASSERT_TRUE(ParseCellInto(Col(ColumnType::kString), " ", {}, v, &err));
  EXPECT_EQ(v.kind, Value::Kind::kNull);
  EXPECT_FALSE(ParseCellInto(Col(ColumnType::kDate), "x", {}, v, &err));
  EXPECT_EQ(v.kind, Value::Kind::kNull);
  ASSERT_TRUE(ParseCellInto(Col(ColumnType::kString), "b", {}, v, &err));
  EXPECT_EQ(err, "");
  EXPECT_EQ(v.text, "b");
}

TEST(CellUtf8, LongAsciiRunsAndLateErrors) {
  std::size_t bad = 0;
  const std::string ascii(1000, 'a');
  EXPECT_TRUE(IsValidUtf8(ascii));
  EXPECT_TRUE(IsValidUtf8(ascii + "\xC3\xB8" + ascii));
  EXPECT_FALSE(IsValidUtf8(ascii + "\xC3" + ascii, &bad));
  EXPECT_EQ(bad, 1000u);
  EXPECT_FALSE(IsValidUtf8("abcdefg\xFF", &bad));
  EXPECT_EQ(bad, 7u);
}

}  // namespace
}  // namespace kilde::products
