#include "sql/binds.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "common/json.h"
#include "common/strings.h"
#include "sql/errors.h"

namespace wifgate::sql {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;
constexpr int64_t kSecondsPerDay = 86400;

// Values are never quoted back: a bind may carry a secret.
Status BadValue(std::string_view what, std::string_view type, std::string_view expected) {
  return SqlError(kBindValue, "Bind variable " + std::string(what) + " of type " +
                                  std::string(type) + " is not " + std::string(expected) + ".");
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int64_t> ParseInt64(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Floor division, so that instants before 1970 land in the right day and second.
int64_t FloorDiv(__int128 a, int64_t b) {
  __int128 q = a / b;
  if (a % b != 0 && (a < 0) != (b < 0)) --q;
  return static_cast<int64_t>(q);
}

// ".fffffffff" without trailing zeros; empty for whole seconds.
std::string Fraction(int64_t nanos) {
  if (nanos == 0) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(nanos));
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  return s;
}

// 'YYYY-MM-DD' for days since 1970-01-01; nullopt outside years 1 to 9999.
std::optional<std::string> FormatDay(int64_t days) {
  if (days < -719162 || days > 2932896) return std::nullopt;  // 0001-01-01 .. 9999-12-31
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return std::string(buf);
}

std::string FormatTimeOfDay(int64_t seconds, int64_t nanos) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return buf + Fraction(nanos);
}

// [+-]digits[.digits], kept exact: an integer that int64 cannot hold stays digits, and a
// fraction becomes a double only when the double prints back as the same decimal.
Result<BoundValue> Fixed(std::string_view what, std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (!AllDigits(whole) || (dot != std::string_view::npos && !AllDigits(fraction))) {
    return BadValue(what, "FIXED", "a decimal number such as 42 or -1.25");
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  bool zero = whole == "0" && fraction.empty();
  std::string digits = (negative && !zero ? "-" : "") + std::string(whole) +
                       (fraction.empty() ? "" : "." + std::string(fraction));
  const char* end = digits.data() + digits.size();
  if (fraction.empty()) {
    if (auto v = ParseInt64(digits)) return BoundValue{*v, ColumnType::kFixed};
    return BoundValue{digits, ColumnType::kFixed};
  }
  double d = 0;
  auto parsed = std::from_chars(digits.data(), end, d);
  char buf[512];
  auto printed = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (parsed.ec == std::errc() && printed.ec == std::errc() &&
      std::string_view(buf, printed.ptr - buf) == digits) {
    return BoundValue{d, ColumnType::kReal};
  }
  return BoundValue{digits, ColumnType::kText};
}

Result<BoundValue> Real(std::string_view what, std::string_view text) {
  std::string_view s = text;
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return BadValue(what, "REAL", "a number such as 1.5, -2e-3, Infinity or -Infinity");
  }
  if (std::isnan(d))
    return BadValue(what, "REAL", "NaN, which SQLite cannot store (it keeps NULL)");
  return BoundValue{d, ColumnType::kReal};
}

Result<BoundValue> Boolean(std::string_view what, std::string_view text) {
  std::string v = AsciiLower(text);
  if (v == "true" || v == "1") return BoundValue{int64_t{1}, ColumnType::kBoolean};
  if (v == "false" || v == "0") return BoundValue{int64_t{0}, ColumnType::kBoolean};
  return BadValue(what, "BOOLEAN", "true, false, 1 or 0");
}

Result<BoundValue> Variant(std::string_view what, std::string_view type, std::string_view text) {
  auto doc = ParseStrictJson(text, {.max_bytes = 16 << 20, .max_depth = 64});
  if (!doc.ok()) return BadValue(what, type, "JSON text (" + doc.status().message() + ")");
  return BoundValue{std::string(text), doc->is_array() ? ColumnType::kArray : ColumnType::kObject};
}

Result<BoundValue> Date(std::string_view what, std::string_view text) {
  auto ms = ParseInt64(text);
  auto day = ms ? FormatDay(FloorDiv(*ms, kSecondsPerDay * 1000)) : std::nullopt;
  if (!day) return BadValue(what, "DATE", "epoch milliseconds of a day in years 1 to 9999");
  return BoundValue{*day, ColumnType::kText};
}

Result<BoundValue> Time(std::string_view what, std::string_view text) {
  auto ns = ParseInt64(text);
  if (!ns || *ns < 0 || *ns >= kSecondsPerDay * kNanosPerSecond) {
    return BadValue(what, "TIME", "nanoseconds since midnight (0 to 86399999999999)");
  }
  return BoundValue{FormatTimeOfDay(*ns / kNanosPerSecond, *ns % kNanosPerSecond),
                    ColumnType::kText};
}

// "<epoch nanoseconds>" or, for TIMESTAMP_TZ, "<epoch nanoseconds> <offset minutes + 1440>";
// stored as the UTC instant (the offset is checked but, like the session, the engine is UTC).
Result<BoundValue> Timestamp(std::string_view what, std::string_view type, std::string_view text) {
  auto expected = [&] {
    return BadValue(what, type,
                    type == "TIMESTAMP_TZ"
                        ? "epoch nanoseconds, optionally followed by a space and the UTC offset "
                          "in minutes plus 1440"
                        : "epoch nanoseconds");
  };
  std::string_view nanos_text = text;
  size_t space = text.find(' ');
  if (space != std::string_view::npos) {
    auto offset = ParseInt64(text.substr(space + 1));
    if (type != "TIMESTAMP_TZ" || !offset || *offset < 0 || *offset > 2880) return expected();
    nanos_text = text.substr(0, space);
  }
  bool negative = !nanos_text.empty() && nanos_text[0] == '-';
  std::string_view digits = nanos_text.substr(negative ? 1 : 0);
  if (!AllDigits(digits) || digits.size() > 25) return expected();
  __int128 nanos = 0;
  for (char c : digits) nanos = nanos * 10 + (c - '0');
  if (negative) nanos = -nanos;
  int64_t seconds = FloorDiv(nanos, kNanosPerSecond);
  int64_t sub = static_cast<int64_t>(nanos - static_cast<__int128>(seconds) * kNanosPerSecond);
  int64_t days = FloorDiv(seconds, kSecondsPerDay);
  auto day = FormatDay(days);
  if (!day) return expected();
  return BoundValue{*day + " " + FormatTimeOfDay(seconds - days * kSecondsPerDay, sub),
                    ColumnType::kText};
}

// The column type a NULL of `type` reads as; nullopt for an unknown type.
std::optional<ColumnType> NullType(std::string_view type) {
  if (type == "FIXED") return ColumnType::kFixed;
  if (type == "REAL") return ColumnType::kReal;
  if (type == "BOOLEAN") return ColumnType::kBoolean;
  if (type == "VARIANT" || type == "OBJECT") return ColumnType::kObject;
  if (type == "ARRAY") return ColumnType::kArray;
  if (type == "TEXT" || type == "ANY" || type == "DATE" || type == "TIME" ||
      type == "TIMESTAMP_NTZ" || type == "TIMESTAMP_LTZ" || type == "TIMESTAMP_TZ") {
    return ColumnType::kText;
  }
  return std::nullopt;
}

Result<BoundValue> Convert(std::string_view what, std::string_view raw_type,
                           const std::optional<std::string>& value) {
  std::string type = AsciiUpper(raw_type);
  if (type == "BINARY") {
    return SqlError(kBindValue, "Bind variable " + std::string(what) +
                                    " has type BINARY, which is not supported: the engine "
                                    "has no binary type. Bind the hex text as TEXT.");
  }
  std::optional<ColumnType> null_type = NullType(type);
  if (!null_type) {
    return SqlError(kBindValue, "Bind variable " + std::string(what) + " has unknown type " +
                                    QuoteForError(type) +
                                    "; the types are FIXED, REAL, TEXT, BOOLEAN, VARIANT, "
                                    "OBJECT, ARRAY, DATE, TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, "
                                    "TIMESTAMP_TZ and ANY.");
  }
  if (!value) return BoundValue{std::monostate(), *null_type};
  const std::string& v = *value;
  if (type == "FIXED") return Fixed(what, v);
  if (type == "REAL") return Real(what, v);
  if (type == "BOOLEAN") return Boolean(what, v);
  if (type == "VARIANT" || type == "OBJECT" || type == "ARRAY") return Variant(what, type, v);
  if (type == "DATE") return Date(what, v);
  if (type == "TIME") return Time(what, v);
  if (type.starts_with("TIMESTAMP")) return Timestamp(what, type, v);
  return BoundValue{v, ColumnType::kText};  // TEXT, and ANY with a value
}

}  // namespace

