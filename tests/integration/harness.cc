// Child processes (kilde serve / kilde <command>), temp dirs and small helpers.
// The HTTP client is in http_client.cc.
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

extern char** environ;

namespace kilde::it {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Exit code of a waitpid() status: the code, or 128+signal.
int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Polls waitpid until `pid` exits or `timeout` passes.
std::optional<int> WaitPid(pid_t pid, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return DecodeStatus(status);
    if (r < 0 && errno != EINTR) return -1;  // not our child any more
    if (Clock::now() >= deadline) return std::nullopt;
    SleepFor(5ms);
  }
}

// The environment of a child: ours without KILDE_*, plus `extra`.
std::vector<std::string> ChildEnv(const EnvVars& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, "KILDE_", 6) != 0) out.emplace_back(*e);
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

// fork/exec of KILDE_BINARY with stdin from /dev/null and the given stdout /
// stderr descriptors. Everything the child needs is prepared before fork(), so
// the child only calls async-signal-safe functions.
pid_t Spawn(const std::vector<std::string>& args, const EnvVars& env, int out_fd, int err_fd) {
  std::vector<std::string> argv_s = {KILDE_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s = ChildEnv(env);
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) {
    if (null_fd >= 0) close(null_fd);
    return pid;  // parent (or -1)
  }
  // Child. Dies with the test binary, so a crashed test leaves no server behind.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  if (null_fd >= 0) dup2(null_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  // Do not leak the test's sockets and pipes (another server's, a client's) into the child.
  if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
    for (int fd = 3; fd < 4096; ++fd) close(fd);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

std::string Tail(const std::string& s, size_t n) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

}  // namespace

void SleepFor(Millis d) { std::this_thread::sleep_for(d); }

