// Storage of data products, their schema versions and their immutable editions.
// Part of the storage layer (see store.h); implementations are thread safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace kilde::store {

struct ProductRow {
  std::string id;
  std::string dataset;            // catalog dataset id (must exist; the dataset cannot be deleted while used)
  std::string created, modified;  // RFC 3339 UTC
  int64_t version = 0;            // optimistic concurrency, like catalog rows
  int schema_version = 0;         // current schema version (1..)
  std::string doc;                // JSON: the product's own fields (title, description, ...)
};

struct SchemaVersionRow {
  int version = 0;
  std::string created;
  std::string schema;  // JSON
};

// How a column is stored. Values are bound with these SQLite-independent kinds.
enum class CellKind { kNull, kInt, kReal, kText };
struct Cell {
  CellKind kind = CellKind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string text;
};
enum class StorageType { kInteger, kReal, kText };
struct StorageColumn {
  StorageType type = StorageType::kText;
  bool indexed = false;
  bool unique = false;
};

struct EditionRow {
  std::string id;  // public id, e.g. "2026-11-23T18-00-00Z-3f2a" (unique per product)
  std::string product;
  std::string created;  // RFC 3339 UTC
  std::string source_name;
  int64_t row_count = 0;
  int schema_version = 0;
  std::string sha256;   // of the canonical content
  std::string quality;  // JSON quality report
  int64_t seq = 0;      // store-internal ordinal (newest = highest)
};

// Writes the rows of one new edition. Nothing is visible to readers until Commit
// succeeds; destroying the writer without Commit (or a crash at any point)
// leaves no trace once the store is reopened. Not thread safe (one ingest owns it).
class EditionWriter {
 public:
  virtual ~EditionWriter() = default;
  // Appends one row; `cells` has one entry per storage column. kAlreadyExists if a
  // unique column repeats a value (the message names the column index).
  virtual Status Append(const std::vector<Cell>& cells) = 0;
  // The caller pauses (e.g. waits for more input): the writer releases locks that would keep other
  // writers waiting meanwhile. Optional; Append resumes.
  virtual Status Pause() { return Status::Ok(); }
  // Registers the edition (meta.id, created, ... as given) and makes it visible.
  virtual Status Commit(const EditionRow& meta) = 0;
};

// Reads rows of one edition. Columns are addressed by schema position.
// `sql_where`/`sql_order` are produced by the query layer from a fixed grammar
// with `?` placeholders only; they reference columns as c0, c1, ... and the row
// ordinal as _row. Never pass user text here.
struct RowScan {
  std::string where;         // "" or e.g. "c1 = ? AND c3 > ?"
  std::vector<Cell> params;  // bound in order
  std::string order;         // "" (= _row) or e.g. "c2 DESC, _row DESC"
  std::vector<int> columns;  // schema positions to return
  int64_t limit = -1;        // -1 = all
};
using RowFn = std::function<Status(int64_t row, const std::vector<Cell>& cells)>;

// A grouped aggregate over one edition, from the same fixed grammar as RowScan: SQL text is made
// only of column positions, the function enum and integers; values are bound `?` parameters.
enum class AggregateFn { kCountRows, kCount, kSum, kAvg, kMin, kMax };  // COUNT(*), COUNT(c), ...
struct AggregateTerm {
  AggregateFn fn = AggregateFn::kCountRows;
  int column = -1;  // schema position; ignored for kCountRows
};
struct AggregateOrder {
  int output = 0;  // index into the result row (group columns, then aggregates)
  bool desc = false;
};
struct AggregateScan {
  std::string where;          // as RowScan::where
  std::vector<Cell> params;   // bound in order
  std::vector<int> group_by;  // schema positions; empty = one row over all matching rows
  std::vector<AggregateTerm> aggregates;
  std::vector<AggregateOrder> order;  // empty = unspecified
  int64_t limit = -1;                 // -1 = all
  int64_t offset = 0;
};

// A comparison of two editions of one product by a key column. Columns are paired by
// name across the two editions' schema versions: (position in `from`, position in `to`).
struct DiffSpec {
  std::pair<int, int> key;
  std::vector<std::pair<int, int>> compared;  // a row is "changed" when any pair differs (NULL-aware)
  std::vector<int> from_columns;              // returned for removed and changed rows
  std::vector<int> to_columns;                // returned for added and changed rows
};
enum class DiffOp { kAdded, kRemoved, kChanged };
// One difference. `row` is the ordinal in `to` (added, changed) or `from` (removed); the
// cells of the side(s) present follow DiffSpec::from_columns / to_columns, the other is empty.
using DiffFn = std::function<Status(int64_t row, const std::vector<Cell>& from, const std::vector<Cell>& to)>;

class ProductStore {
 public:
  virtual ~ProductStore() = default;
  virtual Result<ProductRow> Get(const std::string& id) = 0;
  // Ordered by id, after `after_id`, at most `limit`; `dataset` filters when not empty.
  virtual Result<std::vector<ProductRow>> List(const std::string& after_id, int limit,
                                               const std::string& dataset) = 0;
  // Inserts the product with its first schema version. kAlreadyExists / kNotFound (dataset).
  virtual Status Insert(const ProductRow& p, const SchemaVersionRow& first_schema) = 0;
  // Replaces the product row if its version is `expected_version`; with `new_schema`,
  // also records that schema version (p.schema_version must equal its version).
  virtual Status Update(const ProductRow& p, int64_t expected_version,
                        const std::optional<SchemaVersionRow>& new_schema) = 0;
  // kConflict while it has editions (they must be deleted explicitly first).
  virtual Status Delete(const std::string& id, std::optional<int64_t> expected_version) = 0;
  virtual Result<std::vector<SchemaVersionRow>> SchemaVersions(const std::string& product) = 0;

  virtual Result<std::unique_ptr<EditionWriter>> BeginEdition(const std::string& product,
                                                              const std::vector<StorageColumn>& columns) = 0;
  // Newest first.
  virtual Result<std::vector<EditionRow>> Editions(const std::string& product) = 0;
  // `id` may be "latest". kNotFound if absent.
  virtual Result<EditionRow> Edition(const std::string& product, const std::string& id) = 0;
  virtual Status DeleteEdition(const std::string& product, const std::string& id) = 0;
  // Streams rows of an edition in scan order; the callback may stop with a non-OK Status.
  virtual Status Scan(const EditionRow& edition, const RowScan& scan, const RowFn& fn) = 0;
  virtual Result<int64_t> Count(const EditionRow& edition, const RowScan& scan) = 0;
  // Streams one result row per group (cells: the group_by values, then the aggregates; `row` is
  // 1, 2, ...). NULLs form one group. Integer SUM overflow is kInvalidArgument "integer overflow".
  virtual Status Aggregate(const EditionRow& edition, const AggregateScan& scan, const RowFn& fn) = 0;
  // The number of groups (rows Aggregate would give without limit and offset).
  virtual Result<int64_t> CountGroups(const EditionRow& edition, const AggregateScan& scan) = 0;
  // Streams the differences of kind `op` between two editions, by ascending `row` after
  // `after_row`, at most `limit` (-1 = all). Keys are unique within an edition.
  virtual Status Diff(const EditionRow& from, const EditionRow& to, const DiffSpec& spec, DiffOp op,
                      int64_t after_row, int64_t limit, const DiffFn& fn) = 0;
  // The number of differences of kind `op`.
  virtual Result<int64_t> DiffCount(const EditionRow& from, const EditionRow& to, const DiffSpec& spec,
                                    DiffOp op) = 0;
};

}  // namespace kilde::store
