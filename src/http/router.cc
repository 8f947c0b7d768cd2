#include "http/router.h"

#include <algorithm>

#include "http/error_response.h"

namespace kilde::http {
namespace {
std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}
}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Handler h) {
  routes_.push_back(Route{method, pattern, Split(pattern), std::move(h)});
}

bool Router::Match(const Route& r, const std::vector<std::string>& segs, Params* params) {
  if (r.segments.size() != segs.size()) return false;
  Params p;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& s = r.segments[i];
    if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
      p.emplace_back(s.substr(1, s.size() - 2), segs[i]);
    } else if (s != segs[i]) {
      return false;
    }
  }
  *params = std::move(p);
  return true;
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

Response Router::Dispatch(Request& req) const {
  const auto segs = Split(req.path);
  std::vector<std::string> allowed;
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  for (const auto& r : routes_) {
    Params params;
    if (!Match(r, segs, &params)) continue;
    if (r.method == method) {
      req.path_params = std::move(params);
      if (guard_) {
        if (std::optional<Response> denied = guard_(r.method, r.pattern, req)) {
          denied->route = r.pattern;
          return std::move(*denied);
        }
      }
      Response resp = r.handler(req);
      resp.route = r.pattern;
      return resp;
    }
    if (std::find(allowed.begin(), allowed.end(), r.method) == allowed.end()) allowed.push_back(r.method);
  }
  if (allowed.empty()) {
    Response resp = ErrorResponse(404, "not_found", "no resource at " + req.path);
    resp.route = "unmatched";
    return resp;
  }
  if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  Response resp =
      ErrorResponse(405, "method_not_allowed",
                    "method " + req.method + " is not allowed on " + req.path + "; allowed: " + allow);
  resp.headers.emplace_back("Allow", allow);
  resp.route = "unmatched";
  return resp;
}

}  // namespace kilde::http
