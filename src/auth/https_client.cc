#include "auth/https_client.h"

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <exception>
#include <memory>
#include <optional>

namespace kilde::auth {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// The result of one exchange, written by the handlers (all on the calling thread).
struct Outcome {
  bool done = false;
  std::optional<Status> error;
  HttpResponse response;
  const char* phase = "resolving the host";  // what was in progress, for a timeout message
};

// One GET over `Stream` (beast::tcp_stream, or beast::ssl_stream<beast::tcp_stream> for TLS). Handlers
// capture `this`: the object must outlive the io_context's run (it is destroyed before the io_context,
// whose destruction discards any handler that did not run).
template <class Stream>
class Exchange {
 public:
  template <class... StreamArgs>
  Exchange(net::io_context& ioc, const HttpUrl& url, size_t max_body, Outcome* out, StreamArgs&&... args)
      : resolver_(ioc),
        stream_(std::forward<StreamArgs>(args)...),
        url_(url),
        max_body_(max_body),
        out_(out) {
    parser_.header_limit(kMaxHeaderBytes);
    parser_.body_limit(max_body);
    req_.method(bhttp::verb::get);
    req_.target(url_.target);
    req_.version(11);
    std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    bool default_port = url_.port == (url_.tls ? 443 : 80);
    req_.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(url_.port));
    req_.set(bhttp::field::user_agent, "kilde/" KILDE_VERSION);
    req_.set(bhttp::field::accept, "application/json");
    req_.set(bhttp::field::connection, "close");
  }

  // Starts the exchange; returns a Status only if it could not start.
  Status Start() {
    if constexpr (kTls) {
      SSL* ssl = stream_.native_handle();
      if (IsIpLiteral(url_.host)) {
        // No SNI for an IP address (RFC 6066 §3); the certificate must carry it as an iPAddress SAN.
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url_.host.c_str()) != 1)
          return Status::Internal("cannot set the expected IP address");
      } else {
        if (SSL_set_tlsext_host_name(ssl, url_.host.c_str()) != 1 ||
            SSL_set1_host(ssl, url_.host.c_str()) != 1)
          return Status::Internal("cannot set the expected host name");
      }
      stream_.set_verify_mode(ssl::verify_peer);
    }
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [this](beast::error_code ec, tcp::resolver::results_type results) {
                              if (ec) return Fail("cannot resolve host: " + ec.message());
                              out_->phase = "connecting";
                              beast::get_lowest_layer(stream_).async_connect(
                                  results, [this](beast::error_code cec, const tcp::endpoint&) {
                                    if (cec) return Fail("cannot connect: " + cec.message());
                                    Handshake();
                                  });
                            });
    return Status::Ok();
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  void Handshake() {
    if constexpr (kTls) {
      out_->phase = "in the TLS handshake";
      stream_.async_handshake(ssl::stream_base::client, [this](beast::error_code ec) {
        if (ec) {
          long verify = SSL_get_verify_result(stream_.native_handle());
          if (verify != X509_V_OK)
            return Fail(std::string("TLS certificate verification failed: ") +
                        X509_verify_cert_error_string(verify));
          return Fail("TLS handshake failed: " + ec.message());
        }
        Write();
      });
    } else {
      Write();
    }
  }

  void Write() {
    out_->phase = "sending the request";
    bhttp::async_write(stream_, req_, [this](beast::error_code ec, size_t) {
      if (ec) return Fail("cannot send the request: " + ec.message());
      out_->phase = "reading the response";
      bhttp::async_read_header(stream_, buffer_, parser_, [this](beast::error_code hec, size_t) {
        if (hec) return OnRead(hec);
        // Beast 1.74 skips its own Content-Length check against body_limit when body bytes arrive in
        // the same read as the header, and then reads the whole declared body: check it here.
        if (parser_.content_length() && *parser_.content_length() > max_body_)
          return OnRead(bhttp::error::body_limit);
        if (parser_.is_done()) return OnRead({});
        bhttp::async_read(stream_, buffer_, parser_, [this](beast::error_code rec, size_t) { OnRead(rec); });
      });
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::body_limit)
      return Fail("response body exceeds " + std::to_string(max_body_) + " bytes");
    if (ec == bhttp::error::header_limit)
      return Fail("response header exceeds " + std::to_string(kMaxHeaderBytes) + " bytes");
    if (ec) return Fail("cannot read the response: " + ec.message());
    auto& res = parser_.get();
    if (res.body().size() > max_body_) return OnRead(bhttp::error::body_limit);  // belt and braces
    out_->response.status = res.result_int();
    out_->response.body = std::move(res.body());
    if (auto it = res.find(bhttp::field::location); it != res.end())
      out_->response.location = std::string(it->value());
    out_->done = true;
    Close();
  }

  void Fail(std::string message) {
    out_->error = Status::Unavailable("GET " + MessageSafe(url_.original) + ": " + message);
    out_->done = true;
    Close();
  }

  void Close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);  // no TLS close_notify: we are done
  }

  tcp::resolver resolver_;
  Stream stream_;
  const HttpUrl& url_;
  const size_t max_body_;
  Outcome* out_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::empty_body> req_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

