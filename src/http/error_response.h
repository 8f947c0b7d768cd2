// JSON error bodies, the one format every /api error uses:
//   {"error":{"status":400,"code":"validation_failed","message":"...","details":[{"field":..,"problem":..}]}}
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "http/message.h"

namespace kilde::http {

// A JSON error response. `code` is a stable machine-readable word.
Response ErrorResponse(int status, const std::string& code, const std::string& message,
                       const std::vector<FieldProblem>& details = {});

// Maps a failed Status to its HTTP error (kInvalidArgument with details → 400
// validation_failed, kNotFound → 404 not_found, ...). Internal errors are logged
// and answered with a generic message that does not leak internals.
Response FromStatus(const Status& s);

// A JSON 200 (or `status`) response with `body` already serialized.
Response JsonResponse(std::string body, int status = 200);

}  // namespace kilde::http
