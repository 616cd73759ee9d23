// Value and ResultSet: the rendering and lookup parts of the public result types.
#include "wifgate/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/crypto.h"
#include "common/strings.h"
#include "wifgate/result_set.h"

namespace wifgate {
namespace {

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string FormatDate(int64_t days) {
  CivilDate c = CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

// ".123" for 123000000 ns; nothing for 0.
std::string FormatFraction(int64_t nanos) {
  if (nanos == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(nanos));
  std::string out = buf;
  while (out.back() == '0') out.pop_back();
  return out;
}

std::string FormatTimeOfDay(int64_t nanos) {
  int64_t secs = nanos / 1000000000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf + FormatFraction(nanos % 1000000000);
}

std::string FormatTimestamp(const Timestamp& t) {
  int64_t local = t.seconds + int64_t{t.offset_minutes.value_or(0)} * 60;
  int64_t days = FloorDiv(local, 86400);
  int64_t secs_of_day = local - days * 86400;
  std::string out = FormatDate(days) + " " + FormatTimeOfDay(secs_of_day * 1000000000 + t.nanos);
  if (t.offset_minutes) {
    int32_t off = *t.offset_minutes;
    char buf[32];
    std::snprintf(buf, sizeof buf, " %c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60,
                  std::abs(off) % 60);
    out += buf;
  }
  return out;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace

std::string Value::ToString() const {
  switch (kind_) {
    case Kind::kNull:
      return "NULL";
    case Kind::kInt64:
      return std::to_string(int64());
    case Kind::kDouble:
      return FormatDouble(as_double());
    case Kind::kBool:
      return boolean() ? "true" : "false";
    case Kind::kDate:
      return FormatDate(int64());
    case Kind::kTime:
      return FormatTimeOfDay(int64());
    case Kind::kTimestamp:
      return FormatTimestamp(timestamp());
    case Kind::kBinary:
      return AsciiUpper(HexEncode(text()));
    case Kind::kDecimal:
    case Kind::kString:
    case Kind::kVariant:
      return text();
  }
  return "";
}

std::string_view KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kInt64:
      return "int64";
    case Value::Kind::kDecimal:
      return "decimal";
    case Value::Kind::kDouble:
      return "double";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kDate:
      return "date";
    case Value::Kind::kTime:
      return "time";
    case Value::Kind::kTimestamp:
      return "timestamp";
    case Value::Kind::kBinary:
      return "binary";
    case Value::Kind::kVariant:
      return "variant";
  }
  return "unknown";
}

ColumnType ColumnTypeFromName(std::string_view name) {
  std::string n = AsciiLower(name);
  if (n == "fixed") return ColumnType::kFixed;
  if (n == "real") return ColumnType::kReal;
  if (n == "text") return ColumnType::kText;
  if (n == "boolean") return ColumnType::kBoolean;
  if (n == "date") return ColumnType::kDate;
  if (n == "time") return ColumnType::kTime;
  if (n == "timestamp_ntz") return ColumnType::kTimestampNtz;
  if (n == "timestamp_ltz") return ColumnType::kTimestampLtz;
  if (n == "timestamp_tz") return ColumnType::kTimestampTz;
  if (n == "binary") return ColumnType::kBinary;
  if (n == "variant") return ColumnType::kVariant;
  if (n == "object") return ColumnType::kObject;
  if (n == "array") return ColumnType::kArray;
  return ColumnType::kOther;
}

std::optional<size_t> ResultSet::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return i;
  }
  return std::nullopt;
}

}  // namespace wifgate
