// URL target parsing: percent-decoding of the path and the query string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace kilde::http {

// Decodes %XX escapes (and '+' as space when `plus_is_space`). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// Splits "a=1&b=x%20y" into decoded pairs. nullopt on a bad escape.
std::optional<Params> ParseQuery(std::string_view q);
// Encodes everything but unreserved characters (RFC 3986).
std::string PercentEncode(std::string_view s);

}  // namespace kilde::http
