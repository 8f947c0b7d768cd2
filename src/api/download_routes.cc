// Whole-edition downloads: GET /api/v1/products/{id}/editions/{edition}/download.
//
// The body streams from the store in batches (query::DownloadSource), so memory does not grow
// with the edition, within the caller's QueryScope (App::DecideRead): hidden columns are left out
// (also from the header), rows outside the scope's row filters are not sent, pseudonymised
// columns are pseudonyms. Output is deterministic, so the edition's content hash, the format and
// the scope identify the bytes: that is the strong ETag (ScopedETag).
#include <string>
#include <vector>

#include "api/app.h"
#include "api/json_body.h"
#include "base/sha256.h"
#include "http/error_response.h"
#include "http/etag.h"
#include "query/download.h"
#include "query/row_writer.h"
#include "query/scope_output.h"

namespace kilde::api {
namespace {

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

// The strong ETag of a download. For the unrestricted scope the bytes are the edition's content
// (hash = edition.sha256), as before grants. Otherwise they depend on the scope too, and the
// content hash is not known before the body is streamed, so the tag is a hash of (edition hash,
// format, scope fingerprint): equal for equal bytes, different whenever the scope differs.
std::string ScopedETag(const store::EditionRow& edition, const std::string& extension,
                       const query::QueryScope& scope) {
  if (query::IsUnrestricted(scope)) return "\"" + edition.sha256 + "." + extension + "\"";
  return "\"" + Sha256Hex(edition.sha256 + "\n" + extension + "\n" + query::ScopeFingerprint(scope)) + "." +
         extension + "\"";
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

    auto opened = OpenEditionRead(req);
    if (auto* refused = std::get_if<http::Response>(&opened)) return std::move(*refused);
    const EditionRead& read = std::get<EditionRead>(opened);
    const store::EditionRow& edition = read.edition;
    const query::QueryScope& scope = read.access.scope;

    const std::string etag = ScopedETag(edition, format->extension, scope);
    http::Response r;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("X-Edition", edition.id);
    // X-Content-SHA256 is the SHA-256 of the body: the edition's content hash, which is the
    // unrestricted download's. A scoped body's hash is not known before it is streamed: no header.
    if (query::IsUnrestricted(scope)) r.headers.emplace_back("X-Content-SHA256", edition.sha256);
    // An edition id names immutable bytes; "latest" moves, so it must be revalidated.
    r.headers.emplace_back("Cache-Control", req.PathParam("edition") == "latest"
                                                ? "private, no-cache"
                                                : "private, max-age=31536000, immutable");
    if (http::IfNoneMatchHits(req.Header("if-none-match"), etag)) {
      r.status = 304;
      r.content_type.clear();
      return Audited(req, read.access, read.product, edition.id, ReadResult{std::move(r), {}});
    }
    // The audit entry of a download names every row it will contain: a pre-pass over the edition
    // (within the scope) counts them and collects their data subjects before the body starts.
    ReadOutcome outcome;
    if (read.access.audited) {
      auto counted = CountInScope(edition, read.schema, scope);
      if (!counted.ok()) return http::FromStatus(counted.status());
      outcome.rows = *counted;
      if (scope.subject_column) {
        auto subjects = query::DownloadSubjects(store_->products(), edition, scope);
        if (!subjects.ok()) return http::FromStatus(subjects.status());
        outcome.subjects = std::move(*subjects);
      }
    }
    auto source = std::make_unique<query::DownloadSource>(&store_->products(), edition, read.schema, scope,
                                                          format->writer);
    r.content_type = std::string(source->content_type());
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + edition.product + "_" +
                                                      edition.id + "." + format->extension + "\"");
    r.source = std::move(source);
    return Audited(req, read.access, read.product, edition.id, ReadResult{std::move(r), std::move(outcome)});
  });
}

}  // namespace kilde::api
