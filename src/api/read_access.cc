// The access decision for reads of editions (rows, aggregates, downloads, diffs) and the audit
// entry of every read of restricted or non-public data.
//
// Who sees what (docs/access.md):
//   - the product's owner organisation (a token of its dataset's publisher with kilde:read,
//     kilde:write or kilde:owner) and kilde:admin: everything, in clear;
//   - a consumer with an active grant for the product (and kilde:read): the grant's columns, rows
//     and personal-data mode (access/scope.h ScopeFromGrant) — on any access level;
//   - public products, anyone (no token): every column without personal data;
//   - restricted products, a token with kilde:read of an organisation in the catalog (a municipal
//     organisation): the same as public;
//   - otherwise 401 (no token) or 403. Deny by default: a product without a known level is non_public.
// Reads of restricted and non-public products, reads through a grant and reads by the owner of a
// non-public product are audited — allowed or denied — and the response waits until the entry is
// durable (http::Response::before_send).
#include <chrono>

#include "access/scope.h"
#include "access/terms.h"
#include "api/app.h"
#include "base/norwegian_ids.h"
#include "base/time.h"
#include "http/error_response.h"
#include "products/access_level.h"
#include "query/row_query.h"

namespace kilde::api {
namespace {

using products::AccessLevel;

std::string LegalBasisText(const store::LegalBasis& b) {
  std::string s = b.law;
  if (!b.paragraph.empty()) s += (s.empty() ? "" : " ") + b.paragraph;
  if (!b.url.empty()) s += (s.empty() ? "" : " ") + std::string("(") + b.url + ")";
  return s;
}

bool CanRead(const auth::Principal& p) {
  return auth::HasScope(p, auth::kScopeRead) || auth::HasScope(p, auth::kScopeWrite) ||
         auth::HasScope(p, auth::kScopeOwner);
}

// The time with milliseconds, for audit entries.
std::string NowMillis() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::string s = NowRfc3339();  // "...T12:34:56Z"
  if (!s.empty() && s.back() == 'Z') {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03lldZ", static_cast<long long>(ms));
    s.pop_back();
    s += buf;
  }
  return s;
}

}  // namespace

Result<std::string> App::CachedOrgNumber(const std::string& dataset) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(owner_cache_mu_);
    auto it = owner_cache_.find(dataset);
    if (it != owner_cache_.end() && now - it->second.second < std::chrono::seconds(5))
      return it->second.first;
  }
  auto ds = store_->catalog().Get("datasets", dataset);
  if (!ds.ok()) return ds.status();
  std::string orgnr;
  if (!ds->publisher.empty()) {
    auto n = OrgNumberOf(ds->publisher);
    if (n.ok())
      orgnr = *n;
    else if (n.status().code() != Code::kNotFound)
      return n.status();
  }
  std::lock_guard lock(owner_cache_mu_);
  if (owner_cache_.size() > 10000) owner_cache_.clear();
  owner_cache_[dataset] = {orgnr, now};
  return orgnr;
}

Result<bool> App::IsCatalogOrganisation(const std::string& orgnr) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(owner_cache_mu_);
    if (org_numbers_at_ && now - *org_numbers_at_ < std::chrono::seconds(5))
      return org_numbers_.count(orgnr) > 0;
  }
  KILDE_ASSIGN_OR_RETURN(auto rows, store_->catalog().All("organizations"));
  std::set<std::string> numbers;
  for (const auto& r : rows) {
    auto doc = nlohmann::json::parse(r.doc, nullptr, false);
    if (doc.is_object() && doc.contains("organization_number") && doc["organization_number"].is_string())
      numbers.insert(doc["organization_number"].get<std::string>());
  }
  std::lock_guard lock(owner_cache_mu_);
  org_numbers_ = std::move(numbers);
  org_numbers_at_ = now;
  return org_numbers_.count(orgnr) > 0;
}

std::variant<App::EditionRead, http::Response> App::OpenEditionRead(const http::Request& req) {
  auto product = store_->products().Get(req.PathParam("id"));
  if (!product.ok()) return http::FromStatus(product.status());
  auto edition = store_->products().Edition(product->id, req.PathParam("edition"));
  if (!edition.ok()) return http::FromStatus(edition.status());
  // An edition is read with the schema it was checked against.
  auto schema = products_.SchemaAt(edition->product, edition->schema_version);
  if (!schema.ok()) return http::FromStatus(schema.status());
  auto access = DecideRead(req, *product, *schema);
  if (!access.ok()) return http::FromStatus(access.status());
  if (!access->denied.ok()) return DeniedRead(req, *access, *product, edition->id);
  return EditionRead{std::move(*product), std::move(*edition), std::move(*schema), std::move(*access)};
}

