#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <list>
#include <mutex>
#include <thread>

#include "base/encoding.h"
#include "http/error_response.h"
#include "http/query.h"
#include "log/log.h"

namespace kilde::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class Session;

struct Server::State {
  ServerOptions opts;
  std::function<Response(Request&)> handler;
  StreamFn stream_fn;
  Metrics* metrics;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer drain_timer{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> live_sessions{0};
  std::mutex mu;
  std::list<std::weak_ptr<Session>> sessions;  // guarded by mu
};

namespace {

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Server::State> st)
      : stream_(std::move(socket)), st_(std::move(st)) {
    ++st_->live_sessions;
  }
  ~Session() { --st_->live_sessions; }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Closes the connection if it is waiting for a new request (shutdown).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_.cancel();
    });
  }

 private:
  void ReadHeader() {
    if (st_->stopping) return Close();
    stream_parser_.reset();
    parser_.emplace();
    // No body limit while reading the header: streaming routes have none, others get
    // theirs in OnHeader once the route is known.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser_->header_limit(static_cast<uint32_t>(st_->opts.max_header_bytes));
    stream_.expires_after(
        std::chrono::milliseconds(first_ ? st_->opts.read_timeout_ms : st_->opts.idle_timeout_ms));
    idle_ = true;
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    start_ = std::chrono::steady_clock::now();
    if (ec) return OnReadError(ec);
    stream_.expires_after(std::chrono::milliseconds(st_->opts.read_timeout_ms));
    if (st_->stream_fn) {
      auto head = BuildHead();
      if (head) {
        std::optional<StreamRoute> sr;
        {
          log::ScopedRequestId rid(head->request_id);
          sr = st_->stream_fn(*head);
        }
        if (sr) return StartStream(std::move(*head), std::move(*sr));
      }
    }
    const auto length = parser_->content_length();
    if (length && *length > st_->opts.max_body_bytes) return OnReadError(bhttp::error::body_limit);
    parser_->body_limit(st_->opts.max_body_bytes);  // applies to chunked bodies as they arrive
    ContinueThen([](Session* self) { self->ReadBody(); });
  }

  // Sends "100 Continue" if the client waits for it, then runs `next`.
  void ContinueThen(void (*next)(Session*)) {
    // A streaming request's header has moved to stream_parser_ (parser_ is empty then).
    const auto& req = stream_parser_ ? stream_parser_->get().base() : parser_->get().base();
    const bool done = stream_parser_ ? stream_parser_->is_done() : parser_->is_done();
    if (beast::iequals(req[bhttp::field::expect], "100-continue") && !done) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont, next](beast::error_code wec, size_t) {
                           if (wec) return self->Close();
                           next(self.get());
                         });
      return;
    }
    next(this);
  }

  void StartStream(Request head, StreamRoute sr) {
    head_ = std::move(head);
    stream_route_ = std::move(sr.route);
    const bool keep_alive = parser_->get().keep_alive();
    if (sr.response) {  // answered without reading the body: the connection cannot be reused
      sr.response->route = stream_route_;
      return Write(std::move(*sr.response), head_.method, head_.path, false, false);
    }
    sink_ = std::move(sr.sink);
    chunk_.resize(1 << 16);
    const bool done = parser_->is_done();
    stream_parser_.emplace(std::move(*parser_));
    stream_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // the sink enforces its own limit
    if (done) return FinishStream(keep_alive);
    ContinueThen([](Session* self) { self->ReadChunk(); });
  }

  void ReadChunk() {
    auto& body = stream_parser_->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    stream_.expires_after(std::chrono::milliseconds(st_->opts.read_timeout_ms));
    bhttp::async_read_some(stream_, buffer_, *stream_parser_,
                           [self = shared_from_this()](beast::error_code ec, size_t) { self->OnChunk(ec); });
  }

  void OnChunk(beast::error_code ec) {
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      sink_.reset();
      return Close();  // timeout, reset or malformed chunking: nothing to answer reliably
    }
    const size_t got = chunk_.size() - stream_parser_->get().body().size;
    if (got > 0) {
      Status s;
      {
        log::ScopedRequestId rid(head_.request_id);
        s = sink_->Write(std::string_view(chunk_.data(), got));
      }
      if (!s.ok()) {
        sink_.reset();
        Response r = FromStatus(s);
        r.route = stream_route_;
        return Write(std::move(r), head_.method, head_.path, false, false);
      }
    }
    if (stream_parser_->is_done()) return FinishStream(stream_parser_->get().keep_alive());
    ReadChunk();
  }

  void FinishStream(bool keep_alive) {
    Response r;
    {
      log::ScopedRequestId rid(head_.request_id);
      r = sink_->Finish();
    }
    sink_.reset();
    r.route = stream_route_;
    Write(std::move(r), head_.method, head_.path, keep_alive && !st_->stopping, false);
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->Handle();
    });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return SendError(ErrorResponse(
          413, "payload_too_large",
          "request body exceeds the limit of " + std::to_string(st_->opts.max_body_bytes) + " bytes"));
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(ErrorResponse(
          431, "headers_too_large",
          "request headers exceed the limit of " + std::to_string(st_->opts.max_header_bytes) + " bytes"));
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::connection_reset ||
        ec == bhttp::error::partial_message) {
      return Close();
    }
    SendError(ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()));
  }

  // Answers a request that could not be read, then closes the connection.
  void SendError(Response r) {
    // The header may have been read (e.g. body too large): keep the client's request id.
    std::string incoming(parser_->get()["X-Request-Id"]);
    request_id_ = ValidRequestId(incoming) ? incoming : RandomHex(8);
    r.route = "unmatched";
    Write(std::move(r), "", "", false, false);
  }

  // The request head (everything but the body); sets request_id_. nullopt if the
  // target is malformed (bad percent-encoding).
  std::optional<Request> BuildHead() {
    auto& msg = parser_->get();
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    std::string incoming_id = req.Header("x-request-id");
    req.request_id = ValidRequestId(incoming_id) ? incoming_id : RandomHex(8);
    req.connection = reinterpret_cast<uintptr_t>(this);
    request_id_ = req.request_id;
    std::string_view target = req.target;
    size_t qpos = target.find('?');
    auto path = PercentDecode(target.substr(0, qpos), false);
    auto query = qpos == std::string_view::npos ? std::optional<Params>(Params{})
                                                : ParseQuery(target.substr(qpos + 1));
    if (!path || !query || path->empty() || (*path)[0] != '/') return std::nullopt;
    req.path = std::move(*path);
    req.query = std::move(*query);
    return req;
  }

  void Handle() {
    auto& msg = parser_->get();
    const bool keep_alive = msg.keep_alive();
    const bool head = msg.method() == bhttp::verb::head;
    auto built = BuildHead();
    Request req = built ? std::move(*built) : Request{};
    if (!built) {
      req.method = std::string(msg.method_string());
      req.request_id = request_id_;
    }
    req.body = std::move(msg.body());
    Response resp;
    {
      log::ScopedRequestId rid(req.request_id);
      if (!built) {
        resp = ErrorResponse(400, "bad_request", "malformed request target (bad percent-encoding)");
        resp.route = "unmatched";
      } else {
        try {
          resp = st_->handler(req);
        } catch (const std::exception& e) {
          log::Error("handler threw", {{"error", e.what()}});
          resp = ErrorResponse(500, "internal",
                               "internal error; the request id identifies it in the server log");
          resp.route = "unmatched";
        }
      }
    }
    if (resp.before_send)
      return WhenReady(std::move(resp), std::move(req.method), std::move(req.path), keep_alive, head);
    Write(std::move(resp), req.method, req.path, keep_alive && !st_->stopping, head);
  }

  // Runs the response's before_send and writes it (or a 503) on this session's strand once ready.
  void WhenReady(Response resp, std::string method, std::string path, bool keep_alive, bool head) {
    auto wait = std::move(resp.before_send);
    resp.before_send = nullptr;
    auto pending = std::make_shared<Response>(std::move(resp));
    wait([self = shared_from_this(), pending, method = std::move(method), path = std::move(path), keep_alive,
          head](const Status& s) mutable {
      net::post(self->stream_.get_executor(), [self, pending, method = std::move(method),
                                               path = std::move(path), keep_alive, head, s]() mutable {
        Response r = std::move(*pending);
        if (!s.ok()) {
          log::ScopedRequestId rid(self->request_id_);
          log::Error("response withheld", {{"error", s.message()}});
          std::string route = std::move(r.route);
          r = ErrorResponse(
              503, "audit_unavailable",
              "the access could not be recorded in the audit log, so no data was sent; try again");
          r.route = std::move(route);
        }
        self->Write(std::move(r), std::move(method), std::move(path), keep_alive && !self->st_->stopping,
                    head);
      });
    });
  }

  void Write(Response r, std::string method, std::string path, bool keep_alive, bool head) {
    if (r.source && !head) return WriteStreamed(std::move(r), std::move(method), std::move(path), keep_alive);
    auto res =
        std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(r.status), 11);
    res->set(bhttp::field::server, "kilde/" KILDE_VERSION);
    res->set(bhttp::field::content_type, r.content_type);
    res->set("X-Request-Id", request_id_);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->keep_alive(keep_alive);
    const size_t length = r.body.size();
    if (head) {
      if (!r.source) res->content_length(length);  // a streamed body's length is not known
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    const int status = r.status;
    std::string route = std::move(r.route);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res, keep_alive, status, route = std::move(route),
         method = std::move(method), path = std::move(path), length](beast::error_code ec, size_t) {
          self->OnWritten(ec, keep_alive, status, route, method, path, length);
        });
  }

  // A response whose body comes from a BodySource, sent chunked. The first piece is
  // produced before the status line, so a source that fails at once still gets a
  // proper error response; a later failure can only close the connection.
  struct Streamed {
    bhttp::response<bhttp::buffer_body> res;
    std::optional<bhttp::response_serializer<bhttp::buffer_body>> sr;
    std::unique_ptr<BodySource> source;
    std::string piece;
    bool more = true;
    size_t bytes = 0;
    bool keep_alive = false;
    std::string route, method, path;
  };

  void WriteStreamed(Response r, std::string method, std::string path, bool keep_alive) {
    auto out = std::make_shared<Streamed>();
    out->source = std::move(r.source);
    if (Status first = NextPiece(*out); !first.ok()) {
      Response err = FromStatus(first);
      err.route = std::move(r.route);
      return Write(std::move(err), std::move(method), std::move(path), false, false);
    }
    auto& res = out->res;
    res.result(static_cast<bhttp::status>(r.status));
    res.version(11);
    res.set(bhttp::field::server, "kilde/" KILDE_VERSION);
    res.set(bhttp::field::content_type, r.content_type);
    res.set("X-Request-Id", request_id_);
    for (const auto& [k, v] : r.headers) res.set(k, v);
    res.keep_alive(keep_alive);
    res.chunked(true);
    out->keep_alive = keep_alive;
    out->route = std::move(r.route);
    out->method = std::move(method);
    out->path = std::move(path);
    out->sr.emplace(res);
    SendPiece(std::move(out));
  }

  // Pulls the next non-empty piece (or the end) from the source into out.piece.
  Status NextPiece(Streamed& out) {
    log::ScopedRequestId rid(request_id_);
    do {
      out.piece.clear();
      auto more = out.source->Next(out.piece);
      if (!more.ok()) {
        log::Warn("response body source failed", {{"error", more.status().message()}});
        return more.status();
      }
      out.more = *more;
    } while (out.piece.empty() && out.more);
    return Status::Ok();
  }

  void SendPiece(std::shared_ptr<Streamed> out) {
    auto& body = out->res.body();
    body.data = out->piece.empty() ? nullptr : out->piece.data();
    body.size = out->piece.size();
    body.more = out->more;
    out->bytes += out->piece.size();
    // A client that stops reading is dropped after the read timeout, per piece.
    stream_.expires_after(std::chrono::milliseconds(st_->opts.read_timeout_ms));
    bhttp::async_write(stream_, *out->sr, [self = shared_from_this(), out](beast::error_code ec, size_t) {
      if (ec == bhttp::error::need_buffer) {
        if (!self->NextPiece(*out).ok()) {  // the status line is sent: all we can do is close
          self->OnWritten(beast::error::timeout, false, out->res.result_int(), out->route, out->method,
                          out->path, out->bytes);
          return;
        }
        return self->SendPiece(out);
      }
      self->OnWritten(ec, out->keep_alive, out->res.result_int(), out->route, out->method, out->path,
                      out->bytes);
    });
  }

  void OnWritten(beast::error_code ec, bool keep_alive, int status, const std::string& route,
                 const std::string& method, const std::string& path, size_t bytes) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (st_->metrics) st_->metrics->Observe(route, method.empty() ? "-" : method, status, secs);
    {
      log::ScopedRequestId rid(request_id_);
      log::Info("request", {{"method", method},
                            {"path", path},
                            {"status", status},
                            {"bytes", bytes},
                            {"duration_ms", std::round(secs * 1e6) / 1e3}});
    }
    if (ec || !keep_alive) return Close();
    first_ = false;
    ReadHeader();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // Streaming requests: the parser switched to buffer_body, the sink and the head.
  std::optional<bhttp::request_parser<bhttp::buffer_body>> stream_parser_;
  std::unique_ptr<BodySink> sink_;
  Request head_;
  std::string stream_route_;
  std::string chunk_;  // allocated only for streaming requests
  std::shared_ptr<Server::State> st_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::string request_id_;
  bool first_ = true;
  bool idle_ = false;
};

