#include "products/infer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "products/id_test_util.h"

namespace kilde::products {
namespace {

using testing::BreakCheckDigit;
using testing::ValidFnr;

// Header and the first 30 rows of oslo_BEF029_innvandrere_botid_bydel_2025.csv (Oslo kommune,
// Statistikkbanken, via oslokommune/OK_PxBuild; UTF-8, ';').
const char* kBef029 = R"(
aar;bosted;innvandringsgrunn;botid_i_alt;kort_botid_5_ar;lang_botid_5_ar
2025;0301 Oslo i alt;Alle innvandringsgrunner;191686;48518;143168
2025;0301 Oslo i alt;Arbeid;39803;14849;24954
2025;0301 Oslo i alt;Familie, referanseperson flukt;14991;1197;13794
2025;0301 Oslo i alt;Familie, referanseperson annet;21978;3920;18058
2025;0301 Oslo i alt;Familie;24602;9280;15322
2025;0301 Oslo i alt;Flukt;32543;5918;26625
2025;0301 Oslo i alt;Utdanning;11570;4648;6922
2025;0301 Oslo i alt;Andre grunner;1000;414;586
2025;0301 Oslo i alt;Uoppgitt innvandringsgrunn;10333;4634;5699
2025;0301 Oslo i alt;Uten innvandringsgrunn;34866;3658;31208
2025;01 Gamle Oslo;Alle innvandringsgrunner;18925;4744;14181
2025;01 Gamle Oslo;Arbeid;3979;1668;2311
2025;01 Gamle Oslo;Familie, referanseperson flukt;1580;109;1471
2025;01 Gamle Oslo;Familie, referanseperson annet;1783;341;1442
2025;01 Gamle Oslo;Familie;2093;814;1279
2025;01 Gamle Oslo;Flukt;3983;551;3432
2025;01 Gamle Oslo;Utdanning;991;262;729
2025;01 Gamle Oslo;Andre grunner;130;70;60
2025;01 Gamle Oslo;Uoppgitt innvandringsgrunn;1072;488;584
2025;01 Gamle Oslo;Uten innvandringsgrunn;3314;441;2873
2025;02 Grünerløkka;Alle innvandringsgrunner;18354;5516;12838
2025;02 Grünerløkka;Arbeid;4282;1819;2463
2025;02 Grünerløkka;Familie, referanseperson flukt;1302;89;1213
2025;02 Grünerløkka;Familie, referanseperson annet;1846;399;1447
2025;02 Grünerløkka;Familie;2246;935;1311
2025;02 Grünerløkka;Flukt;3214;585;2629
2025;02 Grünerløkka;Utdanning;1220;508;712
2025;02 Grünerløkka;Andre grunner;89;51;38
2025;02 Grünerløkka;Uoppgitt innvandringsgrunn;1144;610;534
2025;02 Grünerløkka;Uten innvandringsgrunn;3011;520;2491
)";

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Splits `text` into lines (skipping empty ones) and cells at `delim`; the first line is the header.
Table ParseTable(std::string_view text, char delim = ';') {
  Table t;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == delim) {
        cells.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    if (t.header.empty())
      t.header = std::move(cells);
    else
      t.rows.push_back(std::move(cells));
  }
  return t;
}

Schema Infer(const Table& t, ParseOptions opt = {}) {
  Schema s = InferSchema(t.header, t.rows, opt);
  Result<Schema> again = ParseSchema(SchemaToJson(s));
  EXPECT_TRUE(again.ok()) << (again.ok() ? "" : again.status().details().front().field);
  return s;
}

// A one-column table named `name` with `values`.
Table Column1(std::string name, std::vector<std::string> values) {
  Table t;
  t.header = {std::move(name)};
  for (auto& v : values) t.rows.push_back({std::move(v)});
  return t;
}

