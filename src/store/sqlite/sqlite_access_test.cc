// The SQLite AccessStore with a real database: grants (validity, client binding, revocation,
// versions), requests and their history, atomic transitions, expiry, and migration 4 over a
// version 3 database.
#include "store/sqlite/sqlite_access.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "store/sqlite/migrations.h"
#include "store/store_test_util.h"

namespace kilde::store {
namespace {

constexpr const char* kOrg = "958935420";
constexpr const char* kOther = "974760673";

class SqliteAccessTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    AddProduct("p");
  }
  AccessStore& acc() { return store_->access(); }

  static GrantRow Grant(std::string id, std::string from = "2026-01-01T00:00:00Z",
                        std::optional<std::string> to = std::nullopt) {
    GrantRow g;
    g.id = std::move(id);
    g.product = "p";
    g.grantee_orgnr = kOrg;
    g.purpose = "statistikk";
    g.legal_basis = {"Personopplysningsloven", "§ 8", "https://lovdata.no/lov/2018-06-15-38"};
    g.valid_from = std::move(from);
    g.valid_to = std::move(to);
    g.row_filter = "";
    g.personal_data = "hidden";
    g.pseudonym_key = std::string(64, 'a');
    g.created = "2026-01-01T00:00:00Z";
    g.created_by = {kOther, "owner-client"};
    g.version = 1;
    return g;
  }
  static AccessRequestRow Request(std::string id, std::optional<std::string> to = std::nullopt) {
    AccessRequestRow r;
    r.id = std::move(id);
    r.product = "p";
    r.requester_orgnr = kOrg;
    r.purpose = "forskning";
    r.legal_basis = {"Helseregisterloven", "§ 19", "https://lovdata.no/lov/2014-06-20-43"};
    r.columns = std::vector<std::string>{"bydel", "antall"};
    r.row_filter = "bydel=eq.Frogner";
    r.personal_data = "hidden";
    r.valid_from = "2026-01-01T00:00:00Z";
    r.valid_to = std::move(to);
    r.state = "pending";
    r.created = r.updated = "2026-01-01T00:00:00Z";
    r.version = 1;
    return r;
  }
  std::vector<std::string> ActiveIds(const std::string& client, const std::string& now) {
    auto got = acc().ActiveGrants("p", kOrg, client, now);
    EXPECT_TRUE(got.ok()) << got.status().message();
    std::vector<std::string> ids;
    if (got.ok())
      for (const auto& g : *got) ids.push_back(g.id);
    return ids;
  }
};

TEST_F(SqliteAccessTest, GrantRoundTripsEveryField) {
  GrantRow g = Grant("g-1", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
  g.client_id = "client-a";
  g.columns = std::vector<std::string>{"bydel", "antall"};
  g.row_filter = "bydel=eq.Frogner&year=gte.2020";
  g.personal_data = "pseudonymised";
  ASSERT_TRUE(acc().InsertGrant(g).ok());
  auto got = acc().GetGrant("g-1");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->client_id, "client-a");
  EXPECT_EQ(got->legal_basis, g.legal_basis);
  EXPECT_EQ(got->valid_to, "2027-01-01T00:00:00Z");
  EXPECT_EQ(got->columns, g.columns);
  EXPECT_EQ(got->row_filter, g.row_filter);
  EXPECT_EQ(got->personal_data, "pseudonymised");
  EXPECT_EQ(got->pseudonym_key, g.pseudonym_key);
  EXPECT_EQ(got->created_by, (Actor{kOther, "owner-client"}));
  EXPECT_FALSE(got->revoked_at);
  EXPECT_FALSE(got->request_id);

  GrantRow all = Grant("g-2");
  ASSERT_TRUE(acc().InsertGrant(all).ok());
  EXPECT_FALSE(acc().GetGrant("g-2")->columns) << "null (all columns) must stay distinct from a list";
  EXPECT_EQ(acc().InsertGrant(all).code(), Code::kAlreadyExists);
  GrantRow orphan = Grant("g-3");
  orphan.product = "nope";
  EXPECT_EQ(acc().InsertGrant(orphan).code(), Code::kNotFound);
  EXPECT_EQ(acc().GetGrant("g-3").status().code(), Code::kNotFound);
}

