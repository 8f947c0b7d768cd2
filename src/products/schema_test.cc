#include "products/schema.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace kilde::products {
namespace {

using Json = nlohmann::json;

const char* kExample = R"({"columns":[
  {"name":"bydel","type":"enum","values":["Frogner","Grünerløkka","Sagene"],"required":true,"key":false,
   "indexed":true,"description":"Bydelen personen bor i","concept":"bydel","personal_data":"none"},
  {"name":"fnr","type":"fodselsnummer","key":true},
  {"name":"antall","type":"integer"},
  {"name":"andel_prosent","type":"decimal","description":"Andel i prosent"},
  {"name":"diagnose","type":"string","personal_data":"special_category"},
  {"name":"orgnr","type":"organisasjonsnummer","personal_data":"none"},
  {"name":"fra_dato","type":"date"},
  {"name":"endret","type":"datetime"},
  {"name":"aktiv","type":"boolean"}
]})";

// The (field, problem) pairs of a failed parse.
std::set<std::pair<std::string, std::string>> Problems(const Json& j) {
  Result<Schema> r = ParseSchema(j);
  EXPECT_FALSE(r.ok());
  std::set<std::pair<std::string, std::string>> out;
  if (r.ok()) return out;
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  for (const FieldProblem& p : r.status().details()) {
    EXPECT_FALSE(p.message.empty()) << p.field;
    out.emplace(p.field, p.problem);
  }
  return out;
}

// A schema with one column: {"name":"c","type":"string"} merged with `extra`.
Json OneColumn(const Json& extra) {
  Json col = {{"name", "c"}, {"type", "string"}};
  col.update(extra);
  return Json{{"columns", Json::array({col})}};
}

TEST(Schema, ParsesTheExample) {
  Result<Schema> r = ParseSchema(Json::parse(kExample));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Schema& s = *r;
  ASSERT_EQ(s.columns.size(), 9u);
  const Column& bydel = s.columns[0];
  EXPECT_EQ(bydel.type, ColumnType::kEnum);
  EXPECT_EQ(bydel.enum_values, (std::vector<std::string>{"Frogner", "Grünerløkka", "Sagene"}));
  EXPECT_TRUE(bydel.required);
  EXPECT_TRUE(bydel.indexed);
  EXPECT_FALSE(bydel.key);
  EXPECT_EQ(bydel.description, "Bydelen personen bor i");
  EXPECT_EQ(bydel.concept_id, "bydel");
  EXPECT_EQ(bydel.personal_data, PersonalData::kNone);

  const Column& fnr = s.columns[1];
  EXPECT_TRUE(fnr.key);
  EXPECT_TRUE(fnr.required);                              // implied by key
  EXPECT_TRUE(fnr.indexed);                               // implied by key
  EXPECT_EQ(fnr.personal_data, PersonalData::kPersonal);  // default for fodselsnummer

  const Column& antall = s.columns[2];
  EXPECT_FALSE(antall.required);
  EXPECT_FALSE(antall.indexed);
  EXPECT_TRUE(antall.description.empty());
  EXPECT_EQ(antall.personal_data, PersonalData::kNone);
  EXPECT_EQ(s.columns[4].personal_data, PersonalData::kSpecialCategory);

  EXPECT_EQ(s.KeyCount(), 1);
  EXPECT_EQ(s.Find("BYDEL"), 0u);
  EXPECT_EQ(s.Find("Fra_Dato"), 6u);
  EXPECT_EQ(s.Find("nope"), std::nullopt);
  EXPECT_EQ(s.PersonIdColumn(), 1u);
}

TEST(Schema, JsonRoundTrip) {
  Result<Schema> r = ParseSchema(Json::parse(kExample));
  ASSERT_TRUE(r.ok());
  Json out = SchemaToJson(*r);
  EXPECT_EQ(out["columns"][1], Json::parse(R"({"name":"fnr","type":"fodselsnummer","required":true,"key":true,
      "indexed":true,"personal_data":"personal"})"));
  EXPECT_FALSE(out["columns"][2].contains("values"));
  EXPECT_FALSE(out["columns"][2].contains("description"));
  EXPECT_EQ(out["columns"][0]["values"], Json::parse(R"(["Frogner","Grünerløkka","Sagene"])"));
  Result<Schema> again = ParseSchema(out);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(SchemaToJson(*again), out);
}

