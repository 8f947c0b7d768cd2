// Error responses of the JSON API: validation (every problem at once), malformed
// JSON, media types, routing errors, and the headers every response carries.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "fixtures.h"

namespace kilde::it {
namespace {

using ::testing::AssertionFailure;
using ::testing::AssertionResult;
using ::testing::AssertionSuccess;
using Strings = std::vector<std::string>;

class ErrorsTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }
};

// Whether every one of `want` ("field:problem") is among the problems of `r`.
AssertionResult HasProblems(const HttpResponse& r, const Strings& want) {
  Strings got = Problems(r);
  for (const auto& w : want)
    if (std::find(got.begin(), got.end(), w) == got.end())
      return AssertionFailure() << "missing problem " << w << " in " << r.Describe();
  return AssertionSuccess();
}

TEST_F(ErrorsTest, DatasetMissingRequiredFieldsReportsThemAllAtOnce) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-org"));
  Json doc = DatasetDoc("err-missing", "err-org");
  doc.erase("title");
  doc.erase("publisher");
  doc.erase("themes");
  HttpResponse r = c.Post("/api/v1/datasets", doc);
  ASSERT_TRUE(IsError(r, 400, "validation_failed"));
  Strings got = Problems(r);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (Strings{"publisher:required", "themes:required", "title:required"}));
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets/err-missing"), 404, "not_found"))
      << "an invalid dataset was stored";
}

TEST_F(ErrorsTest, EveryValidationClassIsReported) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-org2"));
  Json doc = DatasetDoc("err-many", "no-such-org");
  doc["titel"] = {{"nb", "skrivefeil"}};        // unknown field
  doc["access_rights"] = "RESTRICTED";          // ... without a legal basis
  doc["frequency"] = "HOURLY";                  // bad enum
  doc["themes"] = {"GOVE", "XXXX"};             // bad enum in an array
  doc["landing_page"] = "ftp://example.org/x";  // not http(s)
  doc["concepts"] = {"no-such-concept"};        // missing reference
  doc["contact_point"] = {{"name", "Ingen kanal"}, {"email", "not-an-email"}};
  HttpResponse r = c.Post("/api/v1/datasets", doc);
  ASSERT_TRUE(IsError(r, 400, "validation_failed"));
  EXPECT_TRUE(
      HasProblems(r, {"titel:unknown_field", "legal_basis.restriction:required", "frequency:invalid_value",
                      "themes[1]:invalid_value", "landing_page:invalid_format", "publisher:not_found",
                      "concepts[0]:not_found", "contact_point.email:invalid_format"}));
  const Json r_json = r.Json();  // keep the document alive while iterating
  for (const auto& d : r_json["error"]["details"]) {
    EXPECT_TRUE(d.contains("field") && d["field"].is_string()) << d.dump();
    EXPECT_TRUE(d.contains("problem") && d["problem"].is_string()) << d.dump();
  }
}

TEST_F(ErrorsTest, OrganizationNumbersAreChecked) {
  HttpClient& c = client();
  Json bad = OrgDoc("err-orgnr");
  bad["organization_number"] = "958935421";  // Oslo kommune's number with a wrong check digit
  HttpResponse r = c.Post("/api/v1/organizations", bad);
  ASSERT_TRUE(IsError(r, 400, "validation_failed"));
  EXPECT_EQ(Problems(r), Strings{"organization_number:invalid_checksum"});
  bad["organization_number"] = "12345";
  EXPECT_EQ(Problems(c.Post("/api/v1/organizations", bad)), Strings{"organization_number:invalid_format"});
  bad["organization_number"] = "958935420";  // the real one is fine
  MustCreate(c, "/api/v1/organizations", bad);
  // ... and unique.
  Json twin = OrgDoc("err-orgnr-twin");
  twin["organization_number"] = "958935420";
  EXPECT_EQ(Problems(c.Post("/api/v1/organizations", twin)), Strings{"organization_number:conflict"});
  // A parent must exist and must not create a cycle.
  EXPECT_EQ(Problems(c.Post("/api/v1/organizations", OrgDoc("err-orphan", "no-such-parent"))),
            Strings{"parent:not_found"});
  HttpResponse self = c.Patch("/api/v1/organizations/err-orgnr", {{"parent", "err-orgnr"}});
  EXPECT_TRUE(IsError(self, 400, "validation_failed"));
  EXPECT_TRUE(HasProblems(self, {"parent:invalid_value"}));
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-cycle-a"));
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-cycle-b", "err-cycle-a"));
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-cycle-c", "err-cycle-b"));
  HttpResponse cycle = c.Patch("/api/v1/organizations/err-cycle-a", {{"parent", "err-cycle-c"}});
  EXPECT_TRUE(IsError(cycle, 400, "validation_failed"));
  EXPECT_TRUE(HasProblems(cycle, {"parent:invalid_value"}));
  EXPECT_FALSE(c.Get("/api/v1/organizations/err-cycle-a").Json().contains("parent"));
}

