// The storage layer: every byte kilde persists goes through these interfaces.
//
// All SQL lives in backend folders (store/sqlite/, later store/postgres/); the
// domain and HTTP code see only these types. Implementations are thread safe:
// any method may be called from any worker thread concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/access_store.h"
#include "store/audit_store.h"
#include "store/product_store.h"

namespace kilde::store {

// A reference from one catalog resource to another. The store enforces it:
// the target must exist, and a referenced resource cannot be deleted.
struct Ref {
  std::string kind;  // store name of the target kind, e.g. "organizations"
  std::string id;
  bool operator==(const Ref&) const = default;
};

// One catalog resource as stored: the JSON document plus the columns that lists
// filter on. The domain layer derives the columns from the document.
struct ResourceRow {
  std::string kind;  // store name, e.g. "datasets"
  std::string id;
  std::optional<Ref> parent;  // owning resource (distribution → dataset); deleted with it
  std::string publisher;      // organization id, "" if none
  std::string status;         // "draft" / "published", "" if not applicable
  std::string access_rights;  // "PUBLIC" / ..., "" if none
  std::vector<std::string> themes;
  std::vector<Ref> refs;  // outgoing references (excluding `parent`)
  std::string created;    // RFC 3339 UTC
  std::string modified;   // RFC 3339 UTC
  int64_t version = 0;    // 1 on insert, +1 on each update
  std::string doc;        // the JSON document, serialized
};

struct ListQuery {
  std::string kind;
  std::string after_id;  // keyset paging: rows with id > after_id, ordered by id
  int limit = 50;        // rows to return (callers ask one more to learn if a next page exists)
  std::optional<std::string> publisher;
  std::optional<std::string> status;
  std::optional<std::string> access_rights;
  std::optional<std::string> theme;
  std::optional<Ref> parent;
  std::optional<std::string> modified_since;  // RFC 3339 UTC, inclusive
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  // kNotFound if absent.
  virtual Result<ResourceRow> Get(const std::string& kind, const std::string& id) = 0;
  // Rows matching `q`. Like All(), list rows leave `themes` and `refs` empty
  // (the document holds them); Get() fills them.
  virtual Result<std::vector<ResourceRow>> List(const ListQuery& q) = 0;
  // Every row of a kind, ordered by id (exports).
  virtual Result<std::vector<ResourceRow>> All(const std::string& kind) = 0;
  // kAlreadyExists if the id is taken; kNotFound naming a missing reference target.
  virtual Status Insert(const ResourceRow& row) = 0;
  // Replaces the row whose version is `expected_version` (row.version must be
  // expected_version + 1). kNotFound, or kFailedPrecondition when the version moved on.
  virtual Status Update(const ResourceRow& row, int64_t expected_version) = 0;
  // Deletes the row and its children. kConflict naming the referrers if other
  // resources still refer to it; nothing is deleted then.
  virtual Status Delete(const std::string& kind, const std::string& id,
                        std::optional<int64_t> expected_version) = 0;
  // Inserts or replaces every row in one transaction: all or nothing. References
  // may point at rows later in the batch. Versions are assigned by the store.
  virtual Status UpsertBatch(const std::vector<ResourceRow>& rows) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual CatalogStore& catalog() = 0;
  virtual ProductStore& products() = 0;
  virtual AuditStore& audit() = 0;
  virtual AccessStore& access() = 0;
  // OK if the store can answer a trivial query now.
  virtual Status Ping() = 0;
  // Total number of failed store operations since start (for /metrics).
  virtual uint64_t error_count() const = 0;
  virtual int schema_version() const = 0;
};

// Opens (creating if needed) the embedded SQLite store in `data_dir`/kilde.db and
// applies pending migrations. Fails with a clear message if the database was
// written by a newer kilde.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& data_dir);

}  // namespace kilde::store
