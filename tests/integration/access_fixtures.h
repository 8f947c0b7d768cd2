// Shared by grants_test.cc and access_requests_test.cc: a server with --dev, organisations with
// their own tokens, and a non-public data product owned by one of them.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.h"

namespace kilde::it {

class AccessApiTest : public SharedServerTest {
 protected:
  static void SetUpTestSuite() { StartShared({}); }
  static void TearDownTestSuite() { StopShared(); }

  struct Product {
    std::string id;
    std::string org;    // catalog id of the owning organisation
    std::string orgnr;  // its organisation number
  };

  // A token for organisation `orgnr` with `scopes` (space-separated) and client `client`.
  std::string Token(const std::string& orgnr, const std::string& scopes, const std::string& client = "") {
    std::vector<std::string> args = {"--consumer", "0192:" + orgnr, "--scope", scopes};
    if (!client.empty()) args.insert(args.end(), {"--client-id", client});
    std::string error;
    std::string t = server().IssueToken(args, &error);
    EXPECT_FALSE(t.empty()) << error;
    return t;
  }
  // The Authorization header for `token`, then `more`.
  static Headers Bearer(const std::string& token, Headers more = {}) {
    more.insert(more.begin(), {"Authorization", "Bearer " + token});
    return more;
  }

  // An organisation created by the admin; its organisation number.
  std::string MakeOrg(const std::string& id) {
    Json doc = OrgDoc(id);
    MustCreate(client(), "/api/v1/organizations", doc);
    return doc["organization_number"].get<std::string>();
  }

  // Organisation `name`-org publishing dataset `name`-ds (with `status`), and product `name` over it
  // with `access_level` (non_public unless given).
  Product MakeProduct(const std::string& name, const std::string& access_level = "non_public",
                      const std::string& status = "draft") {
    Product p{name, name + "-org", MakeOrg(name + "-org")};
    MustCreate(client(), "/api/v1/datasets", DatasetDoc(name + "-ds", p.org, status));
    AddProduct(name, name + "-ds", access_level);
    return p;
  }
  // One more product on an existing dataset.
  void AddProduct(const std::string& id, const std::string& dataset, const std::string& access_level) {
    Json product = {{"id", id},
                    {"dataset", dataset},
                    {"access_level", access_level},
                    {"schema",
                     {{"columns",
                       {{{"name", "bydel"}, {"type", "string"}, {"indexed", true}},
                        {{"name", "year"}, {"type", "integer"}},
                        {{"name", "antall"}, {"type", "integer"}},
                        {{"name", "fnr"}, {"type", "fodselsnummer"}}}}}}};
    auto r = client().Post("/api/v1/products", product);
    EXPECT_EQ(r.status, 201) << r.Describe();
  }

  static Json LegalBasis() {
    return {{"law", "Kommuneloven"}, {"paragraph", "§ 2-1"}, {"url", "https://lovdata.no/lov/2018-06-22-83"}};
  }
  // A valid body for "create a grant" to `grantee`, with `extra` merged in.
  static Json GrantBody(const std::string& grantee, const Json& extra = Json::object()) {
    Json b = {{"grantee_orgnr", grantee},
              {"purpose", "Statistikk over tjenestebruk"},
              {"legal_basis", LegalBasis()}};
    b.merge_patch(extra);
    return b;
  }
  // A valid body for "file an access request", with `extra` merged in.
  static Json RequestBody(const Json& extra = Json::object()) {
    Json b = {{"purpose", "Planlegging av tjenester i bydelene"},
              {"legal_basis", LegalBasis()},
              {"columns", {"bydel", "year", "antall"}},
              {"valid_to", "2099-01-01"}};
    b.merge_patch(extra);
    return b;
  }
  // The ids of a list response's items, in order.
  static std::vector<std::string> Ids(const HttpResponse& r) {
    std::vector<std::string> ids;
    Json j = r.Json();
    if (j.is_object() && j.contains("items"))
      for (const auto& item : j["items"]) ids.push_back(item.value("id", ""));
    return ids;
  }
};

}  // namespace kilde::it
