// AccessService over a real store: grant lifecycle, request state machine, concurrency, expiry.
#include "access/service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "access/access_test_util.h"

namespace kilde::access {
namespace {

using nlohmann::json;
using testing::HasProblem;
using testing::kConsumer;
using testing::kOwner;
using testing::Problems;

class AccessServiceTest : public testing::AccessTest {
 protected:
  std::vector<std::string> Active(const std::string& client = "consumer-client") {
    auto got = svc_->ActiveGrantsFor("p", kConsumer, client);
    EXPECT_TRUE(got.ok()) << got.status().message();
    std::vector<std::string> ids;
    if (got.ok())
      for (const auto& g : *got) ids.push_back(g.id);
    return ids;
  }
  std::string File(json extra = json::object()) {
    auto r = svc_->FileRequest("p", RequestBody(extra), consumer_);
    EXPECT_TRUE(r.ok()) << Problems(r.status());
    return r.ok() ? (*r)["id"].get<std::string>() : "";
  }
};

TEST_F(AccessServiceTest, CreatedGrantIsActiveAndKeyedButTheKeyIsNotShown) {
  auto g = svc_->CreateGrant("p", GrantBody({{"personal_data", "pseudonymised"}}), owner_);
  ASSERT_TRUE(g.ok()) << Problems(g.status());
  const std::string id = (*g)["id"];
  EXPECT_TRUE(id.starts_with("g-") && id.size() == 18) << id;
  EXPECT_FALSE(g->contains("pseudonym_key"));
  EXPECT_EQ((*g)["status"], "active");
  EXPECT_EQ((*g)["created_by"]["orgnr"], kOwner);
  EXPECT_EQ((*g)["valid_from"], now_);
  EXPECT_EQ(Active(), std::vector<std::string>{id});
  auto rows = svc_->ActiveGrantsFor("p", kConsumer, "");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].pseudonym_key.size(), 64u);
  // Two grants never share a key (consumers cannot link their pseudonyms).
  auto g2 = svc_->CreateGrant("p", GrantBody({{"grantee_orgnr", testing::kThird}}), owner_);
  ASSERT_TRUE(g2.ok());
  auto other = svc_->ActiveGrantsFor("p", testing::kThird, "");
  EXPECT_NE((*other)[0].pseudonym_key, (*rows)[0].pseudonym_key);
  EXPECT_EQ(svc_->CreateGrant("nope", GrantBody(), owner_).status().code(), Code::kNotFound);
  EXPECT_TRUE(svc_->ActiveGrantsFor("p", "", "")->empty());
}

