#include "api/access_http.h"

#include <algorithm>
#include <cassert>

#include "api/json_body.h"
#include "http/error_response.h"

namespace kilde::api {

using nlohmann::json;

http::Response AccessDenied(const Status& s, std::string_view scopes) {
  assert(!s.ok());
  http::Response r = http::FromStatus(s);
  if (s.code() == Code::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kilde\"");
  else if (s.code() == Code::kPermissionDenied && s.message().find("scope") != std::string::npos)
    r.headers.emplace_back(
        "WWW-Authenticate",
        "Bearer realm=\"kilde\", error=\"insufficient_scope\", scope=\"" + std::string(scopes) + "\"");
  return r;
}

Result<ListParams> ReadListParams(const http::Request& req, std::initializer_list<std::string_view> extra) {
  ListParams out;
  std::vector<FieldProblem> problems;
  std::string accepted;
  for (std::string_view e : extra) accepted += std::string(e) + ", ";
  accepted += "cursor, limit";
  for (const auto& [k, v] : req.query) {
    if (k == "limit") {
      if (auto n = ParseIntIn(v, 1, 500))
        out.limit = *n;
      else
        problems.push_back({k, "invalid_value", "must be an integer from 1 to 500"});
    } else if (k == "cursor") {
      out.cursor = v;
    } else if (std::find(extra.begin(), extra.end(), k) != extra.end()) {
      out.values[k] = v;
    } else {
      problems.push_back({k, "unknown_field", "this list accepts " + accepted});
    }
  }
  if (!problems.empty()) return Status::Invalid("invalid query parameters", std::move(problems));
  return out;
}

Result<bool> ReadBool(const std::string& name, const std::string& value) {
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return Status::Invalid("invalid query parameters", {{name, "invalid_value", "use true or false"}});
}

http::Response PageResponse(const http::Request& req, const std::string& public_url, access::Page page,
                            const std::function<void(json&)>& decorate) {
  json items = json::array();
  for (auto& item : page.items) {
    if (decorate) decorate(item);
    items.push_back(std::move(item));
  }
  http::Response r =
      http::JsonResponse(Dump({{"items", std::move(items)},
                               {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json(nullptr)}}));
  if (page.next_cursor) r.headers.emplace_back("Link", NextPageLink(req, public_url, *page.next_cursor));
  return r;
}

}  // namespace kilde::api