TEST(Schema, ReportsEveryProblemAtOnce) {
  Json j = Json::parse(R"({"columns":[
    {"name":"1bad","type":"integer","colour":"red"},
    {"type":"text","required":"yes"},
    {"name":"Bydel","type":"enum"},
    {"name":"bydel","type":"string","values":["a"]},
    {"name":"fnr","type":"fodselsnummer","personal_data":"none","key":true,"required":false},
    {"name":"flag","type":"boolean","key":true,"indexed":false},
    {"name":"kat","type":"enum","values":["a","a",""," b",3]},
    {"name":"x","type":"string","concept":"Not A Slug","personal_data":"secret","description":7},
    "not an object",
    {"name":"æøå_Ærlig","type":"date","indexed":1}
  ],"version":2})");
  std::set<std::pair<std::string, std::string>> want = {
      {"version", "unknown_field"},
      {"columns[0].name", "invalid_format"},
      {"columns[0].colour", "unknown_field"},
      {"columns[1].name", "required"},
      {"columns[1].type", "invalid_value"},
      {"columns[1].required", "wrong_type"},
      {"columns[2].values", "required"},
      {"columns[3].name", "conflict"},  // "bydel" repeats "Bydel"
      {"columns[3].values", "conflict"},
      {"columns[4].personal_data", "conflict"},
      {"columns[4].required", "conflict"},
      {"columns[5].key", "conflict"},
      {"columns[5].indexed", "conflict"},
      {"columns[6].values[1]", "conflict"},
      {"columns[6].values[2]", "required"},
      {"columns[6].values[3]", "invalid_format"},
      {"columns[6].values[4]", "wrong_type"},
      {"columns[7].concept", "invalid_format"},
      {"columns[7].personal_data", "invalid_value"},
      {"columns[7].description", "wrong_type"},
      {"columns[8]", "wrong_type"},
      {"columns[9].indexed", "wrong_type"},
  };
  EXPECT_EQ(Problems(j), want);
}

TEST(Schema, TopLevelShape) {
  EXPECT_EQ(Problems(Json::array()), (std::set<std::pair<std::string, std::string>>{{"", "wrong_type"}}));
  EXPECT_EQ(Problems(Json::object()),
            (std::set<std::pair<std::string, std::string>>{{"columns", "required"}}));
  EXPECT_EQ(Problems(Json{{"columns", nullptr}}),
            (std::set<std::pair<std::string, std::string>>{{"columns", "required"}}));
  EXPECT_EQ(Problems(Json{{"columns", "a"}}),
            (std::set<std::pair<std::string, std::string>>{{"columns", "wrong_type"}}));
  EXPECT_EQ(Problems(Json{{"columns", Json::array()}}),
            (std::set<std::pair<std::string, std::string>>{{"columns", "required"}}));
  Json many = Json::array();
  for (std::size_t i = 0; i <= kMaxColumns; ++i)
    many.push_back({{"name", "c" + std::to_string(i)}, {"type", "string"}});
  EXPECT_EQ(Problems(Json{{"columns", many}}),
            (std::set<std::pair<std::string, std::string>>{{"columns", "too_long"}}));
}

