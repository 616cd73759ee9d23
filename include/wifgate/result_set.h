// ResultSet: the columns and rows a query returned, already decoded into typed Values.
//
// A ResultSet holds the whole result in memory: wifgate and Snowflake's JSON result
// format send rows inline, and the workloads this library is for (a Lambda function, a job
// that reads its configuration) read small results.
#ifndef WIFGATE_RESULT_SET_H_
#define WIFGATE_RESULT_SET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wifgate/value.h"

namespace wifgate {

// The column types of Snowflake's rowtype (lower-case on the wire).
enum class ColumnType {
  kFixed,
  kReal,
  kText,
  kBoolean,
  kDate,
  kTime,
  kTimestampNtz,
  kTimestampLtz,
  kTimestampTz,
  kBinary,
  kVariant,
  kObject,
  kArray,
  kOther,  // a type this client does not decode (GEOGRAPHY, VECTOR, ...): cells are kString
};

// The ColumnType for a wire name ("fixed", "timestamp_ltz", ...; any case); kOther when unknown.
ColumnType ColumnTypeFromName(std::string_view name);

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  std::string type_name;  // as the server sent it, lower case ("fixed", "geography", ...)
  std::optional<int64_t> precision;
  std::optional<int64_t> scale;
  bool nullable = true;
};

using Row = std::vector<Value>;

struct ResultSet {
  std::string query_id;
  std::vector<Column> columns;
  std::vector<Row> rows;
  // Rows changed by a DML statement (the sum of the "number of rows ..." columns), or
  // nullopt for other statements.
  std::optional<int64_t> rows_affected;

  // The index of the column named `name` (exact match), or nullopt.
  std::optional<size_t> ColumnIndex(std::string_view name) const;
};

// {"columns":[{"name","type"}...],"rows":[[...]...]}: integers, doubles and booleans as
// JSON numbers and booleans, NULL as null, everything else as its ToString() text.
std::string ResultSetToJson(const ResultSet& rs);

// The rows alone, as the same JSON array of arrays: [["TESTUSER"]].
std::string RowsToJson(const ResultSet& rs);

}  // namespace wifgate

#endif  // WIFGATE_RESULT_SET_H_
