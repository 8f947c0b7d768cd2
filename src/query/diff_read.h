// Reading a diff (diff.h) from the store within the plan's scopes: the listed differences in
// pages or pieces, and the summary counts.
//
// Without row filters the differences are the store's (store::ProductStore::Diff). With row
// filters (DiffPlan::from_filters / to_filters, the scopes' row filters) the diff is that of the
// two editions restricted to the rows that pass their side's filters: a store difference is mapped
// by where its sides fall (f: the `from` row passes, t: the `to` row passes):
//   added   → added when t                removed → removed when f
//   changed → changed when f and t, removed when only f, added when only t, nothing otherwise
// so no row outside a scope is ever returned, not even as the other side of a change. Whether a
// row passes is decided by SQLite with the same filter SQL as /rows (a keyed scan per batch).
// Rows that are equal in every compared column are unchanged and never listed; with filter columns
// present in both editions (ScopeFromGrant guarantees it) both sides then pass alike.
//
// Listing order: by stream (DiffStreams: added, removed, changed), each by store row ordinal (the
// `to` ordinal for added and changed, the `from` ordinal for removed). Without row filters the
// streams are DiffQuery::ops, so this is "added, removed, changed, each by row ordinal". Thread
// safe (the store is).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "base/status.h"
#include "query/diff.h"
#include "store/product_store.h"

namespace kilde::query {

// The store difference kinds to read, in listing order, for the ops `q` asks for.
std::vector<store::DiffOp> DiffStreams(const DiffPlan& plan, const DiffQuery& q);

// One listed difference: `at` is its position (a page that ends with it continues after `at`),
// `op` the difference as the caller sees it, `from` / `to` the store cells of the side(s) it shows
// (the other is empty): pass them to AppendDiffItem / AddDiffSubjects. A non-OK status stops the
// read and is returned.
using DiffItemFn =
    std::function<Status(DiffPosition at, store::DiffOp op, const std::vector<store::Cell>& from,
                         const std::vector<store::Cell>& to)>;

// Reads differences from `pos` on, looking at no more than `budget` (>= 1) store differences, and
// advances `pos` past them. True while more may follow (call again with the same `pos`).
Result<bool> ReadDiff(store::ProductStore& store, const store::EditionRow& from, const store::EditionRow& to,
                      const DiffPlan& plan, const DiffQuery& q, DiffPosition& pos, int64_t budget,
                      const DiffItemFn& fn);

struct DiffCounts {
  int64_t added = 0, removed = 0, changed = 0, unchanged = 0;
};
// The number of differences of each kind within the scopes (all kinds, whatever q.ops), and the
// number of unchanged rows (rows of `to` within its scope that are neither added nor changed).
Result<DiffCounts> CountDiff(store::ProductStore& store, const store::EditionRow& from,
                             const store::EditionRow& to, const DiffPlan& plan);

}  // namespace kilde::query
