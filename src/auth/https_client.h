// A minimal, bounded HTTP(S) GET for fetching issuer metadata and JWKS documents (Boost.Beast over
// Boost.Asio SSL / OpenSSL 3). Not a general HTTP client: one request per connection, no redirects, no
// proxies, no compression, no cookies.
//
// Policy:
//   - `https://` URLs use TLS 1.2 or newer with certificate verification: the chain must lead to a CA
//     in the system store (or in HttpGetOptions::ca_file), and the certificate must name the URL's host
//     (DNS name, or IP address for an IP literal). SNI is sent for DNS names;
//   - `http://` is allowed only for loopback hosts (127.0.0.1, ::1, localhost), for tests and
//     development;
//   - redirects are not followed: a 3xx answer is an error naming its Location (a trusted key source
//     should be configured at its final address);
//   - the whole exchange (resolve, connect, TLS handshake, request, response) must finish within
//     `timeout`. Name resolution uses the system resolver, which Asio cannot interrupt: a hanging DNS
//     lookup can make the call return later than `timeout` (the result is still a timeout error);
//   - the response body may be at most `max_body_bytes` (the header at most 16 KiB).
//
// Thread safety: every call uses its own I/O context and connection; calls may run concurrently from any
// threads. Nothing throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kilde::auth {

struct HttpGetOptions {
  std::chrono::milliseconds timeout{5000};  // for the whole exchange
  size_t max_body_bytes = 1 << 20;          // 1 MiB
  // PEM file of trusted CA certificates used instead of the system store (tests, private CAs). Empty:
  // the system's default verify paths (OpenSSL's, e.g. /etc/ssl/certs).
  std::string ca_file;
};

// An absolute http(s) URL split for a request.
struct HttpUrl {
  bool tls = true;       // https
  std::string host;      // DNS name or IP literal, without the brackets of an IPv6 literal
  uint16_t port = 443;   // explicit port, else 443 / 80
  std::string target;    // path and query, "/" if the URL has no path; the fragment is dropped
  std::string original;  // the URL as given (for messages)
};

// `s` made safe for an error message: control and non-ASCII bytes become '?', cut to `max_chars`
// (with "..."). Used for URLs, paths and remote values that end up in messages and logs.
std::string MessageSafe(std::string_view s, size_t max_chars = 200);

// Whether `host` (as in HttpUrl::host) is a loopback host: 127.0.0.1 (any 127.x.y.z), ::1, localhost.
bool IsLoopbackHost(std::string_view host);

// Parses `url` under the policy above: scheme https, or http with a loopback host; a non-empty host;
// no user info; a port of 1..65535 if given; no spaces or control characters. kInvalidArgument quoting
// the URL otherwise.
Result<HttpUrl> ParseHttpUrl(std::string_view url);

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string location;  // the Location header, if any (for messages about redirects)
};

// GETs `url` and returns the response whatever its status. kInvalidArgument for a URL the policy
// refuses or an unreadable ca_file; kUnavailable naming the URL for a transport failure (resolve,
// connect, TLS / certificate verification, timeout, malformed response, body over the limit).
Result<HttpResponse> HttpFetch(const std::string& url, const HttpGetOptions& options);

// Like HttpFetch, but only a 200 answer is a success (its body is returned); any other status is
// kUnavailable naming the URL and the status (and the Location of a redirect).
Result<std::string> HttpGet(const std::string& url, const HttpGetOptions& options);

}  // namespace kilde::auth
