// JSON text without a document tree: string literals and UTF-8 validity, for writers on hot paths
// (row pages, audit entries) that build their output by appending.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kilde {

// Appends `s` as a JSON string literal (with quotes) to `out`: `"` `\` and control characters are
// escaped (\b \f \n \r \t, else \u00xx with lowercase hex), everything else is copied byte for byte —
// the same text nlohmann::json::dump produces for valid UTF-8 without ensure_ascii.
void AppendJsonString(std::string_view s, std::string& out);

// Appends `items` as a JSON array of string literals (AppendJsonString each) to `out`.
void AppendJsonStringArray(const std::vector<std::string>& items, std::string& out);

// True if `s` is well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace kilde