TEST(Infer, Bef029Sample) {
  Table t = ParseTable(kBef029);
  ASSERT_EQ(t.rows.size(), 30u);
  Schema s = Infer(t);
  ASSERT_EQ(s.columns.size(), 6u);
  const Column& aar = s.columns[0];
  EXPECT_EQ(aar.name, "aar");
  EXPECT_EQ(aar.type, ColumnType::kInteger);
  EXPECT_TRUE(aar.required);
  EXPECT_FALSE(aar.key);
  EXPECT_TRUE(aar.description.empty());

  const Column& bosted = s.columns[1];
  EXPECT_EQ(bosted.type, ColumnType::kEnum);
  EXPECT_EQ(bosted.enum_values,
            (std::vector<std::string>{"0301 Oslo i alt", "01 Gamle Oslo", "02 Grünerløkka"}));
  EXPECT_TRUE(bosted.indexed);

  const Column& grunn = s.columns[2];
  EXPECT_EQ(grunn.type, ColumnType::kEnum);
  ASSERT_EQ(grunn.enum_values.size(), 10u);
  EXPECT_EQ(grunn.enum_values[0], "Alle innvandringsgrunner");
  EXPECT_EQ(grunn.enum_values[2], "Familie, referanseperson flukt");

  for (std::size_t i = 3; i < 6; ++i) {
    EXPECT_EQ(s.columns[i].type, ColumnType::kInteger) << i;
    EXPECT_TRUE(s.columns[i].required) << i;
  }
  EXPECT_EQ(s.columns[4].name, "kort_botid_5_ar");
  // Three count columns are all distinct in the sample and none is named like an id: no key.
  EXPECT_EQ(s.KeyCount(), 0);
  for (const Column& c : s.columns) EXPECT_EQ(c.personal_data, PersonalData::kNone) << c.name;
}

