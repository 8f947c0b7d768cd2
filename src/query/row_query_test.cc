#include "query/row_query.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "query/query_test_util.h"

namespace kilde::query::testing {
namespace {

std::string Problems(const Status& s) {
  std::string out;
  for (const auto& p : s.details()) out += p.field + ":" + p.problem + ";";
  return out;
}

TEST(RowQueryParse, DefaultsAndFullQuery) {
  auto schema = TestSchema();
  auto q = ParseRowQuery(schema, {}, Limits{});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->select, (std::vector<size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(q->limit, 100);
  EXPECT_TRUE(q->filters.empty() && q->order.empty() && !q->cursor && !q->count_exact);

  q = ParseRowQuery(schema,
                    {{"select", "Bydel,year"},
                     {"order", "year.desc,navn"},
                     {"limit", "7"},
                     {"count", "exact"},
                     {"format", "csv"},
                     {"year", "gte.2020"},
                     {"year", "lt.2024"},
                     {"bydel", "in.(Alna,\"Gamle Oslo\")"}},
                    Limits{});
  ASSERT_TRUE(q.ok()) << Problems(q.status());
  EXPECT_EQ(q->select, (std::vector<size_t>{4, 1}));
  ASSERT_EQ(q->order.size(), 2u);
  EXPECT_TRUE(q->order[0].column == 1 && q->order[0].desc && q->order[1].column == 0 && !q->order[1].desc);
  EXPECT_EQ(q->limit, 7);
  EXPECT_TRUE(q->count_exact);
  EXPECT_EQ(q->format, "csv");
  ASSERT_EQ(q->filters.size(), 3u);
  EXPECT_EQ(q->filters[0].op, Op::kGte);
  EXPECT_EQ(q->filters[0].values[0].i, 2020);
  EXPECT_EQ(q->filters[2].op, Op::kIn);
  ASSERT_EQ(q->filters[2].values.size(), 2u);
  EXPECT_EQ(q->filters[2].values[1].text, "Gamle Oslo");
}

TEST(RowQueryParse, ReportsAllProblemsAtOnce) {
  auto q = ParseRowQuery(TestSchema(),
                         {{"bydell", "eq.Alna"},
                          {"bydel", "foo.Alna"},
                          {"year", "eq.abc"},
                          {"limit", "0"},
                          {"select", "navn,nope"},
                          {"order", "year.sideways"},
                          {"count", "maybe"},
                          {"format", "xml"},
                          {"navn", "Alna"},
                          {"aktiv", "is.true"},
                          {"year", "like.2*"},
                          {"bydel", "in.(Alna"},
                          {"bydel", "eq.Majorstuen"},
                          {"navn", "not.eq.x"}},
                         Limits{});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Problems(q.status()),
            "bydell:unknown_column;bydel:unknown_operator;year:invalid_value;limit:invalid_value;"
            "select:unknown_column;order:unknown_column;count:invalid_value;format:invalid_value;"
            "navn:unknown_operator;aktiv:invalid_value;year:invalid_value;bydel:invalid_value;"
            "bydel:invalid_value;navn:unknown_operator;");
  EXPECT_NE(q.status().details()[1].message.find("use eq, neq"), std::string::npos);
  EXPECT_NE(q.status().details()[2].message.find("'abc'"), std::string::npos);
}

TEST(RowQueryParse, LimitBoundsDuplicatesAndScope) {
  auto schema = TestSchema();
  Limits lim{10, 50};
  EXPECT_EQ(ParseRowQuery(schema, {}, lim)->limit, 10);
  EXPECT_EQ(ParseRowQuery(schema, {{"limit", "50"}}, lim)->limit, 50);
  EXPECT_FALSE(ParseRowQuery(schema, {{"limit", "51"}}, lim).ok());
  EXPECT_FALSE(ParseRowQuery(schema, {{"limit", "5x"}}, lim).ok());
  EXPECT_FALSE(ParseRowQuery(schema, {{"limit", "5"}, {"limit", "6"}}, lim).ok());
  EXPECT_FALSE(ParseRowQuery(schema, {{"select", "navn,NAVN"}}, lim).ok());
  EXPECT_FALSE(ParseRowQuery(schema, {{"order", "navn,navn.desc"}}, lim).ok());
  EXPECT_EQ(ParseRowQuery(schema, {{"navn", "eq."}}, lim)->filters[0].values[0].kind, store::CellKind::kText);
  EXPECT_EQ(ParseRowQuery(schema, {{"navn", "not.is.null"}}, lim)->filters[0].op, Op::kNotNull);

  QueryScope scope;
  scope.allowed_columns = std::vector<size_t>{1, 4};
  auto grant = ParseFilters(schema, {{"bydel", "eq.Alna"}});
  ASSERT_TRUE(grant.ok());
  scope.row_filters = *grant;
  auto q = ParseRowQuery(schema, {{"year", "eq.2020"}}, lim, scope);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->select, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(q->filters.size(), 2u);
  q = ParseRowQuery(schema, {{"navn", "eq.x"}, {"select", "navn"}, {"order", "navn"}}, lim, scope);
  EXPECT_EQ(Problems(q.status()), "navn:unknown_column;select:unknown_column;order:unknown_column;");
  EXPECT_FALSE(ParseFilters(schema, {{"limit", "5"}}).ok());
}

TEST(RowQueryScan, SqlUsesPlaceholdersOnly) {
  auto schema = TestSchema();
  auto q = ParseRowQuery(schema,
                         {{"navn", "like.a'; DROP TABLE x;--*"},
                          {"bydel", "in.(Alna,Frogner)"},
                          {"order", "year.desc"},
                          {"select", "navn"},
                          {"limit", "5"}},
                         Limits{});
  ASSERT_TRUE(q.ok());
  auto scan = BuildScan(schema, *q, "e1");
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->where, "c0 GLOB ? AND c4 IN (?, ?)");
  EXPECT_EQ(scan->params[0].text, "a'; DROP TABLE x;--*");
  EXPECT_EQ(scan->order, "c1 DESC, _row ASC");
  EXPECT_EQ(scan->columns, (std::vector<int>{0, 1}));
  EXPECT_EQ(scan->limit, 6);
  q->cursor = NextCursor(*q, "e1", 17, {Int(2021)});
  scan = BuildScan(schema, *q, "e1");
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->where, "c0 GLOB ? AND c4 IN (?, ?) AND ((c1 < ? OR c1 IS NULL) OR (c1 = ? AND _row > ?))");
  EXPECT_EQ(CountScan(*q).where, "c0 GLOB ? AND c4 IN (?, ?)");
}

