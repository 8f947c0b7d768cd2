// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-23T18:00:00.123Z","level":"info","msg":"request","request_id":"9f..","status":200}
// The request id of the request being handled on this thread is added to every line.
// Thread safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kilde::log {

// Sets up the logger; `level` is trace, debug, info, warn or error. Safe to call again.
void Init(const std::string& level);

// For the server: stderr becomes block-buffered, info lines reach it within a second (a
// background flush), warnings and errors at once. Call Flush() before exiting. Without this,
// every line is written at once (CLI commands, progress output).
void UseBufferedOutput();
// Writes out buffered lines.
void Flush();

// Sets the request id that lines logged on this thread carry, for the scope's life.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

void Debug(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Info(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Warn(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Error(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

}  // namespace kilde::log
