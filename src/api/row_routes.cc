// Rows of an edition: GET /api/v1/products/{id}/editions/{edition}/rows with
// PostgREST-style filters, select, order, keyset cursor, count=exact, json/ndjson/csv — within the
// caller's QueryScope (App::DecideRead), audited for restricted and non-public data.
#include <set>

#include "api/app.h"
#include "api/json_body.h"
#include "http/error_response.h"
#include "query/row_query.h"
#include "query/row_writer.h"

namespace kilde::api {

void App::AddRowRoutes() {
  router_.Add("GET", "/api/v1/products/{id}/editions/{edition}/rows", [this](http::Request& req) {
    auto opened = OpenEditionRead(req);
    if (auto* refused = std::get_if<http::Response>(&opened)) return std::move(*refused);
    const EditionRead& r = std::get<EditionRead>(opened);
    ReadResult read = CachedRead(req, r.edition, "rows", r.access.scope,
                                 [&] { return RenderRows(req, r.edition, r.schema, r.access.scope); });
    return Audited(req, r.access, r.product, r.edition.id, std::move(read));
  });
}

ReadResult App::RenderRows(const http::Request& req, const store::EditionRow& edition,
                           const products::Schema& schema, const query::QueryScope& scope) {
  auto fail = [](const Status& s) { return ReadResult{http::FromStatus(s), {}}; };
  query::Limits limits;
  limits.max_limit = cfg_.max_rows_per_page;
  auto q = query::ParseRowQuery(schema, req.query, limits, scope);
  if (!q.ok()) return fail(q.status());
  auto format = query::ChooseFormat(q->format, req.Header("accept"));
  if (!format)
    return {http::ErrorResponse(406, "not_acceptable",
                                "cannot produce " + req.Header("accept") +
                                    "; available: application/json, application/x-ndjson, text/csv"),
            {}};
  auto scan = query::BuildScan(schema, *q, edition.id);
  if (!scan.ok()) return fail(scan.status());

  std::string body;
  auto writer = query::MakeRowWriter(*format, &body);
  std::vector<std::string> names;
  std::vector<products::ColumnType> types;
  for (size_t col : q->select) {
    names.push_back(schema.columns[col].name);
    types.push_back(schema.columns[col].type);
  }
  writer->Begin(names);
  int64_t seen = 0, last_row = 0;
  std::vector<store::Cell> last_order, output;
  std::set<std::string> subjects;
  bool more = false;
  Status s = store_->products().Scan(edition, *scan, [&](int64_t row, const std::vector<store::Cell>& cells) {
    if (seen == q->limit) {
      more = true;
      return Status(Code::kAlreadyExists, "page full");  // stop scanning
    }
    ++seen;
    query::OutputCells(*q, cells, output);
    writer->Row(output, types);
    query::AddSubject(query::SubjectCell(*q, cells), subjects);
    last_row = row;
    last_order = query::OrderValues(*q, cells);
    return Status::Ok();
  });
  if (!s.ok() && s.code() != Code::kAlreadyExists) return fail(s);
  std::optional<std::string> next;
  if (more) next = query::NextCursor(*q, edition.id, last_row, last_order);
  std::optional<int64_t> total;
  if (q->count_exact) {
    auto n = store_->products().Count(edition, query::CountScan(*q));
    if (!n.ok()) return fail(n.status());
    total = *n;
  }
  writer->End(next, total);
  ReadResult r;
  r.response.content_type = std::string(writer->content_type());
  r.response.body = std::move(body);
  for (auto& h : query::PagingHeaders(next, total)) r.response.headers.push_back(std::move(h));
  r.response.headers.emplace_back("X-Edition", edition.id);
  r.outcome.rows = seen;
  r.outcome.subjects.assign(subjects.begin(), subjects.end());
  return r;
}

}  // namespace kilde::api
