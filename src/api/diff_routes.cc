// Differences between two editions: GET /api/v1/products/{id}/editions/{from}/diff/{to}
// (see query/diff.h for the parameters and the matching rules), each edition within the caller's
// QueryScope for its schema version (App::DecideRead; query/diff_read.h).
#include <algorithm>
#include <set>
#include <string>

#include "api/app.h"
#include "api/json_body.h"
#include "http/error_response.h"
#include "query/diff.h"
#include "query/diff_read.h"
#include "query/row_writer.h"

namespace kilde::api {
namespace {

using store::DiffOp;

// Store differences looked at per piece / per store call.
constexpr int64_t kBatch = 1000;

struct DiffContext {
  store::ProductStore* store;  // not owned; outlives the response (owned by the App)
  store::EditionRow from, to;
  query::DiffPlan plan;
  query::DiffQuery q;
};

// Streams every difference as NDJSON, piece by piece (query::ReadDiff).
class DiffSource final : public http::BodySource {
 public:
  explicit DiffSource(DiffContext ctx) : ctx_(std::move(ctx)) {}

  Result<bool> Next(std::string& out) override {
    return query::ReadDiff(*ctx_.store, ctx_.from, ctx_.to, ctx_.plan, ctx_.q, pos_, kBatch,
                           [&](query::DiffPosition, DiffOp op, const std::vector<store::Cell>& from,
                               const std::vector<store::Cell>& to) {
                             query::AppendDiffItem(ctx_.plan, op, from, to, out);
                             out += '\n';
                             return Status::Ok();
                           });
  }

 private:
  DiffContext ctx_;
  query::DiffPosition pos_;
};

void AppendEdition(const char* name, const store::EditionRow& e, std::string& out) {
  out += '"';
  out += name;
  out += "\":{\"id\":";
  query::AppendJsonString(e.id, out);
  out += ",\"row_count\":" + std::to_string(e.row_count) +
         ",\"schema_version\":" + std::to_string(e.schema_version) + ",\"sha256\":";
  query::AppendJsonString(e.sha256, out);
  out += '}';
}

void AppendNames(const char* name, const std::vector<std::string>& names, std::string& out) {
  out += '"';
  out += name;
  out += "\":[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    query::AppendJsonString(names[i], out);
  }
  out += ']';
}

}  // namespace

