// Wall-clock time as kilde writes it: RFC 3339 in UTC with second precision.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kilde {

// "2026-11-23T18:00:00Z" for now. Thread safe.
std::string NowRfc3339();
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

// Accepts "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" and returns
// the canonical UTC form used in the store, or nullopt if it is not a valid time.
std::optional<std::string> NormalizeTimestamp(std::string_view s);

// True for a real calendar date "YYYY-MM-DD".
bool IsValidDate(std::string_view s);

}  // namespace kilde
