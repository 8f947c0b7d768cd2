// Data products: a product belongs to a catalog dataset and has a versioned schema.
// Editions are added by ingest (ingest_job.h). Thread safe (stateless over the store).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "products/access_level.h"
#include "products/schema.h"
#include "store/store.h"

namespace kilde::products {

struct ProductPage {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next_cursor;
};

class ProductService {
 public:
  explicit ProductService(store::Store* store) : store_(store) {}  // not owned

  // {"id": slug (optional: derived from the dataset id), "dataset": id, "title": LangText (optional),
  //  "description": LangText (optional), "access_level": "public" | "restricted" | "non_public"
  //  (optional, default non_public), "schema": {"columns": [...]}} → the product document.
  // Every product document has "access_level" (products stored without one read as non_public).
  Result<nlohmann::json> Create(const nlohmann::json& body);
  // The product with its current schema, schema_version and edition summary.
  Result<nlohmann::json> Get(const std::string& id);
  Result<ProductPage> List(const std::string& cursor, int limit, const std::string& dataset);
  // Merge patch of title, description, dataset, access_level (null resets it to non_public). The schema
  // changes only through ReplaceSchema.
  Result<nlohmann::json> Patch(const std::string& id, const nlohmann::json& patch,
                               std::optional<int64_t> if_match);
  Status Delete(const std::string& id, std::optional<int64_t> if_match);
  // Records a new schema version unless `schema` equals the current one. Returns the product.
  Result<nlohmann::json> ReplaceSchema(const std::string& id, const nlohmann::json& schema,
                                       std::optional<int64_t> if_match);
  // The products of catalog dataset `dataset` (by id) as the catalog shows them: id, title,
  // schema_version, edition_count, latest_edition (with quality_summary), access_level and links
  // (absolute, under `base_url`; access_request_href is null for public products). An empty array
  // if it has none.
  Result<nlohmann::json> DatasetProducts(const std::string& dataset, const std::string& base_url);
  // Where a consumer asks for access to product `id`: <base_url>/api/v1/products/<id>/access-requests.
  static std::string AccessRequestHref(const std::string& base_url, const std::string& id);
  // For every dataset with at least one product whose access level is not public: the
  // AccessRequestHref of the first such product (by id) — the dataset's dcatno:accessRequestURL.
  // One pass over the product rows (no schema or edition reads).
  Result<std::map<std::string, std::string>> AccessRequestUrls(const std::string& base_url);
  // The product row and its current parsed schema.
  struct Current {
    store::ProductRow row;
    Schema schema;
    AccessLevel access_level = kDefaultAccessLevel;
  };
  Result<Current> Load(const std::string& id);
  // The access level of product `id` (kNotFound if absent): one primary-key read of the product row,
  // no schema or edition reads. Callers that already hold the row use AccessLevelOfRow.
  Result<AccessLevel> AccessLevelOf(const std::string& id);
  // The schema of `product` at `version` (editions are read with the schema they were checked against).
  Result<Schema> SchemaAt(const std::string& product, int version);

 private:
  Result<nlohmann::json> Describe(const store::ProductRow& row);
  Status CheckDataset(const nlohmann::json& doc, std::vector<FieldProblem>& problems);
  store::Store* store_;
};

// The JSON summary of an edition (id, created, source, rows, schema_version, sha256,
// quality_summary, and with `with_quality` the whole quality report).
nlohmann::json EditionJson(const store::EditionRow& e, bool with_quality);

}  // namespace kilde::products
