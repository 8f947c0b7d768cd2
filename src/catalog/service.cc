#include "catalog/service.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/time.h"
#include "catalog/slug.h"
#include "catalog/validate.h"

namespace kilde::catalog {
namespace {

// Set by the server; ignored in request bodies (so that a GET document can be PUT back).
constexpr std::string_view kServerFields[] = {"created", "modified", "version", "data_products"};

bool HasStatus(Kind k) { return k != Kind::kOrganization && k != Kind::kDistribution; }

void StripServerFields(nlohmann::json& doc) {
  if (!doc.is_object()) return;
  for (auto f : kServerFields) doc.erase(std::string(f));
}

Status Precondition(const store::ResourceRow& row, std::optional<int64_t> if_match) {
  if (if_match && *if_match != row.version)
    return Status(Code::kFailedPrecondition, std::string("version mismatch: ") + row.kind + " '" + row.id +
                                                 "' is at version " + std::to_string(row.version) +
                                                 ", the request expected " + std::to_string(*if_match));
  return Status::Ok();
}

}  // namespace

Result<store::ResourceRow> CatalogService::Load(Kind kind, const std::string& id,
                                                const std::string& dataset) {
  auto row = store_->Get(std::string(StoreName(kind)), id);
  if (!row.ok()) {
    if (row.status().code() == Code::kNotFound)
      return Status::NotFound(std::string(Noun(kind)) + " '" + id + "' not found");
    return row.status();
  }
  if (kind == Kind::kDistribution && (!row->parent || row->parent->id != dataset))
    return Status::NotFound("distribution '" + id + "' not found in dataset '" + dataset + "'");
  return row;
}

Result<nlohmann::json> CatalogService::Get(Kind kind, const std::string& id, const std::string& dataset) {
  KILDE_ASSIGN_OR_RETURN(auto row, Load(kind, id, dataset));
  return DocFor(row);
}

Result<Page> CatalogService::List(const ListRequest& req) {
  store::ListQuery q;
  q.kind = std::string(StoreName(req.kind));
  q.limit = req.limit + 1;
  if (!req.cursor.empty()) {
    auto decoded = Base64UrlDecode(req.cursor);
    if (!decoded || decoded->rfind("id:", 0) != 0)
      return Status::Invalid("invalid cursor",
                             {{"cursor", "invalid_format", "use next_cursor from a previous page"}});
    q.after_id = decoded->substr(3);
  }
  q.publisher = req.publisher;
  q.theme = req.theme;
  q.access_rights = req.access_rights;
  q.status = req.status;
  if (req.kind == Kind::kOrganization && req.parent) q.publisher = req.parent;
  if (req.kind == Kind::kDistribution)
    q.parent = store::Ref{std::string(StoreName(Kind::kDataset)), req.dataset};
  if (req.modified_since) {
    auto ts = NormalizeTimestamp(*req.modified_since);
    if (!ts)
      return Status::Invalid("invalid modified_since", {{"modified_since", "invalid_format",
                                                         "expected YYYY-MM-DD or an RFC 3339 time"}});
    q.modified_since = *ts;
  }
  KILDE_ASSIGN_OR_RETURN(auto rows, store_->List(q));
  Page page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < req.limit; ++i)
    page.items.push_back(DocFor(rows[i]));
  if (static_cast<int>(rows.size()) > req.limit)
    page.next_cursor = Base64UrlEncode("id:" + rows[req.limit - 1].id);
  return page;
}

void CatalogService::Check(Kind kind, const nlohmann::json& doc, const std::string& prefix,
                           const std::vector<std::pair<Kind, std::string>>& pending,
                           std::vector<FieldProblem>& problems) {
  Validation v = Validate(kind, doc);
  for (auto& p : v.problems) problems.push_back({prefix + p.field, p.problem, p.message});
  for (const auto& ref : v.references) {
    if (std::find(pending.begin(), pending.end(), std::make_pair(ref.kind, ref.id)) != pending.end())
      continue;
    auto got = store_->Get(std::string(StoreName(ref.kind)), ref.id);
    if (got.ok()) continue;
    if (got.status().code() == Code::kNotFound) {
      problems.push_back({prefix + ref.field, "not_found",
                          "no " + std::string(Noun(ref.kind)) + " with id '" + ref.id + "'"});
    } else {
      problems.push_back({prefix + ref.field, "unavailable", got.status().message()});
    }
  }
  if (kind == Kind::kOrganization && doc.is_object() && doc.contains("parent") && doc["parent"].is_string()) {
    // Walk up the chain: the new parent must not lead back to this organisation.
    std::string id = doc.value("id", ""), cur = doc["parent"].get<std::string>();
    for (int depth = 0; depth < 64 && !cur.empty(); ++depth) {
      if (cur == id) {
        problems.push_back(
            {prefix + "parent", "invalid_value", "an organization cannot be its own ancestor"});
        break;
      }
      auto row = store_->Get(std::string(StoreName(Kind::kOrganization)), cur);
      if (!row.ok()) break;
      cur = row->publisher;
    }
  }
}

