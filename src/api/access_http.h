// Pieces shared by the HTTP routes of grants (grant_routes.cc) and access requests
// (access_request_routes.cc): authorisation answers, list parameters and pages. Pure functions;
// thread safe.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "access/service.h"
#include "base/status.h"
#include "http/message.h"

namespace kilde::api {

// The answer to a failed authorisation or lookup `s` (not OK): its HTTP error, with the RFC 6750
// challenge for 401 and, for a 403 that names a missing scope, error="insufficient_scope" with
// `scopes` (e.g. "kilde:owner kilde:admin").
http::Response AccessDenied(const Status& s, std::string_view scopes);

// The query parameters of a list: limit (1..500, default 50), cursor, and the names in `extra`
// (values kept as given). Any other name is 400 unknown_field with the message "this list accepts
// <extra...>, cursor, limit" (the OpenAPI test reads it).
struct ListParams {
  int limit = 50;
  std::string cursor;
  std::map<std::string, std::string> values;  // of `extra` names that were given
  bool Has(const std::string& name) const { return values.count(name) != 0; }
};
Result<ListParams> ReadListParams(const http::Request& req, std::initializer_list<std::string_view> extra);

// "true"/"1" → true, "false"/"0" → false; kInvalidArgument naming `name` otherwise.
Result<bool> ReadBool(const std::string& name, const std::string& value);

// {"items": [...], "next_cursor": ...} with a Link rel="next" header when there is a next page.
// `decorate` (optional) adds links to each item.
http::Response PageResponse(const http::Request& req, const std::string& public_url, access::Page page,
                            const std::function<void(nlohmann::json&)>& decorate = {});

}  // namespace kilde::api
