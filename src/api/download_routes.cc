// Whole-edition downloads: GET /api/v1/products/{id}/editions/{edition}/download.
//
// The body streams from the store in batches (http::BodySource), so memory does not
// grow with the edition. Output is deterministic, so the edition's content hash plus
// the format identifies the bytes: that is the strong ETag.
#include <string>
#include <vector>

#include "api/app.h"
#include "api/json_body.h"
#include "http/error_response.h"
#include "http/etag.h"
#include "query/row_writer.h"

namespace kilde::api {
namespace {

// Rows read per Next(); ~100-200 KB of CSV for typical tables.
constexpr int64_t kBatchRows = 2000;

// Streams every row of one edition in row order. Runs on the connection's I/O
// thread; holds no store connection between pieces (each batch is a keyset scan
// on _row, which the immutable edition makes consistent).
class EditionSource final : public http::BodySource {
 public:
  EditionSource(store::ProductStore* store, store::EditionRow edition, std::string format,
                std::vector<std::string> names, std::vector<products::ColumnType> types)
      : store_(store), edition_(std::move(edition)), names_(std::move(names)), types_(std::move(types)) {
    writer_ = query::MakeRowWriter(format, &buf_);
    for (size_t i = 0; i < names_.size(); ++i) scan_.columns.push_back(static_cast<int>(i));
    scan_.where = "_row > ?";
    scan_.params.resize(1);
    scan_.params[0].kind = store::CellKind::kInt;
    scan_.limit = kBatchRows;
  }

  Result<bool> Next(std::string& out) override {
    if (!begun_) {
      writer_->Begin(names_);
      begun_ = true;
    }
    scan_.params[0].i = last_row_;
    int64_t n = 0;
    KILDE_RETURN_IF_ERROR(
        store_->Scan(edition_, scan_, [&](int64_t row, const std::vector<store::Cell>& cells) {
          writer_->Row(cells, types_);
          last_row_ = row;
          ++n;
          return Status::Ok();
        }));
    const bool more = n == kBatchRows;
    if (!more) writer_->End(std::nullopt, std::nullopt);
    out.swap(buf_);
    buf_.clear();
    return more;
  }

 private:
  store::ProductStore* store_;  // not owned; outlives the response (owned by the App)
  store::EditionRow edition_;
  std::vector<std::string> names_;
  std::vector<products::ColumnType> types_;
  std::string buf_;
  std::unique_ptr<query::RowWriter> writer_;  // appends to buf_
  store::RowScan scan_;
  int64_t last_row_ = 0;
  bool begun_ = false;
};

struct DownloadFormat {
  std::string writer;  // RowWriter format
  std::string extension;
};

std::optional<DownloadFormat> FormatFor(const std::string& name) {
  if (name == "csv") return DownloadFormat{"csv", "csv"};
  if (name == "json") return DownloadFormat{"json_array", "json"};
  if (name == "ndjson") return DownloadFormat{"ndjson", "ndjson"};
  return std::nullopt;
}

}  // namespace

void App::AddDownloadRoutes() {
  router_.Add("GET", "/api/v1/products/{id}/editions/{edition}/download", [this](http::Request& req) {
    if (auto bad = RejectUnknownParams(req, {"format"}, "download takes only format")) return std::move(*bad);
    const std::string requested = req.Query("format").value_or("");
    auto chosen = query::ChooseFormat(requested, req.Header("accept"));
    if (!chosen)
      return http::ErrorResponse(406, "not_acceptable",
                                 "cannot produce " + req.Header("accept") +
                                     "; available: text/csv, application/json, application/x-ndjson");
    // Without ?format or a specific Accept, a download is CSV (what a browser user expects).
    if (requested.empty() &&
        (*chosen == "json" && req.Header("accept").find("application/json") == std::string::npos))
      chosen = "csv";
    auto format = FormatFor(*chosen);
    if (!format)
      return http::ErrorResponse(400, "bad_request",
                                 "unknown format '" + *chosen + "'; use csv, json or ndjson");

    auto edition = store_->products().Edition(req.PathParam("id"), req.PathParam("edition"));
    if (!edition.ok()) return http::FromStatus(edition.status());
    auto schema = products_.SchemaAt(edition->product, edition->schema_version);
    if (!schema.ok()) return http::FromStatus(schema.status());

    const std::string etag = "\"" + edition->sha256 + "." + format->extension + "\"";
    http::Response r;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("X-Edition", edition->id);
    r.headers.emplace_back("X-Content-SHA256", edition->sha256);
    // An edition id names immutable bytes; "latest" moves, so it must be revalidated.
    r.headers.emplace_back("Cache-Control", req.PathParam("edition") == "latest"
                                                ? "private, no-cache"
                                                : "private, max-age=31536000, immutable");
    if (http::IfNoneMatchHits(req.Header("if-none-match"), etag)) {
      r.status = 304;
      r.content_type.clear();
      return r;
    }
    std::vector<std::string> names;
    std::vector<products::ColumnType> types;
    for (const auto& c : schema->columns) {
      names.push_back(c.name);
      types.push_back(c.type);
    }
    auto source = std::make_unique<EditionSource>(&store_->products(), *edition, format->writer,
                                                  std::move(names), std::move(types));
    std::string probe;
    r.content_type = std::string(query::MakeRowWriter(format->writer, &probe)->content_type());
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + edition->product + "_" +
                                                      edition->id + "." + format->extension + "\"");
    r.source = std::move(source);
    return r;
  });
}

}  // namespace kilde::api