TEST(RowQueryScan, CursorTamperingAndCrossQueryAreRejected) {
  auto schema = TestSchema();
  auto q = *ParseRowQuery(schema, {{"order", "year"}}, Limits{});
  const std::string good = NextCursor(q, "e1", 3, {Int(2020)});
  q.cursor = good;
  EXPECT_TRUE(BuildScan(schema, q, "e1").ok());
  auto expect_400 = [&](const RowQuery& rq, const std::string& edition) {
    auto s = BuildScan(schema, rq, edition);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(s.status().details().at(0).field, "cursor");
  };
  expect_400(q, "e2");  // another edition
  RowQuery other = q;
  other.order[0].desc = true;  // another order
  expect_400(other, "e1");
  other = q;
  other.order.clear();
  expect_400(other, "e1");
  for (std::string bad : {std::string("!!"), std::string(""), good.substr(0, good.size() - 3),
                          Base64UrlEncode(R"([1,"e1","1a",3,["2020"]])"),  // wrong value type
                          Base64UrlEncode(R"([1,"e1","1a",3,[]])"), Base64UrlEncode(R"({"a":1})")}) {
    RowQuery t = q;
    t.cursor = bad;
    expect_400(t, "e1");
  }
}

class RowQueryStore : public QueryStoreTest {
 protected:
  void SetUp() override {
    QueryStoreTest::SetUp();
    MakeEdition(
        "e1", {
                  {Text("Alna skole"), Int(2020), Real(0.5), Int(1), Text("Alna"), Text("2020-01-31")},
                  {Text("ÆRESPRIS 50%"), Int(2021), Real(1.25), Int(0), Text("Frogner"), Text("2021-06-01")},
                  {Text("æresmedlem"), Int(2022), Null(), Int(1), Text("Gamle Oslo"), Null()},
                  {Text("a_b*c"), Null(), Real(-3), Null(), Text("Alna"), Text("2023-12-24")},
                  {Null(), Int(2024), Real(1e10), Int(0), Null(), Text("2024-02-29")},
              });
  }
  std::vector<int64_t> Rows(http::Params p) {
    auto page = RunPage(p);
    EXPECT_TRUE(page.ok()) << page.status().message() << Problems(page.status());
    return page.ok() ? page->rows : std::vector<int64_t>{};
  }
};

