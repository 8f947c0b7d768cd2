// The catalog's domain logic: create, read, list, replace, patch, delete and
// import of catalog resources, with validation (validate.h), reference checks
// and optimistic concurrency. Talks to storage only through store::CatalogStore.
// Thread safe (stateless apart from the store, which is thread safe).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/kind.h"
#include "store/store.h"

namespace kilde::catalog {

struct ListRequest {
  Kind kind = Kind::kDataset;
  int limit = 50;      // 1..500
  std::string cursor;  // opaque, from a previous page's next_cursor
  std::optional<std::string> publisher, theme, access_rights, status, parent, modified_since;
  std::string dataset;  // distributions: the owning dataset (required)
};

struct Page {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next_cursor;
};

// `dataset` below is the owning dataset for distributions ("" for other kinds).
class CatalogService {
 public:
  explicit CatalogService(store::CatalogStore* store) : store_(store) {}  // not owned

  Result<nlohmann::json> Get(Kind kind, const std::string& id, const std::string& dataset = "");
  Result<Page> List(const ListRequest& req);
  // Creates a resource; derives `id` from its title when absent. Returns the stored document.
  Result<nlohmann::json> Create(Kind kind, nlohmann::json doc, const std::string& dataset = "");
  // Replaces the whole document. `if_match` is the expected version (412 if it moved on).
  Result<nlohmann::json> Replace(Kind kind, const std::string& id, nlohmann::json doc,
                                 std::optional<int64_t> if_match, const std::string& dataset = "");
  // Applies an RFC 7396 JSON merge patch, then validates the result like Replace.
  Result<nlohmann::json> Patch(Kind kind, const std::string& id, const nlohmann::json& patch,
                               std::optional<int64_t> if_match, const std::string& dataset = "");
  Status Delete(Kind kind, const std::string& id, std::optional<int64_t> if_match,
                const std::string& dataset = "");
  // Imports a file in the import format (docs/catalog-model.md): validates everything
  // first and writes all or nothing. Returns counts per kind.
  Result<nlohmann::json> Import(const nlohmann::json& file);
  // Every document of `kind`, all statuses, ordered by id (for exports).
  Result<std::vector<nlohmann::json>> All(Kind kind);

 private:
  // Validates `doc` and checks its references against the store (and `pending`,
  // ids that an import is about to create). Problems are appended to `problems`
  // with `prefix` before each field.
  void Check(Kind kind, const nlohmann::json& doc, const std::string& prefix,
             const std::vector<std::pair<Kind, std::string>>& pending, std::vector<FieldProblem>& problems);
  Result<std::string> NewId(Kind kind, const nlohmann::json& doc);
  Result<nlohmann::json> Write(Kind kind, nlohmann::json doc, const store::ResourceRow* existing,
                               std::optional<int64_t> if_match, const std::string& dataset);
  Result<store::ResourceRow> Load(Kind kind, const std::string& id, const std::string& dataset);

  store::CatalogStore* store_;
};

// The store row for a validated document (filter columns, themes, references).
store::ResourceRow RowFor(Kind kind, const nlohmann::json& doc);
// The API document for a stored row (document plus `version`).
nlohmann::json DocFor(const store::ResourceRow& row);

}  // namespace kilde::catalog
