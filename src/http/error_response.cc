#include "http/error_response.h"

#include <nlohmann/json.hpp>

#include "log/log.h"

namespace kilde::http {

Response ErrorResponse(int status, const std::string& code, const std::string& message,
                       const std::vector<FieldProblem>& details) {
  // Ordered as documented: status, code, message, details.
  nlohmann::ordered_json err = {{"status", status}, {"code", code}, {"message", message}};
  if (!details.empty()) {
    nlohmann::ordered_json d = nlohmann::ordered_json::array();
    for (const auto& p : details) {
      nlohmann::ordered_json item = {{"field", p.field}, {"problem", p.problem}};
      if (!p.message.empty()) item["message"] = p.message;
      d.push_back(std::move(item));
    }
    err["details"] = std::move(d);
  }
  Response r;
  r.status = status;
  r.body = nlohmann::ordered_json{{"error", std::move(err)}}.dump(-1, ' ', false,
                                                                  nlohmann::json::error_handler_t::replace);
  return r;
}

Response FromStatus(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return JsonResponse("{}");
    case Code::kInvalidArgument:
      return ErrorResponse(400, s.details().empty() ? "bad_request" : "validation_failed", s.message(),
                           s.details());
    case Code::kNotFound:
      return ErrorResponse(404, "not_found", s.message());
    case Code::kAlreadyExists:
      return ErrorResponse(409, "already_exists", s.message());
    case Code::kConflict:
      return ErrorResponse(409, "conflict", s.message());
    case Code::kFailedPrecondition:
      return ErrorResponse(412, "precondition_failed", s.message());
    case Code::kUnauthenticated:
      return ErrorResponse(401, "unauthenticated", s.message());
    case Code::kPermissionDenied:
      return ErrorResponse(403, "forbidden", s.message());
    case Code::kTooLarge:
      return ErrorResponse(413, "payload_too_large", s.message());
    case Code::kUnsupported:
      return ErrorResponse(415, "unsupported_media_type", s.message());
    case Code::kUnavailable:
      log::Error("unavailable", {{"error", s.message()}});
      return ErrorResponse(503, "unavailable", "the service is temporarily unavailable");
    case Code::kInternal:
      break;
  }
  log::Error("internal error", {{"error", s.message()}});
  return ErrorResponse(500, "internal", "internal error; the request id identifies it in the server log");
}

Response JsonResponse(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace kilde::http
