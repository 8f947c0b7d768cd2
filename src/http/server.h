// The HTTP/1.1 server: Boost.Beast over Asio, one I/O thread per core.
//
// Handlers run on I/O threads, so they should not block for long; I/O itself is
// asynchronous, so a slow client holds a connection but never a thread. Limits:
// header and body size (431 / 413), a read timeout per request and an idle timeout
// between keep-alive requests. Graceful shutdown on SIGINT/SIGTERM or Shutdown():
// stop accepting, close idle connections, let in-flight requests finish (up to a
// grace period), then return from Run().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "http/message.h"
#include "http/metrics.h"

namespace kilde::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port (see Listen())
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  int read_timeout_ms = 10000;
  int idle_timeout_ms = 30000;
  int shutdown_grace_ms = 10000;
  int workers = 0;  // 0 = std::thread::hardware_concurrency()
};

// Consumes a request body that arrives in pieces (large uploads), so memory does
// not grow with the body. Runs on an I/O thread; not shared between requests.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // Each piece of the body, in order. A non-OK status ends the request: the server
  // answers with that error and closes the connection (the rest is not read).
  virtual Status Write(std::string_view chunk) = 0;
  // After the last piece; the response is sent.
  virtual Response Finish() = 0;
};

// How a streaming request is handled: a sink for its body, or an immediate
// response (e.g. an error) sent without reading the body.
struct StreamRoute {
  std::unique_ptr<BodySink> sink;
  std::optional<Response> response;
  std::string route;  // route pattern for metrics
};
// Called with the request head (no body) once its header is read; nullopt means
// "not a streaming request" and the body is read whole as usual.
using StreamFn = std::function<std::optional<StreamRoute>(Request& head)>;

class Server {
 public:
  // `handler` answers every complete request; exceptions escaping it are caught
  // and answered with 500. `metrics` (not owned, may be null) records each request.
  Server(ServerOptions opts, std::function<Response(Request&)> handler, Metrics* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Routes whose bodies stream (see BodySink). Call before Run().
  void SetStreamHandler(StreamFn fn);

  // Binds and listens. Returns the bound port (useful with port 0).
  Result<uint16_t> Listen();
  // Serves until shut down (signal or Shutdown()) and drained. Call after Listen().
  void Run();
  // Begins a graceful shutdown. Thread and signal-context safe to call once or more.
  void Shutdown();

  struct State;  // shared with sessions; defined in server.cc

 private:
  std::shared_ptr<State> state_;
};

}  // namespace kilde::http
