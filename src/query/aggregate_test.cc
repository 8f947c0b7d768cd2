// The aggregate query: parsing (every bad input), the store scan it builds, the overflow error and
// the writers.
#include "query/aggregate.h"

#include <gtest/gtest.h>

#include "query/aggregate_writer.h"
#include "query/query_test_util.h"

namespace kilde::query::testing {
namespace {

using products::ColumnType;
using store::AggregateFn;

std::string Problems(const Status& s) {
  std::string out;
  for (const auto& p : s.details()) out += p.field + ":" + p.problem + ";";
  return out;
}

std::string Names(const AggregateQuery& q) {
  std::string out;
  for (const auto& o : q.outputs) out += (out.empty() ? "" : ",") + o.name;
  return out;
}

std::string Order(const AggregateQuery& q) {
  std::string out;
  for (const auto& o : q.order)
    out += (out.empty() ? "" : ",") + std::to_string(o.output) + (o.desc ? "d" : "a");
  return out;
}

Result<AggregateQuery> Parse(const http::Params& params, const products::Schema& schema = TestSchema()) {
  return ParseAggregateQuery(schema, params, AggregateLimits{}, QueryScope{});
}

// The test schema plus columns whose names collide with outputs, and a fødselsnummer column.
products::Schema WideSchema() {
  products::Schema s = TestSchema();
  for (auto [name, type] :
       {std::pair{"count", ColumnType::kInteger}, std::pair{"SUM_year", ColumnType::kInteger},
        std::pair{"fnr", ColumnType::kFodselsnummer}, std::pair{"ts", ColumnType::kDateTime}}) {
    products::Column c;
    c.name = name;
    c.type = type;
    s.columns.push_back(c);
  }
  return s;
}

TEST(AggregateParse, CountAllDefaults) {
  auto q = Parse({{"count", "*"}});
  ASSERT_TRUE(q.ok()) << Problems(q.status());
  EXPECT_EQ(Names(*q), "count");
  EXPECT_EQ(q->outputs[0].fn, AggregateFn::kCountRows);
  EXPECT_EQ(q->outputs[0].type, ColumnType::kInteger);
  EXPECT_EQ(q->group_count, 0u);
  EXPECT_TRUE(q->order.empty() && q->filters.empty());
  EXPECT_EQ(q->limit, 1000);
  EXPECT_EQ(q->offset, 0);
  EXPECT_EQ(q->format, "");
}

TEST(AggregateParse, FullQuery) {
  auto q = Parse({{"sum", "andel,Year"},
                  {"year", "gte.2020"},
                  {"group_by", "BYDEL,aktiv"},
                  {"count", "*,andel"},
                  {"avg", "year"},
                  {"min", "dato"},
                  {"max", "aktiv,navn"},
                  {"order", "sum_andel.desc,AKTIV"},
                  {"limit", "5"},
                  {"offset", "10"},
                  {"format", "csv"},
                  {"bydel", "in.(Alna,Frogner)"}});
  ASSERT_TRUE(q.ok()) << Problems(q.status());
  // Group columns first (schema names), then the aggregates in parameter order.
  EXPECT_EQ(Names(*q),
            "bydel,aktiv,sum_andel,sum_year,count,count_andel,avg_year,min_dato,max_aktiv,max_navn");
  EXPECT_EQ(q->group_count, 2u);
  std::vector<ColumnType> types;
  for (const auto& o : q->outputs) types.push_back(o.type);
  EXPECT_EQ(types, (std::vector<ColumnType>{ColumnType::kEnum, ColumnType::kBoolean, ColumnType::kDecimal,
                                            ColumnType::kInteger, ColumnType::kInteger, ColumnType::kInteger,
                                            ColumnType::kDecimal, ColumnType::kDate, ColumnType::kBoolean,
                                            ColumnType::kString}));
  EXPECT_EQ(q->outputs[5].fn, AggregateFn::kCount);
  EXPECT_EQ(q->outputs[5].column, 2);
  // The order named, then the group columns not named (bydel), ascending.
  EXPECT_EQ(Order(*q), "2d,1a,0a");
  EXPECT_EQ(q->limit, 5);
  EXPECT_EQ(q->offset, 10);
  EXPECT_EQ(q->format, "csv");
  ASSERT_EQ(q->filters.size(), 2u);
  EXPECT_EQ(q->filters[0].op, Op::kGte);
  EXPECT_EQ(q->filters[1].values.size(), 2u);
}

TEST(AggregateParse, GroupByAloneAndDefaultOrder) {
  auto q = Parse({{"group_by", "year,bydel"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(Names(*q), "year,bydel");
  EXPECT_EQ(Order(*q), "0a,1a");
  // Column names with '.' are matched whole before a direction suffix.
  products::Schema s = TestSchema();
  s.columns[0].name = "a.desc";
  q = Parse({{"group_by", "a.desc,year"}, {"order", "a.desc"}}, s);
  ASSERT_TRUE(q.ok()) << Problems(q.status());
  EXPECT_EQ(Order(*q), "0a,1a");
  q = Parse({{"group_by", "a.desc,year"}, {"order", "a.desc.desc"}}, s);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(Order(*q), "0d,1a");
}

TEST(AggregateParse, MinMaxTypes) {
  auto s = WideSchema();
  auto q = Parse({{"min", "navn,year,andel,aktiv,bydel,dato,ts"}, {"max", "ts"}}, s);
  ASSERT_TRUE(q.ok()) << Problems(q.status());
  EXPECT_EQ(q->outputs.back().type, ColumnType::kDateTime);
  q = Parse({{"min", "fnr"}, {"max", "fnr"}}, s);
  EXPECT_EQ(Problems(q.status()), "min:invalid_value;max:invalid_value;");
  EXPECT_NE(q.status().details()[0].message.find("fnr (fodselsnummer)"), std::string::npos);
  EXPECT_TRUE(Parse({{"count", "fnr"}, {"group_by", "fnr"}}, s).ok());
}

TEST(AggregateParse, SumAndAvgNeedNumbers) {
  for (const char* col : {"navn", "aktiv", "bydel", "dato"}) {
    for (const char* fn : {"sum", "avg"}) {
      auto q = Parse({{fn, col}});
      ASSERT_FALSE(q.ok());
      EXPECT_EQ(Problems(q.status()), std::string(fn) + ":invalid_value;");
      const std::string& msg = q.status().details()[0].message;
      EXPECT_NE(msg.find(col), std::string::npos) << msg;
      EXPECT_NE(msg.find("integer or decimal"), std::string::npos) << msg;
    }
  }
  auto q = Parse({{"sum", "navn"}});
  EXPECT_EQ(q.status().details()[0].message, "sum needs an integer or decimal column; navn is string");
  q = Parse({{"avg", "year"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->outputs[0].type, ColumnType::kDecimal);
}

TEST(AggregateParse, EveryBadInputAtOnce) {
  auto q = Parse({{"group_by", "bydel,nope"},
                  {"count", "*,*"},
                  {"sum", "andel,,year,ANDEL"},
                  {"avg", "navn"},
                  {"min", "ghost"},
                  {"max", "*"},
                  {"order", "count.sideways,sum_andel,SUM_ANDEL.desc,navn"},
                  {"limit", "0"},
                  {"offset", "-1"},
                  {"format", "xml"},
                  {"bydell", "eq.Alna"},
                  {"year", "between.1"},
                  {"year", "eq.abc"},
                  {"select", "navn"},
                  {"cursor", "x"},
                  {"group_by", "year"}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Problems(q.status()),
            "group_by:unknown_column;count:invalid_value;sum:unknown_column;sum:invalid_value;"
            "avg:invalid_value;min:unknown_column;max:unknown_column;limit:invalid_value;"
            "offset:invalid_value;format:invalid_value;bydell:unknown_column;year:unknown_operator;"
            "year:invalid_value;select:unknown_column;cursor:unknown_column;group_by:invalid_value;"
            "order:unknown_column;order:invalid_value;order:unknown_column;");
  // The order message lists the names that can be used.
  EXPECT_NE(q.status().details()[16].message.find("names: bydel, count, sum_andel, sum_year"),
            std::string::npos)
      << q.status().details()[16].message;
}

TEST(AggregateParse, SmallBadInputs) {
  auto one = [](const http::Params& p, const std::string& want) {
    auto q = ParseAggregateQuery(WideSchema(), p, AggregateLimits{10, 50}, QueryScope{});
    EXPECT_EQ(Problems(q.status()), want) << (p.empty() ? "" : p[0].first + "=" + p[0].second);
  };
  one({}, "group_by:required;");
  one({{"year", "eq.2020"}, {"limit", "5"}}, "group_by:required;");
  one({{"group_by", ""}}, "group_by:unknown_column;");
  one({{"count", ""}}, "count:unknown_column;");
  one({{"count", "*"}, {"limit", "51"}}, "limit:invalid_value;");
  one({{"count", "*"}, {"limit", "5x"}}, "limit:invalid_value;");
  one({{"count", "*"}, {"limit", "+5"}}, "limit:invalid_value;");
  one({{"count", "*"}, {"offset", ""}}, "offset:invalid_value;");
  one({{"count", "*"}, {"offset", "99999999999999999999"}}, "offset:invalid_value;");
  one({{"count", "*"}, {"count", "year"}}, "count:invalid_value;");
  one({{"group_by", "year,YEAR"}}, "group_by:invalid_value;");
  one({{"group_by", "year"}, {"order", "year,year.desc"}}, "order:invalid_value;");
  one({{"group_by", "year"}, {"order", ""}}, "order:unknown_column;");
  one({{"group_by", "year"}, {"order", "navn"}}, "order:unknown_column;");  // not an output
  // Output names collide (ignoring case): a column "count" with count=*, "SUM_year" with sum=year.
  one({{"group_by", "count"}, {"count", "*"}}, "count:conflict;");
  one({{"group_by", "sum_year"}, {"sum", "year"}}, "sum:conflict;");
  one({{"group_by", "navn"}, {"format", "json"}, {"format", "csv"}}, "format:invalid_value;");
  one({{"group_by", "navn"}, {"navn", "not.eq.x"}}, "navn:unknown_operator;");
  one({{"group_by", "navn"}, {"year", "like.2*"}}, "year:invalid_value;");
  auto q = ParseAggregateQuery(WideSchema(), {{"group_by", "count"}, {"count", "*"}}, AggregateLimits{},
                               QueryScope{});
  EXPECT_EQ(q.status().details().at(0).message,
            "two output columns would be named 'count' (group_by and count); leave one out");
}

TEST(AggregateParse, LimitDefaultIsCappedByMax) {
  EXPECT_EQ(ParseAggregateQuery(TestSchema(), {{"count", "*"}}, AggregateLimits{1000, 50}, {})->limit, 50);
  EXPECT_EQ(
      ParseAggregateQuery(TestSchema(), {{"count", "*"}, {"limit", "50"}}, AggregateLimits{1000, 50}, {})
          ->limit,
      50);
}

TEST(AggregateParse, ScopeHidesColumnsAndAddsRowFilters) {
  auto schema = TestSchema();
  QueryScope scope;
  scope.allowed_columns = std::vector<size_t>{1, 4};  // year, bydel
  auto grant = ParseFilters(schema, {{"bydel", "eq.Alna"}});
  ASSERT_TRUE(grant.ok());
  scope.row_filters = *grant;
  auto q = ParseAggregateQuery(schema, {{"group_by", "bydel"}, {"sum", "year"}, {"year", "gt.2000"}},
                               AggregateLimits{}, scope);
  ASSERT_TRUE(q.ok()) << Problems(q.status());
  ASSERT_EQ(q->filters.size(), 2u);  // the user's, then the grant's
  EXPECT_EQ(q->filters[1].column, 4u);
  q = ParseAggregateQuery(schema,
                          {{"group_by", "navn"},
                           {"count", "andel"},
                           {"sum", "andel"},
                           {"min", "dato"},
                           {"max", "aktiv"},
                           {"navn", "eq.x"},
                           {"order", "navn"}},
                          AggregateLimits{}, scope);
  // Hidden columns are unknown everywhere (not "wrong type"), so their existence is not revealed.
  EXPECT_EQ(Problems(q.status()),
            "group_by:unknown_column;count:unknown_column;sum:unknown_column;min:unknown_column;"
            "max:unknown_column;navn:unknown_column;order:unknown_column;");
}

TEST(AggregateScan, BuildsFixedGrammarWithPlaceholders) {
  auto q = Parse({{"navn", "like.a'; DROP TABLE x;--*"},
                  {"group_by", "bydel"},
                  {"count", "*,navn"},
                  {"sum", "year"},
                  {"order", "count.desc"},
                  {"limit", "5"},
                  {"offset", "3"}});
  ASSERT_TRUE(q.ok());
  store::AggregateScan scan = BuildAggregateScan(*q);
  EXPECT_EQ(scan.where, "c0 GLOB ?");
  EXPECT_EQ(scan.params.at(0).text, "a'; DROP TABLE x;--*");
  EXPECT_EQ(scan.group_by, (std::vector<int>{4}));
  ASSERT_EQ(scan.aggregates.size(), 3u);
  EXPECT_EQ(scan.aggregates[0].fn, AggregateFn::kCountRows);
  EXPECT_EQ(scan.aggregates[1].fn, AggregateFn::kCount);
  EXPECT_EQ(scan.aggregates[1].column, 0);
  EXPECT_EQ(scan.aggregates[2].fn, AggregateFn::kSum);
  ASSERT_EQ(scan.order.size(), 2u);
  EXPECT_TRUE(scan.order[0].output == 1 && scan.order[0].desc);
  EXPECT_TRUE(scan.order[1].output == 0 && !scan.order[1].desc);
  EXPECT_EQ(scan.limit, 6);  // one more: tells a truncated page
  EXPECT_EQ(scan.offset, 3);
}

TEST(AggregateScan, OverflowBecomesA400NamingTheIntegerSums) {
  auto q = Parse({{"sum", "andel,year"}, {"count", "*"}});
  ASSERT_TRUE(q.ok());
  Status s = SumOverflowError(*q, Status::Invalid("integer overflow"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(Problems(s), "sum:out_of_range;");
  EXPECT_NE(s.details()[0].message.find("sum_year exceeds"), std::string::npos) << s.details()[0].message;
  EXPECT_EQ(s.details()[0].message.find("sum_andel"), std::string::npos);
  Status other = Status::Internal("disk");
  EXPECT_EQ(SumOverflowError(*q, other).code(), Code::kInternal);
}

TEST(AggregateWriterTest, FormatsRenderLikeRows) {
  auto q = Parse({{"group_by", "aktiv,bydel"}, {"avg", "andel"}, {"count", "*"}, {"min", "dato"}});
  ASSERT_TRUE(q.ok());
  const std::vector<std::vector<store::Cell>> rows = {
      {Int(1), Text("Alna"), Real(0.1), Int(3), Text("2020-01-01")},
      {Int(0), Null(), Null(), Int(1), Null()}};
  auto render = [&](const std::string& format, int64_t total, std::optional<int64_t> next) {
    std::string out;
    auto w = AggregateWriter::Make(format, *q, &out);
    EXPECT_TRUE(w);
    w->Begin("e1");
    for (const auto& r : rows) w->Row(r);
    w->End(total, next);
    return out;
  };
  EXPECT_EQ(
      render("json", 2, std::nullopt),
      R"({"edition":"e1","rows":[{"aktiv":true,"bydel":"Alna","avg_andel":0.1,"count":3,)"
      R"("min_dato":"2020-01-01"},{"aktiv":false,"bydel":null,"avg_andel":null,"count":1,"min_dato":null}],)"
      R"("total_groups":2,"truncated":false,"next_offset":null})");
  EXPECT_EQ(render("json", 9, 2).substr(render("json", 9, 2).find("\"total_groups")),
            R"("total_groups":9,"truncated":true,"next_offset":2})");
  EXPECT_EQ(render("ndjson", 2, std::nullopt),
            "{\"aktiv\":true,\"bydel\":\"Alna\",\"avg_andel\":0.1,\"count\":3,\"min_dato\":\"2020-01-01\"}\n"
            "{\"aktiv\":false,\"bydel\":null,\"avg_andel\":null,\"count\":1,\"min_dato\":null}\n");
  EXPECT_EQ(render("csv", 2, std::nullopt),
            "aktiv,bydel,avg_andel,count,min_dato\r\ntrue,Alna,0.1,3,2020-01-01\r\nfalse,,,1,\r\n");
  std::string out;
  EXPECT_FALSE(AggregateWriter::Make("xml", *q, &out));
  EXPECT_EQ(AggregateWriter::Make("csv", *q, &out)->content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(AggregateWriter::Make("json", *q, &out)->content_type(), "application/json");
  EXPECT_EQ(AggregateWriter::Make("ndjson", *q, &out)->content_type(), "application/x-ndjson");
  EXPECT_EQ(AggregateHeaders(9, 2), (http::Params{{"X-Total-Count", "9"}, {"X-Next-Offset", "2"}}));
  EXPECT_EQ(AggregateHeaders(2, std::nullopt), (http::Params{{"X-Total-Count", "2"}}));
}

TEST(AggregateWriterTest, DecimalSumsAndAveragesAreRoundedTo15Digits) {
  EXPECT_EQ(RoundSignificant15(0.1 + 0.2), 0.3);
  EXPECT_EQ(RoundSignificant15(411733.33000000025), 411733.33);
  EXPECT_EQ(RoundSignificant15(12148.0 / 6), 2024.66666666667);
  EXPECT_EQ(RoundSignificant15(-1e300), -1e300);
  EXPECT_EQ(RoundSignificant15(0), 0);
  auto q = Parse({{"sum", "andel"}, {"avg", "year"}, {"min", "andel"}, {"count", "*"}});
  std::string out;
  auto w = AggregateWriter::Make("csv", *q, &out);
  w->Begin("e1");
  w->Row({Real(0.1 + 0.2), Real(12148.0 / 6), Real(0.30000000000000004), Int(6)});
  w->End(1, std::nullopt);
  // min/max are stored values and stay exact.
  EXPECT_EQ(out, "sum_andel,avg_year,min_andel,count\r\n0.3,2024.66666666667,0.30000000000000004,6\r\n");
}

TEST(AggregateWriterTest, EmptyResult) {
  auto q = Parse({{"group_by", "bydel"}});
  std::string out;
  auto w = AggregateWriter::Make("json", *q, &out);
  w->Begin("e1");
  w->End(0, std::nullopt);
  EXPECT_EQ(out, R"({"edition":"e1","rows":[],"total_groups":0,"truncated":false,"next_offset":null})");
}

}  // namespace
}  // namespace kilde::query::testing
