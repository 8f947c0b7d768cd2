#include "query/download.h"

#include <cassert>
#include <set>

namespace kilde::query {

DownloadSource::DownloadSource(store::ProductStore* store, store::EditionRow edition,
                               const products::Schema& schema, const QueryScope& scope,
                               const std::string& writer_format, int64_t batch_rows)
    : store_(store), edition_(std::move(edition)), batch_rows_(batch_rows) {
  assert(batch_rows_ >= 1);
  writer_ = MakeRowWriter(writer_format, &buf_);
  assert(writer_);
  std::vector<size_t> columns;
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (!IsVisible(scope, c)) continue;
    columns.push_back(c);
    names_.push_back(schema.columns[c].name);
    types_.push_back(schema.columns[c].type);
    scan_.columns.push_back(static_cast<int>(c));
  }
  mask_ = OutputMask(schema, scope, columns);
  const std::string filters = FilterSql(scope.row_filters, scan_.params);
  scan_.where = filters.empty() ? "_row > ?" : filters + " AND _row > ?";
  scan_.params.push_back(store::Cell{store::CellKind::kInt, 0, 0, ""});
  scan_.limit = batch_rows_;
}

Result<bool> DownloadSource::Next(std::string& out) {
  if (!begun_) {
    writer_->Begin(names_);
    begun_ = true;
  }
  scan_.params.back().i = last_row_;
  int64_t n = 0;
  KILDE_RETURN_IF_ERROR(
      store_->Scan(edition_, scan_, [&](int64_t row, const std::vector<store::Cell>& cells) {
        cells_ = cells;
        mask_.Apply(cells_);
        writer_->Row(cells_, types_);
        last_row_ = row;
        ++n;
        return Status::Ok();
      }));
  const bool more = n == batch_rows_;
  if (!more) writer_->End(std::nullopt, std::nullopt);
  out.swap(buf_);
  buf_.clear();
  return more;
}

Status ForEachSubject(store::ProductStore& store, const store::EditionRow& edition, const QueryScope& scope,
                      const std::function<Status(const std::string&)>& fn) {
  if (!scope.subject_column) return Status::Ok();
  const std::string col = "c" + std::to_string(*scope.subject_column);
  store::RowScan scan;
  const std::string filters = FilterSql(scope.row_filters, scan.params);
  scan.where = filters.empty() ? col + " IS NOT NULL" : filters + " AND " + col + " IS NOT NULL";
  scan.order = col + " ASC, _row ASC";
  scan.columns = {static_cast<int>(*scope.subject_column)};
  std::set<std::string> one;
  std::string last;
  bool any = false;
  return store.Scan(edition, scan, [&](int64_t, const std::vector<store::Cell>& cells) {
    one.clear();
    AddSubject(cells[0], one);
    if (one.empty() || (any && *one.begin() == last)) return Status::Ok();
    any = true;
    last = *one.begin();
    return fn(last);
  });
}

Result<std::vector<std::string>> DownloadSubjects(store::ProductStore& store,
                                                  const store::EditionRow& edition, const QueryScope& scope) {
  std::vector<std::string> out;
  KILDE_RETURN_IF_ERROR(ForEachSubject(store, edition, scope, [&](const std::string& s) {
    out.push_back(s);
    return Status::Ok();
  }));
  return out;
}

}  // namespace kilde::query
