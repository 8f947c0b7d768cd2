// HttpClient and HttpResponse (harness.h): Boost.Beast over a loopback socket.
// Operations are asynchronous under the hood, run on a private io_context with a
// deadline (beast::tcp_stream timeouts), so nothing can block a test forever.
#include "harness.h"

#include <map>
#include <mutex>

#include <algorithm>
#include <cctype>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kilde::it {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

// ---- HttpResponse ----

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (IEquals(k, name)) return v;
  return "";
}

bool HttpResponse::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return IEquals(h.first, name); });
}

nlohmann::json HttpResponse::Json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResponse::Describe() const {
  if (status == 0) return "no response: " + error;
  return std::to_string(status) + " " + (body.size() > 2000 ? body.substr(0, 2000) + "..." : body);
}

// ---- HttpClient ----

struct HttpClient::Impl {
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs the asynchronous operation started by `start` (given a completion
  // handler) to completion, or until `timeout`: then the socket is closed.
  template <typename Start>
  beast::error_code Run(Millis timeout, Start start) {
    beast::error_code result = net::error::timed_out;
    bool done = false;
    stream->expires_after(timeout);
    start([&](beast::error_code ec, std::size_t = 0) {
      result = ec;
      done = true;
    });
    ioc.restart();
    ioc.run_for(timeout + 2s);
    if (!done) {  // belt and braces: the stream's own timer should have fired
      stream->close();
      ioc.restart();
      ioc.run_for(2s);
      result = net::error::timed_out;
    }
    return result;
  }
};

namespace {
std::mutex default_tokens_mu;
std::map<uint16_t, std::string>& DefaultTokens() {
  static std::map<uint16_t, std::string> tokens;
  return tokens;
}
}  // namespace

void SetDefaultToken(uint16_t port, std::string token) {
  std::lock_guard lock(default_tokens_mu);
  if (token.empty())
    DefaultTokens().erase(port);
  else
    DefaultTokens()[port] = std::move(token);
}

std::string DefaultToken(uint16_t port) {
  std::lock_guard lock(default_tokens_mu);
  auto it = DefaultTokens().find(port);
  return it == DefaultTokens().end() ? "" : it->second;
}

HttpClient::HttpClient(uint16_t port, Millis timeout)
    : impl_(std::make_unique<Impl>()), port_(port), timeout_(timeout), bearer_(DefaultToken(port)) {}

HttpClient::~HttpClient() { Close(); }

bool HttpClient::is_open() const { return impl_->stream && impl_->stream->socket().is_open(); }

bool HttpClient::Connect(std::string* error) {
  if (is_open()) return true;
  impl_->stream.emplace(impl_->ioc);
  impl_->buffer.clear();
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
  auto ec = impl_->Run(timeout_, [&](auto handler) {
    impl_->stream->async_connect(ep, [handler](beast::error_code e) mutable { handler(e); });
  });
  if (ec) {
    if (error) *error = "connect to 127.0.0.1:" + std::to_string(port_) + ": " + ec.message();
    impl_->stream.reset();
    return false;
  }
  ++connections_;
  return true;
}

void HttpClient::Close() {
  if (!impl_->stream) return;
  beast::error_code ec;
  impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
  impl_->stream->socket().close(ec);
  impl_->stream.reset();
}

bool HttpClient::WriteRaw(std::string_view bytes) {
  if (!Connect()) return false;
  auto ec = impl_->Run(timeout_, [&](auto handler) {
    net::async_write(*impl_->stream, net::buffer(bytes.data(), bytes.size()),
                     [handler](beast::error_code e, std::size_t n) mutable { handler(e, n); });
  });
  return !ec;
}

HttpResponse HttpClient::ReadResponse(bool head_request) {
  HttpResponse out;
  if (!is_open()) {
    out.error = "not connected";
    return out;
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256 << 20);
  parser.header_limit(1 << 20);
  if (head_request) parser.skip(true);
  auto ec = impl_->Run(timeout_, [&](auto handler) {
    bhttp::async_read(*impl_->stream, impl_->buffer, parser,
                      [handler](beast::error_code e, std::size_t n) mutable { handler(e, n); });
  });
  if (ec) {
    out.error = ec.message();
    Close();
    return out;
  }
  auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
  if (out.status >= 200 && !res.keep_alive()) Close();
  return out;
}

HttpResponse HttpClient::Send(const std::string& method, const std::string& target, const std::string& body,
                              const Headers& headers) {
  HttpResponse out;
  if (!Connect(&out.error)) return out;
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
  req.set(bhttp::field::user_agent, "kilde-integration-tests");
  if (!bearer_.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer_);
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") req.prepare_payload();
  auto ec = impl_->Run(timeout_, [&](auto handler) {
    bhttp::async_write(*impl_->stream, req,
                       [handler](beast::error_code e, std::size_t n) mutable { handler(e, n); });
  });
  if (ec) {
    out.error = "write: " + ec.message();
    Close();
    return out;
  }
  return ReadResponse(method == "HEAD");
}

HttpResponse HttpClient::Post(const std::string& target, const nlohmann::json& body, const Headers& headers) {
  Headers h = {{"Content-Type", "application/json"}};
  h.insert(h.end(), headers.begin(), headers.end());
  return Send("POST", target, body.dump(), h);
}

HttpResponse HttpClient::Put(const std::string& target, const nlohmann::json& body, const Headers& headers) {
  Headers h = {{"Content-Type", "application/json"}};
  h.insert(h.end(), headers.begin(), headers.end());
  return Send("PUT", target, body.dump(), h);
}

HttpResponse HttpClient::Patch(const std::string& target, const nlohmann::json& body,
                               const Headers& headers) {
  Headers h = {{"Content-Type", "application/merge-patch+json"}};
  h.insert(h.end(), headers.begin(), headers.end());
  return Send("PATCH", target, body.dump(), h);
}

bool HttpClient::WaitForClose(Millis timeout) {
  if (!is_open()) return true;
  char scratch[4096];
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int i = 0; i < 100000; ++i) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    auto ec = impl_->Run(left, [&](auto handler) {
      impl_->stream->async_read_some(
          net::buffer(scratch), [handler](beast::error_code e, std::size_t n) mutable { handler(e, n); });
    });
    if (!ec) continue;  // data: keep reading
    const bool closed = ec != beast::error::timeout && ec != net::error::timed_out;
    Close();
    return closed;
  }
  return false;
}

bool ConnectionRefused(uint16_t port) {
  net::io_context ioc;
  tcp::socket s(ioc);
  beast::error_code ec;
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  return ec == net::error::connection_refused;
}

}  // namespace kilde::it
