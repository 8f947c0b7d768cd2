// Valid catalog documents (docs/catalog-model.md) for the integration tests,
// and a fixture base class that shares one server per test suite.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness.h"

namespace kilde::it {

using Json = nlohmann::json;

Json ContactPoint();
// An organisation with a fresh valid organisation number; `parent` "" = none.
Json OrgDoc(const std::string& id, const std::string& parent = "");
// A valid dataset. `status` "draft" or "published".
Json DatasetDoc(const std::string& id, const std::string& publisher, const std::string& status = "draft");
Json DistributionDoc(const std::string& id);
Json DataServiceDoc(const std::string& id, const std::string& publisher, const std::string& status = "draft");
Json ConceptDoc(const std::string& id, const std::string& publisher, const std::string& status = "draft");
Json PublicServiceDoc(const std::string& id, const std::string& authority,
                      const std::string& status = "draft");

// The `details` of an error body as "field:problem" strings, in order.
std::vector<std::string> Problems(const HttpResponse& r);
// Whether `r` is an application/json error body {"error":{"status","code",
// "message",...}} (and nothing else) with the given HTTP status and code.
::testing::AssertionResult IsError(const HttpResponse& r, int status, const std::string& code);

// Creates a resource with POST and expects 201; returns the stored document
// (a discarded value and a test failure otherwise).
Json MustCreate(HttpClient& c, const std::string& collection, const Json& doc);

// One server per test suite (per process: ctest runs each test alone), started in SetUpTestSuite
// and stopped in TearDownTestSuite; each test gets its own client. Tests use
// their own ids, so they do not depend on each other.
class SharedServerTest : public ::testing::Test {
 protected:
  static void StartShared(const ServerConfig& cfg);
  static void StopShared();
  void SetUp() override;
  KildeServer& server() { return *shared_; }
  HttpClient& client() { return *client_; }

  static std::unique_ptr<KildeServer> shared_;
  static std::string start_error_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace kilde::it
