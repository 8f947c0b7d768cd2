// Test helpers (unit tests only): a self-signed certificate made with the OpenSSL 3 API, and a small
// Boost.Beast HTTP(S) server on 127.0.0.1:<ephemeral> running in its own thread, serving fixed routes.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/jwk.h"

namespace kilde::auth::testing {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// A self-signed EC P-256 certificate (valid from an hour ago for a day) and its key; `pem_path` is a
// temporary file holding the certificate, usable as HttpGetOptions::ca_file.
struct TestCert {
  EvpPkeyPtr key;
  X509Ptr cert;
  std::string pem_path;
};

// `san` in OpenSSL config syntax, e.g. "DNS:localhost,IP:127.0.0.1".
inline TestCert MakeSelfSignedCert(const std::string& common_name, const std::string& san) {
  TestCert c;
  c.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  c.cert.reset(X509_new());
  X509* x = c.cert.get();
  EXPECT_TRUE(c.key && x);
  X509_set_version(x, 2);  // v3
  unsigned char serial[8];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, c.key.get());
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
  const std::pair<int, std::string> exts[] = {{NID_subject_alt_name, san},
                                              {NID_basic_constraints, "critical,CA:TRUE"},
                                              {NID_key_usage, "critical,digitalSignature,keyCertSign"},
                                              {NID_ext_key_usage, "serverAuth"}};
  for (const auto& [nid, value] : exts) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str());
    EXPECT_TRUE(ext) << "extension " << value;
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  EXPECT_GT(X509_sign(x, c.key.get(), EVP_sha256()), 0);

  static std::atomic<int> counter{0};
  c.pem_path = ::testing::TempDir() + "kilde_test_cert_" + std::to_string(::getpid()) + "_" +
               std::to_string(counter++) + ".pem";
  FILE* f = std::fopen(c.pem_path.c_str(), "w");
  EXPECT_TRUE(f);
  if (f) {
    PEM_write_X509(f, x);
    std::fclose(f);
  }
  return c;
}

// Serves fixed routes on 127.0.0.1:<port()> from its own thread until destroyed. kSilent accepts
// connections and never reads or answers (for timeouts).
class TestServer {
 public:
  enum class Mode { kTls, kPlain, kSilent };
  struct Route {
    int status = 200;
    std::string body;
    std::string location;
    bool chunked = false;  // chunked transfer encoding instead of Content-Length
  };

  // `cert` (kTls only) must outlive the server.
  explicit TestServer(Mode mode, const TestCert* cert = nullptr)
      : mode_(mode), ssl_(boost::asio::ssl::context::tls_server), acceptor_(ioc_) {
    if (mode == Mode::kTls) {
      EXPECT_EQ(SSL_CTX_use_certificate(ssl_.native_handle(), cert->cert.get()), 1);
      EXPECT_EQ(SSL_CTX_use_PrivateKey(ssl_.native_handle(), cert->key.get()), 1);
    }
    using boost::asio::ip::tcp;
    tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestServer() {
    ioc_.stop();  // unfinished sessions are destroyed with ioc_
    thread_.join();
  }

  uint16_t port() const { return port_; }
  // "https://127.0.0.1:<port><path>" (http for kPlain); `host` may be "localhost".
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return std::string(mode_ == Mode::kPlain ? "http" : "https") + "://" + host + ":" +
           std::to_string(port_) + path;
  }
  void Set(const std::string& target, Route route) {
    std::lock_guard lock(mu_);
    routes_[target] = std::move(route);
  }
  int hits(const std::string& target) const {
    std::lock_guard lock(mu_);
    auto it = hits_.find(target);
    return it == hits_.end() ? 0 : it->second;
  }

 private:
  // One connection: (TLS handshake) → read one request → answer its route (404 if none) → close.
  template <class Stream>
  struct Session : std::enable_shared_from_this<Session<Stream>> {
    template <class... Args>
    explicit Session(TestServer* s, Args&&... args) : server(s), stream(std::forward<Args>(args)...) {}
    void Start() {
      auto self = this->shared_from_this();
      if constexpr (std::is_same_v<Stream, boost::beast::tcp_stream>) {
        Read();
      } else {
        stream.async_handshake(boost::asio::ssl::stream_base::server, [self](boost::system::error_code ec) {
          if (!ec) self->Read();
        });
      }
    }
    void Read() {
      auto self = this->shared_from_this();
      boost::beast::http::async_read(stream, buffer, req, [self](boost::system::error_code ec, size_t) {
        if (!ec) self->Answer();
      });
    }
    void Answer() {
      Route route = server->Lookup(std::string(req.target()));
      res.result(static_cast<unsigned>(route.status));
      res.set(boost::beast::http::field::content_type, "application/json");
      if (!route.location.empty()) res.set(boost::beast::http::field::location, route.location);
      res.body() = route.body;
      res.keep_alive(false);
      if (route.chunked)
        res.chunked(true);
      else
        res.prepare_payload();
      auto self = this->shared_from_this();
      boost::beast::http::async_write(stream, res, [self](boost::system::error_code, size_t) {
        boost::system::error_code ignored;
        boost::beast::get_lowest_layer(self->stream)
            .socket()
            .shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
      });
    }
    TestServer* server;
    Stream stream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> req;
    boost::beast::http::response<boost::beast::http::string_body> res;
  };

  Route Lookup(const std::string& target) {
    std::lock_guard lock(mu_);
    ++hits_[target];
    auto it = routes_.find(target);
    return it == routes_.end() ? Route{404, R"({"error":"not found"})", ""} : it->second;
  }

  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      if (mode_ == Mode::kSilent) {
        held_.push_back(std::move(socket));
      } else if (mode_ == Mode::kPlain) {
        std::make_shared<Session<boost::beast::tcp_stream>>(this, std::move(socket))->Start();
      } else {
        using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
        std::make_shared<Session<TlsStream>>(this, std::move(socket), ssl_)->Start();
      }
      Accept();
    });
  }

  const Mode mode_;
  boost::asio::ssl::context ssl_;  // before ioc_: sessions destroyed with ioc_ still use it
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<boost::asio::ip::tcp::socket> held_;  // kSilent connections, only touched on the thread
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, Route> routes_;
  std::map<std::string, int> hits_;
  std::thread thread_;
};

}  // namespace kilde::auth::testing
