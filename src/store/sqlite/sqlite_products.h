// SQLite implementation of store::ProductStore (see product_store.h).
#pragma once

#include <atomic>
#include <string>

#include "store/product_store.h"
#include "store/sqlite/pool.h"

namespace kilde::store::sqlite {

class SqliteProductStore final : public ProductStore {
 public:
  // `db_path` is used to open a dedicated connection per ingest.
  SqliteProductStore(ConnectionPool* pool, std::string db_path, std::atomic<uint64_t>* errors)
      : pool_(pool), db_path_(std::move(db_path)), errors_(errors) {}

  // Removes editions left in 'staging' by an ingest that never committed (crash).
  Status RecoverStaging();

  Result<ProductRow> Get(const std::string& id) override;
  Result<std::vector<ProductRow>> List(const std::string& after_id, int limit,
                                       const std::string& dataset) override;
  Status Insert(const ProductRow& p, const SchemaVersionRow& first_schema) override;
  Status Update(const ProductRow& p, int64_t expected_version,
                const std::optional<SchemaVersionRow>& new_schema) override;
  Status Delete(const std::string& id, std::optional<int64_t> expected_version) override;
  Result<std::vector<SchemaVersionRow>> SchemaVersions(const std::string& product) override;
  Result<std::unique_ptr<EditionWriter>> BeginEdition(const std::string& product,
                                                      const std::vector<StorageColumn>& columns) override;
  Result<std::vector<EditionRow>> Editions(const std::string& product) override;
  Result<EditionRow> Edition(const std::string& product, const std::string& id) override;
  Status DeleteEdition(const std::string& product, const std::string& id) override;
  Status Scan(const EditionRow& edition, const RowScan& scan, const RowFn& fn) override;
  Result<int64_t> Count(const EditionRow& edition, const RowScan& scan) override;
  // Aggregate and CountGroups are in sqlite_aggregate.cc.
  Status Aggregate(const EditionRow& edition, const AggregateScan& scan, const RowFn& fn) override;
  Result<int64_t> CountGroups(const EditionRow& edition, const AggregateScan& scan) override;
  // Diff and DiffCount are in sqlite_diff.cc.
  Status Diff(const EditionRow& from, const EditionRow& to, const DiffSpec& spec, DiffOp op,
              int64_t after_row, int64_t limit, const DiffFn& fn) override;
  Result<int64_t> DiffCount(const EditionRow& from, const EditionRow& to, const DiffSpec& spec,
                            DiffOp op) override;

 private:
  Status Counted(Status s) {
    if (!s.ok() && s.code() == Code::kInternal) ++*errors_;
    return s;
  }
  ConnectionPool* pool_;
  std::string db_path_;
  std::atomic<uint64_t>* errors_;
};

// "ed_<seq>": the table holding an edition's rows (built from an integer only).
std::string EditionTable(int64_t seq);
// Binds `c` at position `i` of `s`.
void BindCell(Statement& s, int i, const Cell& c);
// Reads column `col` of the current row of `s`.
Cell ReadCell(const Statement& s, int col);
// A statement prepared for one call, not cached (for SQL that varies per query; finalized by
// the Statement's destructor).
Result<std::unique_ptr<Statement>> PrepareOnce(Connection& c, const std::string& sql);
// The SELECT of `scan` over table `table` (sqlite_aggregate.cc); with `count_groups`, the
// statement counting its groups instead. Exposed for tests (query plans).
std::string AggregateSql(const std::string& table, const AggregateScan& scan, bool count_groups);

}  // namespace kilde::store::sqlite