TEST_F(SqliteAccessTest, ActiveGrantsFollowValidityWindowAndClient) {
  ASSERT_TRUE(acc().InsertGrant(Grant("g-open", "2026-02-01T00:00:00Z")).ok());
  ASSERT_TRUE(acc().InsertGrant(Grant("g-window", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")).ok());
  GrantRow bound = Grant("g-client");
  bound.client_id = "client-a";
  ASSERT_TRUE(acc().InsertGrant(bound).ok());
  GrantRow other = Grant("g-other");
  other.grantee_orgnr = kOther;
  ASSERT_TRUE(acc().InsertGrant(other).ok());

  EXPECT_EQ(ActiveIds("", "2025-12-31T23:59:59Z"), std::vector<std::string>{});
  EXPECT_EQ(ActiveIds("", "2026-01-15T00:00:00Z"), (std::vector<std::string>{"g-window"}));
  // valid_from is inclusive, valid_to exclusive.
  EXPECT_EQ(ActiveIds("", "2026-02-01T00:00:00Z"), (std::vector<std::string>{"g-open", "g-window"}));
  EXPECT_EQ(ActiveIds("", "2026-03-01T00:00:00Z"), (std::vector<std::string>{"g-open"}));
  // A client-bound grant counts only for that client; unbound grants count for every client.
  EXPECT_EQ(ActiveIds("client-a", "2026-03-01T00:00:00Z"), (std::vector<std::string>{"g-client", "g-open"}));
  EXPECT_EQ(ActiveIds("client-b", "2026-03-01T00:00:00Z"), (std::vector<std::string>{"g-open"}));
  auto none = acc().ActiveGrants("other-product", kOrg, "", "2026-03-01T00:00:00Z");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SqliteAccessTest, RevocationIsVisibleToTheNextActiveGrantsCall) {
  ASSERT_TRUE(acc().InsertGrant(Grant("g-1")).ok());
  ASSERT_EQ(ActiveIds("", "2026-06-01T00:00:00Z"), (std::vector<std::string>{"g-1"}));
  ASSERT_TRUE(acc().RevokeGrant("g-1", "2026-06-01T00:00:00Z", {kOther, "c"}, 1).ok());
  EXPECT_EQ(ActiveIds("", "2026-06-01T00:00:00Z"), std::vector<std::string>{});
  auto g = acc().GetGrant("g-1");
  EXPECT_EQ(g->revoked_at, "2026-06-01T00:00:00Z");
  EXPECT_EQ(g->revoked_by, (Actor{kOther, "c"}));
  EXPECT_EQ(g->version, 2);
  Status again = acc().RevokeGrant("g-1", "2026-06-02T00:00:00Z", {kOther, "c"}, std::nullopt);
  EXPECT_EQ(again.code(), Code::kFailedPrecondition);
  EXPECT_NE(again.message().find("revoked"), std::string::npos) << again.message();
  EXPECT_EQ(acc().RevokeGrant("nope", "2026-06-02T00:00:00Z", {}, std::nullopt).code(), Code::kNotFound);
  // Revoked grants are kept and listed unless excluded.
  EXPECT_EQ(acc().ListGrants({"p", std::nullopt, true, "", 10})->size(), 1u);
  EXPECT_EQ(acc().ListGrants({"p", std::nullopt, false, "", 10})->size(), 0u);
}

TEST_F(SqliteAccessTest, UpdateGrantChecksVersionAndRefusesRevoked) {
  ASSERT_TRUE(acc().InsertGrant(Grant("g-1")).ok());
  GrantRow g = *acc().GetGrant("g-1");
  g.columns = std::vector<std::string>{"bydel"};
  g.valid_to = "2026-12-01T00:00:00Z";
  g.purpose = "changed";  // not a term: the store keeps the original
  g.version = 2;
  ASSERT_TRUE(acc().UpdateGrant(g, 1).ok());
  auto got = acc().GetGrant("g-1");
  EXPECT_EQ(got->columns, std::vector<std::string>{"bydel"});
  EXPECT_EQ(got->valid_to, "2026-12-01T00:00:00Z");
  EXPECT_EQ(got->purpose, "statistikk");
  EXPECT_EQ(got->version, 2);
  // A stale version changes nothing.
  g.row_filter = "bydel=eq.Frogner";
  EXPECT_EQ(acc().UpdateGrant(g, 1).code(), Code::kFailedPrecondition);
  EXPECT_EQ(acc().GetGrant("g-1")->row_filter, "");
  ASSERT_TRUE(acc().RevokeGrant("g-1", "2026-06-01T00:00:00Z", {kOther, ""}, std::nullopt).ok());
  g.version = 4;
  Status s = acc().UpdateGrant(g, 3);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("revoked"), std::string::npos) << s.message();
}

TEST_F(SqliteAccessTest, ListsFilterAndPage) {
  for (const char* id : {"g-a", "g-b", "g-c"}) ASSERT_TRUE(acc().InsertGrant(Grant(id)).ok());
  GrantRow other = Grant("g-d");
  other.grantee_orgnr = kOther;
  ASSERT_TRUE(acc().InsertGrant(other).ok());
  auto page = acc().ListGrants({"p", std::nullopt, true, "g-a", 2});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, "g-b");
  EXPECT_EQ((*page)[1].id, "g-c");
  auto theirs = acc().ListGrants({std::nullopt, std::string(kOther), true, "", 10});
  ASSERT_EQ(theirs->size(), 1u);
  EXPECT_EQ((*theirs)[0].id, "g-d");

  ASSERT_TRUE(acc().InsertRequest(Request("ar-1"), {kOrg, "c"}).ok());
  AccessRequestRow r2 = Request("ar-2");
  r2.requester_orgnr = kOther;
  ASSERT_TRUE(acc().InsertRequest(r2, {kOther, ""}).ok());
  ASSERT_TRUE(
      acc()
          .TransitionRequest({"ar-2", "pending", "denied", {kOrg, ""}, "2026-01-02T00:00:00Z", "nei", {}})
          .ok());
  EXPECT_EQ(acc().ListRequests({"p", std::nullopt, std::nullopt, "", 10})->size(), 2u);
  auto pending = acc().ListRequests({std::nullopt, std::nullopt, std::string("pending"), "", 10});
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].id, "ar-1");
  auto mine = acc().ListRequests({std::nullopt, std::string(kOther), std::nullopt, "", 10});
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].state, "denied");
  EXPECT_EQ((*mine)[0].reason, "nei");
}

