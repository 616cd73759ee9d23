#include "client/rowset.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"

namespace wifgate::client {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;
constexpr int32_t kTzIndexBias = 1440;  // TIMESTAMP_TZ offsets travel as minutes + 1440

Status BadCell(const Column& column, std::string_view why) {
  return Status(Code::kInternal, "client.bad_cell",
                "the server sent a " + column.type_name + " value for column \"" + column.name +
                    "\" that " + std::string(why));
}

Status BadResult(std::string_view why) {
  return Status(Code::kInternal, "client.bad_result", "the query reply " + std::string(why));
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// "[-]digits[.digits]": the integer and fraction parts and the sign.
struct DecimalParts {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
};

std::optional<DecimalParts> SplitDecimal(std::string_view s) {
  DecimalParts p;
  if (s.starts_with('-')) {
    p.negative = true;
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  p.integer = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    p.fraction = s.substr(dot + 1);
    if (!AllDigits(p.fraction)) return std::nullopt;
  }
  if (!AllDigits(p.integer)) return std::nullopt;
  return p;
}

// The fraction digits as nanoseconds: "5" -> 500000000. More than 9 digits is refused.
std::optional<int64_t> FractionNanos(std::string_view fraction) {
  if (fraction.size() > 9) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < 9; ++i) v = v * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  return v;
}

Result<Value> DecodeFixed(const Column& column, std::string_view text) {
  auto parts = SplitDecimal(text);
  if (!parts) return BadCell(column, "is not a decimal number");
  if (column.scale.value_or(-1) == 0 && parts->fraction.empty()) {
    if (auto v = ParseInt(text)) return Value::Int64(*v);
  }
  return Value::Decimal(std::string(text));  // exact: scaled, or beyond 64 bits
}

Result<Value> DecodeReal(const Column& column, std::string_view text) {
  if (text == "NaN") return Value::Double(std::numeric_limits<double>::quiet_NaN());
  if (text == "Infinity" || text == "inf")
    return Value::Double(std::numeric_limits<double>::infinity());
  if (text == "-Infinity" || text == "-inf") {
    return Value::Double(-std::numeric_limits<double>::infinity());
  }
  double v = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(v)) {
    return BadCell(column, "is not a number");
  }
  return Value::Double(v);
}

Result<Value> DecodeBoolean(const Column& column, std::string_view text) {
  std::string t = AsciiLower(text);
  if (t == "1" || t == "true") return Value::Bool(true);
  if (t == "0" || t == "false") return Value::Bool(false);
  return BadCell(column, "is not 1/0/TRUE/FALSE");
}

Result<Value> DecodeTime(const Column& column, std::string_view text) {
  auto parts = SplitDecimal(text);
  auto secs = parts ? ParseInt(parts->integer) : std::nullopt;
  auto nanos = parts ? FractionNanos(parts->fraction) : std::nullopt;
  if (!parts || parts->negative || !secs || !nanos || *secs >= 86400) {
    return BadCell(column, "is not seconds since midnight");
  }
  return Value::Time(*secs * kNanosPerSecond + *nanos);
}

// "<epoch seconds>[.<fraction>]" (NTZ, LTZ) or the same followed by " <tz index>" (TZ).
Result<Value> DecodeTimestamp(const Column& column, std::string_view text) {
  Timestamp ts;
  if (column.type == ColumnType::kTimestampTz) {
    size_t space = text.find(' ');
    if (space == std::string_view::npos) return BadCell(column, "has no time zone index");
    auto index = ParseInt(text.substr(space + 1));
    if (!index || *index < 0 || *index > 2 * kTzIndexBias) {
      return BadCell(column, "has an invalid time zone index");
    }
    ts.offset_minutes = static_cast<int32_t>(*index - kTzIndexBias);
    text = text.substr(0, space);
  }
  auto parts = SplitDecimal(text);
  auto secs = parts ? ParseInt(parts->integer) : std::nullopt;
  auto nanos = parts ? FractionNanos(parts->fraction) : std::nullopt;
  if (!parts || !secs || !nanos) return BadCell(column, "is not epoch seconds");
  // "-1.5" is 1.5 s before the epoch: {-2 s, +0.5 s}, keeping nanos in [0, 1e9).
  ts.seconds = parts->negative ? -*secs : *secs;
  ts.nanos = static_cast<int32_t>(*nanos);
  if (parts->negative && *nanos != 0) {
    ts.seconds -= 1;
    ts.nanos = static_cast<int32_t>(kNanosPerSecond - *nanos);
  }
  return Value::TimestampOf(ts);
}

