#include "products/service.h"

#include "products/catalog_summary.h"

#include "base/encoding.h"
#include "base/time.h"
#include "catalog/validate.h"

namespace kilde::products {
namespace {

using nlohmann::json;

const char* kDocFields[] = {"title", "description"};

// Validates the product's own optional fields (title / description as nb/nn/en texts).
void CheckTexts(const json& doc, std::vector<FieldProblem>& problems) {
  for (const char* f : kDocFields) {
    if (!doc.contains(f) || doc[f].is_null()) continue;
    if (!doc[f].is_object()) {
      problems.push_back(
          {f, "wrong_type", "expected an object of texts by language, e.g. {\"nb\": \"...\"}"});
      continue;
    }
    for (auto it = doc[f].begin(); it != doc[f].end(); ++it) {
      if (it.key() != "nb" && it.key() != "nn" && it.key() != "en")
        problems.push_back({std::string(f) + "." + it.key(), "invalid_value", "languages are nb, nn and en"});
      else if (!it.value().is_string() || it.value().get<std::string>().empty())
        problems.push_back({std::string(f) + "." + it.key(), "wrong_type", "expected a non-empty string"});
    }
  }
}

// Validates "access_level" if present: null (only in a merged patch: back to the default) or one of
// the level names.
void CheckAccessLevel(const json& doc, std::vector<FieldProblem>& problems) {
  if (!doc.contains("access_level") || doc["access_level"].is_null()) return;
  const json& v = doc["access_level"];
  if (!v.is_string() || !AccessLevelFromName(v.get<std::string>()))
    problems.push_back({"access_level", v.is_string() ? "invalid_value" : "wrong_type",
                        "must be one of public, restricted, non_public"});
}

Status PreconditionOk(const store::ProductRow& row, std::optional<int64_t> if_match) {
  if (if_match && *if_match != row.version)
    return Status(Code::kFailedPrecondition, "version mismatch: data product '" + row.id +
                                                 "' is at version " + std::to_string(row.version));
  return Status::Ok();
}

}  // namespace

json EditionJson(const store::EditionRow& e, bool with_quality) {
  json j = {{"id", e.id},
            {"created", e.created},
            {"source_name", e.source_name},
            {"row_count", e.row_count},
            {"schema_version", e.schema_version},
            {"sha256", e.sha256}};
  json quality = json::parse(e.quality, nullptr, false);
  j["quality_summary"] = QualitySummary(quality);
  if (with_quality) j["quality"] = std::move(quality);
  return j;
}

Status ProductService::CheckDataset(const json& doc, std::vector<FieldProblem>& problems) {
  if (!doc.contains("dataset") || !doc["dataset"].is_string()) {
    problems.push_back({"dataset", "required", "the catalog dataset this product belongs to"});
    return Status::Ok();
  }
  auto ds = store_->catalog().Get("datasets", doc["dataset"].get<std::string>());
  if (!ds.ok()) {
    if (ds.status().code() != Code::kNotFound) return ds.status();
    problems.push_back(
        {"dataset", "not_found", "no dataset with id '" + doc["dataset"].get<std::string>() + "'"});
  }
  return Status::Ok();
}

Result<json> ProductService::Create(const json& body) {
  if (!body.is_object())
    return Status::Invalid("the request body must be a JSON object", {{"", "wrong_type", ""}});
  std::vector<FieldProblem> problems;
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "id" && it.key() != "dataset" && it.key() != "schema" && it.key() != "title" &&
        it.key() != "description" && it.key() != "access_level")
      problems.push_back({it.key(), "unknown_field",
                          "a product has id, dataset, title, description, access_level and schema"});
  KILDE_RETURN_IF_ERROR(CheckDataset(body, problems));
  CheckTexts(body, problems);
  CheckAccessLevel(body, problems);
  std::string id = body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>()
                                                                 : body.value("dataset", "");
  if (!catalog::IsValidSlug(id))
    problems.push_back({"id", "invalid_format", "lower-case letters, digits and '-', at most 64 characters"});
  Schema schema;
  if (!body.contains("schema")) {
    problems.push_back(
        {"schema", "required", "{\"columns\": [...]}; `kilde schema infer FILE` proposes one"});
  } else {
    auto parsed = ParseSchema(body["schema"]);
    if (!parsed.ok()) {
      for (const auto& p : parsed.status().details())
        problems.push_back({"schema." + p.field, p.problem, p.message});
      if (parsed.status().details().empty())
        problems.push_back({"schema", "invalid_value", parsed.status().message()});
    } else {
      schema = std::move(*parsed);
    }
  }
  if (!problems.empty()) return Status::Invalid("data product is not valid", std::move(problems));
  const std::string now = NowRfc3339();
  json doc = {{"id", id}, {"dataset", body["dataset"]}};
  for (const char* f : kDocFields)
    if (body.contains(f) && !body[f].is_null()) doc[f] = body[f];
  doc["access_level"] = AccessLevelName(AccessLevelOfDoc(body));
  store::ProductRow row{id, body["dataset"].get<std::string>(), now, now, 1, 1, doc.dump()};
  KILDE_RETURN_IF_ERROR(store_->products().Insert(row, {1, now, SchemaToJson(schema).dump()}));
  return Describe(row);
}

