// Whole-edition downloads within a QueryScope: every row that passes the scope's row filters, in
// row order, with the visible columns only (schema order; hidden ones are not even in the
// header), pseudonymised columns as pseudonyms. Also the pre-pass that collects the download's
// data subjects for the audit log before the body starts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "http/message.h"
#include "products/schema.h"
#include "query/filter.h"
#include "query/row_writer.h"
#include "query/scope_output.h"
#include "store/product_store.h"

namespace kilde::query {

// Streams an edition in batches (a keyset scan on _row per Next(), holding no store connection
// between pieces; the immutable edition makes that consistent). Runs on the connection's I/O
// thread; not thread safe.
class DownloadSource final : public http::BodySource {
 public:
  // `store` is not owned and must outlive the source. `writer_format` is a RowWriter format
  // ("csv", "json_array", "ndjson"; see MakeRowWriter). `batch_rows` >= 1.
  DownloadSource(store::ProductStore* store, store::EditionRow edition, const products::Schema& schema,
                 const QueryScope& scope, const std::string& writer_format, int64_t batch_rows = 2000);
  // The output's content type.
  std::string_view content_type() const { return writer_->content_type(); }
  Result<bool> Next(std::string& out) override;

 private:
  store::ProductStore* store_;
  store::EditionRow edition_;
  std::vector<std::string> names_;
  std::vector<products::ColumnType> types_;
  OutputMask mask_;
  std::string buf_;
  std::unique_ptr<RowWriter> writer_;  // appends to buf_
  store::RowScan scan_;                // params: the row filters' values, then the last _row
  std::vector<store::Cell> cells_;
  int64_t batch_rows_;
  int64_t last_row_ = 0;
  bool begun_ = false;
};

// Calls `fn` once for each distinct clear value of scope.subject_column among the edition's rows
// that pass the scope's row filters, in ascending byte order (an ordered scan, so memory does not
// grow with the edition). Nothing when the scope has no subject column. `fn` may stop with a
// non-OK status, which is returned.
Status ForEachSubject(store::ProductStore& store, const store::EditionRow& edition, const QueryScope& scope,
                      const std::function<Status(const std::string&)>& fn);

// ForEachSubject collected into a vector (ascending, distinct).
Result<std::vector<std::string>> DownloadSubjects(store::ProductStore& store,
                                                  const store::EditionRow& edition, const QueryScope& scope);

}  // namespace kilde::query