TEST(Schema, Lengths) {
  std::string name63(63, 'a'), name64(64, 'a');
  EXPECT_TRUE(ParseSchema(OneColumn({{"name", name63}})).ok());
  EXPECT_EQ(Problems(OneColumn({{"name", name64}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].name", "too_long"}}));
  std::string norsk;
  for (int i = 0; i < 63; ++i) norsk += "ø";  // 63 code points, 126 bytes
  EXPECT_TRUE(ParseSchema(OneColumn({{"name", norsk}})).ok());
  EXPECT_EQ(Problems(OneColumn({{"description", std::string(2001, 'x')}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].description", "too_long"}}));
  Json values = Json::array();
  for (std::size_t i = 0; i <= kMaxEnumValues; ++i) values.push_back("v" + std::to_string(i));
  EXPECT_EQ(Problems(OneColumn({{"type", "enum"}, {"values", values}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].values", "too_long"}}));
  EXPECT_EQ(Problems(OneColumn({{"type", "enum"}, {"values", {std::string(201, 'v')}}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].values[0]", "too_long"}}));
  EXPECT_EQ(Problems(OneColumn({{"type", "enum"}, {"values", Json::array()}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].values", "required"}}));
  EXPECT_EQ(Problems(OneColumn({{"type", "enum"}, {"values", "a,b"}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].values", "wrong_type"}}));
}

TEST(Schema, DefaultsAndNulls) {
  // Null members count as absent.
  Result<Schema> r = ParseSchema(
      OneColumn({{"description", nullptr}, {"key", nullptr}, {"values", nullptr}, {"concept", nullptr}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns[0].type, ColumnType::kString);
  EXPECT_FALSE(r->columns[0].required);
  // A key may say required/indexed true explicitly; special_category is allowed for fnr.
  r = ParseSchema(OneColumn({{"type", "fodselsnummer"},
                             {"key", true},
                             {"required", true},
                             {"indexed", true},
                             {"personal_data", "special_category"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns[0].personal_data, PersonalData::kSpecialCategory);
  // Integer, string, date, datetime, fnr, orgnr and enum columns may be keys.
  for (std::string_view t : {"integer", "string", "date", "datetime", "organisasjonsnummer"})
    EXPECT_TRUE(ParseSchema(OneColumn({{"type", t}, {"key", true}})).ok()) << t;
  EXPECT_TRUE(ParseSchema(OneColumn({{"type", "enum"}, {"values", {"a"}}, {"key", true}})).ok());
  EXPECT_EQ(Problems(OneColumn({{"type", "decimal"}, {"key", true}})),
            (std::set<std::pair<std::string, std::string>>{{"columns[0].key", "conflict"}}));
}

TEST(Schema, TypeNames) {
  for (int i = 0; i <= static_cast<int>(ColumnType::kEnum); ++i) {
    ColumnType t = static_cast<ColumnType>(i);
    EXPECT_EQ(TypeFromName(TypeName(t)), t);
  }
  EXPECT_EQ(TypeName(ColumnType::kFodselsnummer), "fodselsnummer");
  EXPECT_EQ(TypeName(ColumnType::kDateTime), "datetime");
  EXPECT_EQ(TypeFromName("String"), std::nullopt);
  EXPECT_EQ(TypeFromName("int"), std::nullopt);
  EXPECT_EQ(TypeFromName(""), std::nullopt);
  EXPECT_EQ(PersonalDataFromName("special_category"), PersonalData::kSpecialCategory);
  EXPECT_EQ(PersonalDataName(PersonalData::kPersonal), "personal");
  EXPECT_EQ(PersonalDataFromName("Personal"), std::nullopt);
}

TEST(Schema, ColumnNames) {
  for (std::string_view ok :
       {"a", "_", "bydel", "Bydel_Nr", "geografi.1", "alder-gruppe", "skatteår", "Ærlig", "ø", "_2023", "x9"})
    EXPECT_TRUE(IsValidColumnName(ok)) << ok;
  for (std::string_view bad :
       {"", "1a", ".a", "-a", "a b", "a(b)", "Grünerløkka", "a/b", "a,b", "é", "a\xC3"})
    EXPECT_FALSE(IsValidColumnName(bad)) << bad;
  EXPECT_EQ(FoldColumnName("ÆRLIG_Øst_Å"), "ærlig_øst_å");
  EXPECT_EQ(FoldColumnName("æøå"), "æøå");
}

TEST(Schema, FindAndPersonIdColumn) {
  Schema s;
  s.columns.resize(4);
  s.columns[0].name = "Ærlig";
  s.columns[1].name = "fnr_mor";
  s.columns[1].type = ColumnType::kFodselsnummer;
  s.columns[2].name = "fnr";
  s.columns[2].type = ColumnType::kFodselsnummer;
  s.columns[3].name = "x";
  EXPECT_EQ(s.Find("ærlig"), 0u);
  EXPECT_EQ(s.Find("ÆRLIG"), 0u);
  EXPECT_EQ(s.PersonIdColumn(), 1u);  // the first fnr column without a key
  s.columns[2].key = true;
  EXPECT_EQ(s.PersonIdColumn(), 2u);  // the key wins
  EXPECT_EQ(s.KeyCount(), 1);
  s.columns.resize(1);
  EXPECT_EQ(s.PersonIdColumn(), std::nullopt);
}

}  // namespace
}  // namespace kilde::products
