// SQLite implementation of store::AccessStore (see access_store.h). Grants are in
// sqlite_access.cc, requests and their events in sqlite_access_requests.cc.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "store/access_store.h"
#include "store/sqlite/pool.h"

namespace kilde::store::sqlite {

class SqliteAccessStore final : public AccessStore {
 public:
  SqliteAccessStore(ConnectionPool* pool, std::atomic<uint64_t>* errors) : pool_(pool), errors_(errors) {}

  Status InsertGrant(const GrantRow& g) override;
  Result<GrantRow> GetGrant(const std::string& id) override;
  Result<std::vector<GrantRow>> ListGrants(const GrantQuery& q) override;
  Result<std::vector<GrantRow>> ActiveGrants(const std::string& product, const std::string& grantee_orgnr,
                                             const std::string& client_id, const std::string& now) override;
  Status UpdateGrant(const GrantRow& g, int64_t expected_version) override;
  Status RevokeGrant(const std::string& id, const std::string& time, const Actor& by,
                     std::optional<int64_t> expected_version) override;

  Status InsertRequest(const AccessRequestRow& r, const Actor& filed_by) override;
  Result<AccessRequestRow> GetRequest(const std::string& id) override;
  Result<std::vector<AccessRequestRow>> ListRequests(const RequestQuery& q) override;
  Result<std::vector<AccessRequestEvent>> RequestEvents(const std::string& request_id) override;
  Result<AccessRequestRow> TransitionRequest(const RequestTransition& t) override;
  Result<int64_t> ExpirePending(const std::string& now) override;

 private:
  Status Counted(Status s) {
    if (!s.ok() && s.code() == Code::kInternal) ++*errors_;
    return s;
  }
  ConnectionPool* pool_;
  std::atomic<uint64_t>* errors_;
};

// Shared by the two source files (not part of the store interface).
namespace access_sql {
// Binds an optional text (nullopt → NULL).
void BindOpt(Statement& s, int i, const std::optional<std::string>& v);
std::optional<std::string> ReadOpt(const Statement& s, int col);
// A column list as the JSON array stored in the `columns` column (nullopt → NULL).
std::optional<std::string> ColumnsToText(const std::optional<std::vector<std::string>>& columns);
std::optional<std::vector<std::string>> ColumnsFromText(const std::optional<std::string>& text);
// Inserts `g` on `c` (inside the caller's transaction). kAlreadyExists if the id (or, for an
// approval, the request) already has a grant; kNotFound if the product does not exist.
Status InsertGrantRow(Connection& c, const GrantRow& g);
}  // namespace access_sql

}  // namespace kilde::store::sqlite
