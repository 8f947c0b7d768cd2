// The request and response types handlers see; independent of Beast.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "base/status.h"

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
  // The verified bearer token's principal (set by the application before routing); null when the
  // request carried no token.
  std::shared_ptr<const auth::Principal> principal;
  // Identifies the connection the request came on while that connection is open (requests on one
  // keep-alive connection share it); 0 when not from a connection. Not unique across time.
  uint64_t connection = 0;

  // First value of query parameter `name`, if present.
  std::optional<std::string> Query(std::string_view name) const;
  // Value of header `name` (lower case), or "".
  std::string Header(std::string_view name) const;
  // Value of path parameter `name`, or "".
  std::string PathParam(std::string_view name) const;
};

// Produces a response body in pieces (downloads), so that memory does not grow
// with the body. Called on the connection's I/O thread, one piece at a time, only
// after the previous piece was written (so a slow client slows the producer).
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Appends the next piece to `out` (which the caller has emptied). Returns true
  // while more pieces follow, false after the last one (`out` may hold a final
  // piece). A non-OK status aborts: the status line was already sent, so the
  // server closes the connection without the terminating chunk and the client
  // sees an incomplete transfer.
  virtual Result<bool> Next(std::string& out) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Params headers;  // extra headers
  std::string body;
  // When set, `body` is ignored and the body is produced by `source`, sent with
  // chunked transfer encoding (not for HEAD: then only the header is sent).
  std::unique_ptr<BodySource> source;
  std::string route;  // route pattern for metrics and logs (not sent)
  // When set, the server calls it before sending anything and sends this response only once `ready`
  // has been called (from any thread, exactly once): with OK as it is, with an error as a 503 JSON
  // error instead (the body is dropped). For responses that may only leave after something else is
  // durable — the audit entry of a read of restricted data. The I/O thread is not blocked meanwhile.
  std::function<void(std::function<void(const Status&)> ready)> before_send;
};

}  // namespace kilde::http
