// Value: one typed cell of a query result, or one bind parameter of a query.
//
// Snowflake sends every cell as text whose meaning depends on the column type (days since
// the epoch for a DATE, "<seconds>.<fraction> <tz index>" for a TIMESTAMP_TZ, upper-case hex
// for BINARY...). The client decodes each cell once into a Value, so applications read
// numbers as numbers and times as times and never parse the wire forms themselves.
//
// Kinds and how each Snowflake type maps onto them:
//   kNull       SQL NULL, in a column of any type
//   kInt64      NUMBER with scale 0 that fits in 64 bits
//   kDecimal    NUMBER with a scale, or too large for 64 bits: exact decimal text ("-0.50")
//   kDouble     FLOAT / REAL (NaN and infinities included)
//   kString     TEXT
//   kBool       BOOLEAN
//   kDate       DATE, as days since 1970-01-01
//   kTime       TIME, as nanoseconds since midnight
//   kTimestamp  TIMESTAMP_NTZ / _LTZ / _TZ: seconds + nanoseconds since the epoch, and for
//               _TZ the UTC offset in minutes
//   kBinary     BINARY, as raw bytes
//   kVariant    VARIANT / OBJECT / ARRAY, as JSON text
#ifndef WIFGATE_VALUE_H_
#define WIFGATE_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace wifgate {

// A point in time as Snowflake timestamps carry it. `nanos` is always in [0, 1e9), so
// -1.5 s is {seconds = -2, nanos = 500000000}. `offset_minutes` is set for TIMESTAMP_TZ.
struct Timestamp {
  int64_t seconds = 0;
  int32_t nanos = 0;
  std::optional<int32_t> offset_minutes;

  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

class Value {
 public:
  enum class Kind {
    kNull,
    kInt64,
    kDecimal,
    kDouble,
    kString,
    kBool,
    kDate,
    kTime,
    kTimestamp,
    kBinary,
    kVariant
  };

  Value() = default;  // NULL
  static Value Null() { return Value(); }
  static Value Int64(int64_t v) { return Value(Kind::kInt64, v); }
  static Value Decimal(std::string text) { return Value(Kind::kDecimal, std::move(text)); }
  static Value Double(double v) { return Value(Kind::kDouble, v); }
  static Value String(std::string v) { return Value(Kind::kString, std::move(v)); }
  static Value Bool(bool v) { return Value(Kind::kBool, v); }
  static Value Date(int64_t days_since_epoch) { return Value(Kind::kDate, days_since_epoch); }
  static Value Time(int64_t nanos_since_midnight) {
    return Value(Kind::kTime, nanos_since_midnight);
  }
  static Value TimestampOf(Timestamp t) { return Value(Kind::kTimestamp, t); }
  static Value Binary(std::string bytes) { return Value(Kind::kBinary, std::move(bytes)); }
  static Value Variant(std::string json) { return Value(Kind::kVariant, std::move(json)); }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }

  // Accessors for the kind the value holds; calling one for another kind is a bug and
  // throws std::bad_variant_access.
  int64_t int64() const { return std::get<int64_t>(data_); }                // kInt64, kDate, kTime
  double as_double() const { return std::get<double>(data_); }              // kDouble
  bool boolean() const { return std::get<bool>(data_); }                    // kBool
  const std::string& text() const { return std::get<std::string>(data_); }  // kDecimal,
  // kString, kBinary (bytes), kVariant (JSON)
  const Timestamp& timestamp() const { return std::get<Timestamp>(data_); }  // kTimestamp

  // A human-readable rendering: numbers as written, dates as YYYY-MM-DD, times as
  // HH:MM:SS[.fraction], timestamps as YYYY-MM-DD HH:MM:SS[.fraction] (the wall clock for
  // _NTZ, UTC for _LTZ, local time and the offset for _TZ), binary as upper-case hex, NULL as
  // "NULL".
  std::string ToString() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  using Data = std::variant<std::monostate, int64_t, double, bool, std::string, Timestamp>;
  Value(Kind kind, Data data) : kind_(kind), data_(std::move(data)) {}

  Kind kind_ = Kind::kNull;
  Data data_;
};

std::string_view KindName(Value::Kind kind);

}  // namespace wifgate

#endif  // WIFGATE_VALUE_H_
