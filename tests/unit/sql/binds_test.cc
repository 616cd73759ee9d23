#include "sql/binds.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sql/errors.h"

namespace wifgate::sql {
namespace {

BoundValue Ok(std::string_view type, std::optional<std::string> value) {
  auto v = ConvertBind("1", type, value);
  EXPECT_TRUE(v.ok()) << type << " " << value.value_or("null") << ": " << v.status().ToString();
  return v.ok() ? *v : BoundValue{};
}

Status Err(std::string_view type, std::optional<std::string> value) {
  auto v = ConvertBind("1", type, value);
  EXPECT_FALSE(v.ok()) << type << " " << value.value_or("null");
  return v.ok() ? Status::Ok() : v.status();
}

template <typename T>
T As(const BoundValue& v) {
  EXPECT_TRUE(std::holds_alternative<T>(v.value));
  return std::holds_alternative<T>(v.value) ? std::get<T>(v.value) : T{};
}

TEST(ConvertBind, FixedIntegersAreIntegers) {
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "42")), 42);
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "-7")), -7);
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "+007")), 7);
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "-0")), 0);
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "9223372036854775807")), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "-9223372036854775808")), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(As<int64_t>(Ok("FIXED", "12.000")), 12);  // a zero fraction is an integer
  EXPECT_EQ(Ok("FIXED", "1").column_type, ColumnType::kFixed);
  EXPECT_EQ(Ok("fixed", "1").column_type, ColumnType::kFixed);  // type names are case-blind
}

TEST(ConvertBind, FixedBeyondInt64KeepsItsDigits) {
  BoundValue v = Ok("FIXED", "9223372036854775808");
  EXPECT_EQ(As<std::string>(v), "9223372036854775808");
  EXPECT_EQ(v.column_type, ColumnType::kFixed);
  EXPECT_EQ(As<std::string>(Ok("FIXED", "-000123456789012345678901234567890")),
            "-123456789012345678901234567890");
}

TEST(ConvertBind, FixedFractionsNeverLosePrecision) {
  BoundValue exact = Ok("FIXED", "1.25");
  EXPECT_EQ(As<double>(exact), 1.25);
  EXPECT_EQ(exact.column_type, ColumnType::kReal);
  EXPECT_EQ(As<double>(Ok("FIXED", "-0.100")), -0.1);
  // 17 significant digits that no double prints back: kept as exact text.
  BoundValue wide = Ok("FIXED", "12345678901234567.5");
  EXPECT_EQ(As<std::string>(wide), "12345678901234567.5");
  EXPECT_EQ(wide.column_type, ColumnType::kText);
}

TEST(ConvertBind, FixedRejectsWhatIsNotADecimal) {
  for (const char* bad : {"", "abc", "1e5", "1.", ".5", "--1", "1 ", "0x10", "1.2.3", "+"}) {
    Status s = Err("FIXED", bad);
    EXPECT_EQ(s.reason(), "sql.bind_value") << bad;
    EXPECT_EQ(SqlErrorCode(s), "100038") << bad;
    EXPECT_NE(s.message().find("'1'"), std::string::npos) << s.message();  // names the bind
  }
}

TEST(ConvertBind, Real) {
  EXPECT_EQ(As<double>(Ok("REAL", "1.5")), 1.5);
  EXPECT_EQ(As<double>(Ok("REAL", "-2e-3")), -0.002);
  EXPECT_EQ(As<double>(Ok("REAL", "+3")), 3.0);
  EXPECT_EQ(As<double>(Ok("REAL", "Infinity")), std::numeric_limits<double>::infinity());
  EXPECT_EQ(As<double>(Ok("REAL", "-Infinity")), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Ok("REAL", "1").column_type, ColumnType::kReal);
  for (const char* bad : {"", "x", "1.5x", "1e999", "+-1"}) {
    EXPECT_EQ(Err("REAL", bad).reason(), "sql.bind_value") << bad;
  }
  EXPECT_NE(Err("REAL", "NaN").message().find("NaN"), std::string::npos);
}

TEST(ConvertBind, TextIsVerbatim) {
  BoundValue v = Ok("TEXT", " it's \"quoted\" ; DROP TABLE t; -- ");
  EXPECT_EQ(As<std::string>(v), " it's \"quoted\" ; DROP TABLE t; -- ");
  EXPECT_EQ(v.column_type, ColumnType::kText);
  EXPECT_EQ(As<std::string>(Ok("TEXT", "")), "");
}

TEST(ConvertBind, Boolean) {
  EXPECT_EQ(As<int64_t>(Ok("BOOLEAN", "true")), 1);
  EXPECT_EQ(As<int64_t>(Ok("BOOLEAN", "TRUE")), 1);
  EXPECT_EQ(As<int64_t>(Ok("BOOLEAN", "1")), 1);
  EXPECT_EQ(As<int64_t>(Ok("BOOLEAN", "false")), 0);
  EXPECT_EQ(As<int64_t>(Ok("BOOLEAN", "0")), 0);
  EXPECT_EQ(Ok("BOOLEAN", "true").column_type, ColumnType::kBoolean);
  EXPECT_EQ(Err("BOOLEAN", "yes").reason(), "sql.bind_value");
  EXPECT_EQ(Err("BOOLEAN", "2").reason(), "sql.bind_value");
}