TEST_F(ErrorsTest, OtherKindsAreValidatedToo) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-org3"));
  Json concept_doc = ConceptDoc("err-term", "err-org3");
  concept_doc["pref_label"] = {{"nb", "bare bokmål"}};
  EXPECT_TRUE(HasProblems(c.Post("/api/v1/concepts", concept_doc), {"pref_label.nn:required"}));
  Json service = PublicServiceDoc("err-svc", "no-such-org");
  service["outputs"] = Json::array();
  EXPECT_TRUE(HasProblems(c.Post("/api/v1/public-services", service),
                          {"competent_authority:not_found", "outputs:required"}));
  Json api = DataServiceDoc("err-api", "err-org3");
  api.erase("endpoint_url");
  api["serves_datasets"] = {"no-such-dataset"};
  EXPECT_TRUE(HasProblems(c.Post("/api/v1/data-services", api),
                          {"endpoint_url:required", "serves_datasets[0]:not_found"}));
  MustCreate(c, "/api/v1/datasets", DatasetDoc("err-ds", "err-org3"));
  Json dist = DistributionDoc("err-dist");
  dist.erase("access_url");
  dist["format"] = "DOCX";
  EXPECT_TRUE(HasProblems(c.Post("/api/v1/datasets/err-ds/distributions", dist),
                          {"access_url:required", "format:invalid_value"}));
  // A body that is not an object.
  HttpResponse arr = c.Send("POST", "/api/v1/datasets", "[1, 2]", {{"Content-Type", "application/json"}});
  EXPECT_TRUE(IsError(arr, 400, "validation_failed")) << arr.Describe();
}

TEST_F(ErrorsTest, MalformedJsonNamesThePosition) {
  HttpClient& c = client();
  const std::string body = "{\n  \"id\": \"x\",\n  oops\n}";
  HttpResponse r = c.Send("POST", "/api/v1/organizations", body, {{"Content-Type", "application/json"}});
  ASSERT_TRUE(IsError(r, 400, "bad_request"));
  const std::string msg = r.Json()["error"].value("message", "");
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column"), std::string::npos) << msg;
  EXPECT_TRUE(IsError(c.Send("POST", "/api/v1/organizations", "", {{"Content-Type", "application/json"}}),
                      400, "bad_request"));
}

TEST_F(ErrorsTest, WrongContentTypeIs415) {
  HttpClient& c = client();
  const std::string body = OrgDoc("err-ct").dump();
  EXPECT_TRUE(IsError(c.Send("POST", "/api/v1/organizations", body, {{"Content-Type", "text/plain"}}), 415,
                      "unsupported_media_type"));
  EXPECT_TRUE(IsError(c.Send("POST", "/api/v1/organizations", body), 415, "unsupported_media_type"));
  EXPECT_TRUE(IsError(
      c.Send("POST", "/api/v1/organizations", body, {{"Content-Type", "application/merge-patch+json"}}), 415,
      "unsupported_media_type"))
      << "merge-patch is for PATCH only";
  HttpResponse ok =
      c.Send("POST", "/api/v1/organizations", body, {{"Content-Type", "Application/JSON; charset=utf-8"}});
  EXPECT_EQ(ok.status, 201) << ok.Describe();
  EXPECT_TRUE(IsError(c.Send("PATCH", "/api/v1/organizations/err-ct", "{}", {{"Content-Type", "text/plain"}}),
                      415, "unsupported_media_type"));
}

