// Access grants over HTTP (issue "Grants are created, listed, narrowed and revoked by the product's
// owner organisation (scope kilde:owner) or an admin"): real server, real signed dev tokens.
#include <gtest/gtest.h>

#include <string>

#include "access_fixtures.h"

namespace kilde::it {
namespace {

class GrantsTest : public AccessApiTest {};

TEST_F(GrantsTest, OwnerCreatesListsNarrowsAndRevokes) {
  const Product p = MakeProduct("gr-life");
  const std::string owner = Token(p.orgnr, "kilde:owner", "owner-app");
  const std::string consumer = NextOrgNumber();
  const std::string base = "/api/v1/products/" + p.id + "/grants";

  auto created =
      client().Post(base, GrantBody(consumer, {{"columns", {"bydel", "year", "antall"}}}), Bearer(owner));
  ASSERT_EQ(created.status, 201) << created.Describe();
  Json g = created.Json();
  const std::string id = g["id"];
  EXPECT_EQ(created.Header("Location"), server().base_url() + base + "/" + id);
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_EQ(g["status"], "active");
  EXPECT_EQ(g["grantee_orgnr"], consumer);
  EXPECT_EQ(g["created_by"]["orgnr"], p.orgnr);
  EXPECT_EQ(g["created_by"]["client_id"], "owner-app");
  EXPECT_FALSE(g.contains("pseudonym_key"));

  auto list = client().Get(base, Bearer(owner));
  ASSERT_EQ(list.status, 200) << list.Describe();
  EXPECT_EQ(Ids(list), std::vector<std::string>{id});
  auto one = client().Get(base + "/" + id, Bearer(owner));
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(one.Json()["columns"], Json({"bydel", "year", "antall"}));

  // Narrowing: fewer columns, with the version it was read at. A GET body may be sent back.
  Json narrowed_body = one.Json();
  narrowed_body["columns"] = {"bydel", "antall"};
  auto narrowed = client().Patch(base + "/" + id, narrowed_body, Bearer(owner, {{"If-Match", "\"1\""}}));
  ASSERT_EQ(narrowed.status, 200) << narrowed.Describe();
  EXPECT_EQ(narrowed.Json()["columns"], Json({"bydel", "antall"}));
  EXPECT_EQ(narrowed.Json()["version"], 2);
  EXPECT_EQ(narrowed.Header("ETag"), "\"2\"");
  // A stale version is 412 and changes nothing.
  auto stale = client().Patch(base + "/" + id, {{"row_filter", "bydel=eq.Frogner"}},
                              Bearer(owner, {{"If-Match", "\"1\""}}));
  EXPECT_TRUE(IsError(stale, 412, "precondition_failed")) << stale.Describe();

  // Widening is refused, naming what would widen.
  auto wider = client().Patch(base + "/" + id, {{"columns", {"bydel", "antall", "year"}}}, Bearer(owner));
  EXPECT_TRUE(IsError(wider, 400, "validation_failed")) << wider.Describe();
  EXPECT_EQ(Problems(wider), std::vector<std::string>{"columns[2]:widens"});
  auto clear = client().Patch(base + "/" + id, {{"personal_data", "clear"}}, Bearer(owner));
  EXPECT_EQ(Problems(clear), std::vector<std::string>{"personal_data:widens"}) << clear.Describe();
  auto renamed = client().Patch(base + "/" + id, {{"purpose", "Noe annet"}}, Bearer(owner));
  EXPECT_EQ(Problems(renamed), std::vector<std::string>{"purpose:read_only"}) << renamed.Describe();
  EXPECT_EQ(client().Get(base + "/" + id, Bearer(owner)).Json()["version"], 2);

  // Revocation: kept, marked, and out of the default list at once.
  auto revoked = client().Delete(base + "/" + id, Bearer(owner));
  ASSERT_EQ(revoked.status, 200) << revoked.Describe();
  EXPECT_EQ(revoked.Json()["status"], "revoked");
  EXPECT_EQ(revoked.Json()["revoked_by"]["orgnr"], p.orgnr);
  EXPECT_FALSE(revoked.Json()["revoked_at"].is_null());
  EXPECT_TRUE(Ids(client().Get(base, Bearer(owner))).empty());
  EXPECT_EQ(Ids(client().Get(base + "?include_revoked=true", Bearer(owner))), std::vector<std::string>{id});
  EXPECT_TRUE(IsError(client().Delete(base + "/" + id, Bearer(owner)), 412, "precondition_failed"));
  EXPECT_TRUE(IsError(client().Patch(base + "/" + id, {{"columns", {"bydel"}}}, Bearer(owner)), 412,
                      "precondition_failed"));
  // The grantee's own view no longer lists it as in force either.
  auto mine = client().Get("/api/v1/grants", Bearer(Token(consumer, "kilde:read")));
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_TRUE(Ids(mine).empty());

  // An admin manages grants of any product.
  auto by_admin = client().Post(base, GrantBody(consumer));
  EXPECT_EQ(by_admin.status, 201) << by_admin.Describe();
}

TEST_F(GrantsTest, OnlyTheOwnerWithKildeOwnerManagesGrants) {
  const Product p = MakeProduct("gr-authz");
  const std::string base = "/api/v1/products/" + p.id + "/grants";
  const std::string consumer = NextOrgNumber();
  const std::string owner = Token(p.orgnr, "kilde:owner");
  auto created = client().Post(base, GrantBody(consumer), Bearer(owner));
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string item = base + "/" + created.Json()["id"].get<std::string>();

  // Another organisation, even with kilde:owner, may do nothing with this product's grants.
  const std::string stranger = Token(MakeOrg("gr-authz-other"), "kilde:owner");
  for (const HttpResponse& r : {client().Post(base, GrantBody(consumer), Bearer(stranger)),
                                client().Get(base, Bearer(stranger)), client().Get(item, Bearer(stranger)),
                                client().Patch(item, {{"columns", {"bydel"}}}, Bearer(stranger)),
                                client().Delete(item, Bearer(stranger))})
    EXPECT_TRUE(IsError(r, 403, "forbidden")) << r.Describe();
  auto denied = client().Post(base, GrantBody(consumer), Bearer(stranger));
  EXPECT_NE(denied.Json()["error"]["message"].get<std::string>().find(p.org), std::string::npos);

  // The owner organisation needs kilde:owner: kilde:write is not enough.
  auto writer = client().Post(base, GrantBody(consumer), Bearer(Token(p.orgnr, "kilde:write")));
  EXPECT_TRUE(IsError(writer, 403, "forbidden")) << writer.Describe();
  EXPECT_NE(writer.Header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);

  // No token: 401 with the challenge, also for reads.
  HttpClient anon(server().port());
  anon.SetBearer("");
  for (const HttpResponse& r : {anon.Post(base, GrantBody(consumer)), anon.Get(base), anon.Get(item),
                                anon.Delete(item), anon.Get("/api/v1/grants")}) {
    EXPECT_TRUE(IsError(r, 401, "unauthenticated")) << r.Describe();
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"kilde\"");
  }
  // Nothing changed.
  auto after = client().Get(item, Bearer(owner));
  EXPECT_EQ(after.Json()["version"], 1) << after.Describe();
  EXPECT_EQ(after.Json()["status"], "active");
  EXPECT_EQ(Ids(client().Get(base, Bearer(owner))).size(), 1u);
  // An unknown product is 404 for a valid token.
  EXPECT_TRUE(IsError(client().Get("/api/v1/products/gr-no-such/grants", Bearer(owner)), 404, "not_found"));
}

TEST_F(GrantsTest, GranteeSeesItsOwnGrantsOnly) {
  const Product p = MakeProduct("gr-grantee");
  const std::string base = "/api/v1/products/" + p.id + "/grants";
  const std::string owner = Token(p.orgnr, "kilde:owner");
  const std::string a = MakeOrg("gr-grantee-a"), b = MakeOrg("gr-grantee-b");
  auto ga = client().Post(base, GrantBody(a), Bearer(owner));
  auto gb = client().Post(base, GrantBody(b), Bearer(owner));
  ASSERT_EQ(ga.status, 201) << ga.Describe();
  ASSERT_EQ(gb.status, 201) << gb.Describe();
  const std::string id_a = ga.Json()["id"], id_b = gb.Json()["id"];
  EXPECT_EQ(Ids(client().Get(base, Bearer(owner))).size(), 2u);

  const std::string reader_a = Token(a, "kilde:read");
  EXPECT_EQ(Ids(client().Get(base, Bearer(reader_a))), std::vector<std::string>{id_a});
  auto own = client().Get(base + "/" + id_a, Bearer(reader_a));
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.Json()["grantee_orgnr"], a);
  // Another organisation's grant does not exist for it.
  EXPECT_TRUE(IsError(client().Get(base + "/" + id_b, Bearer(reader_a)), 404, "not_found"));
  // Its grants across products.
  const Product q = MakeProduct("gr-grantee2");
  ASSERT_EQ(client().Post("/api/v1/products/" + q.id + "/grants", GrantBody(a)).status, 201);
  auto all = client().Get("/api/v1/grants", Bearer(reader_a));
  ASSERT_EQ(all.status, 200) << all.Describe();
  EXPECT_EQ(Ids(all).size(), 2u);
  const Json all_json = all.Json();  // keep the document alive while iterating
  for (const auto& g : all_json["items"]) EXPECT_EQ(g["grantee_orgnr"], a);
  auto one_product = client().Get("/api/v1/grants?product=" + p.id, Bearer(reader_a));
  EXPECT_EQ(Ids(one_product), std::vector<std::string>{id_a}) << one_product.Describe();
  // Reading is not managing.
  EXPECT_TRUE(IsError(client().Delete(base + "/" + id_a, Bearer(reader_a)), 403, "forbidden"));
  // Without kilde:read, nothing.
  EXPECT_TRUE(IsError(client().Get("/api/v1/grants", Bearer(Token(a, "kilde:write"))), 403, "forbidden"));
}