void App::AddDiffRoutes() {
  router_.Add("GET", "/api/v1/products/{id}/editions/{from}/diff/{to}", [this](http::Request& req) {
    query::Limits limits;
    limits.max_limit = cfg_.max_rows_per_page;
    auto q = query::ParseDiffQuery(req.query, limits);
    if (!q.ok()) return http::FromStatus(q.status());
    auto format = query::ChooseFormat(q->format, req.Header("accept"));
    if (!format || *format == "csv")
      return http::ErrorResponse(406, "not_acceptable",
                                 "cannot produce " + req.Header("accept") +
                                     "; a diff is available as application/json or application/x-ndjson");
    if (*format == "ndjson" && (q->cursor || req.Query("limit")))
      return http::ErrorResponse(400, "bad_request",
                                 "format=ndjson streams the whole diff; limit and cursor page JSON only");

    auto product = store_->products().Get(req.PathParam("id"));
    if (!product.ok()) return http::FromStatus(product.status());
    auto from = store_->products().Edition(product->id, req.PathParam("from"));
    if (!from.ok()) return http::FromStatus(from.status());
    auto to = store_->products().Edition(product->id, req.PathParam("to"));
    if (!to.ok()) return http::FromStatus(to.status());
    auto from_schema = products_.SchemaAt(product->id, from->schema_version);
    if (!from_schema.ok()) return http::FromStatus(from_schema.status());
    auto to_schema = products_.SchemaAt(product->id, to->schema_version);
    if (!to_schema.ok()) return http::FromStatus(to_schema.status());
    // Each edition is read within the caller's scope for its own schema version.
    auto from_access = DecideRead(req, *product, *from_schema);
    if (!from_access.ok()) return http::FromStatus(from_access.status());
    auto to_access = DecideRead(req, *product, *to_schema);
    if (!to_access.ok()) return http::FromStatus(to_access.status());
    const std::string editions = from->id + ".." + to->id;
    if (!from_access->denied.ok()) return DeniedRead(req, *from_access, *product, editions);
    if (!to_access->denied.ok()) return DeniedRead(req, *to_access, *product, editions);
    auto plan = query::PlanDiff(*from_schema, *to_schema, q->key, from_access->scope, to_access->scope);
    if (!plan.ok()) return http::FromStatus(plan.status());
    auto start = query::DiffStart(*q, from->id, to->id);
    if (!start.ok()) return http::FromStatus(start.status());

    auto counted = query::CountDiff(store_->products(), *from, *to, *plan);
    if (!counted.ok()) return http::FromStatus(counted.status());
    const query::DiffCounts counts = *counted;

    http::Response r;
    r.headers = {{"X-From-Edition", from->id},
                 {"X-To-Edition", to->id},
                 {"X-Diff-Added", std::to_string(counts.added)},
                 {"X-Diff-Removed", std::to_string(counts.removed)},
                 {"X-Diff-Changed", std::to_string(counts.changed)},
                 {"X-Diff-Unchanged", std::to_string(counts.unchanged)}};
    if (*format == "ndjson") {
      // The audit entry names every difference the stream will contain: a pre-pass collects them.
      ReadOutcome outcome;
      if (to_access->audited) {
        std::set<std::string> all;
        query::DiffPosition pos = *start;
        while (true) {
          auto more = query::ReadDiff(store_->products(), *from, *to, *plan, *q, pos, kBatch,
                                      [&](query::DiffPosition, DiffOp op, const std::vector<store::Cell>& f,
                                          const std::vector<store::Cell>& t) {
                                        ++outcome.rows;
                                        query::AddDiffSubjects(*plan, op, f, t, all);
                                        return Status::Ok();
                                      });
          if (!more.ok()) return http::FromStatus(more.status());
          if (!*more) break;
        }
        outcome.subjects.assign(all.begin(), all.end());
      }
      r.content_type = "application/x-ndjson";
      r.source = std::make_unique<DiffSource>(DiffContext{&store_->products(), *from, *to, *plan, *q});
      return Audited(req, *to_access, *product, editions, ReadResult{std::move(r), std::move(outcome)});
    }

    // One JSON page: up to limit items from the start position, one more to know if there is a next page.
    std::string items;
    int64_t listed = 0;
    std::optional<query::DiffPosition> next;
    std::set<std::string> subjects;
    query::DiffPosition pos = *start, last = *start;
    while (true) {
      auto more = query::ReadDiff(store_->products(), *from, *to, *plan, *q, pos,
                                  std::min(kBatch, q->limit - listed + 1),
                                  [&](query::DiffPosition at, DiffOp op, const std::vector<store::Cell>& f,
                                      const std::vector<store::Cell>& t) {
                                    if (listed == q->limit) {
                                      next = last;
                                      return Status(Code::kAlreadyExists, "page full");  // stop
                                    }
                                    if (listed++) items += ',';
                                    query::AppendDiffItem(*plan, op, f, t, items);
                                    query::AddDiffSubjects(*plan, op, f, t, subjects);
                                    last = at;
                                    return Status::Ok();
                                  });
      if (!more.ok() && more.status().code() != Code::kAlreadyExists) return http::FromStatus(more.status());
      if (!more.ok() || !*more) break;
    }
    std::string body = "{";
    AppendEdition("from", *from, body);
    body += ',';
    AppendEdition("to", *to, body);
    body += ",\"key\":";
    query::AppendJsonString(plan->key, body);
    body += ",\"columns\":{";
    AppendNames("compared", plan->compared, body);
    body += ',';
    AppendNames("added", plan->columns_added, body);
    body += ',';
    AppendNames("removed", plan->columns_removed, body);
    body +=
        "},\"summary\":{\"added\":" + std::to_string(counts.added) +
        ",\"removed\":" + std::to_string(counts.removed) + ",\"changed\":" + std::to_string(counts.changed) +
        ",\"unchanged\":" + std::to_string(counts.unchanged) + "},\"items\":[" + items + "],\"next_cursor\":";
    if (next) {
      const std::string cursor = query::DiffCursor(*q, from->id, to->id, *next);
      query::AppendJsonString(cursor, body);
      r.headers.emplace_back("X-Next-Cursor", cursor);
    } else {
      body += "null";
    }
    body += '}';
    r.body = std::move(body);
    return Audited(req, *to_access, *product, editions,
                   ReadResult{std::move(r), ReadOutcome{listed, std::vector<std::string>(subjects.begin(),
                                                                                         subjects.end())}});
  });
}

}  // namespace kilde::api
