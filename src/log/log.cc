#include "log/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace kilde::log {
namespace {

thread_local std::string t_request_id;

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("kilde");
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    l->flush_on(spdlog::level::info);
    return l;
  }();
  return logger;
}

void Emit(spdlog::level::level_enum lvl, std::string_view msg, const nlohmann::json& fields) {
  auto l = Logger();
  if (!l->should_log(lvl)) return;
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["msg"] = msg;
  if (!t_request_id.empty()) j["request_id"] = t_request_id;
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it) j[it.key()] = it.value();
  std::string body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  l->log(lvl, "{}", std::string_view(body).substr(1, body.size() - 2));
}

}  // namespace

void Init(const std::string& level) { Logger()->set_level(spdlog::level::from_str(level)); }

void UseBufferedOutput() {
  static char buffer[1 << 16];
  std::fflush(stderr);
  std::setvbuf(stderr, buffer, _IOFBF, sizeof buffer);
  Logger()->flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
}

void Flush() {
  Logger()->flush();
  std::fflush(stderr);
}

ScopedRequestId::ScopedRequestId(std::string id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(id);
}
ScopedRequestId::~ScopedRequestId() { t_request_id = std::move(previous_); }

void Debug(std::string_view m, const nlohmann::json& f) { Emit(spdlog::level::debug, m, f); }
void Info(std::string_view m, const nlohmann::json& f) { Emit(spdlog::level::info, m, f); }
void Warn(std::string_view m, const nlohmann::json& f) { Emit(spdlog::level::warn, m, f); }
void Error(std::string_view m, const nlohmann::json& f) { Emit(spdlog::level::err, m, f); }

}  // namespace kilde::log
