// Maps (method, path) to a handler. Patterns are literal segments and "{name}"
// segments, e.g. "/api/v1/datasets/{id}". Registration happens before the server
// starts; Dispatch is then thread safe (read only).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"

namespace kilde::http {

using Handler = std::function<Response(Request&)>;
// Runs after a route matched (path_params set) and before its handler; a returned response is
// sent instead of running the handler (authorisation). Must be thread safe.
using Guard = std::function<std::optional<Response>(const std::string& method, const std::string& pattern,
                                                    Request& req)>;

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler h);
  // Installs the guard every matched request passes (one; replaces an earlier one). Before serving.
  void SetGuard(Guard g) { guard_ = std::move(g); }
  // Runs the matching handler. 404 (JSON) for an unknown path, 405 with `Allow`
  // for a known path with another method; HEAD is served by GET's handler.
  // Sets Response::route to the pattern (or "unmatched").
  Response Dispatch(Request& req) const;
  // The registered routes as (method, pattern), in registration order (for tests and docs).
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool Match(const Route& r, const std::vector<std::string>& segs, Params* params);
  std::vector<Route> routes_;
  Guard guard_;
};

}  // namespace kilde::http