std::string QuoteForError(std::string_view text) {
  constexpr size_t kMaxQuoted = 64;
  if (text.size() <= kMaxQuoted) return "'" + std::string(text) + "'";
  size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "…'";
}

Result<BoundValue> ConvertBind(std::string_view name, std::string_view type,
                               const std::optional<std::string>& value) {
  return Convert(QuoteForError(name), type, value);
}

Result<Binds> MakeBinds(const std::vector<BindColumn>& columns) {
  Binds binds;
  if (columns.empty()) return binds;
  const BindColumn& first = columns.front();
  binds.array = first.array;
  size_t rows = first.values.size();
  for (const BindColumn& c : columns) {
    if (c.array != binds.array) {
      return SqlError(kBindVariable, "Bind variables " + QuoteForError(first.name) + " and " +
                                         QuoteForError(c.name) +
                                         " mix an array bind with a single value; bind every "
                                         "variable as an array of the same length, or none.");
    }
    if (c.values.size() != rows) {
      return SqlError(kBindVariable, "Array bind " + QuoteForError(c.name) + " has " +
                                         std::to_string(c.values.size()) + " rows but " +
                                         QuoteForError(first.name) + " has " +
                                         std::to_string(rows) +
                                         "; every array bind needs the same number of rows.");
    }
  }
  if (columns.size() > kMaxBindVariables) {
    return SqlError(kLimitExceeded, "The request binds " + std::to_string(columns.size()) +
                                        " variables; a statement takes at most " +
                                        std::to_string(kMaxBindVariables) + ".");
  }
  if (rows == 0) {
    return SqlError(kBindVariable,
                    "Array bind " + QuoteForError(first.name) + " has no rows; send at least one.");
  }
  if (rows > kMaxBindRows) {
    return SqlError(kLimitExceeded, "Array binds carry " + std::to_string(rows) +
                                        " rows; the limit is " + std::to_string(kMaxBindRows) +
                                        " per statement. Split the rows into several "
                                        "statements.");
  }
  if (rows * columns.size() > kMaxBindCells) {
    return SqlError(kLimitExceeded, "Array binds carry " + std::to_string(rows) + " rows of " +
                                        std::to_string(columns.size()) +
                                        " variables; the limit is " +
                                        std::to_string(kMaxBindCells) +
                                        " values per statement. Split the rows into several "
                                        "statements.");
  }
  binds.rows.resize(rows);
  for (const BindColumn& c : columns) {
    binds.names.push_back(c.name);
    for (size_t r = 0; r < rows; ++r) {
      std::string what = binds.array
                             ? QuoteForError(c.name) + " (row " + std::to_string(r + 1) + ")"
                             : QuoteForError(c.name);
      WIFGATE_ASSIGN_OR_RETURN(BoundValue v, Convert(what, c.type, c.values[r]));
      binds.rows[r].push_back(std::move(v));
    }
  }
  return binds;
}

}  // namespace wifgate::sql
