// Randomized test of edition diffs: pairs of random editions in a real SQLite store (keys drawn
// from a small range so that editions overlap, values often equal, sometimes NULL), the store's
// Diff/DiffCount for every op and batch size compared with a brute-force diff over maps.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "query/diff.h"
#include "query/query_test_util.h"

namespace kilde::query::testing {
namespace {

using store::Cell;
using store::DiffOp;

using Rows = std::vector<std::vector<Cell>>;

// TestSchema with `year` (column 1) as the key.
products::Schema KeyedSchema() {
  products::Schema s = TestSchema();
  s.columns[1].key = true;
  s.columns[1].required = true;
  return s;
}

Rows RandomRows(std::mt19937& rng, int n) {
  std::vector<int64_t> keys(200);
  for (int i = 0; i < 200; ++i) keys[static_cast<size_t>(i)] = i;
  std::shuffle(keys.begin(), keys.end(), rng);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  static const char* kNames[] = {"Alna", "Frogner", "Østensjø"};
  Rows rows;
  for (int i = 0; i < n; ++i) {
    std::vector<Cell> r(6);
    r[0] = pick(4) ? Text(kNames[pick(3)]) : Null();
    r[1] = Int(keys[static_cast<size_t>(i)]);
    r[2] = pick(4) ? Real(pick(3) * 0.25) : Null();
    r[3] = Int(pick(2));
    r[4] = Text(kNames[pick(2)]);
    r[5] = pick(5) ? Text("2020-01-0" + std::to_string(1 + pick(2))) : Null();
    rows.push_back(std::move(r));
  }
  return rows;
}

class DiffRandomTest : public QueryStoreTest {};

TEST_F(DiffRandomTest, StoreDiffMatchesBruteForce) {
  std::mt19937 rng(20261123);
  const products::Schema schema = KeyedSchema();
  auto plan = PlanDiff(schema, schema, std::nullopt);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->key, "year");
  for (int round = 0; round < 40; ++round) {
    const Rows a = RandomRows(rng, static_cast<int>(rng() % 120));
    Rows b = RandomRows(rng, static_cast<int>(rng() % 120));
    // Copy some rows of `a` into `b` unchanged or slightly changed, so "unchanged" happens.
    for (size_t i = 0; i < b.size() && i < a.size(); i += 2) {
      bool taken = false;
      for (const auto& r : b) taken = taken || (r[1].i == a[i][1].i);
      if (taken) continue;
      b[i] = a[i];
      if (rng() % 3 == 0) b[i][2] = b[i][2].kind == store::CellKind::kNull ? Real(1.5) : Null();
    }
    MakeEdition("a" + std::to_string(round), a);
    const store::EditionRow ea = edition_;
    MakeEdition("b" + std::to_string(round), b);
    const store::EditionRow eb = edition_;

    std::map<int64_t, std::pair<int64_t, const std::vector<Cell>*>> in_a, in_b;  // key → (row, cells)
    for (size_t i = 0; i < a.size(); ++i) in_a[a[i][1].i] = {static_cast<int64_t>(i + 1), &a[i]};
    for (size_t i = 0; i < b.size(); ++i) in_b[b[i][1].i] = {static_cast<int64_t>(i + 1), &b[i]};
    std::map<DiffOp, std::vector<int64_t>> expected;  // rows, ascending
    for (const auto& [k, rb] : in_b) {
      auto it = in_a.find(k);
      if (it == in_a.end()) {
        expected[DiffOp::kAdded].push_back(rb.first);
        continue;
      }
      bool differs = false;
      for (size_t c = 0; c < 6; ++c)
        differs = differs || Compare((*rb.second)[c], (*it->second.second)[c]) != 0;
      if (differs) expected[DiffOp::kChanged].push_back(rb.first);
    }
    for (const auto& [k, ra] : in_a)
      if (!in_b.count(k)) expected[DiffOp::kRemoved].push_back(ra.first);
    for (auto& [op, rows] : expected) std::sort(rows.begin(), rows.end());

    for (DiffOp op : {DiffOp::kAdded, DiffOp::kRemoved, DiffOp::kChanged}) {
      auto n = store_->products().DiffCount(ea, eb, plan->spec, op);
      ASSERT_TRUE(n.ok()) << n.status().message();
      EXPECT_EQ(*n, static_cast<int64_t>(expected[op].size())) << DiffOpName(op) << " round " << round;
      // Walk in random batch sizes, as the paged API and the NDJSON stream do.
      std::vector<int64_t> got;
      int64_t after = 0;
      for (int guard = 0; guard < 1000; ++guard) {
        const int64_t batch = 1 + static_cast<int64_t>(rng() % 7);
        int64_t seen = 0;
        Status s = store_->products().Diff(
            ea, eb, plan->spec, op, after, batch,
            [&](int64_t row, const std::vector<Cell>& from, const std::vector<Cell>& to) {
              got.push_back(row);
              after = row;
              ++seen;
              const auto& side = op == DiffOp::kRemoved ? from : to;
              EXPECT_EQ(side.size(), 6u);
              EXPECT_EQ(
                  op == DiffOp::kChanged ? from.size() : (op == DiffOp::kAdded ? from.size() : to.size()),
                  op == DiffOp::kChanged ? 6u : 0u);
              const Rows& src = op == DiffOp::kRemoved ? a : b;
              for (size_t c = 0; c < 6; ++c)
                EXPECT_EQ(Compare(side[c], src[static_cast<size_t>(row - 1)][c]), 0) << "row " << row;
              return Status::Ok();
            });
        ASSERT_TRUE(s.ok()) << s.message();
        if (seen < batch) break;
      }
      EXPECT_EQ(got, expected[op]) << DiffOpName(op) << " round " << round;
    }
  }
}

TEST(DiffPlan, ColumnsArePairedByNameAcrossSchemaVersions) {
  products::Schema from = KeyedSchema(), to = KeyedSchema();
  to.columns.erase(to.columns.begin() + 2);  // andel removed
  products::Column extra;
  extra.name = "ny";
  to.columns.push_back(extra);
  auto plan = PlanDiff(from, to, std::nullopt);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->columns_removed, std::vector<std::string>{"andel"});
  EXPECT_EQ(plan->columns_added, std::vector<std::string>{"ny"});
  EXPECT_EQ(plan->compared, (std::vector<std::string>{"navn", "aktiv", "bydel", "dato"}));
  EXPECT_EQ(plan->spec.key, (std::pair<int, int>{1, 1}));
  EXPECT_EQ(plan->spec.compared[1], (std::pair<int, int>{3, 2}));  // aktiv moved one place left