Result<Column> ParseColumn(const boost::json::value& v) {
  if (!v.is_object()) return BadResult("has a rowtype entry that is not an object");
  const boost::json::object& o = v.get_object();
  Column c;
  auto name = GetString(o, "name");
  auto type = GetString(o, "type");
  if (!name || !type) return BadResult("has a rowtype entry without name or type");
  c.name = *name;
  c.type_name = AsciiLower(*type);
  c.type = ColumnTypeFromName(c.type_name);
  c.precision = GetInt(o, "precision");
  c.scale = GetInt(o, "scale");
  c.nullable = GetBool(o, "nullable").value_or(true);
  return c;
}

// Rows changed, for DML statements (INSERT..multi-table INSERT, 0x3100-0x35FF): the sum of
// the single row's "number of rows ..." columns, as both official connectors compute it.
std::optional<int64_t> RowsAffected(const boost::json::object& data, const ResultSet& rs) {
  auto type_id = GetInt(data, "statementTypeId");
  if (!type_id || *type_id < 0x3100 || *type_id >= 0x3600 || rs.rows.size() != 1) {
    return std::nullopt;
  }
  int64_t sum = 0;
  for (size_t i = 0; i < rs.columns.size(); ++i) {
    if (rs.columns[i].name.starts_with("number of") &&
        rs.rows[0][i].kind() == Value::Kind::kInt64) {
      sum += rs.rows[0][i].int64();
    }
  }
  return sum;
}

}  // namespace

Result<Value> DecodeCell(const Column& column, std::string_view text) {
  switch (column.type) {
    case ColumnType::kFixed:
      return DecodeFixed(column, text);
    case ColumnType::kReal:
      return DecodeReal(column, text);
    case ColumnType::kBoolean:
      return DecodeBoolean(column, text);
    case ColumnType::kDate: {
      auto days = ParseInt(text);
      if (!days) return BadCell(column, "is not a day number");
      return Value::Date(*days);
    }
    case ColumnType::kTime:
      return DecodeTime(column, text);
    case ColumnType::kTimestampNtz:
    case ColumnType::kTimestampLtz:
    case ColumnType::kTimestampTz:
      return DecodeTimestamp(column, text);
    case ColumnType::kBinary: {
      std::string bytes;
      if (!HexDecode(text, &bytes)) return BadCell(column, "is not hexadecimal");
      return Value::Binary(std::move(bytes));
    }
    case ColumnType::kVariant:
    case ColumnType::kObject:
    case ColumnType::kArray:
      return Value::Variant(std::string(text));
    case ColumnType::kText:
    case ColumnType::kOther:
      return Value::String(std::string(text));
  }
  return BadCell(column, "has an unknown type");
}

Result<ResultSet> DecodeQueryResult(const boost::json::object& data) {
  auto format = GetString(data, "queryResultFormat");
  if (format && AsciiLower(*format) != "json") {
    return BadResult("is in the " + *format + " result format; this client reads only JSON");
  }
  const boost::json::array* rowtype = GetArray(data, "rowtype");
  const boost::json::array* rowset = GetArray(data, "rowset");
  if (rowtype == nullptr || rowset == nullptr) return BadResult("has no rowtype or rowset");

  ResultSet rs;
  rs.query_id = GetString(data, "queryId").value_or("");
  for (const auto& entry : *rowtype) {
    WIFGATE_ASSIGN_OR_RETURN(Column column, ParseColumn(entry));
    rs.columns.push_back(std::move(column));
  }
  rs.rows.reserve(rowset->size());
  for (const auto& row_json : *rowset) {
    if (!row_json.is_array() || row_json.get_array().size() != rs.columns.size()) {
      return BadResult("has a row whose width differs from its rowtype");
    }
    Row row;
    row.reserve(rs.columns.size());
    for (size_t i = 0; i < rs.columns.size(); ++i) {
      const boost::json::value& cell = row_json.get_array()[i];
      if (cell.is_null()) {
        row.push_back(Value::Null());
      } else if (cell.is_string()) {
        WIFGATE_ASSIGN_OR_RETURN(Value v, DecodeCell(rs.columns[i], cell.get_string()));
        row.push_back(std::move(v));
      } else {
        return BadResult("has a cell that is neither a string nor null in column \"" +
                         rs.columns[i].name + "\"");
      }
    }
    rs.rows.push_back(std::move(row));
  }
  rs.rows_affected = RowsAffected(data, rs);
  return rs;
}

}  // namespace wifgate::client
