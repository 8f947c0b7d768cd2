#include "fixtures.h"

namespace kilde::it {

std::unique_ptr<KildeServer> SharedServerTest::shared_;
std::string SharedServerTest::start_error_;

void SharedServerTest::StartShared(const ServerConfig& cfg) {
  start_error_.clear();
  shared_ = KildeServer::Start(cfg, &start_error_);
}

void SharedServerTest::StopShared() {
  if (shared_) {
    int code = shared_->Stop();
    EXPECT_EQ(code, 0) << "the shared server did not exit cleanly:\n" << shared_->Stderr();
  }
  shared_.reset();
}

void SharedServerTest::SetUp() {
  ASSERT_NE(shared_, nullptr) << "server did not start: " << start_error_;
  ASSERT_TRUE(shared_->running()) << "the shared server has died:\n" << shared_->Stderr();
  client_ = std::make_unique<HttpClient>(shared_->port());
}

Json ContactPoint() { return {{"name", "Testkontoret"}, {"email", "test@example.oslo.kommune.no"}}; }

Json OrgDoc(const std::string& id, const std::string& parent) {
  Json doc = {{"id", id},
              {"organization_number", NextOrgNumber()},
              {"name", {{"nb", "Etat " + id}}},
              {"kind", "agency"},
              {"example_identifier", true}};
  if (!parent.empty()) doc["parent"] = parent;
  return doc;
}

Json DatasetDoc(const std::string& id, const std::string& publisher, const std::string& status) {
  return {{"id", id},
          {"title", {{"nb", "Datasett " + id}, {"en", "Dataset " + id}}},
          {"description", {{"nb", "Beskrivelse av " + id}}},
          {"publisher", publisher},
          {"contact_point", ContactPoint()},
          {"themes", {"GOVE"}},
          {"access_rights", "PUBLIC"},
          {"license", "NLOD_2_0"},
          {"status", status}};
}

Json DistributionDoc(const std::string& id) {
  return {{"id", id},
          {"title", {{"nb", "Fil " + id}}},
          {"access_url", "https://data.example.oslo.kommune.no/" + id},
          {"format", "CSV"},
          {"media_type", "text/csv"}};
}

Json DataServiceDoc(const std::string& id, const std::string& publisher, const std::string& status) {
  return {{"id", id},
          {"title", {{"nb", "API " + id}}},
          {"publisher", publisher},
          {"contact_point", ContactPoint()},
          {"endpoint_url", "https://api.example.oslo.kommune.no/" + id},
          {"formats", {"JSON"}},
          {"access_rights", "PUBLIC"},
          {"status", status}};
}

Json ConceptDoc(const std::string& id, const std::string& publisher, const std::string& status) {
  return {{"id", id},
          {"pref_label", {{"nb", "begrep " + id}, {"nn", "omgrep " + id}}},
          {"definition", {{"text", {{"nb", "Definisjon av " + id}}}, {"source_relation", "own"}}},
          {"publisher", publisher},
          {"contact_point", ContactPoint()},
          {"status", status}};
}

Json PublicServiceDoc(const std::string& id, const std::string& authority, const std::string& status) {
  return {{"id", id},
          {"title", {{"nb", "Tjeneste " + id}}},
          {"description", {{"nb", "Beskrivelse av tjenesten " + id}}},
          {"competent_authority", authority},
          {"outputs", {{{"id", "vedtak"}, {"title", {{"nb", "Vedtak"}}}}}},
          {"contact_point", ContactPoint()},
          {"status", status}};
}

std::vector<std::string> Problems(const HttpResponse& r) {
  std::vector<std::string> out;
  Json j = r.Json();
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return out;
  const Json& d = j["error"].value("details", Json::array());
  for (const auto& p : d)
    if (p.is_object()) out.push_back(p.value("field", "?") + ":" + p.value("problem", "?"));
  return out;
}

::testing::AssertionResult IsError(const HttpResponse& r, int status, const std::string& code) {
  if (r.status != status)
    return ::testing::AssertionFailure() << "expected HTTP " << status << ", got " << r.Describe();
  if (r.Header("Content-Type").rfind("application/json", 0) != 0)
    return ::testing::AssertionFailure()
           << "error is not application/json: '" << r.Header("Content-Type") << "'";
  Json j = r.Json();
  if (!j.is_object() || j.size() != 1 || !j.contains("error") || !j["error"].is_object())
    return ::testing::AssertionFailure() << "body is not {\"error\":{...}}: " << r.body;
  const Json& e = j["error"];
  if (e.value("status", 0) != status)
    return ::testing::AssertionFailure() << "error.status is not " << status << ": " << r.body;
  if (e.value("code", "") != code)
    return ::testing::AssertionFailure() << "error.code is not '" << code << "': " << r.body;
  if (!e.contains("message") || !e["message"].is_string() || e["message"].get<std::string>().empty())
    return ::testing::AssertionFailure() << "error.message missing or empty: " << r.body;
  if (e.contains("details") && !e["details"].is_array())
    return ::testing::AssertionFailure() << "error.details is not an array: " << r.body;
  return ::testing::AssertionSuccess();
}

Json MustCreate(HttpClient& c, const std::string& collection, const Json& doc) {
  HttpResponse r = c.Post(collection, doc);
  EXPECT_EQ(r.status, 201) << "POST " << collection << " " << doc.dump() << "\n-> " << r.Describe();
  if (r.status != 201) return Json(Json::value_t::discarded);
  return r.Json();
}

}  // namespace kilde::it
