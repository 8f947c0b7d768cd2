// The request and response types handlers see; independent of Beast.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kilde::http {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as received, e.g. "/api/v1/datasets?limit=2"
  std::string path;    // percent-decoded path without the query
  Params query;        // decoded query parameters in order
  Params headers;      // names lower-cased
  std::string body;
  std::string request_id;  // X-Request-Id (accepted from the client if well-formed, else generated)
  Params path_params;      // filled by the router from "{name}" segments

  // First value of query parameter `name`, if present.
  std::optional<std::string> Query(std::string_view name) const;
  // Value of header `name` (lower case), or "".
  std::string Header(std::string_view name) const;
  // Value of path parameter `name`, or "".
  std::string PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Params headers;  // extra headers
  std::string body;
  std::string route;  // route pattern for metrics and logs (not sent)
};

}  // namespace kilde::http
