// The application: owns the store, the domain services and the router, and
// answers HTTP requests. The request path: http::Server (server.cc) parses →
// App::Handle → http::Router → a route in api/*_routes.cc → a domain service
// (catalog/) → store::CatalogStore (store/sqlite/). Thread safe after construction.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "access/service.h"
#include "api/response_cache.h"
#include "audit/log.h"
#include "audit/recorder.h"
#include "auth/dev_issuer.h"
#include "auth/verifier.h"
#include "catalog/service.h"
#include "config/config.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "products/service.h"
#include "query/filter.h"
#include "store/store.h"

namespace kilde::api {

class App {
 public:
  // `verifier` checks bearer tokens (its trusted issuers are set up by the caller); `dev` is the
  // development issuer when the server runs with --dev (its JWKS is then served), else nullopt.
  App(config::Config cfg, std::unique_ptr<store::Store> store, std::unique_ptr<auth::Verifier> verifier,
      std::optional<auth::DevIssuer> dev = std::nullopt);
  // Authenticates (a bad token is 401 on every route), then routes; writes pass GuardWrite.
  http::Response Handle(http::Request& req);
  // Requests whose bodies stream (uploads of editions); see http::StreamFn.
  std::optional<http::StreamRoute> StreamFor(http::Request& head);
  http::Metrics* metrics() { return &metrics_; }
  catalog::CatalogService& catalog() { return catalog_; }
  products::ProductService& products() { return products_; }
  store::Store& store() { return *store_; }
  const config::Config& config() const { return cfg_; }
  // The routes, for introspection (the OpenAPI test checks the document against them).
  const http::Router& router() const { return router_; }
  // Opens the audit log in the data dir (its Ed25519 signing key and the key that hashes data
  // subjects, both created on first use) and starts its group-commit writer. Until this succeeds,
  // every read that must be audited is refused with 503: nothing is served unlogged.
  Status OpenAudit();
  // The keyed hash under which a data subject (fødselsnummer / D-number) is stored in the audit log
  // and looked up for innsyn; never the number itself. Requires OpenAudit.
  std::string SubjectHash(std::string_view person_id) const;
  // Records the port actually bound (for --listen HOST:0) so that links and RDF
  // IRIs use it. Call before serving.
  void SetBoundPort(int port) { cfg_.listen_port = port; }

 private:
  void AddOpsRoutes();
  void AddCatalogRoutes();
  void AddRdfRoutes();
  void AddProductRoutes();
  void AddRowRoutes();
  void AddAggregateRoutes();
  void AddDownloadRoutes();
  void AddDiffRoutes();
  void AddAuthRoutes();
  // GET /api/v1/audit (owners and admins read the log) and GET /api/v1/innsyn (citizens); audit_routes.cc.
  void AddAuditRoutes();

  // --- authentication and write authorisation (authn.cc, write_guard.cc) ---
  // Verifies the Authorization header, if any, and sets req.principal. A response (401) when the
  // header is present but not a valid bearer token from a trusted issuer.
  std::optional<http::Response> Authenticate(http::Request& req);
  // The router guard: writes (every method but GET/HEAD) need a token of the owning organisation
  // with kilde:write or kilde:owner, or kilde:admin. Routes in self_authorized_ decide themselves.
  std::optional<http::Response> GuardWrite(const std::string& method, const std::string& pattern,
                                           http::Request& req);
  // OK when `req`'s principal may write resources published by organisation `org_id` (a catalog id);
  // kUnauthenticated / kPermissionDenied naming what is missing otherwise.
  Status RequireOrgWriter(const http::Request& req, const std::string& org_id, std::string_view what);
  // The organisation number of catalog organisation `org_id` ("" when it has none).
  Result<std::string> OrgNumberOf(const std::string& org_id);
  // A catalog document response with its ETag (304 when `if_none_match` hits). Datasets also get
  // their data_products summary, and an ETag that covers it.
  http::Response CatalogDocResponse(catalog::Kind kind, nlohmann::json doc, int status,
                                    const std::string& if_none_match);
  // --- reads of editions: the access decision and their audit (read_access.cc) ---
  struct ReadAccess {
    Status denied;            // not OK: answer this (401 / 403) instead of reading
    query::QueryScope scope;  // what the caller may see (columns, rows, pseudonyms, subject column)
    bool audited = false;     // the read (or the attempt) goes into the audit log
    std::string basis;        // "public" | "restricted" | "owner" | "admin" | "grant" | "denied"
    std::string grant_id, purpose, legal_basis;  // of the grant used, if any
  };
  // Decides what the caller of `req` may read of `product`, checked against `schema` (the edition's
  // schema version). The one place where reads are authorised, for rows, aggregates, downloads and
  // diffs. Grants are read from the store on every call (a revocation counts from the next request).
  Result<ReadAccess> DecideRead(const http::Request& req, const store::ProductRow& product,
                                const products::Schema& schema);
  // An edition being read: the product, the edition (`latest` resolved), the schema it was checked
  // against, and the caller's access to it.
  struct EditionRead {
    store::ProductRow product;
    store::EditionRow edition;
    products::Schema schema;
    ReadAccess access;
  };
  // Resolves {id} and {edition} of `req` and decides the caller's access (DecideRead). Either the
  // read, or the response to send instead: 404, or the audited 401/403 of a denied read.
  std::variant<EditionRead, http::Response> OpenEditionRead(const http::Request& req);
  // `read.response`, held back by before_send until its audit entry is durable when access.audited.
  http::Response Audited(const http::Request& req, const ReadAccess& access, const store::ProductRow& product,
                         const std::string& edition, ReadResult read);
  // The 401/403 of a denied read, audited like any read of the product.
  http::Response DeniedRead(const http::Request& req, const ReadAccess& access,
                            const store::ProductRow& product, const std::string& edition);
  // The grants in force for (product, orgnr, client): read from the store, or from a cache kept at most
  // 1 s and dropped when the AccessService writes a grant (its grant_generation), so that a
  // revocation counts from the next request.
  Result<std::vector<store::GrantRow>> GrantsInForce(const std::string& product, const std::string& orgnr,
                                                     const std::string& client_id);
  // The number of rows of `edition` inside `scope` (the edition's row count when it filters none).
  Result<int64_t> CountInScope(const store::EditionRow& edition, const products::Schema& schema,
                               const query::QueryScope& scope);
  // `target` with every run of exactly 11 digits replaced by a keyed hash (no fødselsnummer in the log).
  std::string RedactQuery(std::string_view target) const;
  // The organisation number owning `dataset` ("" if none); cached for 5 s.
  Result<std::string> CachedOrgNumber(const std::string& dataset);
  // Whether `orgnr` is an organisation in the catalog (restricted products); cached for 5 s.
  Result<bool> IsCatalogOrganisation(const std::string& orgnr);
  // Render one page of rows / aggregates of `edition` (checked against `schema`) within `scope`.
  // Error responses come with an empty outcome.
  ReadResult RenderRows(const http::Request& req, const store::EditionRow& edition,
                        const products::Schema& schema, const query::QueryScope& scope);
  ReadResult RenderAggregate(const http::Request& req, const store::EditionRow& edition,
                             const products::Schema& schema, const query::QueryScope& scope);
  // A read of an immutable edition (rows, aggregates): served from cache_ when the same request
  // (`kind`, edition, query string, Accept, scope fingerprint) was answered before, else rendered
  // by `render` and a 200 result kept with its outcome. Sets X-Cache: hit|miss.
  ReadResult CachedRead(const http::Request& req, const store::EditionRow& edition, std::string_view kind,
                        const query::QueryScope& scope, const std::function<ReadResult()>& render);

