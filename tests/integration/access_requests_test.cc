// Access requests over HTTP (issue "Access requests"): a consumer files, the owner approves
// (creating a grant, possibly narrower) or denies with a reason, the requester may withdraw; each
// step records who and when; other organisations cannot see a request; the catalog links where to
// ask (dcatno:accessRequestURL). Real server, real signed dev tokens.
#include <gtest/gtest.h>

#include <string>

#include "access_fixtures.h"

namespace kilde::it {
namespace {

class AccessRequestsTest : public AccessApiTest {
 protected:
  // Files a request for `product` with `token`; its JSON (and a test failure unless 201).
  Json File(const std::string& product, const std::string& token, const Json& extra = Json::object()) {
    auto r =
        client().Post("/api/v1/products/" + product + "/access-requests", RequestBody(extra), Bearer(token));
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.Json();
  }
  static std::string Path(const std::string& product, const Json& request) {
    return "/api/v1/products/" + product + "/access-requests/" + request.value("id", "");
  }
};

TEST_F(AccessRequestsTest, ApprovalCreatesANarrowerGrantAndRecordsWhoAndWhen) {
  const Product p = MakeProduct("ar-approve");
  const std::string owner = Token(p.orgnr, "kilde:owner", "owner-app");
  const std::string requester_orgnr = MakeOrg("ar-approve-req");
  const std::string requester = Token(requester_orgnr, "kilde:read", "analyse-app");

  auto filed =
      client().Post("/api/v1/products/" + p.id + "/access-requests", RequestBody(), Bearer(requester));
  ASSERT_EQ(filed.status, 201) << filed.Describe();
  Json r = filed.Json();
  const std::string path = Path(p.id, r);
  EXPECT_EQ(filed.Header("Location"), server().base_url() + path);
  EXPECT_EQ(r["href"], server().base_url() + path);
  EXPECT_EQ(r["state"], "pending");
  EXPECT_EQ(r["requester_orgnr"], requester_orgnr);
  EXPECT_TRUE(r["grant_href"].is_null());
  ASSERT_EQ(r["events"].size(), 1u);
  EXPECT_EQ(r["events"][0]["to_state"], "pending");
  EXPECT_EQ(r["events"][0]["actor"], Json({{"orgnr", requester_orgnr}, {"client_id", "analyse-app"}}));
  EXPECT_FALSE(r["events"][0]["time"].get<std::string>().empty());

  // The owner sees the incoming request.
  auto incoming = client().Get("/api/v1/products/" + p.id + "/access-requests?state=pending", Bearer(owner));
  ASSERT_EQ(incoming.status, 200) << incoming.Describe();
  EXPECT_EQ(Ids(incoming), std::vector<std::string>{r["id"]});

  // Approving with wider terms than asked is refused, and the request stays pending.
  auto wider =
      client().Post(path + "/approve", {{"columns", {"bydel", "year", "antall", "fnr"}}}, Bearer(owner));
  EXPECT_TRUE(IsError(wider, 400, "validation_failed")) << wider.Describe();
  EXPECT_EQ(client().Get(path, Bearer(requester)).Json()["state"], "pending");

  // Approved, narrower than asked: two of the three columns.
  auto approved = client().Post(path + "/approve", {{"columns", {"bydel", "antall"}}}, Bearer(owner));
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  Json a = approved.Json();
  EXPECT_EQ(a["state"], "approved");
  const std::string grant_id = a["grant_id"];
  EXPECT_EQ(a["grant_href"], server().base_url() + "/api/v1/products/" + p.id + "/grants/" + grant_id);
  EXPECT_EQ(a["grant"]["id"], grant_id);
  EXPECT_EQ(a["grant"]["columns"], Json({"bydel", "antall"}));
  EXPECT_EQ(a["grant"]["grantee_orgnr"], requester_orgnr);
  EXPECT_EQ(a["grant"]["request_id"], r["id"]);
  EXPECT_EQ(a["grant"]["purpose"], r["purpose"]);
  ASSERT_EQ(a["events"].size(), 2u);
  EXPECT_EQ(a["events"][1]["from_state"], "pending");
  EXPECT_EQ(a["events"][1]["to_state"], "approved");
  EXPECT_EQ(a["events"][1]["actor"], Json({{"orgnr", p.orgnr}, {"client_id", "owner-app"}}));

  // The requester sees the outcome and its grant.
  auto seen = client().Get(path, Bearer(requester));
  ASSERT_EQ(seen.status, 200) << seen.Describe();
  EXPECT_EQ(seen.Json()["state"], "approved");
  EXPECT_EQ(seen.Json()["events"].size(), 2u);
  auto grant = client().Get("/api/v1/products/" + p.id + "/grants/" + grant_id, Bearer(requester));
  ASSERT_EQ(grant.status, 200) << grant.Describe();
  EXPECT_EQ(grant.Json()["status"], "active");

  // A decided request takes no further decision (and no second grant).
  EXPECT_TRUE(
      IsError(client().Post(path + "/approve", Json(nullptr), Bearer(owner)), 412, "precondition_failed"));
  EXPECT_TRUE(IsError(client().Post(path + "/deny", {{"reason", "for sent"}}, Bearer(owner)), 412,
                      "precondition_failed"));
  EXPECT_TRUE(IsError(client().Post(path + "/withdraw", Json(nullptr), Bearer(requester)), 412,
                      "precondition_failed"));
  EXPECT_EQ(Ids(client().Get("/api/v1/products/" + p.id + "/grants", Bearer(owner))).size(), 1u);
}

TEST_F(AccessRequestsTest, ApprovalWithoutBodyGrantsWhatWasAsked) {
  const Product p = MakeProduct("ar-asked");
  const std::string requester = Token(MakeOrg("ar-asked-req"), "kilde:read");
  Json r = File(p.id, requester);
  // An empty body (no Content-Type needed).
  auto approved = client().Send("POST", Path(p.id, r) + "/approve", "",
                                {{"Authorization", "Bearer " + Token(p.orgnr, "kilde:owner")}});
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  EXPECT_EQ(approved.Json()["grant"]["columns"], Json({"bydel", "year", "antall"}));
  EXPECT_EQ(approved.Json()["grant"]["valid_to"], "2099-01-01T00:00:00Z");
}

TEST_F(AccessRequestsTest, DenialNeedsAReason) {
  const Product p = MakeProduct("ar-deny");
  const std::string owner = Token(p.orgnr, "kilde:owner");
  const std::string requester = Token(MakeOrg("ar-deny-req"), "kilde:read");
  const std::string path = Path(p.id, File(p.id, requester));

  auto none = client().Send("POST", path + "/deny", "", {{"Authorization", "Bearer " + owner}});
  EXPECT_TRUE(IsError(none, 400, "validation_failed")) << none.Describe();
  EXPECT_EQ(Problems(none), std::vector<std::string>{"reason:required"});
  auto blank = client().Post(path + "/deny", {{"reason", "  "}}, Bearer(owner));
  EXPECT_EQ(Problems(blank), std::vector<std::string>{"reason:required"}) << blank.Describe();
  EXPECT_EQ(client().Get(path, Bearer(requester)).Json()["state"], "pending");

  auto denied =
      client().Post(path + "/deny", {{"reason", "Formålet dekkes av offentlig statistikk"}}, Bearer(owner));
  ASSERT_EQ(denied.status, 200) << denied.Describe();
  auto seen = client().Get(path, Bearer(requester)).Json();
  EXPECT_EQ(seen["state"], "denied");
  EXPECT_EQ(seen["reason"], "Formålet dekkes av offentlig statistikk");
  EXPECT_TRUE(seen["grant_id"].is_null());
  EXPECT_EQ(seen["events"][1]["actor"]["orgnr"], p.orgnr);
  EXPECT_EQ(seen["events"][1]["reason"], "Formålet dekkes av offentlig statistikk");
  // Approving a denied request is a state conflict.
  EXPECT_TRUE(
      IsError(client().Post(path + "/approve", Json(nullptr), Bearer(owner)), 412, "precondition_failed"));
}

TEST_F(AccessRequestsTest, OnlyTheRequesterWithdraws) {
  const Product p = MakeProduct("ar-withdraw");
  const std::string owner = Token(p.orgnr, "kilde:owner");
  const std::string requester_orgnr = MakeOrg("ar-withdraw-req");
  const std::string requester = Token(requester_orgnr, "kilde:read");
  const std::string path = Path(p.id, File(p.id, requester));

  EXPECT_TRUE(IsError(client().Post(path + "/withdraw", Json(nullptr), Bearer(owner)), 403, "forbidden"));
  const std::string third = Token(MakeOrg("ar-withdraw-third"), "kilde:read");
  EXPECT_TRUE(IsError(client().Post(path + "/withdraw", Json(nullptr), Bearer(third)), 404, "not_found"));
  EXPECT_EQ(client().Get(path, Bearer(owner)).Json()["state"], "pending");

  auto withdrawn = client().Post(path + "/withdraw", {{"reason", "Ikke lenger aktuelt"}}, Bearer(requester));
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.Describe();
  EXPECT_EQ(withdrawn.Json()["state"], "withdrawn");
  EXPECT_EQ(withdrawn.Json()["events"][1]["actor"]["orgnr"], requester_orgnr);
  EXPECT_TRUE(
      IsError(client().Post(path + "/approve", Json(nullptr), Bearer(owner)), 412, "precondition_failed"));
  EXPECT_TRUE(IsError(client().Post(path + "/withdraw", Json(nullptr), Bearer(requester)), 412,
                      "precondition_failed"));
}

TEST_F(AccessRequestsTest, OtherOrganisationsCannotSeeOrDecide) {
  const Product p = MakeProduct("ar-hidden");
  const std::string requester = Token(MakeOrg("ar-hidden-req"), "kilde:read");
  Json r = File(p.id, requester);
  const std::string path = Path(p.id, r);
  const std::string other_orgnr = MakeOrg("ar-hidden-other");
  const std::string other = Token(other_orgnr, "kilde:read kilde:owner");

  EXPECT_TRUE(IsError(client().Get(path, Bearer(other)), 404, "not_found"));
  // Same answer as for a request that does not exist.
  EXPECT_TRUE(IsError(
      client().Get("/api/v1/products/" + p.id + "/access-requests/ar-0000000000000000", Bearer(other)), 404,
      "not_found"));
  EXPECT_TRUE(Ids(client().Get("/api/v1/products/" + p.id + "/access-requests", Bearer(other))).empty());
  auto across = client().Get("/api/v1/access-requests", Bearer(other));
  ASSERT_EQ(across.status, 200) << across.Describe();
  EXPECT_TRUE(Ids(across).empty());
  // Deciding is the owner's, also for the requester itself.
  EXPECT_TRUE(IsError(client().Post(path + "/approve", Json(nullptr), Bearer(other)), 403, "forbidden"));
  EXPECT_TRUE(IsError(client().Post(path + "/approve", Json(nullptr), Bearer(requester)), 403, "forbidden"));
  EXPECT_TRUE(IsError(client().Post(path + "/deny", {{"reason", "x"}}, Bearer(requester)), 403, "forbidden"));
  EXPECT_EQ(client().Get(path, Bearer(requester)).Json()["state"], "pending");
}

TEST_F(AccessRequestsTest, CallersListTheirRequestsAcrossProducts) {
  const Product p = MakeProduct("ar-across");
  AddProduct("ar-across-2", "ar-across-ds", "restricted");
  const std::string owner = Token(p.orgnr, "kilde:owner");
  const std::string req_a = Token(MakeOrg("ar-across-a"), "kilde:read");
  const std::string req_b = Token(MakeOrg("ar-across-b"), "kilde:read");
  Json r1 = File(p.id, req_a), r2 = File("ar-across-2", req_a), r3 = File(p.id, req_b);
  ASSERT_EQ(client().Post(Path(p.id, r3) + "/deny", {{"reason", "Nei"}}, Bearer(owner)).status, 200);

  // As owner: every request on its products, paged.
  std::vector<std::string> seen;
  std::string next = "/api/v1/access-requests?role=owner&limit=2";
  for (int guard = 0; guard < 5 && !next.empty(); ++guard) {
    auto page = client().Get(next, Bearer(owner));
    ASSERT_EQ(page.status, 200) << page.Describe();
    for (const auto& id : Ids(page)) seen.push_back(id);
    Json cursor = page.Json()["next_cursor"];
    next = cursor.is_string()
               ? "/api/v1/access-requests?role=owner&limit=2&cursor=" + cursor.get<std::string>()
               : "";
  }
  std::vector<std::string> want = {r1["id"], r2["id"], r3["id"]};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(seen, want);
  auto pending = client().Get("/api/v1/access-requests?role=owner&state=pending", Bearer(owner));
  EXPECT_EQ(Ids(pending).size(), 2u) << pending.Describe();

  // As requester: its own, with links.
  auto mine = client().Get("/api/v1/access-requests?role=requester", Bearer(req_a));
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(Ids(mine).size(), 2u);
  const Json mine_json = mine.Json();  // keep the document alive while iterating
  for (const auto& item : mine_json["items"])
    EXPECT_TRUE(item["href"].get<std::string>().starts_with(server().base_url() + "/api/v1/products/"));
  // role=owner needs kilde:owner; bad values and no token are refused.
  EXPECT_TRUE(IsError(client().Get("/api/v1/access-requests?role=owner", Bearer(req_a)), 403, "forbidden"));
  EXPECT_TRUE(
      IsError(client().Get("/api/v1/access-requests?role=boss", Bearer(req_a)), 400, "validation_failed"));
  EXPECT_TRUE(
      IsError(client().Get("/api/v1/access-requests?state=open", Bearer(req_a)), 400, "validation_failed"));
  HttpClient anon(server().port());
  anon.SetBearer("");
  EXPECT_TRUE(IsError(anon.Get("/api/v1/access-requests"), 401, "unauthenticated"));
}

TEST_F(AccessRequestsTest, FilingNeedsAnOrganisationTokenAndAValidBody) {
  const Product p = MakeProduct("ar-file");
  const std::string base = "/api/v1/products/" + p.id + "/access-requests";
  HttpClient anon(server().port());
  anon.SetBearer("");
  EXPECT_TRUE(IsError(anon.Post(base, RequestBody()), 401, "unauthenticated"));
  const std::string orgnr = MakeOrg("ar-file-req");
  auto no_read = client().Post(base, RequestBody(), Bearer(Token(orgnr, "kilde:owner")));
  EXPECT_TRUE(IsError(no_read, 403, "forbidden")) << no_read.Describe();
  EXPECT_NE(no_read.Header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
  std::string error;
  const std::string citizen = server().IssueToken({"--pid", "08089409382", "--scope", "kilde:read"}, &error);
  ASSERT_FALSE(citizen.empty()) << error;
  EXPECT_TRUE(IsError(client().Post(base, RequestBody(), Bearer(citizen)), 403, "forbidden"));

  const std::string reader = Token(orgnr, "kilde:read");
  auto bad = client().Post(base, {{"columns", {"bydel", "nope"}}, {"grantee_orgnr", orgnr}}, Bearer(reader));
  EXPECT_TRUE(IsError(bad, 400, "validation_failed")) << bad.Describe();
  const auto problems = Problems(bad);
  for (const char* want : {"purpose:required", "legal_basis:required", "columns[1]:not_found"})
    EXPECT_NE(std::find(problems.begin(), problems.end(), want), problems.end())
        << want << " " << bad.Describe();
  EXPECT_TRUE(
      IsError(client().Post("/api/v1/products/ar-no-such/access-requests", RequestBody(), Bearer(reader)),
              404, "not_found"));
  EXPECT_TRUE(Ids(client().Get(base, Bearer(Token(p.orgnr, "kilde:owner")))).empty());
}

TEST_F(AccessRequestsTest, CatalogLinksWhereToAskForAccess) {
  const Product closed = MakeProduct("ar-dcat", "non_public", "published");
  const Product open = MakeProduct("ar-dcat-open", "public", "published");
  const std::string url = server().base_url() + "/api/v1/products/" + closed.id + "/access-requests";

  // The dataset's JSON summary of its products.
  auto ds = client().Get("/api/v1/datasets/ar-dcat-ds");
  ASSERT_EQ(ds.status, 200) << ds.Describe();
  ASSERT_EQ(ds.Json()["data_products"].size(), 1u);
  EXPECT_EQ(ds.Json()["data_products"][0]["access_level"], "non_public");
  EXPECT_EQ(ds.Json()["data_products"][0]["access_request_href"], url);
  EXPECT_TRUE(client()
                  .Get("/api/v1/datasets/ar-dcat-open-ds")
                  .Json()["data_products"][0]["access_request_href"]
                  .is_null());

  // DCAT: dcatno:accessRequestURL on the dataset with a non-public product only.
  auto nt = client().Get("/catalog?format=ntriples");
  ASSERT_EQ(nt.status, 200) << nt.Describe();
  const std::string predicate = "<https://data.norge.no/vocabulary/dcatno#accessRequestURL>";
  EXPECT_NE(
      nt.body.find("<" + server().base_url() + "/datasets/ar-dcat-ds> " + predicate + " <" + url + "> ."),
      std::string::npos)
      << nt.body.substr(0, 3000);
  EXPECT_EQ(nt.body.find("<" + server().base_url() + "/datasets/ar-dcat-open-ds> " + predicate),
            std::string::npos);
  // The link is where a consumer files its request.
  auto filed = client().Post(url.substr(server().base_url().size()), RequestBody(),
                             Bearer(Token(MakeOrg("ar-dcat-req"), "kilde:read")));
  EXPECT_EQ(filed.status, 201) << filed.Describe();
}

}  // namespace
}  // namespace kilde::it