  auto bad = PlanDiff(from, to, std::string("navn"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().details()[0].field, "key");
  auto none = PlanDiff(TestSchema(), TestSchema(), std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kConflict);
}

TEST(DiffQueryParse, ParametersAndCursor) {
  auto q = ParseDiffQuery({{"op", "changed,added"}, {"limit", "5"}}, Limits{});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->ops, (std::vector<DiffOp>{DiffOp::kAdded, DiffOp::kChanged}));  // listing order
  EXPECT_EQ(q->limit, 5);
  auto bad = ParseDiffQuery({{"op", "moved"}, {"limit", "0"}, {"select", "a"}, {"format", "csv"}}, Limits{});
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& p : bad.status().details()) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"op", "limit", "select", "format"}));

  const std::string cursor = DiffCursor(*q, "e1", "e2", {1, 42});
  q->cursor = cursor;
  auto pos = DiffStart(*q, "e1", "e2");
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(pos->op_index, 1u);
  EXPECT_EQ(pos->after_row, 42);
  EXPECT_FALSE(DiffStart(*q, "e1", "e3").ok()) << "a cursor is bound to its editions";
  q->ops = {DiffOp::kChanged};
  EXPECT_FALSE(DiffStart(*q, "e1", "e2").ok()) << "and to its op= list";
  q->cursor = "not-base64!";
  EXPECT_FALSE(DiffStart(*q, "e1", "e2").ok());
}

TEST(DiffItem, ChangedNamesTheColumnsThatDiffer) {
  const products::Schema schema = KeyedSchema();
  auto plan = PlanDiff(schema, schema, std::nullopt);
  ASSERT_TRUE(plan.ok());
  std::vector<Cell> from = {Text("Alna"), Int(2020), Real(0.5), Int(1), Text("Alna"), Null()};
  std::vector<Cell> to = from;
  to[2] = Null();
  to[5] = Text("2020-01-01");
  std::string out;
  AppendDiffItem(*plan, DiffOp::kChanged, from, to, out);
  EXPECT_EQ(
      out,
      R"({"op":"changed","key":2020,"columns":["andel","dato"],)"
      R"("before":{"navn":"Alna","year":2020,"andel":0.5,"aktiv":true,"bydel":"Alna","dato":null},)"
      R"("after":{"navn":"Alna","year":2020,"andel":null,"aktiv":true,"bydel":"Alna","dato":"2020-01-01"}})");
  out.clear();
  AppendDiffItem(*plan, DiffOp::kRemoved, from, {}, out);
  EXPECT_EQ(out.rfind(R"({"op":"removed","key":2020,"row":{"navn":"Alna")", 0), 0u) << out;
}

}  // namespace
}  // namespace kilde::query::testing