  config::Config cfg_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<auth::Verifier> verifier_;
  std::optional<auth::DevIssuer> dev_;
  std::set<std::string> self_authorized_;  // route patterns whose handlers authorise writes themselves
  catalog::CatalogService catalog_;
  products::ProductService products_;
  http::Metrics metrics_;
  http::Router router_;
  ResponseCache cache_;

  // --- grants and access requests of data products (grant_routes.cc, access_request_routes.cc) ---
  void AddGrantRoutes();
  void AddAccessRequestRoutes();
  // How the caller of `req` stands to data product `product`. kUnauthenticated without a token,
  // kNotFound for an unknown product. `owner`: kilde:admin, or the organisation whose number is
  // that of the publisher of the product's dataset, with kilde:owner. `reader`: kilde:read (admin
  // implies it) and an organisation (consumer) on the token. The *_denied statuses say why not
  // (kPermissionDenied; OK when the role is held).
  struct ProductRole {
    bool owner = false, reader = false;
    Status owner_denied, reader_denied;
    access::Caller caller;  // who to record
  };
  Result<ProductRole> ProductRoleOf(const http::Request& req, const std::string& product);
  access::AccessService access_;  // after store_ (it keeps the pointer)
  // The audit log (audit_log.cc); null until OpenAudit. recorder_ is declared after audit_log_ so
  // that it is destroyed first (it drains its queue into the log).
  std::unique_ptr<audit::Log> audit_log_;
  std::unique_ptr<audit::Recorder> recorder_;
  std::string subject_key_;  // raw bytes; see SubjectHash
  // Tokens already verified (authn.cc): exact token text → principal, valid until `until` (Unix
  // seconds: the token's exp, at most kTokenCacheSeconds ahead). A key removed from an issuer's set
  // stops new tokens at once; tokens verified before stay accepted until they leave the cache.
  static constexpr int64_t kTokenCacheSeconds = 300;
  static constexpr size_t kTokenCacheEntries = 10000;
  struct CachedToken {
    std::shared_ptr<const auth::Principal> principal;
    int64_t until = 0;
  };
  std::mutex token_cache_mu_;
  std::unordered_map<std::string, CachedToken> token_cache_;
  // GrantsInForce's cache, each entry tagged with access_.grant_generation() when it was read.
  struct CachedGrants {
    uint64_t generation = 0;
    std::chrono::steady_clock::time_point at;
    std::vector<store::GrantRow> grants;
  };
  std::mutex grant_cache_mu_;
  std::unordered_map<std::string, CachedGrants> grant_cache_;
  // Short-lived caches of catalog facts the read path needs (read_access.cc), guarded by the mutex.
  std::mutex owner_cache_mu_;
  std::map<std::string, std::pair<std::string, std::chrono::steady_clock::time_point>> owner_cache_;
  std::set<std::string> org_numbers_;
  std::optional<std::chrono::steady_clock::time_point> org_numbers_at_;
};

}  // namespace kilde::api