Result<std::string> CatalogService::NewId(Kind kind, const nlohmann::json& doc) {
  std::string base = SlugFromDoc(doc);
  if (base.empty()) base = std::string(Noun(kind)).substr(0, 4) + "-" + RandomHex(4);
  for (int n = 1; n < 1000; ++n) {
    std::string candidate = n == 1 ? base : base + "-" + std::to_string(n);
    auto got = store_->Get(std::string(StoreName(kind)), candidate);
    if (!got.ok() && got.status().code() == Code::kNotFound) return candidate;
    if (!got.ok()) return got.status();
  }
  return base + "-" + RandomHex(4);
}

Result<nlohmann::json> CatalogService::Write(Kind kind, nlohmann::json doc,
                                             const store::ResourceRow* existing,
                                             std::optional<int64_t> if_match, const std::string& dataset) {
  if (!doc.is_object())
    return Status::Invalid("the request body must be a JSON object", {{"", "wrong_type", ""}});
  StripServerFields(doc);
  std::vector<FieldProblem> problems;
  if (kind == Kind::kDistribution) {
    if (doc.contains("dataset") && doc["dataset"] != dataset)
      problems.push_back(
          {"dataset", "conflict", "must be '" + dataset + "', the dataset in the URL, or left out"});
    doc["dataset"] = dataset;
  }
  if (existing) {
    if (doc.contains("id") && doc["id"] != existing->id)
      problems.push_back({"id", "read_only", "the id cannot be changed (it is '" + existing->id + "')"});
    doc["id"] = existing->id;
  } else if (!doc.contains("id") || doc["id"].is_null()) {
    KILDE_ASSIGN_OR_RETURN(std::string id, NewId(kind, doc));
    doc["id"] = id;
  }
  if (HasStatus(kind) && (!doc.contains("status") || doc["status"].is_null())) doc["status"] = "draft";
  if (kind == Kind::kOrganization && doc.contains("organization_number") &&
      doc["organization_number"].is_string()) {
    KILDE_ASSIGN_OR_RETURN(auto orgs, store_->All(std::string(StoreName(Kind::kOrganization))));
    for (const auto& o : orgs) {
      auto other = DocFor(o);
      if (o.id != doc.value("id", "") && other.value("organization_number", "") == doc["organization_number"])
        problems.push_back(
            {"organization_number", "conflict", "already used by organization '" + o.id + "'"});
    }
  }
  Check(kind, doc, "", {}, problems);
  if (!problems.empty())
    return Status::Invalid(std::string(Noun(kind)) + " is not valid", std::move(problems));

  const std::string now = NowRfc3339();
  doc["created"] = existing ? DocFor(*existing).value("created", existing->created) : now;
  doc["modified"] = now;
  store::ResourceRow row = RowFor(kind, doc);
  if (existing) {
    KILDE_RETURN_IF_ERROR(Precondition(*existing, if_match));
    row.version = existing->version + 1;
    KILDE_RETURN_IF_ERROR(store_->Update(row, existing->version));
  } else {
    row.version = 1;
    KILDE_RETURN_IF_ERROR(store_->Insert(row));
  }
  return DocFor(row);
}

Result<nlohmann::json> CatalogService::Create(Kind kind, nlohmann::json doc, const std::string& dataset) {
  if (kind == Kind::kDistribution) KILDE_RETURN_IF_ERROR(Load(Kind::kDataset, dataset, "").status());
  return Write(kind, std::move(doc), nullptr, std::nullopt, dataset);
}

Result<nlohmann::json> CatalogService::Replace(Kind kind, const std::string& id, nlohmann::json doc,
                                               std::optional<int64_t> if_match, const std::string& dataset) {
  KILDE_ASSIGN_OR_RETURN(auto row, Load(kind, id, dataset));
  return Write(kind, std::move(doc), &row, if_match, dataset);
}

Result<nlohmann::json> CatalogService::Patch(Kind kind, const std::string& id, const nlohmann::json& patch,
                                             std::optional<int64_t> if_match, const std::string& dataset) {
  if (!patch.is_object())
    return Status::Invalid("a merge patch must be a JSON object", {{"", "wrong_type", "expected an object"}});
  KILDE_ASSIGN_OR_RETURN(auto row, Load(kind, id, dataset));
  nlohmann::json doc = DocFor(row);
  doc.merge_patch(patch);
  return Write(kind, std::move(doc), &row, if_match, dataset);
}

Status CatalogService::Delete(Kind kind, const std::string& id, std::optional<int64_t> if_match,
                              const std::string& dataset) {
  KILDE_ASSIGN_OR_RETURN(auto row, Load(kind, id, dataset));
  KILDE_RETURN_IF_ERROR(Precondition(row, if_match));
  return store_->Delete(row.kind, row.id, row.version);
}

Result<std::vector<nlohmann::json>> CatalogService::All(Kind kind) {
  KILDE_ASSIGN_OR_RETURN(auto rows, store_->All(std::string(StoreName(kind))));
  std::vector<nlohmann::json> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(DocFor(r));
  return out;
}

}  // namespace kilde::catalog