TEST_F(GrantsTest, ListsPageAndBadInputIsExplained) {
  const Product p = MakeProduct("gr-input");
  const std::string base = "/api/v1/products/" + p.id + "/grants";
  const std::string owner = Token(p.orgnr, "kilde:owner");
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(client().Post(base, GrantBody(NextOrgNumber()), Bearer(owner)).status, 201);
  auto first = client().Get(base + "?limit=2", Bearer(owner));
  ASSERT_EQ(first.status, 200) << first.Describe();
  EXPECT_EQ(Ids(first).size(), 2u);
  ASSERT_TRUE(first.Json()["next_cursor"].is_string());
  EXPECT_NE(first.Header("Link").find("rel=\"next\""), std::string::npos);
  auto second =
      client().Get(base + "?limit=2&cursor=" + first.Json()["next_cursor"].get<std::string>(), Bearer(owner));
  EXPECT_EQ(Ids(second).size(), 1u) << second.Describe();
  EXPECT_TRUE(second.Json()["next_cursor"].is_null());

  auto bad = client().Post(base, {{"grantee_orgnr", "123456789"}, {"columns", {"nope"}}}, Bearer(owner));
  EXPECT_TRUE(IsError(bad, 400, "validation_failed")) << bad.Describe();
  const auto problems = Problems(bad);
  for (const char* want :
       {"grantee_orgnr:invalid_checksum", "purpose:required", "legal_basis:required", "columns[0]:not_found"})
    EXPECT_NE(std::find(problems.begin(), problems.end(), want), problems.end())
        << want << " " << bad.Describe();
  auto text = client().Send("POST", base, GrantBody(NextOrgNumber()).dump(),
                            {{"Content-Type", "text/plain"}, {"Authorization", "Bearer " + owner}});
  EXPECT_TRUE(IsError(text, 415, "unsupported_media_type")) << text.Describe();
  EXPECT_TRUE(
      IsError(client().Get(base + "?include_revoked=maybe", Bearer(owner)), 400, "validation_failed"));
  EXPECT_TRUE(IsError(client().Get(base + "?limit=0", Bearer(owner)), 400, "validation_failed"));
  EXPECT_TRUE(IsError(client().Get(base + "/g-0000000000000000", Bearer(owner)), 404, "not_found"));
}

}  // namespace
}  // namespace kilde::it