Result<std::vector<store::GrantRow>> App::GrantsInForce(const std::string& product, const std::string& orgnr,
                                                        const std::string& client_id) {
  const auto now = std::chrono::steady_clock::now();
  const std::string now_text = NowRfc3339();
  // Read before the store: an entry filled from a read that raced a write carries the old
  // generation and is never used after the write's bump.
  const uint64_t generation = access_.grant_generation();
  const std::string key = product + '\n' + orgnr + '\n' + client_id;
  std::vector<store::GrantRow> grants;
  bool hit = false;
  {
    std::lock_guard lock(grant_cache_mu_);
    auto it = grant_cache_.find(key);
    if (it != grant_cache_.end() && it->second.generation == generation &&
        now - it->second.at < std::chrono::seconds(1)) {
      grants = it->second.grants;
      hit = true;
    }
  }
  if (!hit) {
    KILDE_ASSIGN_OR_RETURN(grants, store_->access().ActiveGrants(product, orgnr, client_id, now_text));
    std::lock_guard lock(grant_cache_mu_);
    if (grant_cache_.size() > 10000) grant_cache_.clear();
    grant_cache_[key] = {generation, now, grants};
  }
  // A cached grant may have ended since (valid_to is exclusive; RFC 3339 UTC compares as text).
  std::erase_if(grants, [&](const store::GrantRow& g) { return g.valid_to && *g.valid_to <= now_text; });
  return grants;
}

Result<App::ReadAccess> App::DecideRead(const http::Request& req, const store::ProductRow& product,
                                        const products::Schema& schema) {
  ReadAccess a;
  const AccessLevel level = products::AccessLevelOfRow(product);
  a.audited = level != AccessLevel::kPublic;
  const auth::Principal* p = req.principal.get();
  auto deny = [&](Code code, std::string msg) {
    a.denied = Status(code, std::move(msg));
    a.basis = "denied";
    return a;
  };

  if (p && auth::HasScope(*p, auth::kScopeAdmin)) {
    a.scope = access::OwnerScope(schema);
    a.basis = "admin";
    return a;
  }
  if (p && !p->consumer_orgnr.empty() && CanRead(*p)) {
    KILDE_ASSIGN_OR_RETURN(std::string owner, CachedOrgNumber(product.dataset));
    if (!owner.empty() && owner == p->consumer_orgnr) {
      a.scope = access::OwnerScope(schema);
      a.basis = "owner";
      return a;
    }
    if (auth::HasScope(*p, auth::kScopeRead)) {
      KILDE_ASSIGN_OR_RETURN(auto grants, GrantsInForce(product.id, p->consumer_orgnr, p->client_id));
      if (!grants.empty()) {
        // Several grants: the one named in X-Kilde-Grant, else the most recent.
        const std::string wanted = req.Header("x-kilde-grant");
        const store::GrantRow* g = &grants.back();
        if (!wanted.empty()) {
          g = nullptr;
          for (const auto& one : grants)
            if (one.id == wanted) g = &one;
          if (!g)
            return deny(Code::kPermissionDenied,
                        "you have no grant '" + wanted + "' in force for this product");
        } else {
          for (const auto& one : grants)
            if (one.created > g->created) g = &one;
        }
        auto scope = access::ScopeFromGrant(schema, access::EnforcementTerms(*g));
        a.grant_id = g->id;
        a.purpose = g->purpose;
        a.legal_basis = LegalBasisText(g->legal_basis);
        if (!scope.ok()) {
          a.audited = true;
          return deny(Code::kPermissionDenied,
                      "your grant " + g->id + " does not apply to this edition: " + scope.status().message());
        }
        a.scope = std::move(*scope);
        a.audited = true;
        a.basis = "grant";
        return a;
      }
    }
  }
  switch (level) {
    case AccessLevel::kPublic:
      a.scope = access::PublicScope(schema);
      a.basis = "public";
      return a;
    case AccessLevel::kRestricted: {
      if (!p)
        return deny(Code::kUnauthenticated,
                    "this data product is restricted: send a bearer token of a "
                    "municipal organisation with kilde:read");
      if (p->consumer_orgnr.empty() || !auth::HasScope(*p, auth::kScopeRead))
        return deny(Code::kPermissionDenied,
                    "this data product is restricted to municipal organisations' tokens with kilde:read");
      KILDE_ASSIGN_OR_RETURN(bool member, IsCatalogOrganisation(p->consumer_orgnr));
      if (!member)
        return deny(Code::kPermissionDenied,
                    "this data product is restricted to the organisations in the "
                    "catalog; organisation " +
                        p->consumer_orgnr + " is not one of them");
      a.scope = access::PublicScope(schema);
      a.basis = "restricted";
      return a;
    }
    case AccessLevel::kNonPublic:
      break;
  }
  if (!p)
    return deny(Code::kUnauthenticated,
                "this data product is not public: send a bearer token of an "
                "organisation with a grant for it");
  return deny(Code::kPermissionDenied,
              "this data product is not public and " +
                  (p->consumer_orgnr.empty() ? std::string("a citizen's token")
                                             : "organisation " + p->consumer_orgnr) +
                  " has no grant in force for it; file an access request at /api/v1/products/" + product.id +
                  "/access-requests");
}