TEST_F(SqliteAccessTest, ApprovalCreatesGrantAndRecordsHistory) {
  AccessRequestRow r = Request("ar-1");
  r.client_id = "client-a";
  ASSERT_TRUE(acc().InsertRequest(r, {kOrg, "client-a"}).ok());
  EXPECT_EQ(acc().InsertRequest(r, {kOrg, ""}).code(), Code::kAlreadyExists);
  GrantRow g = Grant("g-1");
  g.request_id = "ar-1";
  auto approved = acc().TransitionRequest(
      {"ar-1", "pending", "approved", {kOther, "owner"}, "2026-01-05T00:00:00Z", "", g});
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  EXPECT_EQ(approved->state, "approved");
  EXPECT_EQ(approved->grant_id, "g-1");
  EXPECT_EQ(approved->updated, "2026-01-05T00:00:00Z");
  EXPECT_EQ(approved->version, 2);
  EXPECT_EQ(approved->client_id, "client-a");
  EXPECT_EQ(acc().GetGrant("g-1")->request_id, "ar-1");

  auto events = acc().RequestEvents("ar-1");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].from_state, "");
  EXPECT_EQ((*events)[0].to_state, "pending");
  EXPECT_EQ((*events)[0].actor, (Actor{kOrg, "client-a"}));
  EXPECT_EQ((*events)[1].from_state, "pending");
  EXPECT_EQ((*events)[1].to_state, "approved");
  EXPECT_EQ((*events)[1].actor, (Actor{kOther, "owner"}));
  EXPECT_EQ((*events)[1].time, "2026-01-05T00:00:00Z");
  EXPECT_LT((*events)[0].seq, (*events)[1].seq);

  // A final state does not move; nothing is written.
  auto late =
      acc().TransitionRequest({"ar-1", "pending", "denied", {kOther, ""}, "2026-01-06T00:00:00Z", "x", {}});
  EXPECT_EQ(late.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("approved"), std::string::npos);
  EXPECT_EQ(acc().RequestEvents("ar-1")->size(), 2u);
  EXPECT_EQ(acc().TransitionRequest({"nope", "pending", "denied", {}, "t", "", {}}).status().code(),
            Code::kNotFound);
}

TEST_F(SqliteAccessTest, FailedGrantInsertRollsBackTheTransition) {
  ASSERT_TRUE(acc().InsertGrant(Grant("g-taken")).ok());
  ASSERT_TRUE(acc().InsertRequest(Request("ar-1"), {kOrg, ""}).ok());
  GrantRow g = Grant("g-taken");
  g.request_id = "ar-1";
  auto r =
      acc().TransitionRequest({"ar-1", "pending", "approved", {kOther, ""}, "2026-01-05T00:00:00Z", "", g});
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(acc().GetRequest("ar-1")->state, "pending");
  EXPECT_EQ(acc().RequestEvents("ar-1")->size(), 1u);
}

