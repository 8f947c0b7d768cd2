// Entity tags (RFC 9110 §8.8.3, §13.1.2).
#pragma once

#include <string_view>

namespace kilde::http {

// Whether an If-None-Match header value matches `etag` (a quoted strong tag such
// as "\"3\""): "*", or a comma-separated list containing the tag, compared weakly
// (W/"3" matches "3"). An empty header matches nothing.
bool IfNoneMatchHits(std::string_view header, std::string_view etag);

}  // namespace kilde::http
