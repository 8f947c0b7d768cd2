// docs/openapi.json against the code: it is served, it is OpenAPI 3.1, and its paths,
// methods and list filters are exactly the routes the App registers, so the document
// cannot drift from the router.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "config/config.h"
#include "http/router.h"
#include "store/store.h"

namespace kilde::api {
namespace {

using Json = nlohmann::json;

const std::set<std::string> kOpenApiMethods = {"get",     "put",  "post",  "delete",
                                               "options", "head", "patch", "trace"};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "/api/v1/datasets/{dataset}/distributions/{id}" -> {"dataset", "id"}.
std::set<std::string> Placeholders(const std::string& pattern) {
  std::set<std::string> out;
  for (size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
    size_t close = pattern.find('}', open);
    if (close == std::string::npos) break;
    out.insert(pattern.substr(open + 1, close - open - 1));
  }
  return out;
}

// A concrete path for a pattern: each "{name}" becomes "no-such-<name>".
std::string Concrete(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      out += "no-such-" + pattern.substr(i + 1, close - i - 1);
      i = close;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kilde_openapi_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    app_ = std::make_unique<App>(config::Config{}, std::move(*store), std::make_unique<auth::Verifier>());

    http::Response r = Get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200) << r.body;
    doc_ = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc_.is_discarded()) << "GET /api/v1/openapi.json is not valid JSON";
    ASSERT_TRUE(doc_.contains("paths") && doc_["paths"].is_object());
  }

  void TearDown() override {
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  http::Response Send(const std::string& method, const std::string& path, http::Params query = {}) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.target = path;
    req.query = std::move(query);
    req.request_id = "openapi-test";
    return app_->Handle(req);
  }
  http::Response Get(const std::string& path, http::Params query = {}) {
    return Send("GET", path, std::move(query));
  }

  // (method, pattern) as registered, e.g. ("GET", "/api/v1/datasets/{id}").
  std::vector<std::pair<std::string, std::string>> Routes() const { return app_->router().Routes(); }

  // Follows a local "$ref" ("#/components/...") if `j` is one.
  const Json& Resolve(const Json& j) const {
    if (j.is_object() && j.contains("$ref")) {
      const std::string ref = j["$ref"].get<std::string>();
      return doc_.at(Json::json_pointer(ref.substr(1)));
    }
    return j;
  }

  // The parameters of `op` on `path` (path-level ones included), resolved.
  std::vector<Json> Parameters(const std::string& path, const std::string& op) const {
    std::vector<Json> out;
    const Json& item = doc_.at("paths").at(path);
    for (const Json* holder : {&item, &item.at(op)})
      if (holder->contains("parameters"))
        for (const auto& p : (*holder)["parameters"]) out.push_back(Resolve(p));
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  Json doc_;
};

TEST_F(OpenApiTest, ServedDocumentIsOpenApi31) {
  http::Response r = Get("/api/v1/openapi.json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.route, "/api/v1/openapi.json");
  EXPECT_EQ(doc_.value("openapi", ""), "3.1.0");
  ASSERT_TRUE(doc_.contains("info"));
  EXPECT_EQ(doc_["info"].value("title", ""), "kilde");
  EXPECT_EQ(doc_["info"].value("version", ""), KILDE_VERSION);
  EXPECT_FALSE(doc_["info"].value("description", "").empty());
}

TEST_F(OpenApiTest, RouterHasRoutes) {
  // Guards the checks below against an empty route table.
  const auto routes = Routes();
  EXPECT_GE(routes.size(), 40u);
  EXPECT_NE(
      std::find(routes.begin(), routes.end(), std::make_pair(std::string("GET"), std::string("/catalog"))),
      routes.end());
}

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  const Json& paths = doc_["paths"];
  for (const auto& [method, pattern] : Routes()) {
    ASSERT_TRUE(paths.contains(pattern))
        << "route " << method << " " << pattern << " is missing from docs/openapi.json paths";
    EXPECT_TRUE(paths[pattern].contains(Lower(method)))
        << "route " << method << " " << pattern << " is not documented (no '" << Lower(method)
        << "' operation)";
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsRouted) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& r : Routes()) routes.insert(r);
  for (const auto& [path, item] : doc_["paths"].items()) {
    bool any = false;
    for (const auto& [key, op] : item.items()) {
      if (!kOpenApiMethods.count(key)) continue;
      any = true;
      std::string method = key;
      std::transform(method.begin(), method.end(), method.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      EXPECT_TRUE(routes.count({method, path}))
          << "docs/openapi.json documents " << method << " " << path << " but the router has no such route";
      // And the router really sends a request for it to that route.
      http::Response r = Send(method, Concrete(path));
      EXPECT_EQ(r.route, path) << method << " " << Concrete(path) << " answered " << r.status << " "
                               << r.body;
    }
    EXPECT_TRUE(any) << path << " has no operations";
  }
}