TEST(Infer, LeadingZerosStayStrings) {
  // SYS002 drops leading zeros ("30101"); codes that keep them must never become numbers.
  Schema s = Infer(Column1("bydelsnr", {"030101", "030102", "030103", "030116"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kString);
  EXPECT_TRUE(s.columns[0].key);  // all distinct, name ends in "nr"
  s = Infer(Column1("geografi", {"30101", "30102", "100000", "102"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kInteger);
  s = Infer(Column1("kode", {"1", "05", "12"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kString);
  s = Infer(Column1("andel", {"0.5", "05.5"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kString);
  s = Infer(Column1("andel", {"0.5", "0", "-0.25"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kDecimal);
}

TEST(Infer, DecimalsAndSuppressedValues) {
  // VAL001-like: '-' marks suppressed cells.
  Table t = ParseTable(R"(
valgår;bosted;valgdeltagelse (prosent);antall stemmer
2023;Oslo i alt;64.1;366081
2023;Gamle Oslo;-;-
2023;Grünerløkka;50.8;21898
)");
  ParseOptions opt{.decimal_comma = false, .null_markers = {"", "-", ".", ":"}};
  Schema s = Infer(t, opt);
  EXPECT_EQ(s.columns[0].name, "valgår");
  EXPECT_EQ(s.columns[2].name, "valgdeltagelse_prosent");
  EXPECT_EQ(s.columns[2].description, "Source column: valgdeltagelse (prosent)");
  EXPECT_EQ(s.columns[2].type, ColumnType::kDecimal);
  EXPECT_FALSE(s.columns[2].required);
  EXPECT_EQ(s.columns[3].type, ColumnType::kInteger);
  EXPECT_FALSE(s.columns[3].required);
  EXPECT_TRUE(s.columns[1].key);  // the only all-distinct, non-null column
  // Without the marker the '-' makes them strings.
  s = Infer(t);
  EXPECT_EQ(s.columns[2].type, ColumnType::kString);
  // Decimal comma.
  s = Infer(Column1("andel", {"59,2", "1 234,5", "7"}),
            ParseOptions{.decimal_comma = true, .null_markers = {""}});
  EXPECT_EQ(s.columns[0].type, ColumnType::kDecimal);
  s = Infer(Column1("andel", {"59,2", "7"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kString);
}

TEST(Infer, Fodselsnummer) {
  std::vector<std::string> fnrs;
  for (int i = 0; i < 10; ++i) fnrs.push_back(ValidFnr(i % 2 ? "010190" : "450385", i));  // incl. D-numbers
  Schema s = Infer(Column1("person", fnrs));
  const Column& c = s.columns[0];
  EXPECT_EQ(c.type, ColumnType::kFodselsnummer);
  EXPECT_EQ(c.personal_data, PersonalData::kPersonal);
  EXPECT_TRUE(c.indexed);
  EXPECT_TRUE(c.key);  // only all-distinct column
  EXPECT_EQ(s.PersonIdColumn(), 0u);

  // 9 of 10 valid (90 %) is enough; 8 of 10 is not (then the leading zeros keep it a string).
  std::vector<std::string> nine = fnrs;
  nine[3] = BreakCheckDigit(nine[3]);
  EXPECT_EQ(Infer(Column1("person", nine)).columns[0].type, ColumnType::kFodselsnummer);
  std::vector<std::string> eight = nine;
  eight[4] = BreakCheckDigit(eight[4]);
  Column weak = Infer(Column1("person", eight)).columns[0];
  EXPECT_EQ(weak.type, ColumnType::kString);
  EXPECT_EQ(weak.personal_data, PersonalData::kNone);
  // ... unless the name says fødselsnummer; a string named so is still personal data.
  EXPECT_EQ(Infer(Column1("Fødselsnummer", eight)).columns[0].type, ColumnType::kFodselsnummer);
  Column named = Infer(Column1("fnr", {"ukjent", "x"})).columns[0];
  EXPECT_EQ(named.type, ColumnType::kString);
  EXPECT_EQ(named.personal_data, PersonalData::kPersonal);
}

TEST(Infer, Organisasjonsnummer) {
  Schema s = Infer(Column1("orgnr", {"958935420", "123456785"}));
  EXPECT_EQ(s.columns[0].type, ColumnType::kOrganisasjonsnummer);
  EXPECT_TRUE(s.columns[0].key);
  EXPECT_EQ(s.columns[0].personal_data, PersonalData::kNone);
  // Without the name hint: at least 3 values ("974760673" is Brønnøysundregistrene).
  EXPECT_EQ(Infer(Column1("x", {"958935420", "123456785"})).columns[0].type, ColumnType::kInteger);
  EXPECT_EQ(Infer(Column1("x", {"958935420", "123456785", "974760673"})).columns[0].type,
            ColumnType::kOrganisasjonsnummer);
  // One invalid check digit: not an orgnr column.
  EXPECT_EQ(Infer(Column1("orgnr", {"958935420", "958935421"})).columns[0].type, ColumnType::kInteger);
}

TEST(Infer, BooleansDatesAndTimes) {
  EXPECT_EQ(Infer(Column1("aktiv", {"ja", "nei", "Ja"})).columns[0].type, ColumnType::kBoolean);
  EXPECT_EQ(Infer(Column1("aktiv", {"true", "0"})).columns[0].type, ColumnType::kBoolean);
  EXPECT_EQ(Infer(Column1("antall", {"0", "1", "1"})).columns[0].type, ColumnType::kInteger);
  EXPECT_EQ(Infer(Column1("dato", {"2024-01-31", "01.02.2024"})).columns[0].type, ColumnType::kDate);
  EXPECT_EQ(Infer(Column1("tid", {"2024-01-31T10:00:00Z", "2024-02-01 08:15"})).columns[0].type,
            ColumnType::kDateTime);
  EXPECT_EQ(Infer(Column1("dato", {"2024-01-31", "2024-02-30"})).columns[0].type, ColumnType::kString);
}

TEST(Infer, EnumsNeedRepetitionOrAHint) {
  std::vector<std::string> kjonn;
  for (int i = 0; i < 4; ++i) kjonn.push_back(i % 2 ? "Mann" : "Kvinne");
  Column c = Infer(Column1("kjoenn", kjonn)).columns[0];  // hint, only 4 rows
  EXPECT_EQ(c.type, ColumnType::kEnum);
  EXPECT_EQ(c.enum_values, (std::vector<std::string>{"Kvinne", "Mann"}));
  EXPECT_EQ(Infer(Column1("navn", kjonn)).columns[0].type, ColumnType::kString);  // no hint, < 20 rows
  std::vector<std::string> distinct;
  for (int i = 0; i < 25; ++i) distinct.push_back("v" + std::to_string(i));
  EXPECT_EQ(Infer(Column1("bydel", distinct)).columns[0].type, ColumnType::kString);  // > 20 distinct
}

TEST(Infer, PersonalDataHints) {
  Table t;
  t.header = {"helsetilstand", "Diagnose", "bydel"};
  t.rows = {{"god", "J45", "Frogner"}, {"dårlig", "E11", "Frogner"}};
  Schema s = Infer(t);
  EXPECT_EQ(s.columns[0].personal_data, PersonalData::kSpecialCategory);
  EXPECT_EQ(s.columns[1].personal_data, PersonalData::kSpecialCategory);
  EXPECT_EQ(s.columns[2].personal_data, PersonalData::kNone);
}

TEST(Infer, KeysAndRequired) {
  Table t;
  t.header = {"id", "navn", "antall"};
  t.rows = {{"1", "a", "10"}, {"2", "b", "20"}, {"3", "c", ""}};
  Schema s = Infer(t);
  EXPECT_TRUE(s.columns[0].key);
  EXPECT_TRUE(s.columns[0].required);
  EXPECT_TRUE(s.columns[0].indexed);
  EXPECT_FALSE(s.columns[1].key);  // distinct too, but the id-named column wins
  EXPECT_TRUE(s.columns[1].required);
  EXPECT_FALSE(s.columns[2].required);
  EXPECT_EQ(s.KeyCount(), 1);
  // Two anonymous all-distinct columns: no key. One row: no key.
  t.header = {"a", "b"};
  t.rows = {{"x", "1"}, {"y", "2"}};
  EXPECT_EQ(Infer(t).KeyCount(), 0);
  t.rows = {{"x", "1"}};
  EXPECT_EQ(Infer(t).KeyCount(), 0);
  // Short rows: the missing cells are nulls.
  t.rows = {{"x", "1"}, {"y"}};
  s = Infer(t);
  EXPECT_TRUE(s.columns[0].required);
  EXPECT_FALSE(s.columns[1].required);
  // No rows at all: strings, nothing required.
  t.rows.clear();
  s = Infer(t);
  EXPECT_EQ(s.columns[0].type, ColumnType::kString);
  EXPECT_FALSE(s.columns[0].required);
}

TEST(Infer, ColumnNames) {
  EXPECT_EQ(ColumnNameFromHeader("Skatt for boligeiendommer (kr)"), "skatt_for_boligeiendommer_kr");
  EXPECT_EQ(ColumnNameFromHeader("skatteår"), "skatteår");
  EXPECT_EQ(ColumnNameFromHeader("SKATTEÅR"), "skatteår");
  EXPECT_EQ(ColumnNameFromHeader("\xEF\xBB\xBF"
                                 "aar"),
            "aar");
  EXPECT_EQ(ColumnNameFromHeader("  Grünerløkka  "), "grunerløkka");
  EXPECT_EQ(ColumnNameFromHeader("Straße / Café"), "strasse_cafe");
  EXPECT_EQ(ColumnNameFromHeader("geografi.1"), "geografi.1");
  EXPECT_EQ(ColumnNameFromHeader("2023"), "_2023");
  EXPECT_EQ(ColumnNameFromHeader("(%)"), "");
  EXPECT_EQ(ColumnNameFromHeader("andel %"), "andel");
  EXPECT_EQ(ColumnNameFromHeader("Gr\xFCnerl\xF8kka"), "gr_nerl_kka");  // Latin-1 bytes
  EXPECT_EQ(ColumnNameFromHeader("€ pris"), "pris");
  EXPECT_EQ(ColumnNameFromHeader(std::string(80, 'a')), std::string(63, 'a'));
  std::string long_norsk;
  for (int i = 0; i < 70; ++i) long_norsk += "å";
  EXPECT_TRUE(IsValidColumnName(ColumnNameFromHeader(long_norsk)));

  Table t;
  t.header = {"Antall", "antall", "ANTALL ", "", "(%)"};
  t.rows = {{"1", "2", "3", "4", "5"}};
  Schema s = Infer(t);
  EXPECT_EQ(s.columns[0].name, "antall");
  EXPECT_EQ(s.columns[1].name, "antall_2");
  EXPECT_EQ(s.columns[2].name, "antall_3");
  EXPECT_EQ(s.columns[3].name, "column_4");
  EXPECT_EQ(s.columns[4].name, "column_5");
  EXPECT_EQ(s.columns[1].description, "Source column: antall");
  EXPECT_EQ(s.columns[0].description, "Source column: Antall");
}

TEST(Infer, EmptyHeader) { EXPECT_TRUE(InferSchema({}, {}, ParseOptions{}).columns.empty()); }

}  // namespace
}  // namespace kilde::products