namespace {

void Accept(std::shared_ptr<Server::State> st) {
  st->acceptor.async_accept(net::make_strand(st->ioc), [st](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (st->stopping || ec == net::error::operation_aborted) return;
      log::Warn("accept failed", {{"error", ec.message()}});
    } else {
      auto s = std::make_shared<Session>(std::move(socket), st);
      {
        std::lock_guard lock(st->mu);
        st->sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
        st->sessions.push_back(s);
      }
      s->Start();
    }
    if (!st->stopping) Accept(st);
  });
}

// Polls until every session has finished or the grace period is over.
void Drain(std::shared_ptr<Server::State> st, std::chrono::steady_clock::time_point deadline) {
  if (st->live_sessions.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (st->live_sessions.load() > 0)
      log::Warn("shutdown grace period over; closing remaining connections",
                {{"open", st->live_sessions.load()}});
    beast::error_code ec;
    st->signals.cancel(ec);
    st->ioc.stop();
    return;
  }
  st->drain_timer.expires_after(std::chrono::milliseconds(20));
  st->drain_timer.async_wait([st, deadline](beast::error_code) { Drain(st, deadline); });
}

}  // namespace

Server::Server(ServerOptions opts, std::function<Response(Request&)> handler, Metrics* metrics)
    : state_(std::make_shared<State>()) {
  state_->opts = std::move(opts);
  state_->handler = std::move(handler);
  state_->metrics = metrics;
}