TEST_F(OpenApiTest, PathParametersMatchPlaceholders) {
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [key, op] : item.items()) {
      if (!kOpenApiMethods.count(key)) continue;
      std::set<std::string> declared;
      for (const auto& p : Parameters(path, key))
        if (p.value("in", "") == "path") {
          declared.insert(p.value("name", ""));
          EXPECT_TRUE(p.value("required", false))
              << path << " " << key << ": path parameter must be required";
        }
      EXPECT_EQ(declared, Placeholders(path)) << key << " " << path;
    }
  }
}

// Each list's documented query parameters are exactly those the server accepts. The
// server names them when it rejects an unknown one ("... this list accepts limit, cursor, ...").
TEST_F(OpenApiTest, ListQueryParametersMatchServer) {
  int lists = 0;
  for (const auto& [method, pattern] : Routes()) {
    if (method != "GET" || pattern.rfind("/api/v1/", 0) != 0 || pattern.back() == '}') continue;
    if (pattern == "/api/v1/openapi.json") continue;
    // Sub-collections of one product (editions, schema versions, rows, quality) are not filtered lists.
    if (pattern.rfind("/api/v1/products/{id}/", 0) == 0) continue;
    http::Response r = Get(Concrete(pattern), {{"no_such_filter", "1"}});
    ASSERT_EQ(r.status, 400) << pattern << ": " << r.body;
    Json body = Json::parse(r.body);
    const std::string message = body["error"]["details"][0].value("message", "");
    const std::string marker = "accepts ";
    ASSERT_NE(message.find(marker), std::string::npos) << message;
    std::set<std::string> accepted;
    std::string names = message.substr(message.find(marker) + marker.size());
    for (size_t i = 0; i <= names.size();) {
      size_t j = names.find(", ", i);
      if (j == std::string::npos) j = names.size();
      accepted.insert(names.substr(i, j - i));
      i = j + 2;
    }
    std::set<std::string> documented;
    for (const auto& p : Parameters(pattern, "get"))
      if (p.value("in", "") == "query") documented.insert(p.value("name", ""));
    EXPECT_EQ(documented, accepted) << "query parameters of GET " << pattern;
    ++lists;
  }
  EXPECT_EQ(lists, 11);  // six catalog kinds, products, the caller's grants and access requests, the
                         // audit log and innsyn
}

TEST_F(OpenApiTest, ReferencesResolveAndOperationIdsAreUnique) {
  std::vector<std::string> dangling;
  std::function<void(const Json&)> walk = [&](const Json& j) {
    if (j.is_object()) {
      if (j.contains("$ref") && j["$ref"].is_string()) {
        const std::string ref = j["$ref"].get<std::string>();
        if (ref.rfind("#/", 0) != 0 || !doc_.contains(Json::json_pointer(ref.substr(1))))
          dangling.push_back(ref);
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc_);
  std::string list;
  for (const auto& d : dangling) list += " " + d;
  EXPECT_TRUE(dangling.empty()) << "unresolved $ref:" << list;

  std::map<std::string, int> ids;
  for (const auto& [path, item] : doc_["paths"].items())
    for (const auto& [key, op] : item.items())
      if (kOpenApiMethods.count(key)) {
        ASSERT_TRUE(op.contains("operationId")) << key << " " << path;
        ++ids[op["operationId"].get<std::string>()];
      }
  for (const auto& [id, n] : ids) EXPECT_EQ(n, 1) << "operationId " << id << " is used " << n << " times";
}

TEST_F(OpenApiTest, ComponentsCoverResourcesAndErrors) {
  const Json& c = doc_.at("components");
  for (const char* s : {"Organization", "Dataset", "Distribution", "DataService", "Concept", "PublicService",
                        "LangText", "LangList", "ContactPoint", "LawRef", "ListPage", "Error"})
    EXPECT_TRUE(c.at("schemas").contains(s)) << "schema " << s;
  for (const char* p : {"Limit", "Cursor", "IfMatch", "Format"})
    EXPECT_TRUE(c.at("parameters").contains(p)) << p;

  // Every error response documents the body the server sends.
  std::set<std::string> statuses;
  for (const auto& [name, resp] : c.at("responses").items()) {
    const Json& media = resp.at("content").at("application/json");
    EXPECT_EQ(media.at("schema").value("$ref", ""), "#/components/schemas/Error") << name;
    for (const auto& [ex_name, ex] : media.at("examples").items())
      statuses.insert(std::to_string(ex.at("value").at("error").at("status").get<int>()));
  }
  for (const char* s : {"400", "404", "405", "406", "409", "412", "413", "415", "431", "500", "503"})
    EXPECT_TRUE(statuses.count(s)) << "no error response example with status " << s;

  // The Error schema has the shape of a real error.
  http::Response r = Get("/api/v1/datasets/no-such-dataset");
  ASSERT_EQ(r.status, 404);
  Json err = Json::parse(r.body);
  const Json& props = c.at("schemas").at("Error").at("properties").at("error").at("properties");
  for (const auto& [k, v] : err["error"].items())
    EXPECT_TRUE(props.contains(k)) << "undocumented error member " << k;
  EXPECT_EQ(err["error"].value("code", ""), "not_found");
}

}  // namespace
}  // namespace kilde::api
