// Integration-test harness: runs the real `kilde` binary (KILDE_BINARY) as a
// child process and talks HTTP/1.1 to it over 127.0.0.1 with Boost.Beast.
//
// Every wait is bounded: process start-up, HTTP operations and shutdown all
// have timeouts, and a child that outlives its test is SIGKILLed (and gets
// SIGKILL from the kernel if the test binary itself dies: PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kilde::it {

using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;
using Headers = std::vector<std::pair<std::string, std::string>>;
// Environment variables to set for a child (on top of the test's environment
// minus every KILDE_* variable, so that the developer's settings do not leak in).
using EnvVars = std::vector<std::pair<std::string, std::string>>;

// One HTTP response (or the transport error that prevented it).
struct HttpResponse {
  int status = 0;   // 0 if there was no response; see `error`
  Headers headers;  // as received, in order
  std::string body;
  std::string error;  // transport error ("" on success)

  // The first value of header `name` (case-insensitive), "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The body parsed as JSON; a discarded value if it is not JSON.
  nlohmann::json Json() const;
  // "STATUS body" (body cut to 2000 bytes), for assertion messages.
  std::string Describe() const;
};

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name and returns the full path.
  std::string WriteFile(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

// The result of a short-lived `kilde ...` command.
struct CommandResult {
  int exit_code = -1;  // 128+N if killed by signal N
  bool timed_out = false;
  std::string out, err;
  std::string Describe() const;  // exit code, stdout and stderr for messages
};

// Runs KILDE_BINARY with `args` to completion; killed (SIGKILL) after `timeout`.
CommandResult RunKilde(const std::vector<std::string>& args, const EnvVars& env = {}, Millis timeout = 30s);

struct ServerConfig {
  bool demo = false;
  // `serve --dev`: trusts the data dir's development issuer. The harness then issues an admin token
  // (KildeServer::admin_token) that every HttpClient for the server sends unless told otherwise.
  bool dev = true;
  std::string data_dir;                 // "" = a fresh temp dir owned by the server object
  EnvVars env;                          // e.g. {"KILDE_HTTP_READ_TIMEOUT_MS", "500"}
  std::vector<std::string> extra_args;  // e.g. {"--config", file}

  // Chainable setters: ServerConfig().DataDir(d).Demo().
  ServerConfig& Demo() {
    demo = true;
    return *this;
  }
  ServerConfig& NoDev() {
    dev = false;
    return *this;
  }
  ServerConfig& DataDir(std::string dir) {
    data_dir = std::move(dir);
    return *this;
  }
  ServerConfig& Env(std::string name, std::string value) {
    env.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  ServerConfig& Args(std::vector<std::string> args) {
    extra_args.insert(extra_args.end(), args.begin(), args.end());
    return *this;
  }
};

// A running `kilde serve --listen 127.0.0.1:0 --data-dir DIR`.
class KildeServer {
 public:
  // Starts the server and waits (up to `timeout`) for its one stdout line
  // "kilde listening on http://127.0.0.1:PORT". On failure returns null and
  // sets *error (with the server's stderr).
  static std::unique_ptr<KildeServer> Start(const ServerConfig& cfg, std::string* error,
                                            Millis timeout = 20s);
  ~KildeServer();  // Stop()s the server if it still runs
  KildeServer(const KildeServer&) = delete;
  KildeServer& operator=(const KildeServer&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void Signal(int sig);
  // Waits for the process to exit: its exit code (128+N if killed by signal N),
  // or nullopt if it still runs after `timeout`.
  std::optional<int> Wait(Millis timeout);
  // SIGTERM, then Wait(timeout); SIGKILL if it has not exited. Returns the exit
  // status as Wait() does, or -1 if it had to be SIGKILLed.
  int Stop(Millis timeout = 10s);
  bool running() const { return !exit_status_; }

  // A dev token for this server (`kilde token issue --data-dir DIR ARGS...`), e.g.
  // IssueToken({"--consumer", "0192:958935420", "--scope", "kilde:read"}); "" if the command failed
  // (then *error says why).
  std::string IssueToken(const std::vector<std::string>& args, std::string* error = nullptr) const;
  // An admin token (kilde:admin, consumer 958935420) issued at start; "" without dev.
  const std::string& admin_token() const { return admin_token_; }

  // The server's stdout / stderr (JSON logs) so far.
  std::string Stdout();
  std::string Stderr() const;
  // Waits until Stderr() contains `needle`; false after `timeout`.
  bool WaitForLog(std::string_view needle, Millis timeout) const;

 private:
  KildeServer() = default;
  void DrainStdout();

  std::unique_ptr<TempDir> own_dir_;  // logs, and the data dir unless one was given
  std::string data_dir_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_;
  uint16_t port_ = 0;
  std::optional<int> exit_status_;
  std::string admin_token_;
};

// A synchronous HTTP/1.1 client for 127.0.0.1:port. Keeps its connection open
// between requests (keep-alive) until the server closes it; reconnects lazily.
// Every operation is bounded by `timeout`.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, Millis timeout = 10s);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // The bearer token sent with every request (unless the request sets Authorization itself): by
  // default the admin token of the KildeServer on this port, if one was registered. "" = none.
  void SetBearer(std::string token) { bearer_ = std::move(token); }
  const std::string& bearer() const { return bearer_; }
  // "Authorization: Bearer <bearer()>\r\n", or "" without a token: for WriteRaw requests.
  std::string AuthLine() const { return bearer_.empty() ? "" : "Authorization: Bearer " + bearer_ + "\r\n"; }

  HttpResponse Send(const std::string& method, const std::string& target, const std::string& body = "",
                    const Headers& headers = {});
  HttpResponse Get(const std::string& target, const Headers& headers = {}) {
    return Send("GET", target, "", headers);
  }
  HttpResponse Delete(const std::string& target, const Headers& headers = {}) {
    return Send("DELETE", target, "", headers);
  }
  // JSON bodies with Content-Type application/json (Patch: merge-patch+json).
  HttpResponse Post(const std::string& target, const nlohmann::json& body, const Headers& headers = {});
  HttpResponse Put(const std::string& target, const nlohmann::json& body, const Headers& headers = {});
  HttpResponse Patch(const std::string& target, const nlohmann::json& body, const Headers& headers = {});

  // Opens the connection if it is not open. False (and *error) on failure.
  bool Connect(std::string* error = nullptr);
  void Close();
  bool is_open() const;
  // TCP connections opened so far (stays 1 while keep-alive reuses one).
  int connections() const { return connections_; }

  // Raw access for malformed or slow requests: writes bytes as they are.
  bool WriteRaw(std::string_view bytes);
  // Reads one response (also an interim 1xx) from the connection.
  HttpResponse ReadResponse(bool head_request = false);
  // Waits until the server closes the connection (EOF or reset): true if it did
  // within `timeout`. Data received meanwhile is discarded.
  bool WaitForClose(Millis timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_;
  Millis timeout_;
  int connections_ = 0;
  std::string bearer_;
};

// The default bearer token of new HttpClients for `port` (registered by KildeServer::Start with
// dev, removed when it stops); "" if none.
void SetDefaultToken(uint16_t port, std::string token);
std::string DefaultToken(uint16_t port);

// True if a TCP connect to 127.0.0.1:port is refused (nothing listening).
bool ConnectionRefused(uint16_t port);

// A valid, process-unique 9-digit organisation number (mod-11 check digit).
std::string NextOrgNumber();
// The mod-11 check digit for 8 digits, or -1 if there is none (remainder 1).
int OrgNumberCheckDigit(std::string_view first8);

// Sleeps (for polling loops, which always have their own deadline).
void SleepFor(Millis d);

}  // namespace kilde::it