template <class Stream, class... StreamArgs>
Result<HttpResponse> Run(net::io_context& ioc, const HttpUrl& url, const HttpGetOptions& options,
                         StreamArgs&&... args) {
  Outcome out;
  {
    Exchange<Stream> exchange(ioc, url, options.max_body_bytes, &out, std::forward<StreamArgs>(args)...);
    KILDE_RETURN_IF_ERROR(exchange.Start());
    ioc.run_for(options.timeout);
    ioc.stop();  // a handler that did not run before the deadline never will
  }
  if (!out.done)
    return Status::Unavailable("GET " + MessageSafe(url.original) + ": timed out after " +
                               std::to_string(options.timeout.count()) + " ms " + out.phase);
  if (out.error) return *out.error;
  return std::move(out.response);
}

Result<HttpResponse> Fetch(const HttpUrl& url, const HttpGetOptions& options) {
  // Declared before the io_context so that it outlives every handler the io_context destroys.
  std::optional<ssl::context> ctx;
  if (url.tls) {
    ctx.emplace(ssl::context::tls_client);
    if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1)
      return Status::Internal("cannot require TLS 1.2");
    boost::system::error_code ec;
    if (options.ca_file.empty()) {
      ctx->set_default_verify_paths(ec);
      if (ec) return Status::Unavailable("cannot load the system CA certificates: " + ec.message());
    } else {
      ctx->load_verify_file(options.ca_file, ec);
      if (ec)
        return Status::Invalid("cannot load CA file '" + MessageSafe(options.ca_file) + "': " + ec.message());
    }
    ctx->set_verify_mode(ssl::verify_peer);
  }
  net::io_context ioc(1);
  if (url.tls) return Run<beast::ssl_stream<beast::tcp_stream>>(ioc, url, options, ioc, *ctx);
  return Run<beast::tcp_stream>(ioc, url, options, ioc);
}

}  // namespace

std::string MessageSafe(std::string_view s, size_t max_chars) {
  std::string out;
  for (char c : s.substr(0, max_chars)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (s.size() > max_chars) out += "...";
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  std::string h = Lower(host);
  if (h == "localhost" || h == "::1") return true;
  in_addr addr{};
  if (inet_pton(AF_INET, h.c_str(), &addr) != 1) return false;
  return (ntohl(addr.s_addr) >> 24) == 127;
}

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  auto bad = [&](const std::string& why) { return Status::Invalid("URL '" + MessageSafe(url) + "' " + why); };
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return bad("contains a space or control character");
  HttpUrl u;
  u.original = std::string(url);
  std::string_view rest;
  if (StartsWithNoCase(url, "https://")) {
    u.tls = true;
    rest = url.substr(8);
  } else if (StartsWithNoCase(url, "http://")) {
    u.tls = false;
    rest = url.substr(7);
  } else {
    return bad("is not an absolute https:// URL");
  }
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (authority.find('@') != std::string_view::npos) return bad("has user info (user@host is not allowed)");
  std::string_view host, port;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has an unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return bad("has junk after the IPv6 address");
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
  } else {
    size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("has no host");
  u.host = Lower(host);
  u.port = u.tls ? 443 : 80;
  if (has_port) {
    unsigned long p = 0;
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) {
      if (c < '0' || c > '9') digits = false;
      p = p * 10 + static_cast<unsigned long>(c - '0');
    }
    if (!digits || p == 0 || p > 65535) return bad("has an invalid port '" + MessageSafe(port) + "'");
    u.port = static_cast<uint16_t>(p);
  }
  tail = tail.substr(0, tail.find('#'));
  u.target = tail.empty() || tail[0] != '/' ? "/" + std::string(tail) : std::string(tail);
  if (!u.tls && !IsLoopbackHost(u.host))
    return bad("uses http:// for a host that is not loopback (only https:// is allowed)");
  return u;
}

Result<HttpResponse> HttpFetch(const std::string& url, const HttpGetOptions& options) {
  KILDE_ASSIGN_OR_RETURN(HttpUrl parsed, ParseHttpUrl(url));
  try {
    return Fetch(parsed, options);
  } catch (const std::exception& e) {  // Asio / Beast / allocation failures: nothing escapes
    return Status::Unavailable("GET " + MessageSafe(url) + ": " + e.what());
  }
}

Result<std::string> HttpGet(const std::string& url, const HttpGetOptions& options) {
  KILDE_ASSIGN_OR_RETURN(HttpResponse res, HttpFetch(url, options));
  if (res.status == 200) return std::move(res.body);
  std::string msg = "GET " + MessageSafe(url) + " answered HTTP " + std::to_string(res.status);
  if (res.status >= 300 && res.status < 400)
    msg += " (a redirect to '" + MessageSafe(res.location) + "', which is not followed)";
  return Status::Unavailable(std::move(msg));
}

}  // namespace kilde::auth
