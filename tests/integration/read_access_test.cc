// Who may read a data product's rows (issue 4, "Access levels"): public, restricted and non-public
// products read anonymously, by catalog organisations, by strangers and by the owner — and the
// audit entries those reads leave, durable before the response (kill the server right after the
// responses: every answered request has its entry).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "fixtures.h"

namespace kilde::it {
namespace {

// Rows about five people: fnr (the person id, personal), navn (personal), diagnose (special
// category), bydel and antall (no personal data).
const char* kCsv =
    "fnr,navn,diagnose,bydel,antall\n"
    "01019010046,Kari,astma,Frogner,3\n"
    "02019010085,Ola,diabetes,Alna,5\n"
    "03019010014,Per,astma,Frogner,2\n"
    "04019010053,Liv,,Sagene,7\n"
    "05019010092,Åse,migrene,Alna,1\n";

Json PeopleSchema() {
  return {{"columns",
           {{{"name", "fnr"}, {"type", "fodselsnummer"}, {"key", true}},
            {{"name", "navn"}, {"type", "string"}, {"personal_data", "personal"}},
            {{"name", "diagnose"}, {"type", "string"}, {"personal_data", "special_category"}},
            {{"name", "bydel"}, {"type", "string"}, {"indexed", true}},
            {{"name", "antall"}, {"type", "integer"}}}}};
}

class ReadAccessTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  // The owner organisation "<name>-org" (returned: its orgnr), its dataset and a product with one
  // edition at `level`.
  std::string MakeProduct(const std::string& name, const std::string& level) {
    HttpClient& c = client();
    Json org = OrgDoc(name + "-org");
    MustCreate(c, "/api/v1/organizations", org);
    MustCreate(c, "/api/v1/datasets", DatasetDoc(name + "-ds", name + "-org"));
    auto r = c.Post(
        "/api/v1/products",
        {{"id", name}, {"dataset", name + "-ds"}, {"access_level", level}, {"schema", PeopleSchema()}});
    EXPECT_EQ(r.status, 201) << r.Describe();
    auto up = c.Send("POST", "/api/v1/products/" + name + "/editions", kCsv, {{"Content-Type", "text/csv"}});
    EXPECT_EQ(up.status, 201) << up.Describe();
    return org["organization_number"].get<std::string>();
  }
  std::string Token(const std::string& orgnr, const std::string& scopes) {
    std::string error;
    std::string t = server().IssueToken({"--consumer", "0192:" + orgnr, "--scope", scopes}, &error);
    EXPECT_FALSE(t.empty()) << error;
    return t;
  }
  HttpResponse Rows(const std::string& product, const std::string& token, const std::string& query = "") {
    HttpClient c(server().port());
    c.SetBearer(token);
    return c.Get("/api/v1/products/" + product + "/editions/latest/rows" + query);
  }
  // Entries in the audit log, from `kilde audit verify` on the running server's data dir.
  int AuditEntries() {
    auto r = RunKilde({"audit", "verify", "--data-dir", server().data_dir()});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    const std::string prefix = "audit log intact: ";
    return r.out.rfind(prefix, 0) == 0 ? std::atoi(r.out.c_str() + prefix.size()) : -1;
  }
};

TEST_F(ReadAccessTest, ProductsAreNonPublicByDefault) {
  Json org = OrgDoc("ra-default-org");
  MustCreate(client(), "/api/v1/organizations", org);
  MustCreate(client(), "/api/v1/datasets", DatasetDoc("ra-default-ds", "ra-default-org"));
  auto r = client().Post("/api/v1/products",
                         {{"id", "ra-default"}, {"dataset", "ra-default-ds"}, {"schema", PeopleSchema()}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.Json()["access_level"], "non_public");
  ASSERT_EQ(client()
                .Send("POST", "/api/v1/products/ra-default/editions", kCsv, {{"Content-Type", "text/csv"}})
                .status,
            201);
  auto anon = Rows("ra-default", "");
  EXPECT_TRUE(IsError(anon, 401, "unauthenticated")) << anon.Describe();
  EXPECT_EQ(anon.Header("WWW-Authenticate"), "Bearer realm=\"kilde\"");
}

TEST_F(ReadAccessTest, PublicProductsHidePersonalDataFromEveryoneButTheOwner) {
  const std::string owner = MakeProduct("ra-public", "public");
  auto anon = Rows("ra-public", "", "?order=antall");
  ASSERT_EQ(anon.status, 200) << anon.Describe();
  Json items = anon.Json()["items"];
  ASSERT_EQ(items.size(), 5u);
  for (const auto& row : items) {
    EXPECT_FALSE(row.contains("fnr")) << row;
    EXPECT_FALSE(row.contains("navn")) << row;
    EXPECT_FALSE(row.contains("diagnose")) << row;
    EXPECT_TRUE(row.contains("bydel")) << row;
  }
  EXPECT_EQ(anon.body.find("01019010046"), std::string::npos);
  EXPECT_EQ(anon.body.find("astma"), std::string::npos);
  // Asking for a hidden column does not reveal that it exists.
  auto probe = Rows("ra-public", "", "?fnr=eq.01019010046");
  EXPECT_TRUE(IsError(probe, 400, "validation_failed")) << probe.Describe();
  HttpClient anon_client(server().port());
  anon_client.SetBearer("");
  auto download = anon_client.Get("/api/v1/products/ra-public/editions/latest/download");
  ASSERT_EQ(download.status, 200) << download.Describe();
  EXPECT_EQ(download.body.rfind("bydel,antall\r\n", 0), 0u) << download.body;
  EXPECT_EQ(download.body.find("01019010046"), std::string::npos);
  // The owner sees everything, in clear.
  auto own = Rows("ra-public", Token(owner, "kilde:read"), "?order=fnr");
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.Json()["items"][0]["fnr"], "01019010046");
  EXPECT_EQ(own.Json()["items"][0]["diagnose"], "astma");
}

TEST_F(ReadAccessTest, RestrictedProductsAreForCatalogOrganisations) {
  MakeProduct("ra-restricted", "restricted");
  EXPECT_TRUE(IsError(Rows("ra-restricted", ""), 401, "unauthenticated"));
  // An organisation of the catalog with kilde:read: the rows without personal data.
  Json member = OrgDoc("ra-member");
  MustCreate(client(), "/api/v1/organizations", member);
  auto ok = Rows("ra-restricted", Token(member["organization_number"], "kilde:read"));
  ASSERT_EQ(ok.status, 200) << ok.Describe();
  EXPECT_EQ(ok.Json()["items"].size(), 5u);
  EXPECT_EQ(ok.body.find("fnr"), std::string::npos);
  // The same organisation without kilde:read, and an organisation the catalog does not know: 403.
  EXPECT_TRUE(
      IsError(Rows("ra-restricted", Token(member["organization_number"], "kilde:write")), 403, "forbidden"));
  auto outsider = Rows("ra-restricted", Token(NextOrgNumber(), "kilde:read"));
  EXPECT_TRUE(IsError(outsider, 403, "forbidden")) << outsider.Describe();
  // A citizen's token is no organisation's.
  std::string error;
  const std::string citizen = server().IssueToken({"--pid", "01019010046"}, &error);
  EXPECT_TRUE(IsError(Rows("ra-restricted", citizen), 403, "forbidden"));
}

TEST_F(ReadAccessTest, NonPublicProductsNeedAGrantAndEveryAttemptIsAudited) {
  const std::string owner = MakeProduct("ra-secret", "non_public");
  const int before = AuditEntries();
  const std::string stranger = Token(NextOrgNumber(), "kilde:read");
  const std::string paths[] = {"/rows", "/aggregate?group_by=bydel&count=*", "/download", "/diff/latest",
                               "/quality"};
  for (const auto& p : paths) {
    HttpClient c(server().port());
    c.SetBearer(stranger);
    auto r = c.Get("/api/v1/products/ra-secret/editions/latest" + p);
    EXPECT_TRUE(IsError(r, 403, "forbidden")) << p << " " << r.Describe();
    EXPECT_EQ(r.body.find("Frogner"), std::string::npos);
  }
  // The owner reads; so does an admin.
  auto own = Rows("ra-secret", Token(owner, "kilde:read"), "?bydel=eq.Frogner");
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.Json()["items"].size(), 2u);
  EXPECT_EQ(Rows("ra-secret", server().admin_token()).status, 200);
  // Five denied attempts and two reads, each durable before its response.
  EXPECT_EQ(AuditEntries(), before + 7);
  // A logged query string never keeps a fødselsnummer in clear.
  auto by_fnr = Rows("ra-secret", Token(owner, "kilde:read"), "?fnr=eq.01019010046");
  ASSERT_EQ(by_fnr.status, 200);
  // Every file of the log: the database, its WAL and the journal the entry is durable in first.
  std::string bytes;
  for (const char* file : {"/audit.db", "/audit.db-wal", "/audit.journal-0", "/audit.journal-1"}) {
    std::ifstream in(server().data_dir() + file, std::ios::binary);
    bytes.append((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  EXPECT_NE(bytes.find("[fnr:"), std::string::npos);
  EXPECT_EQ(bytes.find("01019010046"), std::string::npos);
}

// A server of its own with one product `id` (non-public by default) holding the people of kCsv.
void StartWithPeopleProduct(const std::string& id, std::unique_ptr<KildeServer>& s) {
  std::string error;
  s = KildeServer::Start(ServerConfig(), &error);
  ASSERT_TRUE(s) << error;
  HttpClient c(s->port());
  MustCreate(c, "/api/v1/organizations", OrgDoc(id + "-org"));
  MustCreate(c, "/api/v1/datasets", DatasetDoc(id + "-ds", id + "-org"));
  ASSERT_EQ(
      c.Post("/api/v1/products", {{"id", id}, {"dataset", id + "-ds"}, {"schema", PeopleSchema()}}).status,
      201);
  ASSERT_EQ(
      c.Send("POST", "/api/v1/products/" + id + "/editions", kCsv, {{"Content-Type", "text/csv"}}).status,
      201);
}

TEST(ReadAccessDurability, EveryAnsweredReadHasItsEntryAfterSigkill) {
  std::unique_ptr<KildeServer> s;
  ASSERT_NO_FATAL_FAILURE(StartWithPeopleProduct("dur", s));
  HttpClient c(s->port());
  constexpr int kReads = 40;
  int answered = 0;
  for (int i = 0; i < kReads; ++i) {
    // Distinct queries: cache hits are audited like misses, but this also exercises the store.
    auto r = c.Get("/api/v1/products/dur/editions/latest/rows?limit=" + std::to_string(1 + i % 5));
    if (r.status == 200) ++answered;
  }
  ASSERT_EQ(answered, kReads);
  s->Signal(SIGKILL);
  ASSERT_TRUE(s->Wait(5s));
  auto verify = RunKilde({"audit", "verify", "--data-dir", s->data_dir()});
  ASSERT_EQ(verify.exit_code, 0) << verify.Describe();
  EXPECT_EQ(verify.out.rfind("audit log intact: " + std::to_string(kReads) + " entries", 0), 0u)
      << verify.out;
}

// The audit's counters in /metrics: one entry per audited read, no failures, and the journal's
// backlog (entries not yet copied into audit.db) drains to 0 within moments.
TEST(ReadAccessMetrics, AuditCountersAndTheCopyBacklog) {
  std::unique_ptr<KildeServer> s;
  ASSERT_NO_FATAL_FAILURE(StartWithPeopleProduct("met", s));
  HttpClient c(s->port());
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(c.Get("/api/v1/products/met/editions/latest/rows?limit=" + std::to_string(1 + i)).status, 200);
  const auto metric = [&](const std::string& name) -> double {
    auto r = c.Get("/metrics");
    const size_t at = r.body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::atof(r.body.c_str() + at + name.size() + 2);
  };
  EXPECT_EQ(metric("kilde_audit_entries_total"), 10);
  EXPECT_EQ(metric("kilde_audit_failures_total"), 0);
  const double batches = metric("kilde_audit_batches_total");
  EXPECT_GE(batches, 1);
  EXPECT_LE(batches, 10);
  double backlog = metric("kilde_audit_copy_backlog");
  EXPECT_GE(backlog, 0) << "the gauge is there";
  EXPECT_LE(backlog, 10);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (backlog > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(20ms);
    backlog = metric("kilde_audit_copy_backlog");
  }
  EXPECT_EQ(backlog, 0) << "every entry copied into audit.db";
}

}  // namespace
}  // namespace kilde::it