TEST(ConvertBind, VariantIsCheckedJson) {
  BoundValue obj = Ok("VARIANT", R"({"a":[1,2]})");
  EXPECT_EQ(As<std::string>(obj), R"({"a":[1,2]})");
  EXPECT_EQ(obj.column_type, ColumnType::kObject);
  EXPECT_EQ(Ok("VARIANT", " [1, 2]").column_type, ColumnType::kArray);
  EXPECT_EQ(Ok("OBJECT", "{}").column_type, ColumnType::kObject);
  EXPECT_EQ(Ok("ARRAY", "[]").column_type, ColumnType::kArray);
  EXPECT_EQ(Err("VARIANT", "{a:1}").reason(), "sql.bind_value");
  EXPECT_EQ(Err("VARIANT", R"({"a":1,"a":2})").reason(), "sql.bind_value");
}

TEST(ConvertBind, DateIsTheUtcDayOfEpochMilliseconds) {
  EXPECT_EQ(As<std::string>(Ok("DATE", "0")), "1970-01-01");
  EXPECT_EQ(As<std::string>(Ok("DATE", "1704067200000")), "2024-01-01");
  EXPECT_EQ(As<std::string>(Ok("DATE", "1704067200000")), "2024-01-01");
  EXPECT_EQ(As<std::string>(Ok("DATE", "1709208000000")), "2024-02-29");  // noon of a leap day
  EXPECT_EQ(As<std::string>(Ok("DATE", "-1")), "1969-12-31");
  EXPECT_EQ(As<std::string>(Ok("DATE", "-62135596800000")), "0001-01-01");
  EXPECT_EQ(Ok("DATE", "0").column_type, ColumnType::kText);
  EXPECT_EQ(Err("DATE", "2024-01-01").reason(), "sql.bind_value");
  EXPECT_EQ(Err("DATE", "-62135596800001").reason(), "sql.bind_value");  // year 0
}

TEST(ConvertBind, TimeIsNanosecondsSinceMidnight) {
  EXPECT_EQ(As<std::string>(Ok("TIME", "0")), "00:00:00");
  EXPECT_EQ(As<std::string>(Ok("TIME", "45296000000000")), "12:34:56");
  EXPECT_EQ(As<std::string>(Ok("TIME", "45296500000000")), "12:34:56.5");
  EXPECT_EQ(As<std::string>(Ok("TIME", "86399999999999")), "23:59:59.999999999");
  EXPECT_EQ(Err("TIME", "86400000000000").reason(), "sql.bind_value");
  EXPECT_EQ(Err("TIME", "-1").reason(), "sql.bind_value");
  EXPECT_EQ(Err("TIME", "12:00").reason(), "sql.bind_value");
}

TEST(ConvertBind, TimestampsAreUtcTextWithTheirFraction) {
  EXPECT_EQ(As<std::string>(Ok("TIMESTAMP_NTZ", "1700000000000000000")), "2023-11-14 22:13:20");
  EXPECT_EQ(As<std::string>(Ok("TIMESTAMP_LTZ", "1700000000123456789")),
            "2023-11-14 22:13:20.123456789");
  EXPECT_EQ(As<std::string>(Ok("TIMESTAMP_NTZ", "-1")), "1969-12-31 23:59:59.999999999");
  // Beyond int64 nanoseconds (Python's datetime(9999, 12, 31)).
  EXPECT_EQ(As<std::string>(Ok("TIMESTAMP_NTZ", "253402214400000000000")), "9999-12-31 00:00:00");
  // TIMESTAMP_TZ: the instant is UTC; the offset (minutes + 1440) is checked.
  EXPECT_EQ(As<std::string>(Ok("TIMESTAMP_TZ", "1700000000000000000 1500")), "2023-11-14 22:13:20");
  EXPECT_EQ(Ok("TIMESTAMP_TZ", "0").column_type, ColumnType::kText);
  EXPECT_EQ(Err("TIMESTAMP_TZ", "0 2881").reason(), "sql.bind_value");
  EXPECT_EQ(Err("TIMESTAMP_NTZ", "0 1440").reason(), "sql.bind_value");  // offset only for TZ
  EXPECT_EQ(Err("TIMESTAMP_NTZ", "2023-11-14").reason(), "sql.bind_value");
  EXPECT_EQ(Err("TIMESTAMP_NTZ", "1e18").reason(), "sql.bind_value");
}

