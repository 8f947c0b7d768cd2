// Date and date-time cells (internal to the products module; the rules are in value.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "products/value.h"

namespace kilde::products {

// Parse one trimmed, non-null date / date-time cell: on success fill `v` (kText, canonical form)
// and return ""; otherwise return the error message and leave `v` unspecified.
std::string ParseDateText(std::string_view s, Value& v);
std::string ParseDateTimeText(std::string_view s, Value& v);

// The UTC offset in hours (1 or 2) of Oslo local time y-m-d hh:mm:ss (a valid date and time), or
// nullopt if that local time does not exist (the hour skipped when summer time begins). In the
// repeated autumn hour, 2 (the earlier instant). Rules: see value.h.
std::optional<int> OsloUtcOffsetHours(int y, int m, int d, int hh, int mm, int ss);

}  // namespace kilde::products
