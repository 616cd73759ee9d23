#include "common/time_format.h"

#include <chrono>
#include <cstdio>

namespace wifgate {
namespace {

using namespace std::chrono;

struct Fields {
  int year, month, day, hour, minute, second;
};

Fields Split(SystemTime t) {
  auto secs = floor<seconds>(t);
  auto days = floor<std::chrono::days>(secs);
  year_month_day ymd{days};
  hh_mm_ss hms{secs - days};
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count()),
          static_cast<int>(hms.seconds().count())};
}

std::optional<SystemTime> Join(const Fields& f) {
  year_month_day ymd{year{f.year}, month{static_cast<unsigned>(f.month)},
                     day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok() || f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  return sys_days{ymd} + hours{f.hour} + minutes{f.minute} + seconds{f.second};
}

// Reads exactly `n` digits at s[pos...]; -1 when any is not a digit.
int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string FormatAmzDate(SystemTime t) {
  Fields f = Split(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return buf;
}

std::optional<SystemTime> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  Fields f{Digits(s, 0, 4), Digits(s, 4, 2),  Digits(s, 6, 2),
           Digits(s, 9, 2), Digits(s, 11, 2), Digits(s, 13, 2)};
  if (f.year < 0 || f.month < 0 || f.day < 0 || f.hour < 0 || f.minute < 0 || f.second < 0) {
    return std::nullopt;
  }
  return Join(f);
}

std::string FormatRfc3339(SystemTime t) {
  Fields f = Split(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return buf;
}

std::optional<SystemTime> ParseRfc3339(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  Fields f{Digits(s, 0, 4),  Digits(s, 5, 2),  Digits(s, 8, 2),
           Digits(s, 11, 2), Digits(s, 14, 2), Digits(s, 17, 2)};
  if (f.year < 0 || f.month < 0 || f.day < 0 || f.hour < 0 || f.minute < 0 || f.second < 0) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (s[pos] == '.') {  // fractional seconds: ignored, but must be digits
    ++pos;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  auto t = Join(f);
  if (!t) return std::nullopt;
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") return t;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int h = Digits(zone, 1, 2), m = Digits(zone, 4, 2);
    if (h < 0 || m < 0 || h > 23 || m > 59) return std::nullopt;
    auto offset = hours{h} + minutes{m};
    return zone[0] == '+' ? *t - offset : *t + offset;
  }
  return std::nullopt;
}

int64_t ToUnixSeconds(SystemTime t) { return duration_cast<seconds>(t.time_since_epoch()).count(); }
SystemTime FromUnixSeconds(int64_t s) { return SystemTime{seconds{s}}; }

}  // namespace wifgate
