// For the access unit tests: a real store holding product "p" (dataset "ds") whose schema has plain,
// personal and special-category columns, and an AccessService on a settable clock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "access/service.h"
#include "products/service.h"
#include "store/store_test_util.h"

namespace kilde::access::testing {

inline constexpr const char* kOwner = "958935420";     // Oslo kommune
inline constexpr const char* kConsumer = "974760673";  // another organisation
inline constexpr const char* kThird = "987654325";

// bydel (string), year (integer), antall (integer), fnr (fodselsnummer: personal), diagnose
// (string: special_category).
inline nlohmann::json TestSchemaJson() {
  return nlohmann::json::parse(R"({"columns": [
    {"name": "bydel", "type": "string", "indexed": true},
    {"name": "year", "type": "integer"},
    {"name": "antall", "type": "integer"},
    {"name": "fnr", "type": "fodselsnummer"},
    {"name": "diagnose", "type": "string", "personal_data": "special_category"}]})");
}

inline products::Schema TestSchema() { return *products::ParseSchema(TestSchemaJson()); }

inline bool HasProblem(const Status& s, const std::string& field, const std::string& problem) {
  for (const auto& p : s.details())
    if (p.field == field && p.problem == problem) return true;
  return false;
}

// Every problem as "field:problem", for failure messages.
inline std::string Problems(const Status& s) {
  std::string out = s.message();
  for (const auto& p : s.details()) out += " | " + p.field + ":" + p.problem + " " + p.message;
  return out;
}

class AccessTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    products::ProductService products(store_.get());
    auto p = products.Create({{"id", "p"}, {"dataset", "ds"}, {"schema", TestSchemaJson()}});
    ASSERT_TRUE(p.ok()) << p.status().message();
    svc_ = std::make_unique<AccessService>(store_.get(), [this] { return now_; });
  }
  void TearDown() override {
    svc_.reset();
    StoreTest::TearDown();
  }
  static nlohmann::json GrantBody(nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json b = {
        {"grantee_orgnr", kConsumer},
        {"purpose", "Statistikk over tjenestebruk"},
        {"legal_basis",
         {{"law", "Kommuneloven"}, {"paragraph", "§ 2-1"}, {"url", "https://lovdata.no/lov/2018-06-22-83"}}}};
    b.merge_patch(extra);
    return b;
  }
  static nlohmann::json RequestBody(nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json b = GrantBody(extra);
    b.erase("grantee_orgnr");
    return b;
  }
  Caller owner_{kOwner, "owner-client", false};
  Caller consumer_{kConsumer, "consumer-client", false};
  std::string now_ = "2026-03-01T12:00:00Z";
  std::unique_ptr<AccessService> svc_;
};

}  // namespace kilde::access::testing