TEST_F(SqliteAccessTest, ConcurrentApprovalsCreateExactlyOneGrant) {
  ASSERT_TRUE(acc().InsertRequest(Request("ar-1"), {kOrg, ""}).ok());
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, precondition{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      GrantRow g = Grant("g-" + std::to_string(i));
      g.request_id = "ar-1";
      auto r = acc().TransitionRequest(
          {"ar-1", "pending", "approved", {kOther, ""}, "2026-01-05T00:00:00Z", "", g});
      if (r.ok())
        ++ok;
      else if (r.status().code() == Code::kFailedPrecondition)
        ++precondition;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(precondition.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(acc().ListGrants({"p", std::nullopt, true, "", 100})->size(), 1u);
  EXPECT_EQ(acc().RequestEvents("ar-1")->size(), 2u);
}

TEST_F(SqliteAccessTest, ExpirePendingMovesOnlyPendingRequestsWhosePeriodEnded) {
  ASSERT_TRUE(acc().InsertRequest(Request("ar-due", "2026-02-01T00:00:00Z"), {kOrg, ""}).ok());
  ASSERT_TRUE(acc().InsertRequest(Request("ar-later", "2026-05-01T00:00:00Z"), {kOrg, ""}).ok());
  ASSERT_TRUE(acc().InsertRequest(Request("ar-open"), {kOrg, ""}).ok());
  ASSERT_TRUE(acc().InsertRequest(Request("ar-denied", "2026-02-01T00:00:00Z"), {kOrg, ""}).ok());
  ASSERT_TRUE(acc()
                  .TransitionRequest(
                      {"ar-denied", "pending", "denied", {kOther, ""}, "2026-01-10T00:00:00Z", "nei", {}})
                  .ok());

  EXPECT_EQ(*acc().ExpirePending("2026-01-31T23:59:59Z"), 0);
  EXPECT_EQ(*acc().ExpirePending("2026-02-01T00:00:00Z"), 1);
  EXPECT_EQ(*acc().ExpirePending("2026-02-01T00:00:00Z"), 0) << "idempotent";
  auto due = acc().GetRequest("ar-due");
  EXPECT_EQ(due->state, "expired");
  EXPECT_FALSE(due->reason.empty());
  EXPECT_EQ(acc().GetRequest("ar-later")->state, "pending");
  EXPECT_EQ(acc().GetRequest("ar-open")->state, "pending");
  EXPECT_EQ(acc().GetRequest("ar-denied")->state, "denied");
  auto events = acc().RequestEvents("ar-due");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].to_state, "expired");
  EXPECT_EQ((*events)[1].actor, Actor{});
}

TEST_F(SqliteAccessTest, HistoryIsAppendOnlyAndProductsWithGrantsStay) {
  ASSERT_TRUE(acc().InsertRequest(Request("ar-1"), {kOrg, ""}).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM access_request_events", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE access_request_events SET actor_orgnr='x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  OpenStore();
  EXPECT_EQ(acc().RequestEvents("ar-1")->size(), 1u);
  Status del = store_->products().Delete("p", std::nullopt);
  EXPECT_EQ(del.code(), Code::kConflict);
  EXPECT_NE(del.message().find("access"), std::string::npos) << del.message();
  EXPECT_TRUE(store_->products().Get("p").ok());
}

TEST_F(SqliteAccessTest, MigrationFourUpgradesAVersionThreeDatabase) {
  // Turn the fresh database into what kilde with migrations 1-3 left: no access tables, version 3.
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "kilde.db").c_str(), &db), SQLITE_OK);
  for (const char* sql :
       {"DROP TABLE access_request_events", "DROP TABLE access_grants", "DROP TABLE access_requests",
        sqlite::AuditTablesSql(), "DELETE FROM schema_migrations WHERE version > 3"})
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db);
  sqlite3_close(db);
  ASSERT_GE(sqlite::LatestSchemaVersion(), 4);

  OpenStore();
  EXPECT_EQ(store_->schema_version(), sqlite::LatestSchemaVersion());
  EXPECT_TRUE(store_->products().Get("p").ok()) << "v3 data survives the migration";
  ASSERT_TRUE(acc().InsertGrant(Grant("g-1")).ok());
  EXPECT_EQ(ActiveIds("", "2026-06-01T00:00:00Z"), (std::vector<std::string>{"g-1"}));
  OpenStore();  // reopening applies nothing twice
  EXPECT_EQ(store_->schema_version(), sqlite::LatestSchemaVersion());
  EXPECT_TRUE(acc().GetGrant("g-1").ok());
}

}  // namespace
}  // namespace kilde::store
