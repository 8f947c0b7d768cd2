// Randomized property test of QueryScope enforcement for rows, aggregates and downloads: random
// editions with personal data, random scopes (visible columns, row filters, pseudonymised columns)
// and random queries (filters also on hidden and pseudonymised columns, select, order, cursor
// walks, forged cursors, aggregates, downloads). Every answer must be exactly the brute-force
// answer within the scope, and no serialised output may contain a hidden column or a value only
// present in hidden columns or rows outside the scope. The diff part is scope_diff_random_test.cc.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "query/aggregate.h"
#include "query/download.h"
#include "query/row_query.h"
#include "query/row_writer.h"
#include "query/scope_test_util.h"

namespace kilde::query::testing {
namespace {

using store::Cell;

class ScopeRandomTest : public ScopeStoreTest {
 protected:
  // The problem a parameter naming column `name` must cause in `scope` ("" = none): for
  // comparisons (filters, order, group_by, aggregates) or for output (select).
  std::string Expected(const QueryScope& scope, const std::string& name, bool comparison) const {
    auto col = schema_.Find(name);
    if (!col || !IsVisible(scope, *col)) return "unknown_column";
    if (comparison && IsPseudonymised(scope, *col)) return "forbidden";
    return "";
  }
  std::vector<std::string> VisibleNames(const QueryScope& scope) const {
    std::vector<std::string> names;
    for (size_t c = 0; c < schema_.columns.size(); ++c)
      if (IsVisible(scope, c)) names.push_back(schema_.columns[c].name);
    return names;
  }

