#include "audit/event.hpp"

#include <cstdint>
#include <optional>

namespace mg::audit {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

namespace {

// Seconds since 1970 at the minute "YYYY-MM-DDTHH:MM" that starts `t` (as UTC: the offset comes
// later), or nullopt when it is not one.
std::optional<std::int64_t> minute_seconds(std::string_view t) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  if (t.size() < 19 || !digits(t, 0, 4, year) || t[4] != '-' || !digits(t, 5, 2, month) || t[7] != '-' ||
      !digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, hour) ||
      t[13] != ':' || !digits(t, 14, 2, minute))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60;
}

// The rest after the minute (":SS", a fraction, the zone) added to it, in microseconds; 0 when
// it is not RFC 3339.
std::int64_t with_seconds(std::string_view t, std::int64_t minute_s) {
  int second = 0;
  if (t[16] != ':' || !digits(t, 17, 2, second) || second > 60) return 0;
  std::size_t i = 19;
  std::int64_t micros = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    int scale = 100000;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      micros += (t[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  std::int64_t offset_s = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int oh = 0, om = 0;
    if (!digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' || !digits(t, i + 4, 2, om)) return 0;
    offset_s = (t[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else if (i >= t.size() || (t[i] != 'Z' && t[i] != 'z')) {
    return 0;
  }
  return (minute_s + second - offset_s) * 1'000'000 + micros;
}

}  // namespace

std::int64_t parse_rfc3339_us(std::string_view t) {
  const auto minute = minute_seconds(t);
  return minute ? with_seconds(t, *minute) : 0;
}

std::int64_t TimestampReader::operator()(std::string_view t) {
  if (have_ && t.size() >= 19 && t.substr(0, kMinute) == std::string_view(minute_, kMinute))
    return with_seconds(t, minute_s_);
  const auto minute = minute_seconds(t);
  if (!minute) return 0;
  t.copy(minute_, kMinute);
  minute_s_ = *minute;
  have_ = true;
  return with_seconds(t, minute_s_);
}

}  // namespace mg::audit
