// Aggregates of an edition: GET /api/v1/products/{id}/editions/{edition}/aggregate with group_by,
// count/sum/avg/min/max, the filters of /rows, order, limit/offset and json/ndjson/csv
// (query/aggregate.h).
#include "api/app.h"
#include "http/error_response.h"
#include "query/aggregate.h"
#include "query/aggregate_writer.h"

namespace kilde::api {

void App::AddAggregateRoutes() {
  router_.Add("GET", "/api/v1/products/{id}/editions/{edition}/aggregate", [this](http::Request& req) {
    auto edition = store_->products().Edition(req.PathParam("id"), req.PathParam("edition"));
    if (!edition.ok()) return http::FromStatus(edition.status());
    return CachedRead(req, *edition, "aggregate", [&] { return RenderAggregate(req, *edition); });
  });
}

http::Response App::RenderAggregate(const http::Request& req, const store::EditionRow& edition) {
  // Aggregates are computed with the schema their edition was checked against.
  auto schema = products_.SchemaAt(edition.product, edition.schema_version);
  if (!schema.ok()) return http::FromStatus(schema.status());
  // The caller's access scope (access grants, issue 4: visible columns and a row filter). Everyone
  // sees everything until grants exist; the parser enforces whatever scope is given here.
  const query::QueryScope scope;
  query::AggregateLimits limits;
  limits.max_limit = cfg_.max_rows_per_page;
  auto q = query::ParseAggregateQuery(*schema, req.query, limits, scope);
  if (!q.ok()) return http::FromStatus(q.status());
  auto format = query::ChooseFormat(q->format, req.Header("accept"));
  if (!format)
    return http::ErrorResponse(406, "not_acceptable",
                               "cannot produce " + req.Header("accept") +
                                   "; available: application/json, application/x-ndjson, text/csv");

  std::string body;
  auto writer = query::AggregateWriter::Make(*format, *q, &body);
  writer->Begin(edition.id);
  const store::AggregateScan scan = query::BuildAggregateScan(*q);
  int64_t seen = 0;
  bool truncated = false;
  Status s = store_->products().Aggregate(edition, scan, [&](int64_t, const std::vector<store::Cell>& cells) {
    if (seen == q->limit) {
      truncated = true;
      return Status(Code::kAlreadyExists, "page full");  // stop reading
    }
    ++seen;
    writer->Row(cells);
    return Status::Ok();
  });
  if (!s.ok() && !truncated) return http::FromStatus(query::SumOverflowError(*q, s));
  // The number of groups needs a second query only when this page does not reach the end.
  int64_t total = q->offset + seen;
  if (truncated || (seen == 0 && q->offset > 0)) {
    auto n = store_->products().CountGroups(edition, scan);
    if (!n.ok()) return http::FromStatus(n.status());
    total = *n;
  }
  std::optional<int64_t> next_offset;
  if (truncated) next_offset = q->offset + seen;
  writer->End(total, next_offset);
  http::Response r;
  r.content_type = std::string(writer->content_type());
  r.body = std::move(body);
  for (auto& h : query::AggregateHeaders(total, next_offset)) r.headers.push_back(std::move(h));
  r.headers.emplace_back("X-Edition", edition.id);
  return r;
}

}  // namespace kilde::api