TEST(ConvertBind, NullOfEveryKnownTypeAndAny) {
  for (const char* type : {"FIXED", "REAL", "TEXT", "BOOLEAN", "VARIANT", "DATE", "TIME",
                           "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "ANY"}) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(Ok(type, std::nullopt).value)) << type;
  }
  EXPECT_EQ(Ok("BOOLEAN", std::nullopt).column_type, ColumnType::kBoolean);
  EXPECT_EQ(As<std::string>(Ok("ANY", "x")), "x");
}

TEST(ConvertBind, UnknownAndBinaryTypesAreRefusedEvenForNull) {
  Status unknown = Err("DECIMAL", "1");
  EXPECT_EQ(unknown.reason(), "sql.bind_value");
  EXPECT_NE(unknown.message().find("unknown type 'DECIMAL'"), std::string::npos);
  EXPECT_EQ(Err("NOPE", std::nullopt).reason(), "sql.bind_value");
  EXPECT_NE(Err("BINARY", "00ff").message().find("BINARY"), std::string::npos);
}

TEST(ConvertBind, ErrorsNeverQuoteTheValue) {
  Status s = Err("FIXED", "s3cr3t-value");
  EXPECT_EQ(s.message().find("s3cr3t"), std::string::npos) << s.message();
  EXPECT_EQ(Err("VARIANT", "{\"pw\": s3cr3t}").message().find("s3cr3t"), std::string::npos);
}

TEST(MakeBinds, SingleRow) {
  auto b = MakeBinds({{"1", "FIXED", {"1"}, false}, {"name", "TEXT", {"a"}, false}});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_FALSE(b->array);
  EXPECT_EQ(b->names, (std::vector<std::string>{"1", "name"}));
  ASSERT_EQ(b->rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(b->rows[0][0].value), 1);
  EXPECT_EQ(std::get<std::string>(b->rows[0][1].value), "a");
  EXPECT_TRUE(MakeBinds({})->empty());
}

TEST(MakeBinds, ArrayRowsAndTheirErrors) {
  auto b = MakeBinds(
      {{"1", "FIXED", {"1", "2", std::nullopt}, true}, {"2", "TEXT", {"a", "b", "c"}, true}});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(b->array);
  ASSERT_EQ(b->rows.size(), 3u);
  EXPECT_EQ(std::get<int64_t>(b->rows[1][0].value), 2);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(b->rows[2][0].value));
  EXPECT_EQ(std::get<std::string>(b->rows[2][1].value), "c");

  Status bad_row = MakeBinds({{"1", "FIXED", {"1", "x"}, true}}).status();
  EXPECT_NE(bad_row.message().find("'1' (row 2)"), std::string::npos) << bad_row.message();
  Status lengths =
      MakeBinds({{"1", "FIXED", {"1", "2"}, true}, {"2", "TEXT", {"a"}, true}}).status();
  EXPECT_EQ(lengths.reason(), "sql.bind_variable");
  EXPECT_NE(lengths.message().find("same number of rows"), std::string::npos);
  Status mixed = MakeBinds({{"1", "FIXED", {"1"}, true}, {"2", "TEXT", {"a"}, false}}).status();
  EXPECT_EQ(mixed.reason(), "sql.bind_variable");
  EXPECT_EQ(MakeBinds({{"1", "FIXED", {}, true}}).status().reason(), "sql.bind_variable");
}

TEST(MakeBinds, RowCap) {
  std::vector<std::optional<std::string>> values(kMaxBindRows, "1");
  EXPECT_TRUE(MakeBinds({{"1", "FIXED", values, true}}).ok());
  values.emplace_back("1");
  Status s = MakeBinds({{"1", "FIXED", values, true}}).status();
  EXPECT_EQ(s.reason(), "sql.limit_exceeded");
  EXPECT_NE(s.message().find(std::to_string(kMaxBindRows)), std::string::npos);
}

TEST(MakeBinds, VariableAndCellCaps) {
  std::vector<BindColumn> columns;
  for (size_t i = 0; i <= kMaxBindVariables; ++i) {
    columns.push_back({std::to_string(i + 1), "ANY", {std::nullopt}, false});
  }
  Status variables = MakeBinds(columns).status();
  EXPECT_EQ(variables.reason(), "sql.limit_exceeded");
  EXPECT_NE(variables.message().find(std::to_string(kMaxBindVariables)), std::string::npos)
      << variables.message();

  std::vector<std::optional<std::string>> rows(kMaxBindRows);
  columns.clear();
  for (size_t i = 0; i <= kMaxBindCells / kMaxBindRows; ++i) {
    columns.push_back({std::to_string(i + 1), "ANY", rows, true});
  }
  Status cells = MakeBinds(columns).status();
  EXPECT_EQ(cells.reason(), "sql.limit_exceeded");
  EXPECT_NE(cells.message().find(std::to_string(kMaxBindCells)), std::string::npos)
      << cells.message();
}

TEST(MakeBinds, ErrorsCapWhatTheyQuoteFromTheClient) {
  std::string long_type(5000, 'X');
  std::string long_name(5000, 'n');
  Status type = MakeBinds({{"1", long_type, {"1"}, false}}).status();
  EXPECT_EQ(type.reason(), "sql.bind_value");
  EXPECT_LT(type.message().size(), 600u) << type.message();
  Status name = MakeBinds({{long_name, "FIXED", {"x"}, false}}).status();
  EXPECT_EQ(name.reason(), "sql.bind_value");
  EXPECT_LT(name.message().size(), 600u) << name.message();
}

}  // namespace
}  // namespace wifgate::sql