using V = std::vector<int64_t>;

TEST_F(RowQueryStore, EveryOperator) {
  EXPECT_EQ(Rows({{"year", "eq.2021"}}), V({2}));
  EXPECT_EQ(Rows({{"year", "neq.2021"}}), V({1, 3, 5}));  // NULL never matches neq
  EXPECT_EQ(Rows({{"year", "lt.2021"}}), V({1}));
  EXPECT_EQ(Rows({{"year", "lte.2021"}}), V({1, 2}));
  EXPECT_EQ(Rows({{"year", "gt.2022"}}), V({5}));
  EXPECT_EQ(Rows({{"year", "gte.2022"}}), V({3, 5}));
  EXPECT_EQ(Rows({{"year", "gte.2020"}, {"year", "lt.2022"}}), V({1, 2}));
  EXPECT_EQ(Rows({{"andel", "gt.1"}}), V({2, 5}));
  EXPECT_EQ(Rows({{"andel", "eq.1.25"}}), V({2}));
  EXPECT_EQ(Rows({{"aktiv", "eq.ja"}}), V({1, 3}));
  EXPECT_EQ(Rows({{"dato", "lt.1.1.2022"}}), V({1, 2}));
  EXPECT_EQ(Rows({{"bydel", "in.(Alna,\"Gamle Oslo\")"}}), V({1, 3, 4}));
  EXPECT_EQ(Rows({{"year", "in.(2020,2024)"}}), V({1, 5}));
  EXPECT_EQ(Rows({{"navn", "like.*skole"}}), V({1}));
  EXPECT_EQ(Rows({{"navn", "like.alna*"}}), V({}));  // case-sensitive
  EXPECT_EQ(Rows({{"navn", "ilike.alna*"}}), V({1}));
  EXPECT_EQ(Rows({{"navn", "ilike.æres*"}}), V({2, 3}));  // Æ/æ fold
  EXPECT_EQ(Rows({{"navn", "like.*50%"}}), V({2}));       // % is literal
  EXPECT_EQ(Rows({{"navn", "like.a_b*"}}), V({4}));       // _ is literal
  EXPECT_EQ(Rows({{"navn", "like.a?b*"}}), V({}));        // ? is literal
  EXPECT_EQ(Rows({{"navn", "like.*[*"}}), V({}));         // [ is literal
  EXPECT_EQ(Rows({{"navn", "is.null"}}), V({5}));
  EXPECT_EQ(Rows({{"navn", "not.is.null"}}), V({1, 2, 3, 4}));
  EXPECT_EQ(Rows({{"dato", "is.null"}}), V({3}));
}

TEST_F(RowQueryStore, SelectOrderNullsAndCount) {
  auto page = RunPage({{"select", "year,navn"}, {"order", "year.desc"}});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rows, V({5, 3, 2, 1, 4}));  // NULL last when descending
  EXPECT_EQ(page->cells[0][0].i, 2024);
  EXPECT_EQ(page->cells[0][1].kind, store::CellKind::kNull);
  EXPECT_EQ(Rows({{"order", "andel"}}), V({3, 4, 1, 2, 5}));  // NULL first ascending
  auto q = *ParseRowQuery(schema_, {{"bydel", "eq.Alna"}, {"limit", "1"}}, Limits{});
  EXPECT_EQ(*store_->products().Count(edition_, CountScan(q)), 2);
}

TEST_F(RowQueryStore, PagesWithNullsInOrderColumns) {
  for (const char* order :
       {"year", "year.desc", "dato.desc,andel", "aktiv,navn.desc", "bydel.desc,aktiv.desc"}) {
    for (const char* limit : {"1", "2", "4"}) {
      auto all = RunAll({{"order", order}});
      EXPECT_EQ(RunAll({{"order", order}, {"limit", limit}}), all) << order << " " << limit;
      EXPECT_EQ(all.size(), 5u);
    }
  }
}

}  // namespace
}  // namespace kilde::query::testing