// ---- TempDir ----

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto p = std::filesystem::temp_directory_path() /
             ("kilde-it-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
              std::to_string(rd() % 100000));
    std::error_code ec;
    if (std::filesystem::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  std::abort();  // cannot create a temp dir: nothing else would work either
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::WriteFile(const std::string& name, const std::string& text) const {
  const auto p = path_ / name;
  std::ofstream out(p, std::ios::binary);
  out << text;
  return p.string();
}

// ---- RunKilde ----

std::string CommandResult::Describe() const {
  return "exit " + std::to_string(exit_code) + (timed_out ? " (timed out)" : "") + "\n--- stdout:\n" +
         Tail(out, 4000) + "\n--- stderr:\n" + Tail(err, 4000);
}

CommandResult RunKilde(const std::vector<std::string>& args, const EnvVars& env, Millis timeout) {
  TempDir dir;
  const std::string out_path = (dir.path() / "stdout").string();
  const std::string err_path = (dir.path() / "stderr").string();
  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  CommandResult r;
  pid_t pid = out_fd >= 0 && err_fd >= 0 ? Spawn(args, env, out_fd, err_fd) : -1;
  if (out_fd >= 0) close(out_fd);
  if (err_fd >= 0) close(err_fd);
  if (pid < 0) {
    r.err = "cannot start " KILDE_BINARY;
    return r;
  }
  auto code = WaitPid(pid, timeout);
  if (!code) {
    r.timed_out = true;
    kill(pid, SIGKILL);
    code = WaitPid(pid, 5s);
  }
  r.exit_code = code.value_or(-1);
  r.out = ReadWholeFile(out_path);
  r.err = ReadWholeFile(err_path);
  return r;
}

// ---- KildeServer ----

std::unique_ptr<KildeServer> KildeServer::Start(const ServerConfig& cfg, std::string* error, Millis timeout) {
  std::unique_ptr<KildeServer> s(new KildeServer());
  s->own_dir_ = std::make_unique<TempDir>();
  s->data_dir_ = cfg.data_dir.empty() ? (s->own_dir_->path() / "data").string() : cfg.data_dir;
  s->stderr_path_ = (s->own_dir_->path() / "stderr.log").string();
  std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--data-dir", s->data_dir_};
  if (cfg.demo) args.push_back("--demo");
  if (cfg.dev) args.push_back("--dev");
  args.insert(args.end(), cfg.extra_args.begin(), cfg.extra_args.end());

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    *error = "pipe2 failed";
    return nullptr;
  }
  int err_fd = open(s->stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  s->pid_ = Spawn(args, cfg.env, pipe_fds[1], err_fd);
  close(pipe_fds[1]);
  if (err_fd >= 0) close(err_fd);
  s->stdout_fd_ = pipe_fds[0];
  if (s->pid_ < 0) {
    *error = "fork failed";
    return nullptr;
  }
  // Read stdout until the first line (or EOF / timeout).
  const auto deadline = Clock::now() + timeout;
  std::string& out = s->stdout_;
  while (out.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    if (left <= 0) {
      *error = "no 'listening' line within " + std::to_string(timeout.count()) + " ms";
      break;
    }
    pollfd p{s->stdout_fd_, POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(std::min<long>(left, 100)));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    char buf[4096];
    ssize_t got = read(s->stdout_fd_, buf, sizeof buf);
    if (got <= 0) {
      *error = "the server closed its stdout before printing the 'listening' line";
      break;
    }
    out.append(buf, static_cast<size_t>(got));
  }
  const std::string prefix = "kilde listening on http://127.0.0.1:";
  size_t nl = out.find('\n');
  if (nl != std::string::npos && out.rfind(prefix, 0) == 0) {
    int port = std::atoi(out.c_str() + prefix.size());
    if (port > 0 && port < 65536) s->port_ = static_cast<uint16_t>(port);
  }
  if (s->port_ == 0) {
    if (error->empty()) *error = "unexpected first stdout line: " + out.substr(0, nl);
    s->Stop(3s);
    *error += "\nserver stderr:\n" + Tail(s->Stderr(), 4000);
    return nullptr;
  }
  fcntl(s->stdout_fd_, F_SETFL, fcntl(s->stdout_fd_, F_GETFL) | O_NONBLOCK);
  if (cfg.dev) {
    std::string token_error;
    s->admin_token_ = s->IssueToken({"--consumer", "0192:958935420", "--scope", "kilde:admin", "--ttl", "1d"},
                                    &token_error);
    if (s->admin_token_.empty()) {
      *error = "could not issue an admin token: " + token_error;
      s->Stop(3s);
      return nullptr;
    }
    SetDefaultToken(s->port_, s->admin_token_);
  }
  return s;
}

std::string KildeServer::IssueToken(const std::vector<std::string>& args, std::string* error) const {
  std::vector<std::string> all = {"token", "issue", "--data-dir", data_dir_};
  all.insert(all.end(), args.begin(), args.end());
  CommandResult r = RunKilde(all);
  std::string token = r.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (r.exit_code != 0 || token.empty() || token.find('\n') != std::string::npos) {
    if (error) *error = r.Describe();
    return "";
  }
  return token;
}

KildeServer::~KildeServer() {
  if (port_ != 0) SetDefaultToken(port_, "");
  if (running()) Stop();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

void KildeServer::Signal(int sig) {
  if (running() && pid_ > 0) kill(pid_, sig);
}

std::optional<int> KildeServer::Wait(Millis timeout) {
  if (exit_status_) return exit_status_;
  if (pid_ <= 0) return -1;
  exit_status_ = WaitPid(pid_, timeout);
  return exit_status_;
}

int KildeServer::Stop(Millis timeout) {
  if (exit_status_) return *exit_status_;
  Signal(SIGTERM);
  if (auto code = Wait(timeout)) return *code;
  kill(pid_, SIGKILL);
  Wait(5s);
  exit_status_ = -1;
  return -1;
}

void KildeServer::DrainStdout() {
  if (stdout_fd_ < 0) return;
  char buf[4096];
  for (int i = 0; i < 1000; ++i) {
    ssize_t got = read(stdout_fd_, buf, sizeof buf);
    if (got <= 0) break;
    stdout_.append(buf, static_cast<size_t>(got));
  }
}

std::string KildeServer::Stdout() {
  DrainStdout();
  return stdout_;
}

std::string KildeServer::Stderr() const { return ReadWholeFile(stderr_path_); }

bool KildeServer::WaitForLog(std::string_view needle, Millis timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (Stderr().find(needle) != std::string::npos) return true;
    if (Clock::now() >= deadline) return false;
    SleepFor(10ms);
  }
}

// ---- organisation numbers ----

int OrgNumberCheckDigit(std::string_view first8) {
  static const int kWeights[] = {3, 2, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (size_t i = 0; i < 8 && i < first8.size(); ++i) sum += (first8[i] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  if (check == 11) return 0;
  if (check == 10) return -1;
  return check;
}

std::string NextOrgNumber() {
  // 31xxxxxx: clear of the demo data (1000000xx, 958935420).
  static std::atomic<int> next{31000000};
  for (;;) {
    std::string first8 = std::to_string(next++);
    int check = OrgNumberCheckDigit(first8);
    if (check >= 0) return first8 + std::to_string(check);
  }
}

}  // namespace kilde::it
