#include "query/aggregate_writer.h"

#include <charconv>
#include <cmath>

namespace kilde::query {

std::unique_ptr<AggregateWriter> AggregateWriter::Make(std::string_view format, const AggregateQuery& q,
                                                       std::string* out) {
  std::unique_ptr<AggregateWriter> w(new AggregateWriter());
  w->out_ = out;
  w->json_ = format == "json";
  // JSON rows are rendered one at a time by the NDJSON writer and wrapped in the envelope, so the
  // values are written exactly as /rows writes them.
  w->rows_ = MakeRowWriter(w->json_ ? "ndjson" : format, w->json_ ? &w->line_ : out);
  if (!w->rows_) return nullptr;
  for (const AggregateOutput& o : q.outputs) {
    w->names_.push_back(o.name);
    w->types_.push_back(o.type);
    w->round_.push_back(o.fn == store::AggregateFn::kSum || o.fn == store::AggregateFn::kAvg);
  }
  return w;
}

void AggregateWriter::Begin(const std::string& edition_id) {
  rows_->Begin(names_);
  if (!json_) return;
  *out_ += "{\"edition\":";
  AppendJsonString(edition_id, *out_);
  *out_ += ",\"rows\":[";
}

void AggregateWriter::Row(const std::vector<store::Cell>& cells) {
  cells_ = cells;
  for (size_t i = 0; i < cells_.size() && i < round_.size(); ++i)
    if (round_[i] && cells_[i].kind == store::CellKind::kReal) cells_[i].d = RoundSignificant15(cells_[i].d);
  if (!json_) {
    rows_->Row(cells_, types_);
    return;
  }
  line_.clear();
  rows_->Row(cells_, types_);
  if (!line_.empty() && line_.back() == '\n') line_.pop_back();
  if (count_++) *out_ += ',';
  *out_ += line_;
}

void AggregateWriter::End(int64_t total_groups, std::optional<int64_t> next_offset) {
  rows_->End(std::nullopt, std::nullopt);
  if (!json_) return;
  *out_ += "],\"total_groups\":" + std::to_string(total_groups);
  *out_ += std::string(",\"truncated\":") + (next_offset ? "true" : "false");
  *out_ += ",\"next_offset\":" + (next_offset ? std::to_string(*next_offset) : std::string("null")) + "}";
}

double RoundSignificant15(double d) {
  if (!std::isfinite(d)) return d;
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, 14);
  double out = d;
  std::from_chars(buf, r.ptr, out);
  return out;
}

http::Params AggregateHeaders(int64_t total_groups, std::optional<int64_t> next_offset) {
  http::Params h;
  h.emplace_back("X-Total-Count", std::to_string(total_groups));
  if (next_offset) h.emplace_back("X-Next-Offset", std::to_string(*next_offset));
  return h;
}

}  // namespace kilde::query
