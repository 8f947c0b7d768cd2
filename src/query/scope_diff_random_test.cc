// Randomized property test of QueryScope enforcement for diffs: pairs of random editions with
// personal data (rows dropped, changed — also into and out of the scope's rows — and added),
// random scopes, keys and op= lists, read in random budgets. The listed differences, their sides'
// cells, the counts and the subjects must equal a brute-force diff of the two editions restricted
// to the scope; nothing outside the scope may appear in the output.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "query/diff.h"
#include "query/diff_read.h"
#include "query/row_writer.h"
#include "query/scope_test_util.h"

namespace kilde::query::testing {
namespace {

using store::Cell;
using store::DiffOp;

class ScopeDiffRandomTest : public ScopeStoreTest {};

TEST_F(ScopeDiffRandomTest, DiffWithinTheScopeMatchesBruteForce) {
  for (int round = 0; round < 40; ++round) {
    // Editions: B is A with rows dropped, changed and added, in shuffled order.
    const auto a_rows = RandomRows(static_cast<int>(20 + Pick(60)));
    std::set<int64_t> used;
    for (const auto& r : a_rows) used.insert(r[7].i);
    std::vector<std::vector<Cell>> b_rows;
    for (auto r : a_rows) {
      if (Pick(5) == 0) continue;
      if (Pick(3) == 0)
        for (size_t n = 1 + Pick(2); n > 0; --n) {
          const size_t c = Pick(6);
          r[c] = Pick(6) == 0 ? Null() : RandomValue(c);
        }
      b_rows.push_back(std::move(r));
    }
    for (auto& r : RandomRows(static_cast<int>(Pick(30))))
      if (!used.count(r[7].i)) b_rows.push_back(std::move(r));
    std::shuffle(b_rows.begin(), b_rows.end(), rng_);
    std::vector<RefRow> a_ref, b_ref;
    const store::EditionRow ea = MakeEdition("a" + std::to_string(round), a_rows, a_ref);
    const store::EditionRow eb = MakeEdition("b" + std::to_string(round), b_rows, b_ref);
    const QueryScope scope = RandomScope("key-" + std::to_string(round));
    SCOPED_TRACE("round " + std::to_string(round) + " scope " + ScopeFingerprint(scope));

    // The key: default, or named (sometimes one the caller may not use).
    std::optional<std::string> key;
    if (Pick(2)) key = std::vector<std::string>{"fnr", "id", "year"}[Pick(3)];
    auto usable = [&](size_t c) {
      return (c == 6 || c == 7) && IsVisible(scope, c) && !IsPseudonymised(scope, c);
    };
    std::optional<size_t> key_col;
    if (key) {
      if (usable(*schema_.Find(*key))) key_col = *schema_.Find(*key);
    } else {
      key_col = usable(6) ? std::optional<size_t>(6) : usable(7) ? std::optional<size_t>(7) : std::nullopt;
    }
    auto plan = PlanDiff(schema_, schema_, key, scope, scope);
    if (!key_col) {
      ASSERT_FALSE(plan.ok()) << "a hidden or pseudonymised column is no key";
      EXPECT_EQ(plan.status().code(), key ? Code::kInvalidArgument : Code::kConflict);
      continue;
    }
    ASSERT_TRUE(plan.ok()) << plan.status().message();

    // Brute force over the editions restricted to the scope's rows.
    std::vector<size_t> visible;
    std::vector<std::string> names;
    std::vector<products::ColumnType> types;
    for (size_t c = 0; c < schema_.columns.size(); ++c)
      if (IsVisible(scope, c))
        visible.push_back(c), names.push_back(schema_.columns[c].name),
            types.push_back(schema_.columns[c].type);
    auto restrict = [&](const std::vector<RefRow>& ref) {
      std::map<std::string, const RefRow*> m;
      for (const RefRow& r : ref)
        if (PassesAll(scope.row_filters, r.cells))
          m[CellText(r.cells[*key_col], products::ColumnType::kString)] = &r;
      return m;
    };
    const auto from_s = restrict(a_ref), to_s = restrict(b_ref);
    auto row_json = [&](const RefRow& r) {
      std::string s;
      AppendJsonRow(names, Project(scope, visible, r.cells), types, s);
      return nlohmann::json::parse(s);
    };
    std::multiset<std::string> want;  // dumps of {"op","key","row"/"before"/"after","columns"}
    std::set<std::string> want_subjects;
    DiffCounts want_counts;
    auto http_ops = std::vector<std::string>{"added",         "removed",         "changed",
                                             "added,changed", "removed,changed", "added,removed"}[Pick(6)];
    auto q = ParseDiffQuery({{"op", http_ops}}, Limits{});
    ASSERT_TRUE(q.ok());
    auto wants = [&](DiffOp op) { return std::find(q->ops.begin(), q->ops.end(), op) != q->ops.end(); };
    auto key_json = [&](const RefRow& r) { return row_json(r)[schema_.columns[*key_col].name]; };
    for (const auto& [k, t] : to_s) {
      auto f = from_s.find(k);
      if (f == from_s.end()) {
        ++want_counts.added;
        if (wants(DiffOp::kAdded))
          want.insert(nlohmann::json{{"op", "added"}, {"key", key_json(*t)}, {"row", row_json(*t)}}.dump()),
              want_subjects.insert(t->cells[6].text);
        continue;
      }
      nlohmann::json columns = nlohmann::json::array();
      for (size_t c : visible)
        if (c != *key_col && Compare(f->second->cells[c], t->cells[c]) != 0)
          columns.push_back(schema_.columns[c].name);
      if (columns.empty()) continue;
      ++want_counts.changed;
      if (wants(DiffOp::kChanged))
        want.insert(nlohmann::json{{"op", "changed"},
                                   {"key", key_json(*t)},
                                   {"columns", columns},
                                   {"before", row_json(*f->second)},
                                   {"after", row_json(*t)}}
                        .dump()),
            want_subjects.insert(t->cells[6].text);
    }
    for (const auto& [k, f] : from_s)
      if (!to_s.count(k)) {
        ++want_counts.removed;
        if (wants(DiffOp::kRemoved))
          want.insert(nlohmann::json{{"op", "removed"}, {"key", key_json(*f)}, {"row", row_json(*f)}}.dump()),
              want_subjects.insert(f->cells[6].text);
      }
    want_counts.unchanged = static_cast<int64_t>(to_s.size()) - want_counts.added - want_counts.changed;

    auto counts = CountDiff(store_->products(), ea, eb, *plan);
    ASSERT_TRUE(counts.ok()) << counts.status().message();
    EXPECT_EQ(counts->added, want_counts.added);
    EXPECT_EQ(counts->removed, want_counts.removed);
    EXPECT_EQ(counts->changed, want_counts.changed);
    EXPECT_EQ(counts->unchanged, want_counts.unchanged);

    // Read everything in random budgets, as the NDJSON stream and the JSON pages do.
    std::multiset<std::string> got;
    std::set<std::string> subjects;
    std::string text;
    DiffPosition pos;
    for (int guard = 0; guard < 10000; ++guard) {
      auto more =
          ReadDiff(store_->products(), ea, eb, *plan, *q, pos, 1 + static_cast<int64_t>(Pick(7)),
                   [&](DiffPosition, DiffOp op, const std::vector<Cell>& f, const std::vector<Cell>& t) {
                     std::string item;
                     AppendDiffItem(*plan, op, f, t, item);
                     AddDiffSubjects(*plan, op, f, t, subjects);
                     text += item;
                     got.insert(nlohmann::json::parse(item).dump());
                     return Status::Ok();
                   });
      ASSERT_TRUE(more.ok()) << more.status().message();
      if (!*more) break;
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(subjects, want_subjects);
    // A person's number may show only when fnr is visible in clear and one of their rows is inside.
    std::set<std::string> forbidden = ForbiddenFnrs(scope, a_ref), in_b = ForbiddenFnrs(scope, b_ref);
    forbidden.insert(in_b.begin(), in_b.end());
    if (IsVisible(scope, 6) && !IsPseudonymised(scope, 6))
      for (const auto* side : {&from_s, &to_s})
        for (const auto& [k, r] : *side) forbidden.erase(r->cells[6].text);
    ExpectNoneIn(text, forbidden, "diff");
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace kilde::query::testing