Result<ProductService::Current> ProductService::Load(const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(auto row, store_->products().Get(id));
  KILDE_ASSIGN_OR_RETURN(auto versions, store_->products().SchemaVersions(id));
  for (const auto& v : versions) {
    if (v.version != row.schema_version) continue;
    auto parsed = ParseSchema(json::parse(v.schema, nullptr, false));
    if (!parsed.ok()) return Status::Internal("stored schema of '" + id + "' does not parse");
    const AccessLevel level = AccessLevelOfRow(row);
    return Current{std::move(row), std::move(*parsed), level};
  }
  return Status::Internal("data product '" + id + "' has no schema version " +
                          std::to_string(row.schema_version));
}

Result<AccessLevel> ProductService::AccessLevelOf(const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(auto row, store_->products().Get(id));
  return AccessLevelOfRow(row);
}

Result<Schema> ProductService::SchemaAt(const std::string& product, int version) {
  KILDE_ASSIGN_OR_RETURN(auto versions, store_->products().SchemaVersions(product));
  for (const auto& v : versions) {
    if (v.version != version) continue;
    auto parsed = ParseSchema(json::parse(v.schema, nullptr, false));
    if (!parsed.ok()) return Status::Internal("stored schema of '" + product + "' does not parse");
    return std::move(*parsed);
  }
  return Status::Internal("data product '" + product + "' has no schema version " + std::to_string(version));
}

Result<json> ProductService::Describe(const store::ProductRow& row) {
  json doc = json::parse(row.doc, nullptr, false);
  if (!doc.is_object()) doc = json::object();
  KILDE_ASSIGN_OR_RETURN(auto cur, Load(row.id));
  doc["access_level"] = AccessLevelName(AccessLevelOfDoc(doc));
  doc["schema"] = SchemaToJson(cur.schema);
  doc["schema_version"] = row.schema_version;
  doc["created"] = row.created;
  doc["modified"] = row.modified;
  doc["version"] = row.version;
  KILDE_ASSIGN_OR_RETURN(auto editions, store_->products().Editions(row.id));
  doc["edition_count"] = editions.size();
  doc["latest_edition"] = editions.empty() ? json(nullptr) : EditionJson(editions.front(), false);
  return doc;
}

Result<json> ProductService::Get(const std::string& id) {
  KILDE_ASSIGN_OR_RETURN(auto row, store_->products().Get(id));
  return Describe(row);
}

Result<ProductPage> ProductService::List(const std::string& cursor, int limit, const std::string& dataset) {
  std::string after;
  if (!cursor.empty()) {
    auto d = Base64UrlDecode(cursor);
    if (!d || d->rfind("id:", 0) != 0)
      return Status::Invalid("invalid cursor",
                             {{"cursor", "invalid_format", "use next_cursor from a previous page"}});
    after = d->substr(3);
  }
  KILDE_ASSIGN_OR_RETURN(auto rows, store_->products().List(after, limit + 1, dataset));
  ProductPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
    KILDE_ASSIGN_OR_RETURN(auto d, Describe(rows[i]));
    page.items.push_back(std::move(d));
  }
  if (static_cast<int>(rows.size()) > limit) page.next_cursor = Base64UrlEncode("id:" + rows[limit - 1].id);
  return page;
}