Result<int64_t> App::CountInScope(const store::EditionRow& edition, const products::Schema& schema,
                                  const query::QueryScope& scope) {
  if (scope.row_filters.empty()) return edition.row_count;
  query::Limits limits;
  limits.max_limit = cfg_.max_rows_per_page;
  KILDE_ASSIGN_OR_RETURN(auto q, query::ParseRowQuery(schema, http::Params{}, limits, scope));
  return store_->products().Count(edition, query::CountScan(q));
}

std::string App::RedactQuery(std::string_view target) const {
  // Eleven digits in a row may be a fødselsnummer (a filter like fnr=eq.…): the log keeps its
  // keyed hash, so the same number can still be matched, never the number.
  std::string out;
  size_t i = 0;
  while (i < target.size()) {
    size_t j = i;
    while (j < target.size() && target[j] >= '0' && target[j] <= '9') ++j;
    if (j - i == 11) {
      out += "[fnr:" + SubjectHash(target.substr(i, 11)).substr(0, 16) + "]";
      i = j;
    } else if (j > i) {
      out.append(target.substr(i, j - i));
      i = j;
    } else {
      out.push_back(target[i++]);
    }
  }
  return out;
}

http::Response App::Audited(const http::Request& req, const ReadAccess& access,
                            const store::ProductRow& product, const std::string& edition, ReadResult read) {
  if (!access.audited) return std::move(read.response);
  audit::Entry e;
  e.time = NowMillis();
  e.request_id = req.request_id;
  const int status = read.response.status;
  e.decision = status < 400 ? "allowed" : (status == 401 || status == 403) ? "denied" : "failed";
  if (const auth::Principal* p = req.principal.get()) {
    e.consumer = p->consumer_orgnr;
    e.client_id = p->client_id;
    e.supplier = p->supplier_orgnr.value_or("");
  }
  e.product = product.id;
  e.edition = edition;
  e.grant = access.grant_id.empty() ? access.basis : access.grant_id;
  e.purpose = access.purpose;
  e.legal_basis = access.legal_basis;
  e.query = RedactQuery(req.target);
  e.rows = status < 400 ? read.outcome.rows : 0;
  if (status < 400)
    for (const auto& s : read.outcome.subjects) e.subjects.push_back(SubjectHash(s));
  http::Response r = std::move(read.response);
  audit::Recorder* rec = recorder_.get();
  r.before_send = [rec, entry = std::move(e),
                   source = req.connection](std::function<void(const Status&)> ready) mutable {
    if (!rec) return ready(Status::Unavailable("the audit log is not open"));
    rec->Submit(std::move(entry), std::move(ready), source);
  };
  return r;
}

http::Response App::DeniedRead(const http::Request& req, const ReadAccess& access,
                               const store::ProductRow& product, const std::string& edition) {
  http::Response r = http::FromStatus(access.denied);
  if (access.denied.code() == Code::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kilde\"");
  return Audited(req, access, product, edition, ReadResult{std::move(r), {}});
}

}  // namespace kilde::api
