#include "client/rowset.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/json.h"

namespace wifgate::client {
namespace {

Column Col(std::string type, std::optional<int64_t> scale = std::nullopt) {
  Column c;
  c.name = "C";
  c.type_name = type;
  c.type = ColumnTypeFromName(type);
  c.scale = scale;
  return c;
}

Value Decode(std::string type, std::string_view text, std::optional<int64_t> scale = std::nullopt) {
  auto v = DecodeCell(Col(std::move(type), scale), text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : Value::Null();
}

std::string Reason(std::string type, std::string_view text, std::optional<int64_t> scale = 0) {
  return DecodeCell(Col(std::move(type), scale), text).status().reason();
}

TEST(RowsetTest, Fixed) {
  EXPECT_EQ(Decode("fixed", "42", 0), Value::Int64(42));
  EXPECT_EQ(Decode("fixed", "-9223372036854775808", 0), Value::Int64(INT64_MIN));
  EXPECT_EQ(Decode("fixed", "99999999999999999999999999999999999999", 0),
            Value::Decimal("99999999999999999999999999999999999999"));
  EXPECT_EQ(Decode("fixed", "-0.50", 2), Value::Decimal("-0.50"));
  EXPECT_EQ(Decode("fixed", "42", std::nullopt), Value::Decimal("42"));  // as Python does
  EXPECT_EQ(Reason("fixed", "4e2"), "client.bad_cell");
  EXPECT_EQ(Reason("fixed", ""), "client.bad_cell");
  EXPECT_EQ(Reason("fixed", "1.2.3"), "client.bad_cell");
}

TEST(RowsetTest, Real) {
  EXPECT_EQ(Decode("real", "1.5"), Value::Double(1.5));
  EXPECT_EQ(Decode("real", "-2.5e-3"), Value::Double(-0.0025));
  EXPECT_TRUE(std::isnan(Decode("real", "NaN").as_double()));
  EXPECT_EQ(Decode("real", "Infinity"), Value::Double(INFINITY));
  EXPECT_EQ(Decode("real", "-Infinity"), Value::Double(-INFINITY));
  EXPECT_EQ(Reason("real", "abc"), "client.bad_cell");
  EXPECT_EQ(Reason("real", "1.5x"), "client.bad_cell");
}

TEST(RowsetTest, TextBooleanBinaryVariant) {
  EXPECT_EQ(Decode("text", "héllo"), Value::String("héllo"));
  EXPECT_EQ(Decode("boolean", "1"), Value::Bool(true));
  EXPECT_EQ(Decode("boolean", "0"), Value::Bool(false));
  EXPECT_EQ(Decode("boolean", "TRUE"), Value::Bool(true));
  EXPECT_EQ(Decode("boolean", "false"), Value::Bool(false));
  EXPECT_EQ(Reason("boolean", "yes"), "client.bad_cell");
  Value b = Decode("binary", "41424320E29D84");
  EXPECT_EQ(b, Value::Binary("ABC \xE2\x9D\x84"));
  EXPECT_EQ(b.ToString(), "41424320E29D84");
  EXPECT_EQ(Reason("binary", "4G"), "client.bad_cell");
  EXPECT_EQ(Decode("variant", "{\n  \"k\": \"v1\"\n}"), Value::Variant("{\n  \"k\": \"v1\"\n}"));
  EXPECT_EQ(Decode("array", "[1]").kind(), Value::Kind::kVariant);
  EXPECT_EQ(Decode("object", "{}").kind(), Value::Kind::kVariant);
  EXPECT_EQ(Decode("geography", "POINT(1 2)"), Value::String("POINT(1 2)"));
}

TEST(RowsetTest, DateAndTime) {
  Value d = Decode("date", "17636");
  EXPECT_EQ(d, Value::Date(17636));
  EXPECT_EQ(d.ToString(), "2018-04-15");
  EXPECT_EQ(Decode("date", "-1").ToString(), "1969-12-31");
  EXPECT_EQ(Reason("date", "2018-04-15"), "client.bad_cell");

  Value t = Decode("time", "15329.123456789", 9);
  EXPECT_EQ(t, Value::Time(15329123456789));
  EXPECT_EQ(t.ToString(), "04:15:29.123456789");
  EXPECT_EQ(Decode("time", "15329", 0).ToString(), "04:15:29");
  EXPECT_EQ(Decode("time", "0.5", 1), Value::Time(500000000));
  EXPECT_EQ(Reason("time", "86400"), "client.bad_cell");
  EXPECT_EQ(Reason("time", "1.1234567890"), "client.bad_cell");  // more than 9 digits
}

TEST(RowsetTest, Timestamps) {
  Value ntz = Decode("timestamp_ntz", "1365123723.123456789", 9);
  EXPECT_EQ(ntz.timestamp(), (Timestamp{1365123723, 123456789, std::nullopt}));
  EXPECT_EQ(ntz.ToString(), "2013-04-05 01:02:03.123456789");

  Value neg = Decode("timestamp_ltz", "-1.500000000", 9);
  EXPECT_EQ(neg.timestamp(), (Timestamp{-2, 500000000, std::nullopt}));
  EXPECT_EQ(neg.ToString(), "1969-12-31 23:59:58.5");

  Value tz = Decode("timestamp_tz", "1365123723.123456789 1860", 9);
  EXPECT_EQ(tz.timestamp(), (Timestamp{1365123723, 123456789, 420}));
  EXPECT_EQ(tz.ToString(), "2013-04-05 08:02:03.123456789 +07:00");
  EXPECT_EQ(Decode("timestamp_tz", "0 1440", 0).ToString(), "1970-01-01 00:00:00 +00:00");
  EXPECT_EQ(Decode("timestamp_tz", "0 1380", 0).ToString(), "1969-12-31 23:00:00 -01:00");

  EXPECT_EQ(Reason("timestamp_tz", "1365123723.1"), "client.bad_cell");  // no tz index
  EXPECT_EQ(Reason("timestamp_tz", "1 5000"), "client.bad_cell");
  EXPECT_EQ(Reason("timestamp_ntz", "1365123723.1 1440"), "client.bad_cell");
}

boost::json::object Data(std::string_view json) { return ParseStrictJson(json)->as_object(); }

TEST(RowsetTest, WholeResultWithNullsAndAllTypes) {
  auto rs = DecodeQueryResult(Data(R"({
    "rowtype": [
      {"name":"I","type":"fixed","precision":38,"scale":0,"nullable":false},
      {"name":"S","type":"text","nullable":true},
      {"name":"B","type":"boolean"}],
    "rowset": [["1","a","1"],[null,null,null]],
    "total": 2, "returned": 2, "queryId": "q-1", "queryResultFormat": "json",
    "statementTypeId": 4096})"));
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  EXPECT_EQ(rs->query_id, "q-1");
  ASSERT_EQ(rs->columns.size(), 3u);
  EXPECT_EQ(rs->columns[0].type, ColumnType::kFixed);
  EXPECT_FALSE(rs->columns[0].nullable);
  EXPECT_EQ(rs->ColumnIndex("S"), 1u);
  EXPECT_EQ(rs->ColumnIndex("nope"), std::nullopt);
  ASSERT_EQ(rs->rows.size(), 2u);
  EXPECT_EQ(rs->rows[0][0], Value::Int64(1));
  EXPECT_EQ(rs->rows[0][1], Value::String("a"));
  EXPECT_EQ(rs->rows[0][2], Value::Bool(true));
  for (const Value& v : rs->rows[1]) EXPECT_TRUE(v.is_null());
  EXPECT_EQ(rs->rows_affected, std::nullopt);
}

TEST(RowsetTest, DmlRowCount) {
  auto rs = DecodeQueryResult(Data(R"({
    "rowtype": [{"name":"number of rows inserted","type":"fixed","scale":0}],
    "rowset": [["3"]], "statementTypeId": 12544})"));
  ASSERT_TRUE(rs.ok());
  EXPECT_EQ(rs->rows_affected, 3);
}

TEST(RowsetTest, RefusesMalformedResults) {
  EXPECT_EQ(DecodeQueryResult(Data(R"({"rowset": []})")).status().reason(), "client.bad_result");
  EXPECT_EQ(DecodeQueryResult(Data(R"({"rowtype": [{"name":"A","type":"text"}],
                                       "rowset": [["a","b"]]})"))
                .status()
                .reason(),
            "client.bad_result");
  EXPECT_EQ(DecodeQueryResult(Data(R"({"rowtype": [{"name":"A","type":"fixed","scale":0}],
                                       "rowset": [[1]]})"))
                .status()
                .reason(),
            "client.bad_result");
  EXPECT_EQ(DecodeQueryResult(Data(R"({"rowtype": [], "rowset": [],
                                       "queryResultFormat": "arrow"})"))
                .status()
                .reason(),
            "client.bad_result");
  // The failing value itself is never in the message.
  auto bad = DecodeQueryResult(Data(R"({"rowtype": [{"name":"A","type":"date"}],
                                        "rowset": [["s3cr3t"]]})"));
  EXPECT_EQ(bad.status().reason(), "client.bad_cell");
  EXPECT_EQ(bad.status().ToString().find("s3cr3t"), std::string::npos);
}

}  // namespace
}  // namespace wifgate::client

namespace wifgate {
namespace {

Column Named(std::string name, ColumnType type, std::string type_name) {
  Column c;
  c.name = std::move(name);
  c.type = type;
  c.type_name = std::move(type_name);
  return c;
}

TEST(ResultJsonTest, TypedCells) {
  ResultSet rs;
  rs.columns = {
      Named("I", ColumnType::kFixed, "fixed"), Named("D", ColumnType::kReal, "real"),
      Named("S", ColumnType::kText, "text"),   Named("B", ColumnType::kBoolean, "boolean"),
      Named("N", ColumnType::kText, "text"),   Named("X", ColumnType::kFixed, "fixed")};
  rs.rows = {{Value::Int64(-3), Value::Double(NAN), Value::String("a\"b"), Value::Bool(true),
              Value::Null(), Value::Decimal("1.50")}};
  EXPECT_EQ(RowsToJson(rs), R"([[-3,"NaN","a\"b",true,null,"1.50"]])");
  EXPECT_EQ(ResultSetToJson(rs).substr(0, 40), R"({"columns":[{"name":"I","type":"fixed"},)");
}

}  // namespace
}  // namespace wifgate