TEST_F(AccessServiceTest, NarrowingBumpsTheVersionAndWideningIsRefused) {
  auto g = svc_->CreateGrant("p", GrantBody({{"columns", {"bydel", "antall", "year"}}}), owner_);
  ASSERT_TRUE(g.ok()) << Problems(g.status());
  const std::string id = (*g)["id"];
  auto n = svc_->NarrowGrant("p", id, {{"columns", {"bydel", "antall"}}, {"row_filter", "year=gte.2020"}}, 1,
                             owner_);
  ASSERT_TRUE(n.ok()) << Problems(n.status());
  EXPECT_EQ((*n)["version"], 2);
  EXPECT_EQ((*n)["columns"], json({"bydel", "antall"}));
  auto stored = svc_->ActiveGrantsFor("p", kConsumer, "");
  EXPECT_EQ((*stored)[0].row_filter, "year=gte.2020");

  auto wide = svc_->NarrowGrant("p", id, {{"columns", {"bydel", "antall", "year"}}}, std::nullopt, owner_);
  EXPECT_EQ(wide.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(HasProblem(wide.status(), "columns[2]", "widens"));
  EXPECT_EQ(svc_->NarrowGrant("p", id, {{"valid_to", "2026-12-01"}}, 1, owner_).status().code(),
            Code::kFailedPrecondition)
      << "stale If-Match";
  // The GET form can be sent back with one change.
  json doc = *svc_->GetGrant("p", id);
  doc["valid_to"] = "2026-12-01";
  auto round = svc_->NarrowGrant("p", id, doc, std::nullopt, owner_);
  ASSERT_TRUE(round.ok()) << Problems(round.status());
  EXPECT_EQ((*round)["valid_to"], "2026-12-01T00:00:00Z");
  doc["purpose"] = "Noe annet";
  EXPECT_TRUE(
      HasProblem(svc_->NarrowGrant("p", id, doc, std::nullopt, owner_).status(), "purpose", "read_only"));
  EXPECT_EQ(svc_->NarrowGrant("other", id, json::object(), std::nullopt, owner_).status().code(),
            Code::kNotFound);
}

TEST_F(AccessServiceTest, RevocationTakesEffectOnTheNextRequest) {
  auto g = svc_->CreateGrant("p", GrantBody(), owner_);
  ASSERT_TRUE(g.ok());
  const std::string id = (*g)["id"];
  ASSERT_EQ(Active().size(), 1u);
  auto r = svc_->RevokeGrant("p", id, std::nullopt, owner_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["status"], "revoked");
  EXPECT_EQ((*r)["revoked_by"]["orgnr"], kOwner);
  EXPECT_TRUE(Active().empty());
  EXPECT_EQ(svc_->RevokeGrant("p", id, std::nullopt, owner_).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(svc_->NarrowGrant("p", id, {{"valid_to", "2026-12-01"}}, std::nullopt, owner_).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(svc_->ListGrants("p", true, "", 10)->items.size(), 1u);
  EXPECT_EQ(svc_->ListGrants("p", false, "", 10)->items.size(), 0u);
}

TEST_F(AccessServiceTest, ValidityWindowAndClientBinding) {
  ASSERT_TRUE(svc_->CreateGrant("p",
                                GrantBody({{"valid_from", "2026-04-01"},
                                           {"valid_to", "2026-05-01"},
                                           {"client_id", "consumer-client"}}),
                                owner_)
                  .ok());
  EXPECT_TRUE(Active().empty()) << "not yet";
  now_ = "2026-04-15T00:00:00Z";
  EXPECT_EQ(Active().size(), 1u);
  EXPECT_TRUE(Active("another-client").empty());
  EXPECT_TRUE(Active("").empty());
  now_ = "2026-05-01T00:00:00Z";
  EXPECT_TRUE(Active().empty()) << "valid_to is exclusive";
  EXPECT_EQ(svc_->ListGrants("p", true, "", 10)->items.at(0)["status"], "expired");
}

TEST_F(AccessServiceTest, ApprovalWithNarrowerTermsCreatesTheGrant) {
  const std::string rid = File({{"columns", {"bydel", "antall", "year"}}, {"valid_to", "2027-01-01"}});
  auto filed = svc_->GetRequest("p", rid);
  ASSERT_TRUE(filed.ok());
  EXPECT_EQ((*filed)["state"], "pending");
  EXPECT_EQ((*filed)["requester_orgnr"], kConsumer);
  EXPECT_EQ((*filed)["events"].size(), 1u);

  now_ = "2026-03-02T08:00:00Z";
  auto a =
      svc_->Approve("p", rid, {{"columns", {"bydel", "antall"}}, {"row_filter", "bydel=eq.Frogner"}}, owner_);
  ASSERT_TRUE(a.ok()) << Problems(a.status());
  EXPECT_EQ(a->request["state"], "approved");
  EXPECT_EQ(a->request["grant_id"], a->grant["id"]);
  EXPECT_EQ(a->grant["request_id"], rid);
  EXPECT_EQ(a->grant["grantee_orgnr"], kConsumer);
  EXPECT_EQ(a->grant["columns"], json({"bydel", "antall"}));
  EXPECT_EQ(a->grant["valid_from"], "2026-03-02T08:00:00Z") << "access begins at the approval";
  EXPECT_EQ(a->grant["valid_to"], "2027-01-01T00:00:00Z");
  ASSERT_EQ(a->request["events"].size(), 2u);
  EXPECT_EQ(a->request["events"][1]["actor"]["orgnr"], kOwner);
  EXPECT_EQ(a->request["events"][1]["time"], "2026-03-02T08:00:00Z");
  EXPECT_EQ(Active(), std::vector<std::string>{a->grant["id"].get<std::string>()});

  // Approving again, denying or withdrawing a decided request fails and changes nothing.
  EXPECT_EQ(svc_->Approve("p", rid, nullptr, owner_).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(svc_->Deny("p", rid, {{"reason", "nei"}}, owner_).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(svc_->Withdraw("p", rid, nullptr, consumer_).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(svc_->ListGrants("p", true, "", 10)->items.size(), 1u);
}

TEST_F(AccessServiceTest, ApprovalCannotWidenTheRequest) {
  const std::string rid = File({{"columns", json::array({"bydel"})}});
  auto a = svc_->Approve("p", rid, {{"columns", {"bydel", "antall"}}}, owner_);
  EXPECT_TRUE(HasProblem(a.status(), "columns[1]", "widens")) << Problems(a.status());
  EXPECT_TRUE(
      HasProblem(svc_->Approve("p", rid, {{"purpose", "x"}}, owner_).status(), "purpose", "unknown_field"));
  EXPECT_EQ((*svc_->GetRequest("p", rid))["state"], "pending");
}

TEST_F(AccessServiceTest, ConcurrentApprovalsYieldOneGrant) {
  const std::string rid = File();
  constexpr int kThreads = 6;
  std::atomic<int> ok{0}, precondition{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      auto a = svc_->Approve("p", rid, nullptr, owner_);
      if (a.ok()) ++ok;
      if (a.status().code() == Code::kFailedPrecondition) ++precondition;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(precondition.load(), kThreads - 1);
  EXPECT_EQ(svc_->ListGrants("p", true, "", 10)->items.size(), 1u);
}

TEST_F(AccessServiceTest, DenyNeedsAReasonAndWithdrawOnlyByTheRequester) {
  const std::string rid = File();
  EXPECT_TRUE(HasProblem(svc_->Deny("p", rid, json::object(), owner_).status(), "reason", "required"));
  EXPECT_TRUE(HasProblem(svc_->Deny("p", rid, {{"reason", " "}}, owner_).status(), "reason", "required"));
  auto d = svc_->Deny("p", rid, {{"reason", "Formålet dekkes ikke av hjemmelen"}}, owner_);
  ASSERT_TRUE(d.ok()) << Problems(d.status());
  EXPECT_EQ((*d)["state"], "denied");
  EXPECT_EQ((*d)["reason"], "Formålet dekkes ikke av hjemmelen");
  EXPECT_EQ((*d)["events"][1]["reason"], "Formålet dekkes ikke av hjemmelen");

  const std::string rid2 = File();
  EXPECT_EQ(svc_->Withdraw("p", rid2, nullptr, owner_).status().code(), Code::kPermissionDenied);
  auto w = svc_->Withdraw("p", rid2, {{"reason", "trenger det ikke"}}, consumer_);
  ASSERT_TRUE(w.ok()) << Problems(w.status());
  EXPECT_EQ((*w)["state"], "withdrawn");
  EXPECT_EQ((*w)["events"][1]["actor"]["client_id"], "consumer-client");
  EXPECT_EQ(svc_->GetRequest("other", rid2).status().code(), Code::kNotFound);
}

TEST_F(AccessServiceTest, RequestsWhosePeriodEndedExpireBeforeADecision) {
  const std::string rid = File({{"valid_to", "2026-04-01"}});
  const std::string open = File();
  now_ = "2026-04-01T00:00:00Z";
  auto a = svc_->Approve("p", rid, nullptr, owner_);
  EXPECT_EQ(a.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(a.status().message().find("expired"), std::string::npos) << a.status().message();
  auto r = svc_->GetRequest("p", rid);
  EXPECT_EQ((*r)["state"], "expired");
  EXPECT_EQ((*r)["events"][1]["actor"], nullptr);
  auto expired = svc_->ListRequests({std::string("p"), std::nullopt, std::string("expired")}, "", 10);
  ASSERT_EQ(expired->items.size(), 1u);
  auto pending = svc_->ListRequests({std::nullopt, std::string(kConsumer), std::string("pending")}, "", 10);
  ASSERT_EQ(pending->items.size(), 1u);
  EXPECT_EQ(pending->items[0]["id"], open);
  EXPECT_TRUE(
      HasProblem(svc_->ListRequests({std::nullopt, std::nullopt, std::string("open")}, "", 10).status(),
                 "state", "invalid_value"));
}

TEST_F(AccessServiceTest, FilingValidatesAgainstTheSchema) {
  auto r = svc_->FileRequest("p", RequestBody({{"columns", {"bydel", "nope"}}, {"row_filter", "x=eq.1"}}),
                             consumer_);
  EXPECT_TRUE(HasProblem(r.status(), "columns[1]", "not_found")) << Problems(r.status());
  EXPECT_TRUE(HasProblem(r.status(), "row_filter", "unknown_column"));
  EXPECT_EQ(svc_->FileRequest("p", RequestBody(), Caller{"", "c", false}).status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(svc_->ListRequests({}, "", 10)->items.empty());
}

TEST_F(AccessServiceTest, ListsPageWithCursors) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(svc_->CreateGrant("p", GrantBody(), owner_).ok());
  std::vector<std::string> seen;
  std::string cursor;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = svc_->ListGrants("p", true, cursor, 2);
    ASSERT_TRUE(page.ok());
    for (auto& g : page->items) seen.push_back(g["id"].get<std::string>());
    if (!page->next_cursor) break;
    cursor = *page->next_cursor;
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(svc_->ListGrantsOf(kConsumer, true, "", 10)->items.size(), 5u);
  EXPECT_EQ(svc_->ListGrants("p", true, "garbage!", 2).status().code(), Code::kInvalidArgument);
}

TEST_F(AccessServiceTest, GrantListsFilterByGranteeAndProduct) {
  ASSERT_TRUE(svc_->CreateGrant("p", GrantBody(), owner_).ok());
  ASSERT_TRUE(svc_->CreateGrant("p", GrantBody({{"grantee_orgnr", testing::kThird}}), owner_).ok());
  EXPECT_EQ(svc_->ListGrants("p", true, "", 10)->items.size(), 2u);
  auto own = svc_->ListGrants("p", true, "", 10, kConsumer);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->items.size(), 1u);
  EXPECT_EQ(own->items[0]["grantee_orgnr"], kConsumer);
  EXPECT_EQ(svc_->ListGrantsOf(testing::kThird, true, "", 10, std::string("p"))->items.size(), 1u);
  EXPECT_EQ(svc_->ListGrantsOf(testing::kThird, true, "", 10, std::string("nope")).status().code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace kilde::access
