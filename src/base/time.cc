#include "base/time.h"

#include <charconv>
#include <ctime>

namespace kilde {
namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc();
}

bool ValidYmd(int y, int m, int d) {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

std::string FormatTimeT(std::time_t tt) {
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string FormatRfc3339(std::chrono::system_clock::time_point t) {
  return FormatTimeT(std::chrono::system_clock::to_time_t(t));
}

std::string NowRfc3339() { return FormatRfc3339(std::chrono::system_clock::now()); }

bool IsValidDate(std::string_view s) {
  int y, m, d;
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && ParseInt(s.substr(0, 4), y) &&
         ParseInt(s.substr(5, 2), m) && ParseInt(s.substr(8, 2), d) && ValidYmd(y, m, d);
}

std::optional<std::string> NormalizeTimestamp(std::string_view s) {
  if (s.size() == 10) {
    if (!IsValidDate(s)) return std::nullopt;
    return std::string(s) + "T00:00:00Z";
  }
  if (s.size() < 20 || !IsValidDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  int hh, mm, ss;
  if (!ParseInt(s.substr(11, 2), hh) || !ParseInt(s.substr(14, 2), mm) || !ParseInt(s.substr(17, 2), ss) ||
      hh > 23 || mm > 59 || ss > 60)
    return std::nullopt;
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i == 1) return std::nullopt;
    rest = rest.substr(i);
  }
  int offset_min = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh, om;
    if (!ParseInt(rest.substr(1, 2), oh) || !ParseInt(rest.substr(4, 2), om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_min = (oh * 60 + om) * (rest[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(s.substr(0, 4))) - 1900;
  tm.tm_mon = std::stoi(std::string(s.substr(5, 2))) - 1;
  tm.tm_mday = std::stoi(std::string(s.substr(8, 2)));
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  // Through time_t, not system_clock (nanoseconds overflow after 2262).
  return FormatTimeT(timegm(&tm) - offset_min * 60);
}

}  // namespace kilde
