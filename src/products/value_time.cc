#include "products/value_time.h"

#include <cstdint>

#include "base/time.h"

namespace kilde::products {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return !s.empty();
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Day number (as DaysFromCivil) of the last Sunday of month `m` (which has 30 or 31 days).
int64_t LastSunday(int y, int m, int days_in_month) {
  int64_t last = DaysFromCivil(y, m, days_in_month);
  int64_t weekday = ((last % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return last - weekday;
}

int TwoDigits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

}  // namespace

std::optional<int> OsloUtcOffsetHours(int y, int m, int d, int hh, int mm, int ss) {
  if (y < 1981) return 1;
  const int64_t local = DaysFromCivil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
  const int64_t start = LastSunday(y, 3, 31) * 86400 + 3600;  // 01:00 UTC
  const int64_t end = (y >= 1996 ? LastSunday(y, 10, 31) : LastSunday(y, 9, 30)) * 86400 + 3600;
  auto summer = [&](int64_t utc) { return utc >= start && utc < end; };
  if (summer(local - 7200)) return 2;  // also the earlier reading of the repeated autumn hour
  if (!summer(local - 3600)) return 1;
  return std::nullopt;
}

std::string ParseDateText(std::string_view s, Value& v) {
  const std::string bad = "not a date (expected YYYY-MM-DD or DD.MM.YYYY)";
  std::string iso;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    iso = std::string(s);
  } else {
    std::size_t p1 = s.find('.');
    std::size_t p2 = p1 == std::string_view::npos ? p1 : s.find('.', p1 + 1);
    if (p2 == std::string_view::npos) return bad;
    std::string_view d = s.substr(0, p1), m = s.substr(p1 + 1, p2 - p1 - 1), y = s.substr(p2 + 1);
    if (!AllDigits(d) || !AllDigits(m) || !AllDigits(y) || d.size() > 2 || m.size() > 2 || y.size() != 4)
      return bad;
    iso = std::string(y) + "-" + (m.size() == 1 ? "0" : "") + std::string(m) + "-" +
          (d.size() == 1 ? "0" : "") + std::string(d);
  }
  std::string_view view = iso;
  if (!AllDigits(view.substr(0, 4)) || !AllDigits(view.substr(5, 2)) || !AllDigits(view.substr(8, 2)))
    return bad;
  if (!IsValidDate(iso)) return "not a real calendar date";
  v.kind = Value::Kind::kText;
  v.text = std::move(iso);
  return "";
}

std::string ParseDateTimeText(std::string_view s, Value& v) {
  const std::string bad =
      "not a date-time (expected YYYY-MM-DDTHH:MM:SS with Z or a UTC offset, or Oslo local time without one)";
  if (s.size() < 16 || !IsValidDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !AllDigits(s.substr(11, 2)) || s[13] != ':' || !AllDigits(s.substr(14, 2)))
    return bad;
  int hh = TwoDigits(s, 11), mm = TwoDigits(s, 14), ss = 0;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (s.size() < 19 || !AllDigits(s.substr(17, 2))) return bad;
    ss = TwoDigits(s, 17);
    pos = 19;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      std::size_t start = ++pos;
      while (pos < s.size() && IsDigit(s[pos])) ++pos;
      if (pos == start) return bad;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return bad;
  std::string_view rest = s.substr(pos);
  std::string offset;
  if (rest.empty()) {
    std::optional<int> h = OsloUtcOffsetHours(TwoDigits(s, 0) * 100 + TwoDigits(s, 2), TwoDigits(s, 5),
                                              TwoDigits(s, 8), hh, mm, ss);
    if (!h) return "not a valid Oslo local time (skipped when summer time begins)";
    offset = *h == 2 ? "+02:00" : "+01:00";
  } else if (rest == "Z" || rest == "z") {
    offset = "Z";
  } else if ((rest[0] == '+' || rest[0] == '-') && AllDigits(rest.substr(1, 2)) &&
             (rest.size() == 3 || (rest.size() == 5 && AllDigits(rest.substr(3))) ||
              (rest.size() == 6 && rest[3] == ':' && AllDigits(rest.substr(4))))) {
    offset = std::string(rest.substr(0, 3)) + ":" +
             (rest.size() == 3 ? "00" : std::string(rest.substr(rest.size() - 2)));
  } else {
    return bad;
  }
  std::string ts = std::string(s.substr(0, 10)) + "T" + std::string(s.substr(11, 5)) + ":" +
                   (ss < 10 ? "0" : "") + std::to_string(ss) + offset;
  std::optional<std::string> utc = NormalizeTimestamp(ts);
  if (!utc) return bad;
  v.kind = Value::Kind::kText;
  v.text = std::move(*utc);
  return "";
}

}  // namespace kilde::products