  void CheckRows(const store::EditionRow& e, const std::vector<RefRow>& ref, const QueryScope& scope);
  void CheckAggregate(const store::EditionRow& e, const std::vector<RefRow>& ref, const QueryScope& scope);
  void CheckDownload(const store::EditionRow& e, const std::vector<RefRow>& ref, const QueryScope& scope);
};

void ScopeRandomTest::CheckRows(const store::EditionRow& e, const std::vector<RefRow>& ref,
                                const QueryScope& scope) {
  http::Params params;
  std::set<std::string> problems;  // expected problem codes
  for (size_t n = Pick(3); n > 0; --n) {
    auto f = RandomFilter(schema_, literals_, PersonPatterns(), AllOps(), [&](size_t k) { return Pick(k); });
    if (auto p = Expected(scope, f.first, true); !p.empty()) problems.insert(p);
    params.push_back(f);
  }
  std::vector<size_t> cols(schema_.columns.size());
  for (size_t c = 0; c < cols.size(); ++c) cols[c] = c;
  std::shuffle(cols.begin(), cols.end(), rng_);
  if (Pick(2)) {
    std::string select;
    for (size_t k = 0, m = 1 + Pick(4); k < m; ++k) {
      select += (k ? "," : "") + schema_.columns[cols[k]].name;
      if (auto p = Expected(scope, schema_.columns[cols[k]].name, false); !p.empty()) problems.insert(p);
    }
    params.emplace_back("select", select);
  }
  std::shuffle(cols.begin(), cols.end(), rng_);
  std::vector<std::pair<size_t, bool>> order;
  if (Pick(3)) {
    std::string spec;
    for (size_t k = 0, m = 1 + Pick(2); k < m; ++k) {
      const bool desc = Pick(2);
      order.emplace_back(cols[k], desc);
      spec += (k ? "," : "") + schema_.columns[cols[k]].name + (desc ? ".desc" : "");
      if (auto p = Expected(scope, schema_.columns[cols[k]].name, true); !p.empty()) problems.insert(p);
    }
    params.emplace_back("order", spec);
  }
  params.emplace_back("limit", std::to_string(1 + Pick(25)));

  auto q = ParseRowQuery(schema_, params, Limits{}, scope);
  if (!problems.empty()) {
    ASSERT_FALSE(q.ok()) << "a query naming a hidden or pseudonymised column must fail";
    EXPECT_EQ(q.status().code(), Code::kInvalidArgument);
    std::set<std::string> got;
    for (const auto& p : q.status().details()) got.insert(p.problem);
    for (const auto& p : problems) EXPECT_TRUE(got.count(p)) << p;
    return;
  }
  ASSERT_TRUE(q.ok()) << q.status().message();
  for (size_t c : q->select) ASSERT_TRUE(IsVisible(scope, c)) << "default select stays in the scope";

  // Brute force: user filters (the parsed ones minus the scope's) and the scope's row filters.
  std::vector<const RefRow*> expected;
  for (const RefRow& r : ref)
    if (PassesAll(q->filters, r.cells) && PassesAll(scope.row_filters, r.cells)) expected.push_back(&r);
  std::stable_sort(expected.begin(), expected.end(), [&](const RefRow* a, const RefRow* b) {
    for (auto [c, desc] : order) {
      int cmp = Compare(a->cells[c], b->cells[c]);
      if (cmp != 0) return desc ? cmp > 0 : cmp < 0;
    }
    return a->row < b->row;
  });

  // Walk every page by cursor; check cells, subjects and the serialised pages.
  const std::set<std::string> forbidden = ForbiddenFnrs(scope, ref);
  std::vector<std::string> names;
  std::vector<products::ColumnType> types;
  for (size_t c : q->select)
    names.push_back(schema_.columns[c].name), types.push_back(schema_.columns[c].type);
  size_t at = 0;
  std::optional<std::string> cursor;
  for (int guard = 0; guard < 1000; ++guard) {
    http::Params p = params;
    if (cursor) p.emplace_back("cursor", *cursor);
    auto page_q = ParseRowQuery(schema_, p, Limits{}, scope);
    ASSERT_TRUE(page_q.ok());
    auto scan = BuildScan(schema_, *page_q, e.id);
    ASSERT_TRUE(scan.ok()) << scan.status().message();
    std::string json, csv;
    auto jw = MakeRowWriter("json", &json), cw = MakeRowWriter("csv", &csv);
    jw->Begin(names), cw->Begin(names);
    std::set<std::string> subjects, expected_subjects;
    std::vector<Cell> out, last_order;
    int64_t n = 0, last_row = 0;
    bool more = false;
    ASSERT_TRUE(store_->products()
                    .Scan(e, *scan,
                          [&](int64_t row, const std::vector<Cell>& cells) {
                            if (n == page_q->limit) return more = true, Status(Code::kAlreadyExists, "full");
                            ++n;
                            OutputCells(*page_q, cells, out);
                            jw->Row(out, types), cw->Row(out, types);
                            AddSubject(SubjectCell(*page_q, cells), subjects);
                            EXPECT_LT(at, expected.size());
                            if (at < expected.size()) {
                              EXPECT_EQ(row, expected[at]->row);
                              const auto want = Project(scope, q->select, expected[at]->cells);
                              for (size_t k = 0; k < want.size(); ++k) EXPECT_EQ(Compare(out[k], want[k]), 0);
                              expected_subjects.insert(expected[at]->cells[6].text);
                              ++at;
                            }
                            last_row = row, last_order = OrderValues(*page_q, cells);
                            return Status::Ok();
                          })
                    .code() != Code::kInternal);
    jw->End(std::nullopt, std::nullopt), cw->End(std::nullopt, std::nullopt);
    EXPECT_EQ(subjects, expected_subjects) << "the subjects are the page's persons, in clear";
    ExpectNoneIn(json + csv, forbidden, "rows");
    for (const auto& item : nlohmann::json::parse(json)["items"])
      for (const auto& [k, v] : item.items()) EXPECT_TRUE(IsVisible(scope, *schema_.Find(k))) << k;
    if (!more) break;
    cursor = NextCursor(*page_q, e.id, last_row, last_order);
  }
  EXPECT_EQ(at, expected.size());

  // A forged cursor (any row's order values, even one outside the scope) only moves the start.
  if (!ref.empty()) {
    const RefRow& from = ref[Pick(ref.size())];
    std::vector<Cell> values;
    for (auto [c, desc] : order) values.push_back(from.cells[c]);
    http::Params p = params;
    p.emplace_back("cursor", NextCursor(*q, e.id, from.row, values));
    auto fq = ParseRowQuery(schema_, p, Limits{}, scope);
    ASSERT_TRUE(fq.ok());
    auto scan = BuildScan(schema_, *fq, e.id);
    ASSERT_TRUE(scan.ok());
    ASSERT_TRUE(store_->products()
                    .Scan(e, *scan,
                          [&](int64_t row, const std::vector<Cell>&) {
                            EXPECT_TRUE(std::any_of(expected.begin(), expected.end(),
                                                    [&](const RefRow* r) { return r->row == row; }))
                                << "row " << row << " is outside the scope or the filters";
                            return Status::Ok();
                          })
                    .ok());
  }
}

void ScopeRandomTest::CheckAggregate(const store::EditionRow& e, const std::vector<RefRow>& ref,
                                     const QueryScope& scope) {
  http::Params params;
  std::set<std::string> problems;
  for (size_t n = Pick(3); n > 0; --n) {
    auto f = RandomFilter(schema_, literals_, PersonPatterns(), AllOps(), [&](size_t k) { return Pick(k); });
    if (auto p = Expected(scope, f.first, true); !p.empty()) problems.insert(p);
    params.push_back(f);
  }
  std::vector<size_t> groups;
  if (Pick(4)) {
    std::vector<size_t> cols = {0, 1, 3, 4, 6, 7};
    std::shuffle(cols.begin(), cols.end(), rng_);
    groups.assign(cols.begin(), cols.begin() + static_cast<long>(1 + Pick(2)));
    std::string spec;
    for (size_t g : groups) {
      spec += (spec.empty() ? "" : ",") + schema_.columns[g].name;
      if (auto p = Expected(scope, schema_.columns[g].name, true); !p.empty()) problems.insert(p);
    }
    params.emplace_back("group_by", spec);
  }
  params.emplace_back("count", "*");
  const bool sum = Pick(2);
  if (sum) {
    params.emplace_back("sum", "year");
    if (auto p = Expected(scope, "year", true); !p.empty()) problems.insert(p);
  }
  if (Pick(3) == 0) {  // min/max of any column but fnr (not ordered)
    const std::string name = schema_.columns[std::vector<size_t>{0, 1, 2, 4, 5, 7}[Pick(6)]].name;
    params.emplace_back("max", name);
    if (auto p = Expected(scope, name, true); !p.empty()) problems.insert(p);
  }
  auto q = ParseAggregateQuery(schema_, params, AggregateLimits{}, scope);
  if (!problems.empty()) {
    ASSERT_FALSE(q.ok());
    std::set<std::string> got;
    for (const auto& p : q.status().details()) got.insert(p.problem);
    for (const auto& p : problems) EXPECT_TRUE(got.count(p)) << p;
    return;
  }
  ASSERT_TRUE(q.ok()) << q.status().message();
  // Brute force: count and sum(year) per group over the rows inside the scope and the filters.
  std::map<std::string, std::pair<int64_t, std::optional<int64_t>>> want;
  std::set<std::string> want_subjects;
  auto key_of = [&](const std::vector<Cell>& cells) {
    std::string k;
    for (const Cell& c : cells)
      k += (c.kind == store::CellKind::kNull ? "N" : "V" + CellText(c, products::ColumnType::kString)) + "|";
    return k;
  };
  for (const RefRow& r : ref) {
    if (!PassesAll(q->filters, r.cells) || !PassesAll(scope.row_filters, r.cells)) continue;
    std::vector<Cell> g;
    for (size_t c : groups) g.push_back(r.cells[c]);
    auto& [count, total] = want[key_of(g)];
    ++count;
    if (r.cells[1].kind != store::CellKind::kNull) total = total.value_or(0) + r.cells[1].i;
    if (std::find(groups.begin(), groups.end(), 6) != groups.end()) want_subjects.insert(r.cells[6].text);
  }
  if (groups.empty() && want.empty()) want[key_of({})] = {0, std::nullopt};
  std::map<std::string, std::pair<int64_t, std::optional<int64_t>>> got;
  std::set<std::string> subjects;
  ASSERT_TRUE(store_->products()
                  .Aggregate(e, BuildAggregateScan(*q),
                             [&](int64_t, const std::vector<Cell>& cells) {
                               std::vector<Cell> g(cells.begin(),
                                                   cells.begin() + static_cast<long>(groups.size()));
                               std::optional<int64_t> s;
                               if (sum && cells[groups.size() + 1].kind != store::CellKind::kNull)
                                 s = cells[groups.size() + 1].i;
                               got[key_of(g)] = {cells[groups.size()].i, s};
                               if (q->subject_output) AddSubject(cells[*q->subject_output], subjects);
                               return Status::Ok();
                             })
                  .ok());
  if (!sum)
    for (auto& [k, v] : want) v.second = std::nullopt;
  EXPECT_EQ(got, want);
  EXPECT_EQ(subjects, want_subjects) << "subjects only when grouped by the person id";
}

void ScopeRandomTest::CheckDownload(const store::EditionRow& e, const std::vector<RefRow>& ref,
                                    const QueryScope& scope) {
  std::vector<size_t> cols;
  std::vector<std::string> names;
  std::vector<products::ColumnType> types;
  for (size_t c = 0; c < schema_.columns.size(); ++c)
    if (IsVisible(scope, c))
      cols.push_back(c), names.push_back(schema_.columns[c].name), types.push_back(schema_.columns[c].type);
  std::string want_ndjson, want_csv_header;
  std::set<std::string> want_subjects;
  for (const RefRow& r : ref) {
    if (!PassesAll(scope.row_filters, r.cells)) continue;
    AppendJsonRow(names, Project(scope, cols, r.cells), types, want_ndjson);
    want_ndjson += '\n';
    want_subjects.insert(r.cells[6].text);
  }
  for (const std::string format : {"ndjson", "csv"}) {
    DownloadSource source(&store_->products(), e, schema_, scope, format, 1 + static_cast<int64_t>(Pick(40)));
    std::string body, piece;
    for (int guard = 0; guard < 1000; ++guard) {
      piece.clear();
      auto more = source.Next(piece);
      ASSERT_TRUE(more.ok());
      body += piece;
      if (!*more) break;
    }
    ExpectNoneIn(body, ForbiddenFnrs(scope, ref), "download");
    if (format == "ndjson") {
      EXPECT_EQ(body, want_ndjson);
    } else {
      std::string header;
      for (const auto& n : names) header += (header.empty() ? "" : ",") + n;
      EXPECT_EQ(body.substr(0, body.find("\r\n")), header) << "hidden columns are not even in the header";
    }
  }
  auto subjects = DownloadSubjects(store_->products(), e, scope);
  ASSERT_TRUE(subjects.ok());
  EXPECT_EQ(*subjects, std::vector<std::string>(want_subjects.begin(), want_subjects.end()));
}

TEST_F(ScopeRandomTest, NothingOutsideTheScopeIsEverReturned) {
  for (int round = 0; round < 30; ++round) {
    std::vector<RefRow> ref;
    const store::EditionRow e =
        MakeEdition("e" + std::to_string(round), RandomRows(static_cast<int>(40 + Pick(80))), ref);
    const QueryScope scope = RandomScope("key-" + std::to_string(round % 3));
    SCOPED_TRACE("round " + std::to_string(round) + " scope " + ScopeFingerprint(scope));
    for (int i = 0; i < 25; ++i) CheckRows(e, ref, scope);
    for (int i = 0; i < 10; ++i) CheckAggregate(e, ref, scope);
    CheckDownload(e, ref, scope);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace kilde::query::testing
