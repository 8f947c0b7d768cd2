// GET /api/v1/audit and GET /api/v1/innsyn through the App (real SQLite store, real audit log with
// its keys, real tokens from the development issuer checked by the App's verifier) — everything but
// the HTTP socket. Entries are recorded with audit::Log as the read routes record them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "audit/log.h"
#include "audit/signer.h"
#include "auth/dev_issuer.h"
#include "config/config.h"
#include "store/store.h"

namespace kilde::api {
namespace {

using Json = nlohmann::json;

constexpr const char* kOrgA = "974760673";  // publishes dataset ds-a (products a1, a2)
constexpr const char* kOrgB = "958935420";  // publishes dataset ds-b (product b1)
constexpr const char* kOrgC = "123456785";  // a consumer that owns nothing
constexpr const char* kAnna = "15038512363";
constexpr const char* kBo = "01019012480";

class AuditRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kilde_audit_routes_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto dev = auth::DevIssuer::Open(dir_, auth::kDevIssuerName);
    ASSERT_TRUE(dev.ok()) << dev.status().message();
    dev_ = std::make_unique<auth::DevIssuer>(std::move(*dev));
    auto verifier = std::make_unique<auth::Verifier>();
    verifier->SetIssuer(dev_->Trusted());
    auto store = store::OpenSqliteStore(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    config::Config cfg;
    cfg.data_dir = dir_.string();
    app_ = std::make_unique<App>(cfg, std::move(*store), std::move(verifier));
    ASSERT_TRUE(app_->OpenAudit().ok());

    Org("org-a", kOrgA, "Helseetaten");
    Org("org-b", kOrgB, "Utdanningsetaten");
    Dataset("ds-a", "org-a");
    Dataset("ds-b", "org-b");
    Product("a1", "ds-a", "Hjemmetjenester");
    Product("a2", "ds-a", "Legevakt");
    Product("b1", "ds-b", "Elever");

    auto signer = audit::Signer::LoadOrCreate(audit::Log::KeyPath(dir_.string()));
    ASSERT_TRUE(signer.ok());
    log_ = std::make_unique<audit::Log>(&app_->store().audit(), std::move(*signer), 100);
    // seq: product, minute, consumer, subjects, decision
    Record("a1", 1, kOrgB, {kAnna, kBo});       // 1
    Record("b1", 2, kOrgA, {kAnna});            // 2
    Record("a2", 3, kOrgC, {kBo});              // 3
    Record("a1", 4, kOrgC, {}, "denied");       // 4
    Record("a1", 5, kOrgB, {kBo});              // 5
    Record("gone", 6, kOrgB, {kAnna});          // 6: a product deleted since
    Record("a2", 7, kOrgB, {kAnna});            // 7
    Record("b1", 8, kOrgC, {kAnna}, "denied");  // 8: denied, yet with a subject: not innsyn
  }
  void TearDown() override {
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Org(const std::string& id, const std::string& orgnr, const std::string& name) {
    store::ResourceRow r = Row("organizations", id);
    r.doc = Json{{"id", id}, {"organization_number", orgnr}, {"name", {{"nb", name}}}}.dump();
    ASSERT_TRUE(app_->store().catalog().Insert(r).ok());
  }
  void Dataset(const std::string& id, const std::string& publisher) {
    store::ResourceRow r = Row("datasets", id);
    r.publisher = publisher;
    r.doc = Json{{"id", id}, {"publisher", publisher}}.dump();
    ASSERT_TRUE(app_->store().catalog().Insert(r).ok());
  }
  void Product(const std::string& id, const std::string& dataset, const std::string& title) {
    store::ProductRow p{id,
                        dataset,
                        "2026-01-01T00:00:00Z",
                        "2026-01-01T00:00:00Z",
                        1,
                        1,
                        Json{{"id", id}, {"dataset", dataset}, {"title", {{"nb", title}}}}.dump()};
    ASSERT_TRUE(app_->store().products().Insert(p, {1, "2026-01-01T00:00:00Z", R"({"columns":[]})"}).ok());
  }
  static store::ResourceRow Row(const std::string& kind, const std::string& id) {
    store::ResourceRow r;
    r.kind = kind;
    r.id = id;
    r.created = r.modified = "2026-01-01T00:00:00Z";
    r.version = 1;
    return r;
  }
  void Record(const std::string& product, int minute, const std::string& consumer,
              const std::vector<std::string>& people, const std::string& decision = "allowed") {
    auto r = log_->Record({Make(product, minute, consumer, people, decision)});
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  audit::Entry Make(const std::string& product, int minute, const std::string& consumer,
                    const std::vector<std::string>& people, const std::string& decision = "allowed") {
    audit::Entry e;
    e.time = "2026-11-23T10:0" + std::to_string(minute) + ":00.000Z";
    e.request_id = "req-" + product + "-" + std::to_string(minute);
    e.decision = decision;
    e.consumer = consumer;
    e.client_id = "client-" + consumer;
    e.product = product;
    e.edition = "2026-11-01";
    e.grant = "g-" + consumer;
    e.purpose = "Formål " + std::to_string(minute);
    e.legal_basis = "helse- og omsorgstjenesteloven § 3-2";
    // A query string naming a person: innsyn must never repeat it.
    e.query = "/api/v1/products/" + product + "/editions/latest/rows?fnr=eq." + kAnna;
    e.rows = static_cast<int64_t>(people.size());
    for (const auto& p : people) e.subjects.push_back(app_->SubjectHash(p));
    return e;
  }

  std::string Token(const std::string& consumer, std::vector<std::string> scopes,
                    std::optional<std::string> pid = std::nullopt) {
    auth::DevTokenRequest t;
    t.consumer = consumer;
    t.scopes = std::move(scopes);
    t.pid = std::move(pid);
    const int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    auto token = dev_->IssueToken(t, now);
    EXPECT_TRUE(token.ok()) << token.status().message();
    return token.ok() ? *token : "";
  }
  std::string Owner(const std::string& orgnr) { return Token(orgnr, {"kilde:owner"}); }
  std::string Admin() { return Token(kOrgC, {"kilde:admin"}); }
  std::string Citizen(const std::string& pid) { return Token("", {"openid"}, pid); }

  http::Response Get(const std::string& path, http::Params query, const std::string& token) {
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.target = path;
    req.query = std::move(query);
    req.request_id = "audit-routes-test";
    if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
    return app_->Handle(req);
  }
  // The seqs of one page of GET /api/v1/audit (200 expected).
  std::vector<int64_t> Seqs(http::Params query, const std::string& token) {
    http::Response r = Get("/api/v1/audit", std::move(query), token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<int64_t> out;
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_object() && body["items"].is_array())
      for (const auto& item : body["items"]) out.push_back(item["seq"].get<int64_t>());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<auth::DevIssuer> dev_;
  std::unique_ptr<App> app_;
  std::unique_ptr<audit::Log> log_;
};

TEST_F(AuditRoutesTest, AnOwnerReadsTheLogOfItsOwnProductsOnly) {
  const std::string a = Owner(kOrgA);
  EXPECT_EQ(Seqs({{"product", "a1"}}, a), (std::vector<int64_t>{1, 4, 5}));
  EXPECT_EQ(Seqs({{"product", "a2"}}, a), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(Seqs({}, a), (std::vector<int64_t>{1, 3, 4, 5, 7})) << "without product=: all products it owns";
  EXPECT_EQ(Seqs({}, Owner(kOrgB)), (std::vector<int64_t>{2, 8}));
  EXPECT_TRUE(Seqs({}, Owner(kOrgC)).empty()) << "an organisation that owns nothing sees nothing";

  http::Response r = Get("/api/v1/audit", {{"product", "a1"}}, a);
  EXPECT_EQ(r.route, "/api/v1/audit");
  Json item = Json::parse(r.body)["items"][0];
  EXPECT_EQ(item["consumer"], kOrgB);
  EXPECT_EQ(item["product"], "a1");
  EXPECT_EQ(item["decision"], "allowed");
  EXPECT_EQ(item["subject_count"], 2);
  EXPECT_EQ(item["prev_hash"], audit::kGenesis);
  EXPECT_EQ(item["hash"].get<std::string>().size(), 64u);
  for (const char* field : {"time", "request_id", "client_id", "supplier", "edition", "grant", "purpose",
                            "legal_basis", "query", "rows"})
    EXPECT_TRUE(item.contains(field)) << field;
  EXPECT_FALSE(item.contains("subjects"));
  EXPECT_EQ(r.body.find(app_->SubjectHash(kAnna)), std::string::npos) << "no subject hash is shown";
  EXPECT_NE(std::find(r.headers.begin(), r.headers.end(),
                      std::make_pair(std::string("Cache-Control"), std::string("no-store"))),
            r.headers.end());
}

TEST_F(AuditRoutesTest, OthersAreRefused) {
  http::Response r = Get("/api/v1/audit", {{"product", "a1"}}, Owner(kOrgB));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("not published by your organisation"), std::string::npos) << r.body;

  r = Get("/api/v1/audit", {{"product", "a1"}}, "");
  EXPECT_EQ(r.status, 401);
  bool challenge = false;
  for (const auto& [k, v] : r.headers)
    challenge = challenge || (k == "WWW-Authenticate" && v.find("Bearer") == 0);
  EXPECT_TRUE(challenge);

  EXPECT_EQ(Get("/api/v1/audit", {{"product", "a1"}}, Token(kOrgA, {"kilde:read"})).status, 403)
      << "kilde:read of the owner is not enough";
  EXPECT_EQ(Get("/api/v1/audit", {{"product", "a1"}}, Token(kOrgA, {"kilde:write"})).status, 403);
  EXPECT_EQ(Get("/api/v1/audit", {}, Citizen(kAnna)).status, 403);
  EXPECT_EQ(Get("/api/v1/audit", {{"product", "gone"}}, Owner(kOrgA)).status, 404);
  EXPECT_EQ(Get("/api/v1/audit", {}, "not-a-token").status, 401);
}

TEST_F(AuditRoutesTest, AnAdminReadsEverything) {
  const std::string admin = Admin();
  EXPECT_EQ(Seqs({}, admin), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(Seqs({{"product", "b1"}}, admin), (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(Seqs({{"product", "gone"}}, admin), (std::vector<int64_t>{6})) << "the log outlives products";
}

TEST_F(AuditRoutesTest, FiltersByTime) {
  const std::string admin = Admin();
  // from inclusive, to exclusive; offsets are converted to UTC; a date is its midnight UTC.
  EXPECT_EQ(Seqs({{"from", "2026-11-23T10:03:00Z"}, {"to", "2026-11-23T10:06:00Z"}}, admin),
            (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(Seqs({{"from", "2026-11-23T11:05:00+01:00"}}, admin), (std::vector<int64_t>{5, 6, 7, 8}));
  EXPECT_EQ(Seqs({{"to", "2026-11-23T10:02:30Z"}, {"product", "a1"}}, Owner(kOrgA)),
            (std::vector<int64_t>{1}));
  EXPECT_TRUE(Seqs({{"from", "2026-11-24"}}, admin).empty());
  EXPECT_EQ(Seqs({{"to", "2026-11-24"}}, admin).size(), 8u);

  for (const http::Params& bad :
       std::vector<http::Params>{{{"from", "yesterday"}},
                                 {{"to", "2026-13-01"}},
                                 {{"from", "2026-11-23T10:05:00Z"}, {"to", "2026-11-23T10:05:00Z"}},
                                 {{"limit", "0"}},
                                 {{"limit", "501"}},
                                 {{"cursor", "bm90IGEgY3Vyc29y"}},
                                 {{"format", "csv"}},
                                 {{"format", "ndjson"}, {"limit", "5"}},
                                 {{"subject", "x"}}}) {
    http::Response r = Get("/api/v1/audit", bad, admin);
    EXPECT_EQ(r.status, 400) << bad[0].first << "=" << bad[0].second << ": " << r.body;
  }
}

TEST_F(AuditRoutesTest, PagesWithCursorAndLink) {
  const std::string admin = Admin();
  http::Params query = {{"limit", "3"}};
  std::vector<int64_t> all;
  int pages = 0;
  for (;; ++pages) {
    ASSERT_LT(pages, 10);
    http::Response r = Get("/api/v1/audit", query, admin);
    ASSERT_EQ(r.status, 200) << r.body;
    Json body = Json::parse(r.body);
    for (const auto& item : body["items"]) all.push_back(item["seq"].get<int64_t>());
    std::string link;
    for (const auto& [k, v] : r.headers)
      if (k == "Link") link = v;
    if (body["next_cursor"].is_null()) {
      EXPECT_TRUE(link.empty());
      break;
    }
    EXPECT_NE(link.find("limit=3"), std::string::npos) << link;
    EXPECT_NE(link.find("rel=\"next\""), std::string::npos) << link;
    query = {{"limit", "3"}, {"cursor", body["next_cursor"].get<std::string>()}};
  }
  EXPECT_EQ(pages, 2);  // 3 + 3 + 2
  EXPECT_EQ(all, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_F(AuditRoutesTest, ExportsAsNdjsonStream) {
  // More entries than one store batch, so that the export really pages.
  std::vector<audit::Entry> many;
  for (int i = 0; i < 1100; ++i) many.push_back(Make("a1", 9, kOrgB, {kBo}));
  ASSERT_TRUE(log_->Record(std::move(many)).ok());
  http::Response r = Get("/api/v1/audit", {{"product", "a1"}, {"format", "ndjson"}}, Owner(kOrgA));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/x-ndjson");
  ASSERT_TRUE(r.source);
  std::string body, piece;
  int pieces = 0;
  for (bool more = true; more; ++pieces) {
    piece.clear();
    auto next = r.source->Next(piece);
    ASSERT_TRUE(next.ok());
    more = *next;
    body += piece;
  }
  EXPECT_GE(pieces, 2);
  std::vector<int64_t> seqs;
  for (size_t i = 0, nl; (nl = body.find('\n', i)) != std::string::npos; i = nl + 1)
    seqs.push_back(Json::parse(body.substr(i, nl - i))["seq"].get<int64_t>());
  ASSERT_EQ(seqs.size(), 3u + 1100u);
  EXPECT_EQ(seqs[0], 1);
  EXPECT_EQ(seqs[3], 9);
  EXPECT_EQ(seqs.back(), 8 + 1100);
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(std::set<int64_t>(seqs.begin(), seqs.end()).size(), seqs.size());
}

TEST_F(AuditRoutesTest, ACitizenSeesTheReadsAboutThemAndNothingElse) {
  http::Response r = Get("/api/v1/innsyn", {}, Citizen(kAnna));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.route, "/api/v1/innsyn");
  Json body = Json::parse(r.body);
  EXPECT_NE(body["forklaring"].get<std::string>().find("opplysninger om deg"), std::string::npos);
  std::vector<std::string> refs;
  for (const auto& i : body["innsyn"]) refs.push_back(i["referanse"].get<std::string>());
  // Anna was in 1, 2, 6 and 7 — newest first; 8 was denied.
  EXPECT_EQ(refs, (std::vector<std::string>{"req-a2-7", "req-gone-6", "req-b1-2", "req-a1-1"}));
  const Json& newest = body["innsyn"][0];
  EXPECT_EQ(newest["tidspunkt"], "2026-11-23T10:07:00.000Z");
  EXPECT_EQ(newest["organisasjon"], (Json{{"organisasjonsnummer", kOrgB}, {"navn", "Utdanningsetaten"}}));
  EXPECT_EQ(newest["dataprodukt"], (Json{{"id", "a2"}, {"tittel", "Legevakt"}}));
  EXPECT_EQ(newest["formål"], "Formål 7");
  EXPECT_EQ(newest["rettslig_grunnlag"], "helse- og omsorgstjenesteloven § 3-2");
  EXPECT_EQ(newest["utfall"], "utlevert");
  EXPECT_TRUE(newest["leverandør"].is_null());
  EXPECT_TRUE(body["innsyn"][1]["dataprodukt"]["tittel"].is_null()) << "a deleted product has no title";

  // Nothing about other people: no query strings (they name people), no hashes, no counts.
  for (const std::string& secret :
       {std::string(kAnna), std::string(kBo), app_->SubjectHash(kAnna), app_->SubjectHash(kBo),
        std::string("fnr=eq"), std::string("rows"), std::string("hash")})
    EXPECT_EQ(r.body.find(secret), std::string::npos) << secret;

  Json bo = Json::parse(Get("/api/v1/innsyn", {}, Citizen(kBo)).body);
  refs.clear();
  for (const auto& i : bo["innsyn"]) refs.push_back(i["referanse"].get<std::string>());
  EXPECT_EQ(refs, (std::vector<std::string>{"req-a1-5", "req-a2-3", "req-a1-1"}));

  Json nobody = Json::parse(Get("/api/v1/innsyn", {}, Citizen("15038512444")).body);
  EXPECT_TRUE(nobody["innsyn"].empty());
  EXPECT_FALSE(nobody["forklaring"].get<std::string>().empty());
}

TEST_F(AuditRoutesTest, InnsynPagesAndNeedsACitizensToken) {
  const std::string anna = Citizen(kAnna);
  std::vector<std::string> refs;
  http::Params query = {{"limit", "3"}};
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 5);
    http::Response r = Get("/api/v1/innsyn", query, anna);
    ASSERT_EQ(r.status, 200) << r.body;
    Json body = Json::parse(r.body);
    for (const auto& i : body["innsyn"]) refs.push_back(i["referanse"].get<std::string>());
    if (body["next_cursor"].is_null()) break;
    query = {{"limit", "3"}, {"cursor", body["next_cursor"].get<std::string>()}};
  }
  EXPECT_EQ(refs, (std::vector<std::string>{"req-a2-7", "req-gone-6", "req-b1-2", "req-a1-1"}));

  EXPECT_EQ(Get("/api/v1/innsyn", {}, "").status, 401);
  EXPECT_EQ(Get("/api/v1/innsyn", {}, Owner(kOrgA)).status, 403);
  EXPECT_EQ(Get("/api/v1/innsyn", {}, Admin()).status, 403) << "an admin token names no person";
  EXPECT_EQ(Get("/api/v1/innsyn", {{"cursor", "x"}}, anna).status, 400);
  EXPECT_EQ(Get("/api/v1/innsyn", {{"pid", kBo}}, anna).status, 400) << "no way to ask about someone else";
}

}  // namespace
}  // namespace kilde::api
