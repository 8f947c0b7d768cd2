// Reading JSON request bodies with errors that name the problem.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

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

// The media type of a Content-Type value, lower-cased, without parameters or spaces
// ("Text/CSV; charset=x" → "text/csv").
std::string MediaType(std::string_view content_type);
// The value of parameter `name` of a Content-Type ("charset"), lower-cased, unquoted; "" if absent.
std::string MediaTypeParam(std::string_view content_type, std::string_view name);
// `text` as an integer in [lo, hi], or nullopt.
std::optional<int> ParseIntIn(std::string_view text, int lo, int hi);

// The ETag of a versioned document: its "version" quoted ("\"3\"").
std::string VersionETag(const nlohmann::json& doc);
// A JSON response of a versioned document, with its ETag.
http::Response VersionedDocResponse(const nlohmann::json& doc, int status = 200);

// A 400 naming every query parameter of `req` not in `allowed` (e.g. {} for routes without
// parameters), or nullopt when all are known. `hint` ends the message ("this route takes format").
std::optional<http::Response> RejectUnknownParams(const http::Request& req,
                                                  std::initializer_list<std::string_view> allowed,
                                                  const std::string& hint);

// The RFC 8288 `Link: <...>; rel="next"` value for the page after `cursor`: the request's path and
// query parameters (but its cursor) under `public_url`.
std::string NextPageLink(const http::Request& req, const std::string& public_url, const std::string& cursor);

// Serialises a JSON document for a response (UTF-8; invalid sequences replaced).
std::string Dump(const nlohmann::json& j);

}  // namespace kilde::api
