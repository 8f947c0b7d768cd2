// Aggregates of an edition: GET /api/v1/products/{id}/editions/{edition}/aggregate with group_by,
// count/sum/avg/min/max, the filters of /rows, order, limit/offset and json/ndjson/csv
// (query/aggregate.h) — within the caller's QueryScope (App::DecideRead), audited for restricted and
// non-public data.
#include <set>

#include "api/app.h"
#include "http/error_response.h"
#include "query/aggregate.h"
#include "query/aggregate_writer.h"
#include "query/scope_output.h"

namespace kilde::api {

void App::AddAggregateRoutes() {
  router_.Add("GET", "/api/v1/products/{id}/editions/{edition}/aggregate", [this](http::Request& req) {
    auto opened = OpenEditionRead(req);
    if (auto* refused = std::get_if<http::Response>(&opened)) return std::move(*refused);
    const EditionRead& r = std::get<EditionRead>(opened);
    ReadResult read = CachedRead(req, r.edition, "aggregate", r.access.scope,
                                 [&] { return RenderAggregate(req, r.edition, r.schema, r.access.scope); });
    return Audited(req, r.access, r.product, r.edition.id, std::move(read));
  });
}

ReadResult App::RenderAggregate(const http::Request& req, const store::EditionRow& edition,
                                const products::Schema& schema, const query::QueryScope& scope) {
  auto fail = [](const Status& s) { return ReadResult{http::FromStatus(s), {}}; };
  query::AggregateLimits limits;
  limits.max_limit = cfg_.max_rows_per_page;
  auto q = query::ParseAggregateQuery(schema, req.query, limits, scope);
  if (!q.ok()) return fail(q.status());
  auto format = query::ChooseFormat(q->format, req.Header("accept"));
  if (!format)
    return {http::ErrorResponse(406, "not_acceptable",
                                "cannot produce " + req.Header("accept") +
                                    "; available: application/json, application/x-ndjson, text/csv"),
            {}};

  std::string body;
  auto writer = query::AggregateWriter::Make(*format, *q, &body);
  writer->Begin(edition.id);
  const store::AggregateScan scan = query::BuildAggregateScan(*q);
  int64_t seen = 0;
  bool truncated = false;
  std::set<std::string> subjects;
  Status s = store_->products().Aggregate(edition, scan, [&](int64_t, const std::vector<store::Cell>& cells) {
    if (seen == q->limit) {
      truncated = true;
      return Status(Code::kAlreadyExists, "page full");  // stop reading
    }
    ++seen;
    writer->Row(cells);
    if (q->subject_output) query::AddSubject(cells[*q->subject_output], subjects);
    return Status::Ok();
  });
  if (!s.ok() && !truncated) return fail(query::SumOverflowError(*q, s));
  // The number of groups needs a second query only when this page does not reach the end.
  int64_t total = q->offset + seen;
  if (truncated || (seen == 0 && q->offset > 0)) {
    auto n = store_->products().CountGroups(edition, scan);
    if (!n.ok()) return fail(n.status());
    total = *n;
  }
  std::optional<int64_t> next_offset;
  if (truncated) next_offset = q->offset + seen;
  writer->End(total, next_offset);
  ReadResult r;
  r.response.content_type = std::string(writer->content_type());
  r.response.body = std::move(body);
  for (auto& h : query::AggregateHeaders(total, next_offset)) r.response.headers.push_back(std::move(h));
  r.response.headers.emplace_back("X-Edition", edition.id);
  r.outcome.rows = seen;
  r.outcome.subjects.assign(subjects.begin(), subjects.end());
  return r;
}

}  // namespace kilde::api
