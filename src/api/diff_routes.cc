// Differences between two editions: GET /api/v1/products/{id}/editions/{from}/diff/{to}
// (see query/diff.h for the parameters and the matching rules).
#include <string>

#include "api/app.h"
#include "api/json_body.h"
#include "http/error_response.h"
#include "query/diff.h"
#include "query/row_writer.h"

namespace kilde::api {
namespace {

using store::DiffOp;

// Differences read per store call.
constexpr int64_t kBatch = 1000;

struct DiffContext {
  store::ProductStore* store;  // not owned; outlives the response (owned by the App)
  store::EditionRow from, to;
  query::DiffPlan plan;
  query::DiffQuery q;
};

// Streams every difference as NDJSON, batch by batch (keyset on the row ordinal).
class DiffSource final : public http::BodySource {
 public:
  explicit DiffSource(DiffContext ctx) : ctx_(std::move(ctx)) {}

  Result<bool> Next(std::string& out) override {
    if (pos_.op_index >= ctx_.q.ops.size()) return false;
    const DiffOp op = ctx_.q.ops[pos_.op_index];
    int64_t n = 0;
    KILDE_RETURN_IF_ERROR(ctx_.store->Diff(
        ctx_.from, ctx_.to, ctx_.plan.spec, op, pos_.after_row, kBatch,
        [&](int64_t row, const std::vector<store::Cell>& from, const std::vector<store::Cell>& to) {
          query::AppendDiffItem(ctx_.plan, op, from, to, out);
          out += '\n';
          pos_.after_row = row;
          ++n;
          return Status::Ok();
        }));
    if (n < kBatch) pos_ = {pos_.op_index + 1, 0};
    return pos_.op_index < ctx_.q.ops.size();
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

    const std::string product = req.PathParam("id");
    auto from = store_->products().Edition(product, req.PathParam("from"));
    if (!from.ok()) return http::FromStatus(from.status());
    auto to = store_->products().Edition(product, req.PathParam("to"));
    if (!to.ok()) return http::FromStatus(to.status());
    auto from_schema = products_.SchemaAt(product, from->schema_version);
    if (!from_schema.ok()) return http::FromStatus(from_schema.status());
    auto to_schema = products_.SchemaAt(product, to->schema_version);
    if (!to_schema.ok()) return http::FromStatus(to_schema.status());
    auto plan = query::PlanDiff(*from_schema, *to_schema, q->key);
    if (!plan.ok()) return http::FromStatus(plan.status());
    auto start = query::DiffStart(*q, from->id, to->id);
    if (!start.ok()) return http::FromStatus(start.status());

    int64_t counts[3] = {0, 0, 0};  // by DiffOp
    for (DiffOp op : {DiffOp::kAdded, DiffOp::kRemoved, DiffOp::kChanged}) {
      auto n = store_->products().DiffCount(*from, *to, plan->spec, op);
      if (!n.ok()) return http::FromStatus(n.status());
      counts[static_cast<int>(op)] = *n;
    }
    const int64_t unchanged = to->row_count - counts[0] - counts[2];

    http::Response r;
    r.headers = {{"X-From-Edition", from->id},
                 {"X-To-Edition", to->id},
                 {"X-Diff-Added", std::to_string(counts[0])},
                 {"X-Diff-Removed", std::to_string(counts[1])},
                 {"X-Diff-Changed", std::to_string(counts[2])},
                 {"X-Diff-Unchanged", std::to_string(unchanged)}};
    if (*format == "ndjson") {
      r.content_type = "application/x-ndjson";
      r.source = std::make_unique<DiffSource>(DiffContext{&store_->products(), *from, *to, *plan, *q});
      return r;
    }

    // One JSON page: up to limit items from the start position, one more to know if there is a next page.
    std::string items;
    int64_t listed = 0;
    std::optional<query::DiffPosition> next;
    query::DiffPosition pos = *start, last = *start;
    for (; pos.op_index < q->ops.size() && !next; pos = {pos.op_index + 1, 0}) {
      const DiffOp op = q->ops[pos.op_index];
      Status s = store_->products().Diff(
          *from, *to, plan->spec, op, pos.after_row, q->limit - listed + 1,
          [&](int64_t row, const std::vector<store::Cell>& f, const std::vector<store::Cell>& t) {
            if (listed == q->limit) {
              next = last;
              return Status(Code::kAlreadyExists, "page full");  // stop
            }
            if (listed++) items += ',';
            query::AppendDiffItem(*plan, op, f, t, items);
            last = {pos.op_index, row};
            return Status::Ok();
          });
      if (!s.ok() && s.code() != Code::kAlreadyExists) return http::FromStatus(s);
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
    body += "},\"summary\":{\"added\":" + std::to_string(counts[0]) +
            ",\"removed\":" + std::to_string(counts[1]) + ",\"changed\":" + std::to_string(counts[2]) +
            ",\"unchanged\":" + std::to_string(unchanged) + "},\"items\":[" + items + "],\"next_cursor\":";
    if (next) {
      const std::string cursor = query::DiffCursor(*q, from->id, to->id, *next);
      query::AppendJsonString(cursor, body);
      r.headers.emplace_back("X-Next-Cursor", cursor);
    } else {
      body += "null";
    }
    body += '}';
    r.body = std::move(body);
    return r;
  });
}

}  // namespace kilde::api
