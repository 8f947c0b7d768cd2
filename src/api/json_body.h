// Reading JSON request bodies with errors that name the problem.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/message.h"

namespace kilde::api {

// Parses the body of `req` as JSON. kUnsupported (415) unless the Content-Type is
// application/json (or one of `also_accepted`, e.g. "application/merge-patch+json");
// kInvalidArgument (400) naming the byte offset, line and column of a syntax error.
Result<nlohmann::json> ParseJsonBody(const http::Request& req, const std::string& also_accepted = "");

// Parses `text` as JSON; errors name the byte offset, line and column.
Result<nlohmann::json> ParseJson(const std::string& text, const std::string& what);

// The version an If-Match header asks for ("3", "\"3\"", W/"3"), nullopt if none
// or "*"; kFailedPrecondition-free: a malformed header is kInvalidArgument.
Result<std::optional<int64_t>> IfMatchVersion(const http::Request& req);

// Serialises a JSON document for a response (UTF-8; invalid sequences replaced).
std::string Dump(const nlohmann::json& j);

}  // namespace kilde::api