Server::~Server() = default;

void Server::SetStreamHandler(StreamFn fn) { state_->stream_fn = std::move(fn); }

Result<uint16_t> Server::Listen() {
  beast::error_code ec;
  auto addr = net::ip::make_address(state_->opts.host, ec);
  if (ec) return Status::Invalid("invalid listen address '" + state_->opts.host + "': " + ec.message());
  tcp::endpoint ep(addr, state_->opts.port);
  auto& a = state_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + state_->opts.host + ":" +
                               std::to_string(state_->opts.port) + ": " + ec.message());
  }
  return a.local_endpoint().port();
}

void Server::Shutdown() {
  auto st = state_;
  net::post(st->ioc, [st] {
    if (st->stopping.exchange(true)) return;
    log::Info("shutting down", {{"in_flight_connections", st->live_sessions.load()}});
    beast::error_code ec;
    st->acceptor.close(ec);
    {
      std::lock_guard lock(st->mu);
      for (auto& w : st->sessions)
        if (auto s = w.lock()) s->CloseIfIdle();
    }
    Drain(st, std::chrono::steady_clock::now() + std::chrono::milliseconds(st->opts.shutdown_grace_ms));
  });
}

void Server::Run() {
  auto st = state_;
  st->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) Shutdown();
  });
  Accept(st);
  int n = st->opts.workers > 0 ? st->opts.workers
                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([st] { st->ioc.run(); });
  st->ioc.run();
  for (auto& t : threads) t.join();
}

}  // namespace kilde::http
