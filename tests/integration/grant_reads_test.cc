// End to end over HTTP (issue 4): a consumer reads a non-public product through its grant — only the
// granted columns and rows, personal data pseudonymised per grant — revocation counts from the next
// request, the owner reads the audit log of those reads, and a citizen sees in innsyn exactly the
// reads that included them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.h"

namespace kilde::it {
namespace {

const char* kCsv =
    "fnr,navn,diagnose,bydel,antall\n"
    "01019010046,Kari,astma,Frogner,3\n"
    "02019010085,Ola,diabetes,Alna,5\n"
    "03019010014,Per,astma,Frogner,2\n"
    "04019010053,Liv,,Sagene,7\n";

class GrantReadsTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  std::string Token(const std::vector<std::string>& args) {
    std::string error;
    std::string t = server().IssueToken(args, &error);
    EXPECT_FALSE(t.empty()) << error;
    return t;
  }
  HttpResponse GetAs(const std::string& token, const std::string& target) {
    HttpClient c(server().port());
    c.SetBearer(token);
    return c.Get(target);
  }
  // Owner org (returns its orgnr) + dataset + non_public product `name` with one edition.
  std::string MakeProduct(const std::string& name) {
    Json org = OrgDoc(name + "-org");
    MustCreate(client(), "/api/v1/organizations", org);
    MustCreate(client(), "/api/v1/datasets", DatasetDoc(name + "-ds", name + "-org"));
    Json schema = {{"columns",
                    {{{"name", "fnr"}, {"type", "fodselsnummer"}, {"key", true}},
                     {{"name", "navn"}, {"type", "string"}, {"personal_data", "personal"}},
                     {{"name", "diagnose"}, {"type", "string"}, {"personal_data", "special_category"}},
                     {{"name", "bydel"}, {"type", "string"}, {"indexed", true}},
                     {{"name", "antall"}, {"type", "integer"}}}}};
    EXPECT_EQ(client()
                  .Post("/api/v1/products", {{"id", name}, {"dataset", name + "-ds"}, {"schema", schema}})
                  .status,
              201);
    EXPECT_EQ(
        client()
            .Send("POST", "/api/v1/products/" + name + "/editions", kCsv, {{"Content-Type", "text/csv"}})
            .status,
        201);
    return org["organization_number"].get<std::string>();
  }
  Json Grant(const std::string& product, const std::string& owner_token, const Json& terms) {
    Json body = {{"purpose", "Oppfølging av tjenestemottakere"},
                 {"legal_basis",
                  {{"law", "Helse- og omsorgstjenesteloven"},
                   {"paragraph", "§ 5-10"},
                   {"url", "https://lovdata.no/"}}}};
    body.update(terms);
    auto r = client().Post("/api/v1/products/" + product + "/grants", body,
                           {{"Authorization", "Bearer " + owner_token}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.Json();
  }
};

TEST_F(GrantReadsTest, AGrantShowsOnlyItsColumnsAndRowsAndRevocationCountsAtOnce) {
  const std::string owner = MakeProduct("gr-helse");
  const std::string owner_token = Token({"--consumer", "0192:" + owner, "--scope", "kilde:owner"});
  const std::string a = NextOrgNumber(), b = NextOrgNumber();
  Json ga = Grant("gr-helse", owner_token,
                  {{"grantee_orgnr", a},
                   {"columns", {"fnr", "bydel", "antall"}},
                   {"row_filter", "bydel=eq.Frogner"},
                   {"personal_data", "pseudonymised"}});
  Grant("gr-helse", owner_token, {{"grantee_orgnr", b}, {"personal_data", "pseudonymised"}});
  const std::string ta = Token({"--consumer", "0192:" + a, "--scope", "kilde:read"});
  const std::string tb = Token({"--consumer", "0192:" + b, "--scope", "kilde:read"});
  const std::string rows = "/api/v1/products/gr-helse/editions/latest/rows";

  auto r = GetAs(ta, rows + "?order=antall");
  ASSERT_EQ(r.status, 200) << r.Describe();
  Json items = r.Json()["items"];
  ASSERT_EQ(items.size(), 2u) << "only the Frogner rows";
  for (const auto& row : items) {
    EXPECT_EQ(row.size(), 3u) << row;
    EXPECT_EQ(row["bydel"], "Frogner");
    EXPECT_EQ(row["fnr"].get<std::string>().size(), 32u) << "a pseudonym, not the number";
  }
  EXPECT_EQ(r.body.find("01019010046"), std::string::npos);
  EXPECT_EQ(r.body.find("Alna"), std::string::npos);
  // No parameter reaches outside the grant.
  for (const std::string& q :
       {std::string("?navn=eq.Kari"), std::string("?select=diagnose"), std::string("?bydel=eq.Alna"),
        std::string("?fnr=eq.01019010046"), std::string("?order=fnr")}) {
    auto probe = GetAs(ta, rows + q);
    EXPECT_EQ(probe.body.find("Alna\""), std::string::npos) << q << " " << probe.Describe();
    EXPECT_EQ(probe.body.find("astma"), std::string::npos) << q;
    EXPECT_EQ(probe.body.find("01019010046"), std::string::npos) << q;
    if (probe.status == 200) {
      EXPECT_EQ(probe.Json()["items"].size(), 0u) << q;
    }
  }
  auto agg = GetAs(ta, "/api/v1/products/gr-helse/editions/latest/aggregate?group_by=bydel&sum=antall");
  ASSERT_EQ(agg.status, 200) << agg.Describe();
  EXPECT_EQ(agg.Json()["rows"].size(), 1u) << agg.body;
  EXPECT_EQ(agg.Json()["rows"][0]["sum_antall"], 5) << "only the granted rows are summed";
  auto dl = GetAs(ta, "/api/v1/products/gr-helse/editions/latest/download");
  ASSERT_EQ(dl.status, 200) << dl.Describe();
  EXPECT_EQ(dl.body.rfind("fnr,bydel,antall\r\n", 0), 0u) << dl.body;
  EXPECT_EQ(std::count(dl.body.begin(), dl.body.end(), '\n'), 3);
  // Two consumers' pseudonyms of the same person differ (no linking across grants).
  auto rb = GetAs(tb, rows + "?bydel=eq.Frogner&order=antall");
  ASSERT_EQ(rb.status, 200) << rb.Describe();
  EXPECT_NE(rb.Json()["items"][0]["fnr"], items[0]["fnr"]);
  EXPECT_FALSE(rb.Json()["items"][0].contains("diagnose")) << "special category only when named";

  // Revocation: the very next request is refused.
  auto revoked = client().Send("DELETE", "/api/v1/products/gr-helse/grants/" + ga["id"].get<std::string>(),
                               "", {{"Authorization", "Bearer " + owner_token}});
  ASSERT_EQ(revoked.status, 200) << revoked.Describe();
  EXPECT_TRUE(IsError(GetAs(ta, rows), 403, "forbidden"));
}

TEST_F(GrantReadsTest, OwnersReadTheAuditLogAndCitizensSeeOnlyReadsAboutThem) {
  const std::string owner = MakeProduct("gr-innsyn");
  const std::string owner_token = Token({"--consumer", "0192:" + owner, "--scope", "kilde:owner"});
  const std::string consumer = NextOrgNumber();
  Grant("gr-innsyn", owner_token, {{"grantee_orgnr", consumer}, {"personal_data", "clear"}});
  const std::string tc = Token({"--consumer", "0192:" + consumer, "--scope", "kilde:read"});
  // One read about Kari only, one about Ola and Liv.
  ASSERT_EQ(GetAs(tc, "/api/v1/products/gr-innsyn/editions/latest/rows?fnr=eq.01019010046").status, 200);
  ASSERT_EQ(GetAs(tc, "/api/v1/products/gr-innsyn/editions/latest/rows?bydel=in.(Alna,Sagene)").status, 200);

  auto log = GetAs(owner_token, "/api/v1/audit?product=gr-innsyn");
  ASSERT_EQ(log.status, 200) << log.Describe();
  Json entries = log.Json()["items"];
  ASSERT_EQ(entries.size(), 2u) << log.body;
  EXPECT_EQ(entries[0]["consumer"], consumer);
  EXPECT_EQ(entries[0]["purpose"], "Oppfølging av tjenestemottakere");
  EXPECT_EQ(log.body.find("01019010046"), std::string::npos) << "no fødselsnummer in the log";
  // Another organisation may not read this product's log.
  EXPECT_TRUE(IsError(GetAs(tc, "/api/v1/audit?product=gr-innsyn"), 403, "forbidden"));

  // Reads of this product (other tests of the suite read the same people from other products).
  auto reads_of = [&](const std::string& pid) {
    auto r = GetAs(Token({"--pid", pid}), "/api/v1/innsyn");
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(r.body.find("01019010046"), std::string::npos) << "no one's number is shown";
    std::vector<Json> out;
    const Json body = r.Json();  // (iterating r.Json()["innsyn"] would outlive the temporary)
    for (const auto& item : body["innsyn"])
      if (item["dataprodukt"]["id"] == "gr-innsyn") out.push_back(item);
    return out;
  };
  auto kari = reads_of("01019010046");
  ASSERT_EQ(kari.size(), 1u);
  EXPECT_EQ(kari[0]["organisasjon"]["organisasjonsnummer"], consumer);
  EXPECT_EQ(kari[0]["formål"], "Oppfølging av tjenestemottakere");
  EXPECT_EQ(reads_of("02019010085").size(), 1u);
  EXPECT_EQ(reads_of("04019010053").size(), 1u);
  EXPECT_EQ(reads_of("03019010014").size(), 0u) << "Per was in no response from gr-innsyn";
}

}  // namespace
}  // namespace kilde::it