TEST_F(ErrorsTest, UnknownRouteAndWrongMethod) {
  HttpClient& c = client();
  EXPECT_TRUE(IsError(c.Get("/nope"), 404, "not_found"));
  EXPECT_TRUE(IsError(c.Get("/api/v1/widgets"), 404, "not_found"));
  EXPECT_TRUE(IsError(c.Get("/api/v1/datasets/a/b/c/d"), 404, "not_found"));
  HttpResponse r = c.Delete("/api/v1/datasets");
  ASSERT_TRUE(IsError(r, 405, "method_not_allowed"));
  const std::string allow = r.Header("Allow");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("DELETE"), std::string::npos) << allow;
  HttpResponse put = c.Put("/healthz", Json::object());
  EXPECT_TRUE(IsError(put, 405, "method_not_allowed"));
  EXPECT_NE(put.Header("Allow").find("GET"), std::string::npos) << put.Header("Allow");
  EXPECT_TRUE(IsError(c.Send("POST", "/api/v1/organizations/x", "{}", {{"Content-Type", "application/json"}}),
                      405, "method_not_allowed"));
}

TEST_F(ErrorsTest, MalformedIfMatchIs400) {
  HttpClient& c = client();
  MustCreate(c, "/api/v1/organizations", OrgDoc("err-ifm"));
  EXPECT_TRUE(
      IsError(c.Delete("/api/v1/organizations/err-ifm", {{"If-Match", "abc"}}), 400, "validation_failed"));
  EXPECT_EQ(c.Get("/api/v1/organizations/err-ifm").status, 200);
  // Weak and unquoted forms of the current version are accepted.
  EXPECT_EQ(c.Patch("/api/v1/organizations/err-ifm", {{"kind", "other"}}, {{"If-Match", "W/\"1\""}}).status,
            200);
  EXPECT_EQ(c.Delete("/api/v1/organizations/err-ifm", {{"If-Match", "2"}}).status, 204);
}

TEST_F(ErrorsTest, EveryApiResponseIsJsonAndEveryResponseHasARequestId) {
  HttpClient& c = client();
  std::vector<std::pair<std::string, HttpResponse>> api;
  api.emplace_back("POST 201", c.Post("/api/v1/organizations", OrgDoc("err-json")));
  api.emplace_back("GET 200", c.Get("/api/v1/organizations/err-json"));
  api.emplace_back("GET list", c.Get("/api/v1/organizations?limit=2"));
  api.emplace_back("GET index", c.Get("/api/v1"));
  api.emplace_back("GET openapi", c.Get("/api/v1/openapi.json"));
  api.emplace_back("GET 404", c.Get("/api/v1/organizations/none"));
  api.emplace_back("405", c.Delete("/api/v1/organizations"));
  api.emplace_back("400", c.Get("/api/v1/organizations?limit=0"));
  api.emplace_back("415", c.Send("POST", "/api/v1/organizations", "{}", {{"Content-Type", "text/csv"}}));
  api.emplace_back("412", c.Delete("/api/v1/organizations/err-json", {{"If-Match", "\"9\""}}));
  api.emplace_back("DELETE 204", c.Delete("/api/v1/organizations/err-json"));
  std::set<std::string> ids;
  for (const auto& [what, r] : api) {
    ASSERT_NE(r.status, 0) << what << ": " << r.error;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u)
        << what << ": " << r.Header("Content-Type");
    if (r.status != 204) {
      EXPECT_FALSE(r.Json().is_discarded()) << what << " body is not JSON: " << r.body;
    }
    EXPECT_FALSE(r.Header("X-Request-Id").empty()) << what;
    ids.insert(r.Header("X-Request-Id"));
  }
  EXPECT_EQ(ids.size(), api.size()) << "request ids are not unique";
  for (const std::string path : {"/healthz", "/readyz", "/metrics", "/catalog", "/nope"})
    EXPECT_FALSE(c.Get(path).Header("X-Request-Id").empty()) << path;
}

TEST_F(ErrorsTest, WellFormedRequestIdsAreEchoed) {
  HttpClient& c = client();
  EXPECT_EQ(c.Get("/healthz", {{"X-Request-Id", "abc-123_x.y"}}).Header("X-Request-Id"), "abc-123_x.y");
  EXPECT_EQ(c.Get("/api/v1/datasets/none", {{"X-Request-Id", "trace-42"}}).Header("X-Request-Id"),
            "trace-42");
  for (const std::string& bad : std::vector<std::string>{"has space", "semi;colon", std::string(200, 'a')}) {
    const std::string got = c.Get("/healthz", {{"X-Request-Id", bad}}).Header("X-Request-Id");
    EXPECT_FALSE(got.empty());
    EXPECT_NE(got, bad) << "a malformed request id was echoed";
  }
}

}  // namespace
}  // namespace kilde::it
