// Reading the audit log (docs/audit.md):
//
//   GET /api/v1/audit   — the owners of data products (kilde:owner of the organisation that publishes
//                         the product's dataset) read the entries about their products; kilde:admin
//                         reads every entry. JSON pages or an NDJSON export that streams.
//   GET /api/v1/innsyn  — a citizen (a token with pid) sees every logged read that returned data
//                         about them, in Norwegian, and nothing about anybody else.
//
// Both only read: entries are recorded elsewhere (audit/recorder.h). Neither answer is cached
// (Cache-Control: no-store): both describe who read personal data.
#include <charconv>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/json_body.h"
#include "base/encoding.h"
#include "base/time.h"
#include "catalog/kind.h"
#include "http/error_response.h"

namespace kilde::api {
namespace {

using nlohmann::json;

constexpr int kAuditDefaultLimit = 100;
constexpr int kInnsynDefaultLimit = 50;
constexpr int kMaxLimit = 500;
constexpr int kExportBatch = 1000;  // entries per store query while an NDJSON export streams

// A 401/403 with the RFC 6750 challenge. `s` is kUnauthenticated or kPermissionDenied.
http::Response Denied(const Status& s, std::string_view scopes) {
  http::Response r = http::FromStatus(s);
  if (s.code() == Code::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kilde\"");
  else if (!scopes.empty())
    r.headers.emplace_back(
        "WWW-Authenticate",
        "Bearer realm=\"kilde\", error=\"insufficient_scope\", scope=\"" + std::string(scopes) + "\"");
  return r;
}

http::Response NoStore(http::Response r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// NormalizeTimestamp's "2026-11-23T22:40:00Z" in the stored form of AuditEntry::time
// ("2026-11-23T22:40:00.000Z"), so that bounds and entries compare as text.
std::string StoredTime(const std::string& normalized) {
  return normalized.substr(0, normalized.size() - 1) + ".000Z";
}

// A positive decimal seq, or nullopt.
std::optional<int64_t> ParseSeq(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  std::from_chars(s.data(), s.data() + s.size(), v);
  if (v < 1) return std::nullopt;
  return v;
}

// Cursors are opaque to clients: base64url of "<time>\n<seq>" (audit) or "<seq>" (innsyn).
std::string ListCursor(const store::AuditEntry& e) {
  return Base64UrlEncode(e.time + "\n" + std::to_string(e.seq));
}
std::optional<store::AuditPosition> ParseListCursor(const std::string& cursor) {
  auto raw = Base64UrlDecode(cursor);
  if (!raw) return std::nullopt;
  const size_t nl = raw->rfind('\n');
  if (nl == std::string::npos) return std::nullopt;
  auto seq = ParseSeq(std::string_view(*raw).substr(nl + 1));
  if (!seq) return std::nullopt;
  return store::AuditPosition{raw->substr(0, nl), *seq};
}
std::optional<int64_t> ParseSeqCursor(const std::string& cursor) {
  auto raw = Base64UrlDecode(cursor);
  if (!raw) return std::nullopt;
  return ParseSeq(*raw);
}

// limit (1..500) and cursor, common to both lists; problems are appended.
int ParseLimit(const http::Request& req, int fallback, std::vector<FieldProblem>& problems) {
  auto v = req.Query("limit");
  if (!v) return fallback;
  if (auto n = ParseIntIn(*v, 1, kMaxLimit)) return *n;
  problems.push_back({"limit", "invalid_value", "must be an integer from 1 to 500"});
  return fallback;
}

// An entry for an owner or admin: every field but the data subjects (their number instead), with
// the chain hashes, so that an export can later be compared with the log.
json EntryJson(const store::SealedAuditEntry& x) {
  const store::AuditEntry& e = x.entry;
  return {{"seq", e.seq},
          {"time", e.time},
          {"request_id", e.request_id},
          {"decision", e.decision},
          {"consumer", e.consumer},
          {"client_id", e.client_id},
          {"supplier", e.supplier},
          {"product", e.product},
          {"edition", e.edition},
          {"grant", e.grant},
          {"purpose", e.purpose},
          {"legal_basis", e.legal_basis},
          {"query", e.query},
          {"rows", e.rows},
          {"subject_count", e.subjects.size()},
          {"prev_hash", x.prev_hash},
          {"hash", x.hash}};
}

// The NDJSON export: every entry matching the query, one JSON object per line, fetched from the
// store kExportBatch at a time as the client reads (memory does not grow with the log).
class AuditExport final : public http::BodySource {
 public:
  AuditExport(store::AuditStore* store, store::AuditQuery q) : store_(store), q_(std::move(q)) {
    q_.limit = kExportBatch;
  }
  Result<bool> Next(std::string& out) override {
    KILDE_ASSIGN_OR_RETURN(auto batch, store_->Entries(q_));
    for (const auto& x : batch) {
      out += Dump(EntryJson(x));
      out += '\n';
    }
    if (batch.size() < static_cast<size_t>(kExportBatch)) return false;
    q_.after = store::AuditPosition{batch.back().entry.time, batch.back().entry.seq};
    return true;
  }

 private:
  store::AuditStore* store_;  // not owned; the App's store outlives every response
  store::AuditQuery q_;
};

// The Norwegian (bokmål) text of a LangText member, falling back to nynorsk, then English; null if none.
json NorwegianText(const json& doc, const char* member) {
  if (!doc.is_object() || !doc.contains(member) || !doc[member].is_object()) return nullptr;
  for (const char* lang : {"nb", "nn", "no", "en"})
    if (doc[member].contains(lang) && doc[member][lang].is_string()) return doc[member][lang];
  return nullptr;
}

// The ids of every product whose dataset is published by the catalog organisation(s) with
// organisation number `orgnr`. Reads the catalog's organisations, then pages through datasets and
// products (catalog-sized, not log-sized).
Result<std::vector<std::string>> ProductsOf(store::Store& store, const std::string& orgnr) {
  std::vector<std::string> out;
  KILDE_ASSIGN_OR_RETURN(auto orgs,
                         store.catalog().All(std::string(catalog::StoreName(catalog::Kind::kOrganization))));
  for (const auto& org : orgs) {
    json doc = json::parse(org.doc, nullptr, false);
    if (!doc.is_object() || !doc.contains("organization_number") || doc["organization_number"] != orgnr)
      continue;
    store::ListQuery lq;
    lq.kind = "datasets";
    lq.publisher = org.id;
    lq.limit = kMaxLimit;
    for (;;) {
      KILDE_ASSIGN_OR_RETURN(auto datasets, store.catalog().List(lq));
      for (const auto& ds : datasets) {
        for (std::string after;;) {
          KILDE_ASSIGN_OR_RETURN(auto products, store.products().List(after, kMaxLimit, ds.id));
          for (const auto& pr : products) out.push_back(pr.id);
          if (products.size() < static_cast<size_t>(kMaxLimit)) break;
          after = products.back().id;
        }
      }
      if (datasets.size() < static_cast<size_t>(kMaxLimit)) break;
      lq.after_id = datasets.back().id;
    }
  }
  return out;
}

constexpr const char* kInnsynForklaring =
    "Her ser du når virksomheter har hentet opplysninger om deg gjennom Oslo kommunes "
    "datadelingsplattform: hvilken virksomhet som hentet dem, fra hvilket dataprodukt, til hvilket "
    "formål og med hvilket rettslig grunnlag. Listen viser bare hentinger der opplysninger om deg ble "
    "utlevert, og de nyeste står først. Tidspunktene er oppgitt i UTC (norsk tid er én time foran, "
    "to timer om sommeren). Har du spørsmål om en henting, kan du kontakte virksomheten eller Oslo "
    "kommune og oppgi referansen.";

}  // namespace

void App::AddAuditRoutes() {
  router_.Add("GET", "/api/v1/audit", [this](http::Request& req) -> http::Response {
    if (auto bad = RejectUnknownParams(
            req, {"product", "from", "to", "limit", "cursor", "format"},
            "unknown query parameter; this list accepts product, from, to, limit, cursor, format"))
      return std::move(*bad);
    std::vector<FieldProblem> problems;
    store::AuditQuery q;
    q.limit = ParseLimit(req, kAuditDefaultLimit, problems);
    for (const char* bound : {"from", "to"}) {
      auto v = req.Query(bound);
      if (!v) continue;
      auto t = NormalizeTimestamp(*v);
      if (!t) {
        problems.push_back({bound, "invalid_format",
                            "must be an RFC 3339 time (2026-11-23T18:00:00Z, 2026-11-23T19:00:00+01:00) "
                            "or a date (2026-11-23)"});
        continue;
      }
      (std::string_view(bound) == "from" ? q.from : q.to) = StoredTime(*t);
    }
    if (!q.from.empty() && !q.to.empty() && q.from >= q.to)
      problems.push_back({"to", "invalid_value", "must be later than from"});
    if (auto c = req.Query("cursor")) {
      q.after = ParseListCursor(*c);
      if (!q.after) problems.push_back({"cursor", "invalid_value", "not a cursor of this list"});
    }
    const std::string format = req.Query("format").value_or("json");
    if (format != "json" && format != "ndjson")
      problems.push_back({"format", "invalid_value", "must be json or ndjson"});
    if (format == "ndjson" && req.Query("limit"))
      problems.push_back({"limit", "not_allowed", "an ndjson export streams every matching entry"});
    if (!problems.empty()) {
      const std::string message = problems[0].field + ": " + problems[0].message;
      return http::FromStatus(Status::Invalid(message, std::move(problems)));
    }

    // Who may read what: kilde:admin everything; kilde:owner the products of its organisation.
    constexpr std::string_view kScopes = "kilde:owner kilde:admin";
    if (!req.principal)
      return Denied(Status(Code::kUnauthenticated,
                           "the audit log needs a bearer token (Authorization: Bearer <JWT>) with "
                           "kilde:owner (for your organisation's products) or kilde:admin"),
                    kScopes);
    const auth::Principal& p = *req.principal;
    const bool admin = auth::HasScope(p, auth::kScopeAdmin);
    if (!admin && !auth::HasScope(p, auth::kScopeOwner))
      return Denied(
          Status(Code::kPermissionDenied, "the audit log needs the scope kilde:owner or kilde:admin"),
          kScopes);
    if (!admin && p.consumer_orgnr.empty())
      return Denied(Status(Code::kPermissionDenied,
                           "the audit log is read with an organisation's token; citizens see the reads "
                           "about them at /api/v1/innsyn"),
                    "");
    // The organisation number of the organisation that publishes `product`'s dataset ("" if none).
    auto owner_of = [this](const store::ProductRow& product) -> Result<std::string> {
      auto ds = store_->catalog().Get("datasets", product.dataset);
      if (!ds.ok() && ds.status().code() == Code::kNotFound) return std::string();
      if (!ds.ok()) return ds.status();
      if (ds->publisher.empty()) return std::string();
      auto orgnr = OrgNumberOf(ds->publisher);
      if (!orgnr.ok() && orgnr.status().code() == Code::kNotFound) return std::string();
      return orgnr;
    };

    if (auto product_id = req.Query("product")) {
      auto product = store_->products().Get(*product_id);
      if (!product.ok() && (product.status().code() != Code::kNotFound || !admin))
        return http::FromStatus(product.status());
      // An admin may read the log of a product that was deleted since; its entries stay.
      if (!admin) {
        auto orgnr = owner_of(*product);
        if (!orgnr.ok()) return http::FromStatus(orgnr.status());
        if (*orgnr != p.consumer_orgnr)
          return Denied(Status(Code::kPermissionDenied, "product '" + *product_id +
                                                            "' is not published by your organisation (" +
                                                            p.consumer_orgnr + ")"),
                        "");
      }
      q.products = {*product_id};
    } else if (!admin) {
      auto owned = ProductsOf(*store_, p.consumer_orgnr);
      if (!owned.ok()) return http::FromStatus(owned.status());
      q.products = std::move(*owned);
      if (q.products.empty()) {
        // Owns nothing: nothing to show (an empty products list would mean "every product").
        http::Response r = http::JsonResponse(Dump({{"items", json::array()}, {"next_cursor", nullptr}}));
        return NoStore(std::move(r));
      }
    }

    if (format == "ndjson") {
      http::Response r;
      r.content_type = "application/x-ndjson";
      r.source = std::make_unique<AuditExport>(&store_->audit(), std::move(q));
      return NoStore(std::move(r));
    }
    const int limit = q.limit;
    q.limit = limit + 1;  // one more tells whether a next page exists
    auto entries = store_->audit().Entries(q);
    if (!entries.ok()) return http::FromStatus(entries.status());
    json items = json::array();
    for (size_t i = 0; i < entries->size() && i < static_cast<size_t>(limit); ++i)
      items.push_back(EntryJson((*entries)[i]));
    json body = {{"items", std::move(items)}, {"next_cursor", nullptr}};
    http::Response r;
    if (entries->size() > static_cast<size_t>(limit)) {
      const std::string next = ListCursor((*entries)[static_cast<size_t>(limit) - 1].entry);
      body["next_cursor"] = next;
      r.headers.emplace_back("Link", NextPageLink(req, cfg_.PublicUrl(), next));
    }
    r.body = Dump(body);
    return NoStore(std::move(r));
  });

  router_.Add("GET", "/api/v1/innsyn", [this](http::Request& req) -> http::Response {
    if (auto bad = RejectUnknownParams(req, {"limit", "cursor"},
                                       "unknown query parameter; this list accepts limit, cursor"))
      return std::move(*bad);
    std::vector<FieldProblem> problems;
    store::AuditSubjectQuery q;
    const int limit = ParseLimit(req, kInnsynDefaultLimit, problems);
    if (auto c = req.Query("cursor")) {
      q.before_seq = ParseSeqCursor(*c);
      if (!q.before_seq) problems.push_back({"cursor", "invalid_value", "not a cursor of this list"});
    }
    if (!problems.empty()) {
      const std::string message = problems[0].field + ": " + problems[0].message;
      return http::FromStatus(Status::Invalid(message, std::move(problems)));
    }
    if (!req.principal)
      return Denied(Status(Code::kUnauthenticated,
                           "innsyn needs a citizen's bearer token (ID-porten) that names you (pid)"),
                    "");
    if (!req.principal->pid)
      return Denied(Status(Code::kPermissionDenied,
                           "innsyn is for citizens: it needs a token that names a person (pid); an "
                           "organisation reads its products' log at /api/v1/audit"),
                    "");
    if (!audit_log_)
      return http::FromStatus(Status::Unavailable("the audit log is not open; try again later"));

    // Only reads that were allowed and returned data about this person: a denied read returned
    // nothing, so it told nobody anything about them (docs/audit.md).
    q.subject = SubjectHash(*req.principal->pid);
    q.decision = "allowed";
    q.limit = limit + 1;
    auto entries = store_->audit().EntriesForSubject(q);
    if (!entries.ok()) return http::FromStatus(entries.status());

    // Names of organisations (by number) and titles of products, looked up once per response.
    std::map<std::string, json> org_names;
    bool orgs_loaded = false;
    auto organisation = [&](const std::string& orgnr) -> json {
      if (!orgs_loaded) {
        orgs_loaded = true;
        auto orgs = store_->catalog().All(std::string(catalog::StoreName(catalog::Kind::kOrganization)));
        if (orgs.ok())
          for (const auto& org : *orgs) {
            json doc = json::parse(org.doc, nullptr, false);
            if (doc.is_object() && doc.contains("organization_number") &&
                doc["organization_number"].is_string())
              org_names[doc["organization_number"].get<std::string>()] = NorwegianText(doc, "name");
          }
      }
      auto it = org_names.find(orgnr);
      return {{"organisasjonsnummer", orgnr}, {"navn", it == org_names.end() ? json(nullptr) : it->second}};
    };
    std::map<std::string, json> titles;
    auto product = [&](const std::string& id) -> json {
      auto it = titles.find(id);
      if (it == titles.end()) {
        auto row = store_->products().Get(id);
        json title = nullptr;
        if (row.ok()) title = NorwegianText(json::parse(row->doc, nullptr, false), "title");
        it = titles.emplace(id, std::move(title)).first;
      }
      return {{"id", id}, {"tittel", it->second}};
    };

    // Never the query string (it may name other people, e.g. a filter on a fødselsnummer), the
    // row count, the other subjects or any hash: only what the read was, by whom, and why.
    json items = json::array();
    for (size_t i = 0; i < entries->size() && i < static_cast<size_t>(limit); ++i) {
      const store::AuditEntry& e = (*entries)[i].entry;
      items.push_back({{"tidspunkt", e.time},
                       {"organisasjon", organisation(e.consumer)},
                       {"leverandør", e.supplier.empty() ? json(nullptr) : organisation(e.supplier)},
                       {"dataprodukt", product(e.product)},
                       {"formål", e.purpose},
                       {"rettslig_grunnlag", e.legal_basis},
                       {"utfall", "utlevert"},
                       {"referanse", e.request_id}});
    }
    json body = {{"forklaring", kInnsynForklaring}, {"innsyn", std::move(items)}, {"next_cursor", nullptr}};
    http::Response r;
    if (entries->size() > static_cast<size_t>(limit)) {
      const std::string next =
          Base64UrlEncode(std::to_string((*entries)[static_cast<size_t>(limit) - 1].entry.seq));
      body["next_cursor"] = next;
      r.headers.emplace_back("Link", NextPageLink(req, cfg_.PublicUrl(), next));
    }
    r.body = Dump(body);
    return NoStore(std::move(r));
  });
}

}  // namespace kilde::api