Result<json> ProductService::DatasetProducts(const std::string& dataset, const std::string& base_url) {
  json out = json::array();
  std::string after;
  for (int guard = 0; guard < 1000; ++guard) {
    KILDE_ASSIGN_OR_RETURN(auto rows, store_->products().List(after, 100, dataset));
    for (const auto& row : rows) {
      KILDE_ASSIGN_OR_RETURN(auto editions, store_->products().Editions(row.id));
      json doc = json::parse(row.doc, nullptr, false);
      const std::string self = base_url + "/api/v1/products/" + row.id;
      json p = {{"id", row.id},
                {"schema_version", row.schema_version},
                {"edition_count", editions.size()},
                {"latest_edition", editions.empty() ? json(nullptr) : EditionJson(editions.front(), false)},
                {"href", self}};
      if (doc.is_object() && doc.contains("title")) p["title"] = doc["title"];
      const AccessLevel level = AccessLevelOfDoc(doc);
      p["access_level"] = AccessLevelName(level);
      p["access_request_href"] =
          level == AccessLevel::kPublic ? json(nullptr) : json(AccessRequestHref(base_url, row.id));
      if (!editions.empty()) {
        p["rows_href"] = self + "/editions/latest/rows";
        p["download_href"] = self + "/editions/latest/download";
      }
      out.push_back(std::move(p));
    }
    if (rows.size() < 100) break;
    after = rows.back().id;
  }
  return out;
}

std::string ProductService::AccessRequestHref(const std::string& base_url, const std::string& id) {
  return base_url + "/api/v1/products/" + id + "/access-requests";
}

Result<std::map<std::string, std::string>> ProductService::AccessRequestUrls(const std::string& base_url) {
  std::map<std::string, std::string> out;
  std::string after;
  for (;;) {
    KILDE_ASSIGN_OR_RETURN(auto rows, store_->products().List(after, 500, ""));
    // Rows come ordered by id, so the first non-public product of a dataset is the one kept.
    for (const auto& row : rows)
      if (AccessLevelOfRow(row) != AccessLevel::kPublic)
        out.try_emplace(row.dataset, AccessRequestHref(base_url, row.id));
    if (rows.size() < 500) break;
    after = rows.back().id;
  }
  return out;
}

Result<json> ProductService::Patch(const std::string& id, const json& patch,
                                   std::optional<int64_t> if_match) {
  if (!patch.is_object())
    return Status::Invalid("a merge patch must be a JSON object", {{"", "wrong_type", ""}});
  KILDE_ASSIGN_OR_RETURN(auto row, store_->products().Get(id));
  KILDE_RETURN_IF_ERROR(PreconditionOk(row, if_match));
  std::vector<FieldProblem> problems;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.key() == "schema")
      problems.push_back(
          {"schema", "read_only", "change the schema with PUT /api/v1/products/" + id + "/schema"});
    else if (it.key() == "id" && it.value() != id)
      problems.push_back({"id", "read_only", "the id cannot be changed"});
    else if (it.key() != "id" && it.key() != "dataset" && it.key() != "title" && it.key() != "description" &&
             it.key() != "access_level")
      problems.push_back({it.key(), "unknown_field",
                          "a product has id, dataset, title, description, access_level and schema"});
  }
  json doc = json::parse(row.doc, nullptr, false);
  doc.merge_patch(patch);
  KILDE_RETURN_IF_ERROR(CheckDataset(doc, problems));
  CheckTexts(doc, problems);
  CheckAccessLevel(doc, problems);
  if (!problems.empty()) return Status::Invalid("data product is not valid", std::move(problems));
  const int64_t expected = row.version;
  doc["access_level"] = AccessLevelName(AccessLevelOfDoc(doc));  // explicit in every stored document
  row.dataset = doc["dataset"].get<std::string>();
  row.doc = doc.dump();
  row.modified = NowRfc3339();
  row.version = expected + 1;
  KILDE_RETURN_IF_ERROR(store_->products().Update(row, expected, std::nullopt));
  return Describe(row);
}

Status ProductService::Delete(const std::string& id, std::optional<int64_t> if_match) {
  KILDE_ASSIGN_OR_RETURN(auto row, store_->products().Get(id));
  KILDE_RETURN_IF_ERROR(PreconditionOk(row, if_match));
  return store_->products().Delete(id, row.version);
}

Result<json> ProductService::ReplaceSchema(const std::string& id, const json& body,
                                           std::optional<int64_t> if_match) {
  KILDE_ASSIGN_OR_RETURN(auto cur, Load(id));
  KILDE_RETURN_IF_ERROR(PreconditionOk(cur.row, if_match));
  KILDE_ASSIGN_OR_RETURN(Schema schema, ParseSchema(body));
  if (SchemaToJson(schema) == SchemaToJson(cur.schema))
    return Describe(cur.row);  // unchanged: no new version
  store::ProductRow row = cur.row;
  row.schema_version = cur.row.schema_version + 1;
  row.modified = NowRfc3339();
  row.version = cur.row.version + 1;
  KILDE_RETURN_IF_ERROR(store_->products().Update(
      row, cur.row.version,
      store::SchemaVersionRow{row.schema_version, row.modified, SchemaToJson(schema).dump()}));
  return Describe(row);
}

}  // namespace kilde::products
